import type { FaultRule } from './faults';
import type { OAuthClient } from './github/oauth';
import type { WebhookTarget } from './webhooks';
import type { GateOptions } from './world/gates';

/**
 * The ports `npm start`'s sandbox listens on, the ones app-config.sandbox.yaml points the portal
 * at (each overridable in main.ts by `SANDBOX_<NAME>_PORT`). Anything that starts a sandbox for a
 * backend reading app-config.sandbox.yaml starts it on all of them.
 */
export const DEFAULT_PORTS = {
  githubPort: 7100,
  kubernetesPort: 7101,
  unleashPort: 7102,
  datadogPort: 7103,
  healthPort: 7104,
  oidcPort: 7105,
  awsPort: 7106,
  opencostPort: 7107,
  bigqueryPort: 7108,
  slackPort: 7109,
  controlPort: 7199,
} as const satisfies Partial<Record<`${string}Port`, number>>;

export interface SandboxOptions {
  /** Default '127.0.0.1'; anything not loopback is refused. */
  host?: string;
  /** Default 0 (ephemeral). */
  githubPort?: number;
  kubernetesPort?: number;
  controlPort?: number;
  unleashPort?: number;
  datadogPort?: number;
  healthPort?: number;
  /** The company's OpenID Connect identity provider. */
  oidcPort?: number;
  /** AWS Cost Explorer (JSON 1.1, SigV4). */
  awsPort?: number;
  /** OpenCost's allocation API (no auth). */
  opencostPort?: number;
  /** BigQuery's REST API over the GCP billing export (OAuth bearer token). */
  bigqueryPort?: number;
  /** Slack's Web API (HTTPS with the sandbox CA, bot token), for the notifications Slack module. */
  slackPort?: number;
  /** Datadog rate limit per endpoint family; default 1000 requests per 60 s. */
  datadogRateLimit?: { limit: number; periodSeconds: number };
  /** Seed clock; default `new Date()`. */
  now?: Date;
  /** Where to keep the generated CA (`ca.pem`, `ca-key.pem`; reused if present). Default: in memory only. */
  stateDir?: string;
  /** Initial fault rules. */
  faults?: FaultRule[];
  quiet?: boolean;
  /** The OAuth App the portal signs in with; default `sandbox-client-id` / `sandbox-client-secret`. */
  oauth?: Partial<OAuthClient>;
  /** The portal's client at the company identity provider; default `sandbox-oidc-client-id` / `sandbox-oidc-client-secret`. */
  oidcClient?: Partial<OAuthClient>;
  /** How `production` is protected (in every repository); default `{ production: 'required-reviewers' }`. */
  gates?: GateOptions;
  /** Where to POST signed webhook deliveries (loopback only); default none. */
  webhooks?: WebhookTarget;
  /**
   * The most items one page of a GitHub or Kubernetes list holds, whatever the client asks for
   * (GitHub's own cap is 100; a Kubernetes server may return fewer than `limit`). A small cap
   * makes the seeded lists span several pages, to test a client's paging.
   */
  maxPageSize?: number;
  /**
   * Scale mode: this many generated services (`service-001` …, at most 500) besides the four of
   * the portfolio, each with a repository, a Helm release, flags, an SLO, monitors and health.
   * Default 0.
   */
  services?: number;
}
