import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { generateKeyPairSync, verify } from 'node:crypto';
import { readEvidenceSigningKey } from './signingKey';

const pem = (type: 'ed25519' | 'ec') =>
  (type === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('ed25519')
  ).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
const config = (signingKey?: string) =>
  new ConfigReader({ lexecon: { evidence: signingKey ? { signingKey } : {} } });
const logger = mockServices.logger.mock();

describe('readEvidenceSigningKey', () => {
  it('signs with the configured Ed25519 key, whose public half verifies', () => {
    const key = readEvidenceSigningKey(config(pem('ed25519')), logger, true);
    const data = Buffer.from('tag manifest');
    expect(key.insecure).toBeUndefined();
    expect(verify(null, data, key.publicKeyPem, key.sign(data))).toBe(true);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses the sandbox's key in production and marks it insecure elsewhere", () => {
    const sandboxKey = `insecure-dev-sandbox-evidence-signing-key\n${pem(
      'ed25519',
    )}`;
    expect(() =>
      readEvidenceSigningKey(config(sandboxKey), logger, true),
    ).toThrow(/lexecon.evidence.signingKey is the sandbox's development key/);
    expect(
      readEvidenceSigningKey(config(sandboxKey), logger, false).insecure,
    ).toMatch(/sandbox/);
  });

  it('refuses a key that is not Ed25519 or not a key', () => {
    expect(() =>
      readEvidenceSigningKey(config(pem('ec')), logger, false),
    ).toThrow(
      'lexecon.evidence.signingKey is a ec key: evidence packages are signed with Ed25519 (openssl genpkey -algorithm ed25519)',
    );
    expect(() =>
      readEvidenceSigningKey(config('not a key'), logger, false),
    ).toThrow(/is not a private key in PEM/);
  });

  it('signs nothing in production without a key, and uses a per-process key elsewhere', () => {
    const none = readEvidenceSigningKey(config(), logger, true);
    expect(none.unavailable).toMatch(/LEXECON_EVIDENCE_SIGNING_KEY/);
    const dev = readEvidenceSigningKey(config(), logger, false);
    expect(dev.unavailable).toBeUndefined();
    expect(dev.insecure).toMatch(/changes at every restart/);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('lexecon.evidence.signingKey is not set'),
    );
  });
});
