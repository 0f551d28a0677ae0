import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { EvidenceItem, SourceId } from '@internal/plugin-lexecon-common';
import { LexeconConfig } from '../config';
import { AwsCostInsightStore } from '../cost/AwsCostInsightStore';
import { CostFactStore } from '../cost/CostFactStore';
import { DecisionCountStore } from '../cost/DecisionCountStore';
import { KubernetesAllocationStore } from '../cost/KubernetesAllocationStore';
import { RequestBudget } from '../cost/RequestBudget';
import { CiRunStore } from '../delivery/CiRunStore';
import { CommitReadingStore } from '../delivery/CommitReadingStore';
import { DeployChangeSetStore } from '../delivery/DeployChangeSetStore';
import { GithubEvidenceStore } from '../evidence/github/GithubEvidenceStore';
import { AuditLog } from '../audit/AuditLog';
import { EvidenceStore } from '../evidence/EvidenceStore';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { AllowListRule, restrictToAllowList } from './allowLists';
import { GithubClientFactory } from './github/GithubClientFactory';
import { SnapshotSource } from './types';

/** What a source may use to build itself. */
export interface SourceContext {
  config: RootConfigService;
  settings: LexeconConfig;
  githubClients: GithubClientFactory;
  logger: LoggerService;
  upstream: { timeoutMs: number; retries: number };
  /** Where cost sources keep their daily facts. */
  costFacts: CostFactStore;
  /** AWS's anomalies and rightsizing recommendations per entity. */
  awsCostInsights: AwsCostInsightStore;
  /** Per-workload requests, use and cost, and idle shares (OpenCost). */
  kubernetesAllocations: KubernetesAllocationStore;
  /** Each service's decisions per day (Datadog), the divisor of the cost per 1,000 decisions. */
  decisionCounts: DecisionCountStore;
  /** Daily caps of billed requests (Cost Explorer), counted across replicas. */
  requestBudget: RequestBudget;
  /** Each service's CI run attempts with jobs and steps (CI health). */
  ciRuns: CiRunStore;
  /** What the portal-evidence source derives evidence from, and where it keeps it (issue 16). */
  derivedEvidence: {
    evidence: EvidenceStore;
    snapshots: SnapshotStore;
    audit: AuditLog;
    /** The evidence items of the catalog in force, which sources judge their facts against. */
    items: readonly EvidenceItem[];
  };
  /** Each service's GitHub evidence observations (SOC 2 / GDPR, issue 16). */
  githubEvidence: GithubEvidenceStore;
  /** The commits each production deploy shipped (lead time for changes). */
  deployChangeSets: DeployChangeSetStore;
  /** The readiness inputs of each released commit (readiness and coverage trends). */
  commitReadings: CommitReadingStore;
}

export interface SourceSchedule {
  frequency: HumanDuration;
  timeout: HumanDuration;
  initialDelay: HumanDuration;
}

/**
 * One upstream source, declared once. Its id ties it to its declaration in lexecon-common (label,
 * the annotations it needs); everything else (its scheduled task, the catalog filter of that task,
 * not-configured messages, the sections and the frontend's tab) derives from these two.
 */
export interface SourceRegistration {
  id: SourceId;
  /**
   * How often the source is fetched for every entity it covers. Unset fields take the
   * `lexecon.refresh` defaults; `lexecon.sources.<id>.schedule` in config overrides both.
   */
  schedule?: Partial<SourceSchedule>;
  /**
   * Entities one cycle refreshes in parallel, when the source needs another number than
   * `lexecon.refresh.concurrency` (a source making many sequential calls per entity wants more).
   */
  concurrency?: number;
  /** How long a snapshot no scheduled cycle has attempted (the entity is gone) is kept. */
  retention?: HumanDuration;
  /**
   * What the source may read for an entity, bounded by config (see AllowListRule): checked
   * before any request, and named in the not-configured message of an entity outside it.
   */
  allowList?: AllowListRule;
  /** Builds the source, reading its own configuration. */
  create(context: SourceContext): SnapshotSource<unknown>;
}

export function defineSource(registration: SourceRegistration) {
  return registration;
}

/** Builds the registered source, held to its allow-list when it has one. */
export function createSource(
  registration: SourceRegistration,
  context: SourceContext,
): SnapshotSource<unknown> {
  const source = registration.create(context);
  return registration.allowList
    ? restrictToAllowList(source, registration.allowList, context.config)
    : source;
}
