import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { lexeconPlugin } from '../plugin';
import { readAuditHmacKey } from './auditConfig';

const KEY = 'a-configured-key-0123456789abcdef';
const withKey = (hmacKey?: string) =>
  new ConfigReader({ lexecon: { audit: { hmacKey } } });

describe('readAuditHmacKey', () => {
  it('uses the configured key, in production as elsewhere, without a word', () => {
    const logger = mockServices.logger.mock();
    expect(readAuditHmacKey(withKey(KEY), logger, true)).toBe(KEY);
    expect(readAuditHmacKey(withKey(KEY), logger, false)).toBe(KEY);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('refuses a key too short to be a secret', () => {
    expect(() =>
      readAuditHmacKey(withKey('short'), mockServices.logger.mock(), false),
    ).toThrow('lexecon.audit.hmacKey must be at least 32 characters long');
  });

  it("refuses the sandbox's key in production", () => {
    const devKey = withKey('insecure-dev-lexecon-sandbox-audit-key-0123456789');
    const logger = mockServices.logger.mock();
    expect(readAuditHmacKey(devKey, logger, false)).toBe(
      'insecure-dev-lexecon-sandbox-audit-key-0123456789',
    );
    expect(() => readAuditHmacKey(devKey, logger, true)).toThrow(
      "lexecon.audit.hmacKey is the sandbox's development key: set LEXECON_AUDIT_HMAC_KEY",
    );
  });

  it('refuses to go on in production without a key, and says what to set', () => {
    expect(() =>
      readAuditHmacKey(withKey(), mockServices.logger.mock(), true),
    ).toThrow(
      "lexecon.audit.hmacKey is not set: the audit trail's hash chain is keyed by it.",
    );
  });

  it('makes up a random key per process elsewhere, and warns that its records will not verify after a restart', () => {
    const logger = mockServices.logger.mock();
    const first = readAuditHmacKey(withKey(), logger, false);
    const second = readAuditHmacKey(withKey(), logger, false);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(first).not.toBe(second);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Audit records written now cannot be verified after a restart',
      ),
    );
  });
});

describe('the backend without lexecon.audit.hmacKey in production', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('does not start', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      startTestBackend({
        features: [
          lexeconPlugin,
          mockServices.rootConfig.factory({ data: {} }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }),
    ).rejects.toThrow(/lexecon\.audit\.hmacKey is not set/);
  });
});
