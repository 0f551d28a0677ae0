/**
 * Catalog annotations read by the Lexecon plugins. Documented in plugins/lexecon-backend/README.md.
 */

/** Standard Backstage annotation: `owner/repo` of the GitHub repository. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** Standard Backstage annotation: the id the service's Kubernetes objects are labelled with. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/** Standard Backstage annotation: the namespace of the service (used for every environment). */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Ordered, comma-separated environments to show, e.g. `staging,production`.
 * Defaults to `staging,production`.
 */
export const LEXECON_ENVIRONMENTS_ANNOTATION = 'lexecon.io/environments';

/**
 * Which workflow file deploys to which environment, e.g.
 * `staging=deploy-staging.yml,production=deploy-prod.yml` (the default).
 */
export const LEXECON_DEPLOY_WORKFLOWS_ANNOTATION =
  'lexecon.io/deploy-workflows';

/**
 * The CI workflow file whose runs, jobs and steps the CI health figures read, e.g. `ci.yml`.
 * Defaults to `lexecon.approvals.ciWorkflow` (itself `test.yml` by default), the workflow the
 * readiness score counts.
 */
export const LEXECON_CI_WORKFLOW_ANNOTATION = 'lexecon.io/ci-workflow';

/** Name of the Helm release. Defaults to the `backstage.io/kubernetes-id` value. */
export const LEXECON_HELM_RELEASE_ANNOTATION = 'lexecon.io/helm-release';

/**
 * Namespace of the Helm release per environment, e.g.
 * `staging=lexecon-staging,production=lexecon-production`. Environments not listed fall back to
 * `backstage.io/kubernetes-namespace`, then to `default`.
 */
export const LEXECON_KUBERNETES_NAMESPACES_ANNOTATION =
  'lexecon.io/kubernetes-namespaces';

export const DEFAULT_ENVIRONMENTS = ['staging', 'production'];

export const DEFAULT_DEPLOY_WORKFLOWS: Record<string, string> = {
  staging: 'deploy-staging.yml',
  production: 'deploy-prod.yml',
};

/** Parses `a=b,c=d` annotation values; blank entries are ignored. */
export function parseKeyValueAnnotation(
  value: string | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  if (!value) return result;
  for (const part of value.split(',')) {
    const [key, ...rest] = part.split('=');
    const k = key?.trim();
    const v = rest.join('=').trim();
    if (k && v) result[k] = v;
  }
  return result;
}

/** Parses a comma-separated list annotation; blank entries are ignored. */
export function parseListAnnotation(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** Unleash project whose feature flags belong to the entity, e.g. `lexecon`. */
export const LEXECON_UNLEASH_PROJECT_ANNOTATION = 'lexecon.io/unleash-project';

/**
 * Datadog tags (comma-separated, all must match) selecting the entity's availability SLO, e.g.
 * `service:lexecon,env:production`.
 */
export const LEXECON_DATADOG_SLO_TAGS_ANNOTATION =
  'lexecon.io/datadog-slo-tags';

/**
 * Datadog monitor tags (comma-separated, all must match) selecting the entity's monitors.
 * Defaults to the SLO tags.
 */
export const LEXECON_DATADOG_MONITOR_TAGS_ANNOTATION =
  'lexecon.io/datadog-monitor-tags';

/**
 * Datadog service name the entity's incidents are declared against (the incident's `services`
 * field). Defaults to the `service:` tag of the SLO tags.
 */
export const LEXECON_DATADOG_SERVICE_ANNOTATION = 'lexecon.io/datadog-service';

/** URL of the service's `/health` endpoint (`/health/ready` and `/health/live` sit beside it). */
export const LEXECON_HEALTH_URL_ANNOTATION = 'lexecon.io/health-url';

/**
 * Values of the service cost allocation tag (`lexecon.aws.costExplorer.tags.service`, default
 * `service`) whose AWS costs are the entity's, comma-separated, any of them matching, e.g.
 * `lexecon-api` or `lexecon-api,lexecon-api-jobs`. The costs are split by the component tag.
 */
export const LEXECON_AWS_COST_TAGS_ANNOTATION = 'lexecon.io/aws-cost-tags';

/**
 * Labels (comma-separated `key=value`) selecting the entity's rows of the GCP billing export,
 * e.g. `service=lexecon-api`. Values of one key are alternatives, different keys must all match:
 * `service=lexecon-api,service=lexecon-jobs,env=production` is either service in production. The
 * costs are split by the component label (`lexecon.gcp.billing.componentLabel`).
 */
export const LEXECON_GCP_BILLING_LABELS_ANNOTATION =
  'lexecon.io/gcp-billing-labels';
