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
import { deployFact, incidentFact, readinessFact } from './facts';

export interface DeliveryDeps {
  reader: SnapshotReader;
  deployments: DeploymentHistoryService;
  /** `lexecon.reliability.changeWindowMinutes`: an incident this soon after a deploy fails it. */
  incidentWindowMinutes: number;
  readinessGate: number;
  /** Each CI run attempt with its jobs and steps, as the github-ci-runs source stored them. */
  ciRuns?: Pick<CiRunStore, 'readCiRunFacts'>;
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
 * GitHub and Helm history, change sets and readiness from the approvals snapshot (GitHub reads
 * both for runs awaiting approval only, so older deploys have no lead time), incidents from
 * Datadog. A source never read is read once on demand, as every view does.
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
  const commitsOf = (record: DeploymentRecord) =>
    pending.find(run => run.runId === record.runId)?.changeSet?.commits;
  // Datadog's SLO incidents are production's; other environments have none.
  const incidents =
    query.environment === 'production' ? datadog.data?.incidents ?? [] : [];
  const measuredAt = approvals.state.fetchedAt;
  const readiness = measuredAt
    ? pending
        .filter(run => run.environment === query.environment)
        .map(run =>
          readinessFact(
            run.headSha,
            measuredAt,
            computeReadiness(run.readiness, deps.readinessGate),
          ),
        )
    : [];
  const facts: DeliveryFacts = {
    deploys: history.items.flatMap(r => deployFact(r, commitsOf(r)) ?? []),
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
