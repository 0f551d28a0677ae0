/**
 * `@internal/sandbox`: a loopback-only stand-in for GitHub REST, the Kubernetes API, Unleash,
 * Datadog, the services' health endpoints, a company identity provider and AWS Cost Explorer, seeded with a deterministic portfolio of Lexecon
 * services (and, in scale mode, as many generated ones as asked for).
 *
 * @packageDocumentation
 */
export { startSandbox } from './sandbox';
export type { Sandbox } from './sandbox';
export type { SandboxOptions } from './options';
export { DEFAULT_PORTS } from './options';
export type { UpstreamContext, UpstreamModule } from './upstream';
export { UPSTREAMS } from './upstreams';
export type {
  FaultRule,
  FaultKind,
  RecordedRequest,
  SourceName,
} from './faults';
export type {
  ApprovalRecord,
  CommitRecord,
  DeploymentRecord,
  DeploymentState,
  DeploymentStatusRecord,
  EnvironmentRecord,
  HelmRevisionRecord,
  HelmStatus,
  JobRecord,
  KubeDeploymentRecord,
  NamespaceRecord,
  OpaqueSecretRecord,
  Person,
  ReplicaSetRecord,
  RepoProfile,
  RunConclusion,
  RunRecord,
  RunStatus,
  SandboxWorld,
  StepRecord,
  TagRecord,
  TeamRecord,
  WorkflowRecord,
  WorldFacts,
} from './world/types';
export type { GateOptions, ProductionGate } from './world/gates';
export type { CommitSpec } from './world/push';
export type { DeliveryRecord, WebhookTarget } from './webhooks';
export type { StartedRequest } from './startedRequests';
export type { ReadinessFacts } from './world/readiness';
export type { OAuthClient } from './github/oauth';
export {
  GITHUB_TOKEN,
  GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS,
  PORTAL_APP,
  USER_TOKEN_PREFIX,
} from './github/identity';
export { DEFAULT_OAUTH_CLIENT } from './github/oauth';
export { DEFAULT_OIDC_CLIENT } from './oidc/server';
export { submitSignInAs } from './submitSignInAs';
export { EMPLOYEES } from './oidc/directory';
export {
  SLACK_BOT_TOKEN,
  SLACK_CHANNELS,
  SLACK_MEMBERS,
} from './slack/workspace';
export type {
  SlackChannel,
  SlackMember,
  SlackMessage,
} from './slack/workspace';
export type { Employee } from './oidc/directory';
export { KUBERNETES_TOKEN } from './kubernetes/server';
export { UNLEASH_TOKEN } from './unleash/server';
export { DATADOG_API_KEY, DATADOG_APPLICATION_KEY } from './datadog/server';
export { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } from './aws/sigv4';
export { BIGQUERY_TOKEN } from './bigquery/server';
export type { GcpBillingFacts } from './bigquery/billingExport';
export { COST_COMPONENTS } from './aws/costLedger';
export type {
  CostAnomalyFact,
  CostCalendar,
  CostComponent,
} from './aws/costLedger';
export {
  OWNER,
  REPO,
  RELEASE_NAME,
  STAGING_NAMESPACE,
  PRODUCTION_NAMESPACE,
  WORKFLOW_FILES,
  IMAGE_REPOSITORY,
} from './world/build';
export type {
  ObservabilityData,
  ObservabilityWorld,
  FlagRecord,
  FlagEventRecord,
  IncidentRecord,
  MonitorRecord,
  SloRecord,
} from './observability/types';
export {
  UNLEASH_PROJECT,
  DATADOG_SERVICE,
  FLAG_ENVIRONMENTS,
} from './observability/seed';
export type { Reliability } from './observability/service';
export type { SandboxService } from './portfolio/portfolio';
export { MAX_GENERATED_SERVICES } from './portfolio/services';
export type { CatalogEntity } from './portfolio/catalog';
export {
  catalogYaml,
  serviceEntities,
  serviceEntity,
} from './portfolio/catalog';
