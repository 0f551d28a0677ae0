import { CostAnomaly } from '@internal/plugin-lexecon-common';
import { addDays } from '../cost/calendar';
import { DetectedEvent, entityName, links } from './detectedEvent';

/**
 * How recent an anomaly's last day must be to be told: one under way or over within two weeks
 * (bills settle days late, and an open one is nobody's yet). Older ones, found when 13 months of
 * bills are first read, are history the card shows, not news.
 */
export const COST_ANOMALY_NEWS_DAYS = 14;

const PROVIDER_LABEL: Record<CostAnomaly['provider'], string> = {
  aws: 'AWS',
  gcp: 'GCP',
  opencost: 'Kubernetes',
};

function money(amount: number, currency?: string): string {
  const rounded = Math.round(amount).toLocaleString('en-US');
  return currency === 'USD' || !currency
    ? `$${rounded}`
    : `${rounded} ${currency}`;
}

/**
 * The service's open cost anomalies of the last days, for its owning team: once per anomaly (its
 * id stays as it grows), whoever found it (AWS's detection or the portal's). An acknowledged
 * anomaly is someone's already; nothing is said when it ends.
 */
export function costAnomalyEvents(options: {
  entityRef: string;
  anomalies: readonly CostAnomaly[];
  currency?: string;
  /** The UTC day the analysis counts as today. */
  today: string;
}): DetectedEvent[] {
  const since = addDays(options.today, -COST_ANOMALY_NEWS_DAYS);
  const name = entityName(options.entityRef);
  return options.anomalies
    .filter(a => a.status === 'open' && a.impact > 0)
    .filter(a => (a.end ?? options.today) >= since)
    .map(a => {
      let when = `Since ${a.start}, still under way`;
      if (a.end) {
        when =
          a.end === a.start ? `On ${a.start}` : `From ${a.start} to ${a.end}`;
      }
      const expected =
        a.actual !== undefined && a.expected !== undefined
          ? `: ${money(a.actual, options.currency)} spent against ${money(
              a.expected,
              options.currency,
            )} expected`
          : '';
      const causes = a.rootCauses.length
        ? ` Likely cause: ${a.rootCauses
            .slice(0, 2)
            .map(c =>
              [c.service ?? c.component, c.usageType, c.region]
                .filter(Boolean)
                .join(' / '),
            )
            .join('; ')}.`
        : '';
      return {
        kind: 'cost-anomaly' as const,
        key: `cost-anomaly:${options.entityRef}:${a.id}`,
        audience: { type: 'owner' as const },
        payload: {
          title: `${name}: ${PROVIDER_LABEL[a.provider]} ${
            a.component
          } costs ${money(a.impact, options.currency)} more than expected`,
          description: `${when}${expected}.${causes} Acknowledge it on the Cost card if it needs no action.`,
          link: links.entityTab(options.entityRef),
          scope: `cost-anomaly:${options.entityRef}:${a.id}`,
        },
      };
    });
}
