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
const LEGACY_KEYS = 'backend.auth.keys';
const EXTERNAL_ACCESS = 'backend.auth.externalAccess';
const SESSION_SECRET = 'auth.session.secret';
const GCP_ACCESS_TOKEN = 'lexecon.gcp.billing.accessToken';
const SLACK_API = 'lexecon.slackApi';
/** The field holding the shared secret, per kind of external access that has one. */
const SECRET_FIELD_OF_ACCESS_TYPE: Record<string, string | undefined> = {
  static: 'token',
  legacy: 'secret',
};

/**
 * The secrets production cannot run without and must not share with the sandbox: the GitHub
 * webhook secret (else anyone can forge deployment events) and, with company sign-in, the auth
 * session secret (else anyone can forge a login session). Service-to-service calls need no
 * shared secret (the new backend system signs them with keys it keeps in the database); where
 * callers outside the backend are let in (`backend.auth.externalAccess`, or the deprecated
 * `backend.auth.keys`), each token or secret must be one of production's own. The audit key has
 * its own check (audit/auditConfig.ts). Throws one error naming every key at fault.
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
  (config.getOptionalConfigArray(LEGACY_KEYS) ?? []).forEach((key, index) =>
    check(
      `${LEGACY_KEYS}[${index}].secret`,
      key.getOptionalString('secret'),
      'its variable',
    ),
  );
  (config.getOptionalConfigArray(EXTERNAL_ACCESS) ?? []).forEach(
    (entry, index) => {
      const field =
        SECRET_FIELD_OF_ACCESS_TYPE[entry.getOptionalString('type') ?? ''];
      if (!field) return;
      check(
        `${EXTERNAL_ACCESS}[${index}].options.${field}`,
        entry.getOptionalString(`options.${field}`),
        'its variable',
      );
    },
  );

  // A fixed BigQuery access token expires within the hour and is the sandbox's way in:
  // production signs with Application Default Credentials.
  if (config.has(GCP_ACCESS_TOKEN)) {
    problems.push(
      `${GCP_ACCESS_TOKEN} is set: production reads the billing export with Application Default Credentials (Workload Identity or GOOGLE_APPLICATION_CREDENTIALS)`,
    );
  }

  // The sandbox's Slack: it reroutes every connection to slack.com, bot token included.
  if (config.has(SLACK_API)) {
    problems.push(
      `${SLACK_API} is set: it sends Slack's traffic, bot token included, to another server (the sandbox's); production talks to slack.com`,
    );
  }

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
