import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
} from 'node:crypto';
import { isSandboxSecret } from '../../productionConfig';

export const SIGNING_KEY_PATH = 'lexecon.evidence.signingKey';

/** The key evidence packages are signed with, and what the page shows of it. */
export interface EvidenceSigningKey {
  /** The public half (SPKI PEM), for the auditor to verify with. */
  publicKeyPem: string;
  /** SHA-256 of the public key's DER (SPKI), hex: short enough to read out and compare. */
  fingerprint: string;
  /** Why no package can be signed (production without a key); then `sign` must not be called. */
  unavailable?: string;
  /** Set when the key is not one an auditor should trust (per-process, or the sandbox's). */
  insecure?: string;
  sign(data: Buffer): Buffer;
}

function fromPrivateKey(
  privateKey: KeyObject,
  insecure?: string,
): EvidenceSigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
    ...(insecure ? { insecure } : {}),
    sign: data => sign(null, data, privateKey),
  };
}

/**
 * `lexecon.evidence.signingKey`: an Ed25519 private key in PEM. The sandbox's key is public and
 * marked so (a first line `insecure-dev-sandbox-...` before the PEM, which the PEM reader skips):
 * production refuses to start with it, as with the audit key. Production without a key starts
 * (the rest of the portal does not need one) but signs no package; elsewhere a key made for this
 * process keeps a bare checkout working, and says what that costs.
 */
export function readEvidenceSigningKey(
  config: Config,
  logger: LoggerService,
  production: boolean,
): EvidenceSigningKey {
  const pem = config.getOptionalString(SIGNING_KEY_PATH);
  if (pem !== undefined) {
    if (production && isSandboxSecret(pem)) {
      throw new Error(
        `${SIGNING_KEY_PATH} is the sandbox's development key, which anyone can read: set LEXECON_EVIDENCE_SIGNING_KEY to an Ed25519 key of production's own (openssl genpkey -algorithm ed25519)`,
      );
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new Error(
        `${SIGNING_KEY_PATH} is not a private key in PEM (make one with openssl genpkey -algorithm ed25519)`,
      );
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `${SIGNING_KEY_PATH} is a ${key.asymmetricKeyType} key: evidence packages are signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
      );
    }
    return fromPrivateKey(
      key,
      isSandboxSecret(pem)
        ? "the sandbox's development key, published with the code: a package signed with it proves nothing"
        : undefined,
    );
  }
  if (production) {
    return {
      publicKeyPem: '',
      fingerprint: '',
      unavailable: `${SIGNING_KEY_PATH} is not set: evidence packages cannot be signed. Set LEXECON_EVIDENCE_SIGNING_KEY to an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)`,
      sign: () => {
        throw new Error(`${SIGNING_KEY_PATH} is not set`);
      },
    };
  }
  logger.warn(
    `${SIGNING_KEY_PATH} is not set: evidence packages are signed with a key made for this process, whose public half changes at every restart`,
  );
  return fromPrivateKey(
    generateKeyPairSync('ed25519').privateKey,
    'a key made for this process when none was configured: it changes at every restart',
  );
}
