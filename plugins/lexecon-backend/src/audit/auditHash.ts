import { JsonObject, JsonValue } from '@backstage/types';
import { createHash, createHmac } from 'node:crypto';

/** The link of the first record: the hash "before" the trail. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Version 1 (before the portal-wide trail): the approval fields, hashed in this fixed order with
 * absent values as null. Kept only to verify the rows written then.
 */
export const VERSION_1_FIELDS = [
  'at',
  'action',
  'actor',
  'githubLogin',
  'entityRef',
  'repository',
  'runId',
  'environment',
  'version',
  'decision',
  'comment',
  'outcome',
  'upstreamStatus',
  'mode',
  'deliveryId',
] as const;

export type Version1Fields = Partial<
  Record<(typeof VERSION_1_FIELDS)[number], unknown>
>;

/** Version 1: SHA-256 over the previous hash, a newline and the fields as ordered pairs. */
export function hashVersion1(prevHash: string, record: Version1Fields): string {
  const canonical = JSON.stringify(
    VERSION_1_FIELDS.map(field => [field, record[field] ?? null]),
  );
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonical)
    .digest('hex');
}

/** What a version 2 record hashes: the portal-wide record shape. */
export interface CanonicalRecord {
  at: string;
  action: string;
  actor: string;
  subject: string;
  /** The catalog entity the trail is filtered by; hashed because it is stored as a column. */
  entityRef?: string;
  /** GitHub's delivery key of a record made from a webhook (a redelivery is recorded once). */
  deliveryId?: string;
  details: JsonObject;
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, as `Array.prototype.sort` does), no
 * whitespace and undefined members left out: one text per value, whatever order it was built in.
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (Array.isArray(value)) {
    return `[${value.map(item => canonicalJson(item ?? null)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .filter(key => value[key] !== undefined)
      .sort()
      .map(key => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Version 2: HMAC-SHA256, keyed by `lexecon.audit.hmacKey`, over the previous hash, a newline
 * and the canonical JSON of the record with its version. Without the key, nobody who can write to
 * the database can forge a record or re-chain the records after one they changed.
 */
export function hashVersion2(
  key: string,
  prevHash: string,
  record: CanonicalRecord,
): string {
  const canonical = canonicalJson({
    version: 2,
    at: record.at,
    action: record.action,
    actor: record.actor,
    subject: record.subject,
    entityRef: record.entityRef ?? null,
    deliveryId: record.deliveryId ?? null,
    details: record.details,
  });
  return createHmac('sha256', key)
    .update(prevHash)
    .update('\n')
    .update(canonical)
    .digest('hex');
}
