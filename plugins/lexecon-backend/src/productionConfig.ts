import { Config } from '@backstage/config';

/**
 * Production is `NODE_ENV=production` (what the built backend runs with, and what Backstage's
 * guest provider checks) or `auth.environment: production` (what app-config.production.yaml
 * says), so the production file is held to production's rules even under a development server.
 */
export function isProduction(
  config: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): boolean {
  return (
    nodeEnv === 'production' ||
    config.getOptionalString('auth.environment') === 'production'
  );
}

/**
 * Every secret in app-config.sandbox.yaml is public and says so: it contains `sandbox` (the audit
 * key also starts `insecure-dev-`). A test holds the sandbox file to this, so the values are
 * listed once, in that file.
 */
export function isSandboxSecret(value: string): boolean {
  return value.startsWith('insecure-dev-') || /sandbox/i.test(value);
}

const WEBHOOK_SECRET = 'events.modules.github.webhookSecret';
const BACKEND_AUTH_KEYS = 'backend.auth.keys';
const SESSION_SECRET = 'auth.session.secret';

/**
 * The secrets production cannot run without and must not share with the sandbox: the GitHub
 * webhook secret (else anyone can forge deployment events), the backend auth keys and, with
 * company sign-in, the auth session secret (else anyone can forge a login session). The audit
 * key has its own check (audit/auditConfig.ts). Throws one error naming every key at fault.
 */
export function checkProductionSecrets(config: Config): void {
  const problems: string[] = [];
  const check = (key: string, value: string | undefined, variable: string) => {
    if (!value) {
      problems.push(`${key} is not set (${variable})`);
    } else if (isSandboxSecret(value)) {
      problems.push(`${key} is the sandbox's public value (${variable})`);
    }
  };

  check(
    WEBHOOK_SECRET,
    config.getOptionalString(WEBHOOK_SECRET),
    'GITHUB_WEBHOOK_SECRET',
  );
  const keys = config.getOptionalConfigArray(BACKEND_AUTH_KEYS) ?? [];
  if (keys.length === 0) {
    problems.push(`${BACKEND_AUTH_KEYS} is not set (BACKEND_SECRET)`);
  }
  keys.forEach((key, index) =>
    check(
      `${BACKEND_AUTH_KEYS}[${index}].secret`,
      key.getOptionalString('secret'),
      'BACKEND_SECRET',
    ),
  );

  // Company sign-in (Backstage's OIDC provider) keeps its login state in a signed session.
  if (config.has('auth.providers.oidc')) {
    check(
      SESSION_SECRET,
      config.getOptionalString(SESSION_SECRET),
      'AUTH_SESSION_SECRET',
    );
  }

  if (problems.length > 0) {
    throw new Error(
      `Refusing to start in production: ${problems.join(
        '; ',
      )}. Set each to a random secret of its own (see app-config.production.yaml).`,
    );
  }
}
