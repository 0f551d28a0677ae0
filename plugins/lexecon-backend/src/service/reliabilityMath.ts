import {
  ChangeEvent,
  DeploymentRecord,
  FeatureFlagsOverview,
  OnCallService,
  SlaIncident,
  SlaOverview,
  slaStatus,
} from '@internal/plugin-lexecon-common';
import { DatadogSnapshot } from '../sources/datadog/types';

function nextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * Month-to-date figures against the whole month's error budget: downtime, budget left, and the
 * burn rate (budget share used ÷ month share gone; above 1 the budget runs out before month end).
 */
export function monthToDate(
  snapshot: DatadogSnapshot,
): SlaOverview['monthToDate'] {
  const { from, to, uptimePercent } = snapshot.monthToDate;
  const start = Date.parse(from);
  const end = Date.parse(to);
  const monthMs = nextMonthStart(start) - start;
  const elapsedMs = Math.max(0, end - start);
  const downtimeMs = ((100 - uptimePercent) / 100) * elapsedMs;
  const budgetMs = ((100 - snapshot.slo.targetPercent) / 100) * monthMs;
  // A 100% target has no budget: any downtime spends all of it.
  let consumed = downtimeMs > 0 ? 1 : 0;
  if (budgetMs > 0) consumed = downtimeMs / budgetMs;
  const elapsedShare = elapsedMs / monthMs;
  const burnRate = elapsedShare > 0 ? consumed / elapsedShare : 0;
  const errorBudgetRemainingPercent = 100 * (1 - consumed);
  return {
    from,
    to,
    uptimePercent,
    downtimeSeconds: Math.round(downtimeMs / 1000),
    errorBudgetRemainingPercent,
    burnRate,
    status: slaStatus({
      uptimePercent,
      targetPercent: snapshot.slo.targetPercent,
      errorBudgetRemainingPercent,
      burnRate,
    }),
  };
}

/** Production deploys and production flag changes of one entity, as "what changed" events. */
export function changeEvents(
  entityRef: string,
  deploys: DeploymentRecord[],
  flags: FeatureFlagsOverview | undefined,
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const d of deploys) {
    if (d.result === 'waiting') continue;
    events.push({
      kind: 'deploy',
      at: d.finishedAt ?? d.startedAt,
      entityRef,
      title: `Deployed ${d.version} to ${d.environment}`,
      detail: [d.commitTitle, d.result !== 'success' ? d.result : undefined]
        .filter(Boolean)
        .join(' · '),
      by: d.triggeredBy?.login,
      environment: d.environment,
      url: d.runUrl,
    });
  }
  for (const flag of flags?.flags ?? []) {
    for (const change of flag.history) {
      if (change.environment !== 'production') continue;
      events.push({
        kind: 'flag',
        at: change.createdAt,
        entityRef,
        title: `${flag.name}: ${change.description}`,
        by: change.createdBy,
        environment: change.environment,
        url: flag.url,
      });
    }
  }
  return events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** Each incident with the newest production change within `windowMinutes` before its start. */
export function linkIncidents(
  incidents: SlaIncident[],
  changes: ChangeEvent[],
  windowMinutes: number,
): SlaIncident[] {
  const production = changes.filter(c => c.environment === 'production');
  return incidents.map(incident => {
    const start = Date.parse(incident.startedAt);
    const precededBy = production.find(c => {
      const at = Date.parse(c.at);
      return at <= start && start - at <= windowMinutes * 60_000;
    });
    return precededBy ? { ...incident, precededBy } : incident;
  });
}

const STATUS_RANK = { breached: 0, 'at-risk': 1, exceeding: 2 } as const;
/** Services without SLA data come last: nothing says they are at risk. */
const NO_SLA_RANK = 3;

/**
 * Orders the on-call board riskiest first: SLA status, then budget burn (fastest first), then
 * alerting monitors (most first), then the title.
 */
export function byRisk(a: OnCallService, b: OnCallService): number {
  const rank = (s: OnCallService) =>
    s.sla.data ? STATUS_RANK[s.sla.data.status] : NO_SLA_RANK;
  const burn = (s: OnCallService) => s.sla.data?.burnRate ?? 0;
  return (
    rank(a) - rank(b) ||
    burn(b) - burn(a) ||
    b.alertingMonitors.length - a.alertingMonitors.length ||
    a.title.localeCompare(b.title)
  );
}
