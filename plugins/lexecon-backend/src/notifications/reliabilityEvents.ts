import { SlaStatus } from '@internal/plugin-lexecon-common';
import { monthToDate } from '../service/reliabilityMath';
import { DatadogSnapshot } from '../sources/datadog/types';
import { DetectedEvent, entityName, links } from './detectedEvent';

const SLA_KIND = {
  'at-risk': 'sla-at-risk',
  breached: 'sla-breached',
} as const;

/**
 * For the on-call group: the SLO turning at risk or breached (once per SLO, status and month:
 * a status flapping within the month is not news again), and each monitor that starts alerting.
 */
export function reliabilityEvents(input: {
  entityRef: string;
  previous?: DatadogSnapshot;
  current: DatadogSnapshot;
}): DetectedEvent[] {
  const { entityRef, previous, current } = input;
  const service = entityName(entityRef);
  const events: DetectedEvent[] = [];
  const now = monthToDate(current);
  const before: SlaStatus | undefined = previous
    ? monthToDate(previous).status
    : undefined;
  if (now.status !== 'exceeding' && now.status !== before) {
    const month = now.from.slice(0, 7);
    events.push({
      kind: SLA_KIND[now.status],
      key: `sla-${now.status}:${entityRef}:${current.slo.id}:${month}`,
      audience: { type: 'on-call' },
      payload: {
        title: `${service}: SLA ${
          now.status === 'breached' ? 'breached' : 'at risk'
        } (${now.uptimePercent.toFixed(3)}% against ${
          current.slo.targetPercent
        }%)`,
        description: `${
          current.slo.name
        }: ${now.errorBudgetRemainingPercent.toFixed(
          1,
        )}% of the month's error budget left, burning at ${now.burnRate.toFixed(
          1,
        )}x.`,
        link: links.onCallBoard(),
      },
    });
  }
  const alertingBefore = new Set(
    (previous?.monitors ?? []).filter(m => m.alerting).map(m => m.id),
  );
  for (const monitor of current.monitors) {
    if (!monitor.alerting || alertingBefore.has(monitor.id)) continue;
    events.push({
      kind: 'monitor-alerting',
      key: `monitor-alerting:${entityRef}:${monitor.id}:${
        monitor.since ?? now.to
      }`,
      audience: { type: 'on-call' },
      payload: {
        title: `${service}: monitor “${monitor.name}” is alerting`,
        description: `State ${monitor.state}${
          monitor.runbookUrl ? `; runbook: ${monitor.runbookUrl}` : ''
        }.`,
        link: links.onCallBoard(),
      },
    });
  }
  return events;
}
