import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import { isProduction, isSandboxSecret } from '../productionConfig';

const KEY_PATH = 'lexecon.audit.hmacKey';
const MIN_KEY_LENGTH = 32;

/**
 * The key of the audit trail's HMAC chain (`lexecon.audit.hmacKey`). Records verify only with
 * the key they were written with, so production refuses to start without one of its own;
 * elsewhere a random key per process keeps a bare checkout running, and says what that costs.
 */
export function readAuditHmacKey(
  config: Config,
  logger: LoggerService,
  production: boolean = isProduction(config),
): string {
  const key = config.getOptionalString(KEY_PATH);
  if (key !== undefined) {
    if (key.length < MIN_KEY_LENGTH) {
      throw new Error(
        `${KEY_PATH} must be at least ${MIN_KEY_LENGTH} characters long (a random secret, e.g. \`openssl rand -hex 32\`)`,
      );
    }
    if (production && isSandboxSecret(key)) {
      throw new Error(
        `${KEY_PATH} is the sandbox's development key: set LEXECON_AUDIT_HMAC_KEY (see app-config.production.yaml) to a random secret of at least ${MIN_KEY_LENGTH} characters`,
      );
    }
    return key;
  }
  if (production) {
    throw new Error(
      `${KEY_PATH} is not set: the audit trail's hash chain is keyed by it. Set it to a random secret of at least ${MIN_KEY_LENGTH} characters (e.g. \`openssl rand -hex 32\`) and keep it: records verify only with the key they were written with.`,
    );
  }
  logger.warn(
    `${KEY_PATH} is not set: using a random key for this process. Audit records written now cannot be verified after a restart; set the key in app-config.`,
  );
  return randomBytes(32).toString('hex');
}
