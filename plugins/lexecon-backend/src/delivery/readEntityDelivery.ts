import {
  DeliveryFactRef,
  DeliveryQuery,
  DeliveryWindow,
  DeploymentRecord,
  EntityDelivery,
  MetricWindow,
  SlaIncident,
} from '@internal/plugin-lexecon-common';
import { computeReadiness } from '../approvals/readiness';
import { EntityTarget } from '../EntityTarget';
import { DeploymentHistoryService } from '../service/DeploymentHistoryService';
import { SnapshotReader, summariseSection } from '../snapshots/SnapshotReader';
import { DatadogSnapshot } from '../sources/datadog/types';
import { GithubApprovalsSnapshot } from '../sources/github/types';
import { deliveryMetrics, DeliveryFacts } from './deliveryMetrics';
import { CiRunStore } from './CiRunStore';
import { CommitReadingStore } from './CommitReadingStore';
import {
  changeSetKey,
  ChangeSetCommit,
  DeployChangeSetStore,
} from './DeployChangeSetStore';
import { deployFact, incidentFact, readinessFact } from './facts';

export interface DeliveryDeps {
  reader: SnapshotReader;
  deployments: DeploymentHistoryService;
  /** `lexecon.delivery.incidentWindowMinutes`: an incident this soon after a deploy fails it. */
  incidentWindowMinutes: number;
  /** `lexecon.delivery.defaultWindow`: the window of a view that names none. */
  defaultWindow?: DeliveryWindow;
  readinessGate: number;
  /** Each CI run attempt with its jobs and steps, as the github-ci-runs source stored them. */
  ciRuns?: Pick<CiRunStore, 'readCiRunFacts'>;
  /** The change set of each production deploy, as the github source stored it (lead time). */
  changeSets?: Pick<DeployChangeSetStore, 'readChangeSets'>;
  /** The readiness inputs of each commit released to production, as the github source read them. */
  readings?: Pick<CommitReadingStore, 'readReadings'>;
  now?: () => Date;
}

const DAY_MS = 24 * 3600_000;
/** The merged history is bounded by the snapshots; this only keeps a page from being cut. */
const HISTORY_LIMIT = 10_000;

/** The window's days back from now. */
export function deliveryWindow(
  now: Date,
  window: DeliveryWindow,
): MetricWindow {
  const days = Number.parseInt(window, 10);
  return {
    from: new Date(now.getTime() - days * DAY_MS).toISOString(),
    to: now.toISOString(),
  };
}

function deployRef(record: DeploymentRecord): DeliveryFactRef {
  return {
    id: record.id,
    kind: 'deploy',
    at: record.finishedAt ?? record.startedAt,
    title: `${record.version} to ${record.environment}${
      record.commitTitle ? `: ${record.commitTitle}` : ''
    }`,
    detail: record.rollback?.kind === 'manual' ? 'rollback' : record.result,
    url: record.runUrl,
  };
}

function incidentRef(incident: SlaIncident): DeliveryFactRef {
  return {
    id: incident.id,
    kind: 'incident',
    at: incident.startedAt,
    title: `${incident.severity} ${incident.title}`,
    detail: incident.resolvedAt ? `resolved ${incident.resolvedAt}` : 'open',
    url: incident.url,
  };
}

/**
 * The delivery figures of one entity from its stored snapshots only: deploys from the merged
 * GitHub and Helm history, change sets as the github source stored them per production deploy
 * (else, for a run awaiting approval, from the approvals snapshot), readiness from the approvals
 * snapshot, incidents from Datadog. A source never read is read once on demand, as every view does.
 */
export async function readEntityDelivery(
  deps: DeliveryDeps,
  target: EntityTarget,
  query: DeliveryQuery,
): Promise<EntityDelivery> {
  const window = deliveryWindow(deps.now?.() ?? new Date(), query.window);
  const [history, datadog, approvals, ciRuns] = await Promise.all([
    deps.deployments.listDeployments(target, {
      environment: query.environment,
      limit: HISTORY_LIMIT,
      offset: 0,
    }),
    deps.reader.read<DatadogSnapshot>(target, 'datadog'),
    deps.reader.read<GithubApprovalsSnapshot>(target, 'github-approvals'),
    deps.ciRuns?.readCiRunFacts(target.entityRef, window),
  ]);
  // After the history: a first view's on-demand read of GitHub stores them as it goes.
  const [changeSets, released] = await Promise.all([
    deps.changeSets?.readChangeSets(target.entityRef),
    // Stored for the environment deploys end in (production) only.
    query.environment === target.environments[target.environments.length - 1]
      ? deps.readings?.readReadings(target.entityRef, window)
      : undefined,
  ]);
  const section = summariseSection([
    ...history.section.sources,
    datadog.state,
    approvals.state,
  ]);
  const head = {
    entityRef: target.entityRef,
    window: query.window,
    environment: query.environment,
    ...window,
  };
  const deploysKnown = history.section.sources.some(
    s => s.status === 'ok' || s.status === 'stale',
  );
  if (!deploysKnown) return { ...head, ...section };

  const pending = approvals.data?.pending ?? [];
  const changeSetOf = (
    record: DeploymentRecord,
  ): { commits?: ChangeSetCommit[]; unknown?: string } => {
    const stored =
      record.runId === undefined
        ? undefined
        : changeSets?.get(changeSetKey(record.environment, record.runId));
    if (stored && 'commits' in stored) return { commits: stored.commits };
    const awaiting = pending.find(run => run.runId === record.runId);
    if (awaiting?.changeSet) return { commits: awaiting.changeSet.commits };
    return { unknown: stored?.unknown ?? awaiting?.changeSetUnknown };
  };
  // Datadog's SLO incidents are production's; other environments have none.
  const incidents =
    query.environment === 'production' ? datadog.data?.incidents ?? [] : [];
  const measuredAt = approvals.state.fetchedAt;
  const releasedReadiness = (released ?? []).map(r =>
    readinessFact(
      r.sha,
      r.measuredAt,
      computeReadiness(r.facts, deps.readinessGate),
    ),
  );
  const measured = new Set(releasedReadiness.map(r => r.sha));
  const awaitingReadiness = measuredAt
    ? pending
        .filter(
          run =>
            run.environment === query.environment && !measured.has(run.headSha),
        )
        .map(run =>
          readinessFact(
            run.headSha,
            measuredAt,
            computeReadiness(run.readiness, deps.readinessGate),
          ),
        )
    : [];
  const readiness = [...releasedReadiness, ...awaitingReadiness];
  const facts: DeliveryFacts = {
    deploys: history.items.flatMap(r => {
      const changeSet = changeSetOf(r);
      return deployFact(r, changeSet.commits, changeSet.unknown) ?? [];
    }),
    incidents: incidents.map(incidentFact),
    readiness,
    ...(ciRuns?.length ? { ciRuns } : {}),
    refs: [
      ...history.items.map(deployRef),
      ...incidents.map(incidentRef),
      ...readiness.map(r => ({
        id: r.sha,
        kind: 'readiness' as const,
        at: r.measuredAt,
        title: `Readiness of ${r.sha.slice(0, 7)}`,
        detail: `${r.score} of 100 (gate ${r.gate})`,
      })),
    ],
  };
  return {
    ...head,
    ...section,
    data: deliveryMetrics(facts, {
      environment: query.environment,
      window,
      incidentWindowMinutes: deps.incidentWindowMinutes,
    }),
  };
}
