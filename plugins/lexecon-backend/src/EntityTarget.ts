import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DEFAULT_DEPLOY_WORKFLOWS,
  DEFAULT_ENVIRONMENTS,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  isCoveredByLexecon,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  LEXECON_AWS_COST_TAGS_ANNOTATION,
  LEXECON_CI_WORKFLOW_ANNOTATION,
  LEXECON_DEPLOY_WORKFLOWS_ANNOTATION,
  LEXECON_ENVIRONMENTS_ANNOTATION,
  LEXECON_GCP_BILLING_LABELS_ANNOTATION,
  LEXECON_HELM_RELEASE_ANNOTATION,
  LEXECON_KUBERNETES_NAMESPACES_ANNOTATION,
  parseKeyValueAnnotation,
  parseListAnnotation,
} from '@internal/plugin-lexecon-common';
import {
  ReliabilityTarget,
  resolveReliabilityTarget,
} from './reliabilityTarget';

/** Where an entity's data lives upstream, read from its annotations. */
export interface EntityTarget extends ReliabilityTarget {
  entityRef: string;
  environments: string[];
  github?: {
    owner: string;
    repo: string;
    /** Deploy workflow file per environment. */
    workflows: Record<string, string>;
    /** The CI workflow file of `lexecon.io/ci-workflow`; unset, the configured default. */
    ciWorkflow?: string;
  };
  kubernetes?: {
    release: string;
    /** Namespace of the release per environment. */
    namespaces: Record<string, string>;
  };
  /** Values of the service cost allocation tag selecting the entity's AWS costs. */
  awsCostTags?: string[];
  /** `key=value` labels selecting the entity's rows of the GCP billing export. */
  gcpBillingLabels?: string[];
  /** The namespaces of `lexecon.io/kubernetes-namespaces`, whose workloads OpenCost prices. */
  opencostNamespaces?: string[];
}

/** True when any source of the portal reads the entity (see SOURCE_DECLARATIONS). */
export function isCoveredEntity(entity: Entity): boolean {
  return isCoveredByLexecon(entity.metadata.annotations);
}

export function resolveEntityTarget(entity: Entity): EntityTarget {
  const annotations = entity.metadata.annotations ?? {};
  const environments = parseListAnnotation(
    annotations[LEXECON_ENVIRONMENTS_ANNOTATION],
  );
  const envs = environments.length ? environments : DEFAULT_ENVIRONMENTS;
  const target: EntityTarget = {
    entityRef: stringifyEntityRef(entity),
    environments: envs,
    ...resolveReliabilityTarget(annotations),
  };

  const slug = annotations[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim();
  const slugMatch = slug ? /^([\w.-]+)\/([\w.-]+)$/.exec(slug) : null;
  if (slugMatch) {
    const configured = parseKeyValueAnnotation(
      annotations[LEXECON_DEPLOY_WORKFLOWS_ANNOTATION],
    );
    const workflows: Record<string, string> = {};
    for (const env of envs) {
      const file = configured[env] ?? DEFAULT_DEPLOY_WORKFLOWS[env];
      if (file) workflows[env] = file;
    }
    const ciWorkflow = annotations[LEXECON_CI_WORKFLOW_ANNOTATION]?.trim();
    target.github = {
      owner: slugMatch[1],
      repo: slugMatch[2],
      workflows,
      ...(ciWorkflow ? { ciWorkflow } : {}),
    };
  }

  const release =
    annotations[LEXECON_HELM_RELEASE_ANNOTATION]?.trim() ||
    annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  if (release) {
    const perEnv = parseKeyValueAnnotation(
      annotations[LEXECON_KUBERNETES_NAMESPACES_ANNOTATION],
    );
    const fallback =
      annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || 'default';
    const namespaces: Record<string, string> = {};
    for (const env of envs) namespaces[env] = perEnv[env] ?? fallback;
    target.kubernetes = { release, namespaces };
  }

  const awsCostTags = parseListAnnotation(
    annotations[LEXECON_AWS_COST_TAGS_ANNOTATION],
  );
  if (awsCostTags.length) target.awsCostTags = awsCostTags;
  const gcpBillingLabels = parseListAnnotation(
    annotations[LEXECON_GCP_BILLING_LABELS_ANNOTATION],
  ).flatMap(pair => {
    const [key, ...value] = pair.split('=').map(s => s.trim());
    return key && value.join('=') ? [`${key}=${value.join('=')}`] : [];
  });
  if (gcpBillingLabels.length) target.gcpBillingLabels = gcpBillingLabels;
  const opencostNamespaces = [
    ...new Set(
      Object.values(
        parseKeyValueAnnotation(
          annotations[LEXECON_KUBERNETES_NAMESPACES_ANNOTATION],
        ),
      ),
    ),
  ];
  if (opencostNamespaces.length) target.opencostNamespaces = opencostNamespaces;
  return target;
}
