import { gunzipSync } from 'node:zlib';

/** The parts of Helm's stored release JSON the portal reads. */
export interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info?: {
    first_deployed?: string;
    last_deployed?: string;
    description?: string;
    status?: string;
  };
  chart?: {
    metadata?: { name?: string; version?: string; appVersion?: string };
  };
  config?: Record<string, unknown>;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/**
 * Decodes `data.release` of a `helm.sh/release.v1` Secret as read through the Kubernetes API:
 * the API base64-encodes the Secret bytes, which are themselves Helm's base64 of gzipped JSON.
 * Releases stored before Helm compressed them are plain base64 JSON.
 */
export function decodeHelmRelease(dataRelease: string): HelmRelease {
  const helmEncoded = Buffer.from(dataRelease, 'base64').toString('utf8');
  let raw = Buffer.from(helmEncoded, 'base64');
  if (GZIP_MAGIC.every((byte, i) => raw[i] === byte)) raw = gunzipSync(raw);
  return JSON.parse(raw.toString('utf8')) as HelmRelease;
}

/** Revision a `Rollback to N` description points at. */
export function parseRollbackTarget(description: string | undefined) {
  const match = /^Rollback to (\d+)/.exec(description ?? '');
  return match ? Number(match[1]) : undefined;
}
