import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface CertificateAuthority {
  /** PEM certificate: the CA clients trust, also served as the server certificate. */
  cert: string;
  key: string;
}

/**
 * A self-signed CA certificate (basicConstraints CA:TRUE) carrying the server SANs
 * (127.0.0.1, ::1, localhost), used both as trust anchor and as the HTTPS server
 * certificate. With `stateDir`, `ca.pem` / `ca-key.pem` are reused across restarts.
 */
export function loadOrCreateCa(stateDir?: string): CertificateAuthority {
  const certFile = stateDir ? join(stateDir, 'ca.pem') : undefined;
  const keyFile = stateDir ? join(stateDir, 'ca-key.pem') : undefined;
  if (certFile && keyFile && existsSync(certFile) && existsSync(keyFile)) {
    return {
      cert: readFileSync(certFile, 'utf8'),
      key: readFileSync(keyFile, 'utf8'),
    };
  }
  // Native key generation is much faster than node-forge's pure-JS RSA.
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const options = {
    days: 3650,
    notBeforeDate: new Date(Date.now() - 24 * 3600 * 1000),
    algorithm: 'sha256',
    keyPair: { publicKey: keys.publicKey, privateKey: keys.privateKey },
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        critical: true,
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        keyEncipherment: true,
      },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  };
  const generated = selfsigned.generate(
    [
      { name: 'commonName', value: '127.0.0.1' },
      { name: 'organizationName', value: 'Lexecon sandbox CA' },
    ],
    options,
  );
  const ca = { cert: generated.cert, key: generated.private };
  if (stateDir && certFile && keyFile) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(certFile, ca.cert);
    writeFileSync(keyFile, ca.key, { mode: 0o600 });
  }
  return ca;
}
