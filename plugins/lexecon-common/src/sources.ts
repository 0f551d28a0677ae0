import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  LEXECON_AWS_COST_TAGS_ANNOTATION,
  LEXECON_CI_WORKFLOW_ANNOTATION,
  LEXECON_GCP_BILLING_LABELS_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  LEXECON_DATADOG_MONITOR_TAGS_ANNOTATION,
  LEXECON_DATADOG_SERVICE_ANNOTATION,
  LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
  LEXECON_DEPLOY_WORKFLOWS_ANNOTATION,
  LEXECON_ENVIRONMENTS_ANNOTATION,
  LEXECON_HEALTH_URL_ANNOTATION,
  LEXECON_HELM_RELEASE_ANNOTATION,
  LEXECON_KUBERNETES_NAMESPACES_ANNOTATION,
  LEXECON_UNLEASH_PROJECT_ANNOTATION,
} from './annotations';

/**
 * What the frontend and backend both need to know about an upstream source: its name, and which
 * catalog annotations bring an entity into it. The backend's registration of the source (config,
 * schedule, fetch) refers to this declaration by id; nothing else lists annotations.
 */
export interface SourceDeclaration {
  id: string;
  /** The name people know the upstream by, used in every message about it. */
  label: string;
  /** The entity is covered when it has any one of these annotations. */
  requiredAnyOf: readonly string[];
  /** Annotations that refine what is read; the defaults apply without them. */
  optional: readonly string[];
  /** How to fill the first required annotation, e.g. `owner/repo`. */
  valueHint?: string;
  /** What the source adds, completing "Add the … annotation to …". */
  purpose: string;
}

export const SOURCE_DECLARATIONS = [
  {
    id: 'github',
    label: 'GitHub',
    requiredAnyOf: [GITHUB_PROJECT_SLUG_ANNOTATION],
    optional: [
      LEXECON_ENVIRONMENTS_ANNOTATION,
      LEXECON_DEPLOY_WORKFLOWS_ANNOTATION,
    ],
    valueHint: 'owner/repo',
    purpose: 'read deploy history from GitHub Actions',
  },
  {
    id: 'kubernetes',
    label: 'Kubernetes (Helm)',
    requiredAnyOf: [KUBERNETES_ID_ANNOTATION, LEXECON_HELM_RELEASE_ANNOTATION],
    optional: [
      LEXECON_ENVIRONMENTS_ANNOTATION,
      LEXECON_KUBERNETES_NAMESPACES_ANNOTATION,
      KUBERNETES_NAMESPACE_ANNOTATION,
    ],
    purpose: 'read Helm release history',
  },
  {
    id: 'github-approvals',
    label: 'GitHub (pending approvals)',
    requiredAnyOf: [GITHUB_PROJECT_SLUG_ANNOTATION],
    optional: [
      LEXECON_ENVIRONMENTS_ANNOTATION,
      LEXECON_DEPLOY_WORKFLOWS_ANNOTATION,
    ],
    valueHint: 'owner/repo',
    purpose: 'see deploys waiting for approval',
  },
  {
    id: 'github-ci-runs',
    label: 'GitHub Actions (CI runs)',
    requiredAnyOf: [GITHUB_PROJECT_SLUG_ANNOTATION],
    optional: [LEXECON_CI_WORKFLOW_ANNOTATION],
    valueHint: 'owner/repo',
    purpose: 'show its CI pass rate, build durations and flaky jobs',
  },
  {
    id: 'github-evidence',
    label: 'GitHub (SOC 2 / GDPR evidence)',
    requiredAnyOf: [GITHUB_PROJECT_SLUG_ANNOTATION],
    optional: [LEXECON_ENVIRONMENTS_ANNOTATION],
    valueHint: 'owner/repo',
    purpose:
      'show its change-control, access and vulnerability evidence and its policy reviews',
  },
  {
    id: 'portal-evidence',
    label: 'Portal (derived evidence)',
    requiredAnyOf: [
      GITHUB_PROJECT_SLUG_ANNOTATION,
      KUBERNETES_ID_ANNOTATION,
      LEXECON_HELM_RELEASE_ANNOTATION,
      LEXECON_UNLEASH_PROJECT_ANNOTATION,
      LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
    ],
    optional: [LEXECON_ENVIRONMENTS_ANNOTATION],
    purpose:
      'derive its SOC 2 / GDPR evidence from its deploys, approvals, flag changes and incidents',
  },
  {
    id: 'unleash',
    label: 'Unleash',
    requiredAnyOf: [LEXECON_UNLEASH_PROJECT_ANNOTATION],
    optional: [],
    valueHint: 'the Unleash project id',
    purpose: 'show feature flag states',
  },
  {
    id: 'datadog',
    label: 'Datadog',
    requiredAnyOf: [LEXECON_DATADOG_SLO_TAGS_ANNOTATION],
    optional: [
      LEXECON_DATADOG_MONITOR_TAGS_ANNOTATION,
      LEXECON_DATADOG_SERVICE_ANNOTATION,
    ],
    valueHint: 'e.g. service:lexecon,env:production',
    purpose: 'show SLA uptime, monitors and incidents',
  },
  {
    id: 'datadog-decisions',
    label: 'Datadog (decision counts)',
    requiredAnyOf: [LEXECON_DATADOG_SLO_TAGS_ANNOTATION],
    optional: [],
    valueHint: 'e.g. service:lexecon,env:production',
    purpose: 'show its cost per 1,000 decisions',
  },
  {
    id: 'health',
    label: 'Service /health',
    requiredAnyOf: [LEXECON_HEALTH_URL_ANNOTATION],
    optional: [],
    valueHint: "the URL of the service's /health endpoint",
    purpose: 'show live health',
  },
  {
    id: 'aws-cost',
    label: 'AWS Cost Explorer',
    requiredAnyOf: [LEXECON_AWS_COST_TAGS_ANNOTATION],
    optional: [],
    valueHint: "the service cost allocation tag's value(s), e.g. lexecon-api",
    purpose: 'show what the service costs on AWS by component',
  },
  {
    id: 'gcp-billing',
    label: 'GCP billing export',
    requiredAnyOf: [LEXECON_GCP_BILLING_LABELS_ANNOTATION],
    optional: [],
    valueHint: 'key=value labels of its billing rows, e.g. service=lexecon-api',
    purpose: 'show what the service costs on Google Cloud by component',
  },
  {
    id: 'opencost',
    label: 'OpenCost',
    requiredAnyOf: [LEXECON_KUBERNETES_NAMESPACES_ANNOTATION],
    optional: [],
    valueHint: 'e.g. staging=lexecon-staging,production=lexecon-production',
    purpose: 'show what its Kubernetes workloads cost and use',
  },
] as const satisfies readonly SourceDeclaration[];

/** Upstream sources a section can be built from. */
export type SourceId = (typeof SOURCE_DECLARATIONS)[number]['id'];

export const SOURCE_IDS: readonly SourceId[] = SOURCE_DECLARATIONS.map(
  s => s.id,
);

export function sourceDeclaration(id: SourceId): SourceDeclaration {
  return SOURCE_DECLARATIONS.find(s => s.id === id)!;
}

export function sourceLabel(id: SourceId): string {
  return sourceDeclaration(id).label;
}

/** The message for an entity that lacks the source's annotation, naming the annotation(s). */
export function missingAnnotationMessage(id: SourceId): string {
  const { requiredAnyOf, valueHint, purpose } = sourceDeclaration(id);
  const [first, ...others] = requiredAnyOf;
  const alternatives = others.length ? ` (or ${others.join(', ')})` : '';
  const hint = valueHint ? ` (${valueHint})` : '';
  return `Add the ${first}${alternatives} annotation${hint} to ${purpose}`;
}

/** True when the annotations bring the entity into the source. */
export function coversAnnotations(
  id: SourceId,
  annotations: Record<string, string> | undefined,
): boolean {
  return sourceDeclaration(id).requiredAnyOf.some(a =>
    Boolean(annotations?.[a]?.trim()),
  );
}

/**
 * The sections of the portal, each built from the snapshots of the sources it names. Later
 * sections (cost, evidence) are added here and in the backend's section list.
 */
export const SECTION_DECLARATIONS = [
  {
    id: 'deployments',
    title: 'Deploy history',
    sources: ['github', 'kubernetes'],
  },
  {
    id: 'approvals',
    title: 'Waiting for approval',
    sources: ['github-approvals'],
  },
  { id: 'flags', title: 'Feature flags', sources: ['unleash'] },
  { id: 'sla', title: 'SLA', sources: ['datadog'] },
  { id: 'health', title: 'Health', sources: ['health'] },
] as const satisfies readonly {
  id: string;
  title: string;
  sources: readonly SourceId[];
}[];

export type SectionId = (typeof SECTION_DECLARATIONS)[number]['id'];

/** The sections the entity's annotations give it data for. */
export function coveredSections(
  annotations: Record<string, string> | undefined,
): SectionId[] {
  return SECTION_DECLARATIONS.filter(section =>
    section.sources.some(id => coversAnnotations(id, annotations)),
  ).map(section => section.id);
}

/** True when any source of the portal reads this entity: it gets the Release & Compliance tab. */
export function isCoveredByLexecon(
  annotations: Record<string, string> | undefined,
): boolean {
  return SOURCE_IDS.some(id => coversAnnotations(id, annotations));
}

/** The sources the sections are built from, each once. */
export function sectionSources(ids: readonly SectionId[]): SourceId[] {
  const sources = SECTION_DECLARATIONS.filter(s => ids.includes(s.id)).flatMap(
    (s): readonly SourceId[] => s.sources,
  );
  return [...new Set(sources)];
}

export const SECTION_IDS: readonly SectionId[] = SECTION_DECLARATIONS.map(
  s => s.id,
);
