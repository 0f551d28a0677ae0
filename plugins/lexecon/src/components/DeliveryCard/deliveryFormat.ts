import {
  ChangeFailureCause,
  DeliveryMetrics,
  DoraBand,
  DoraKey,
  Figure,
} from '@internal/plugin-lexecon-common';

export const KEY_LABELS: Record<DoraKey, string> = {
  deploymentFrequency: 'Deployment frequency',
  leadTime: 'Lead time for changes',
  changeFailureRate: 'Change failure rate',
  timeToRestore: 'Time to restore',
};

/** The test ids and anchors of the keys. */
export const KEY_SLUGS: Record<DoraKey, string> = {
  deploymentFrequency: 'deployment-frequency',
  leadTime: 'lead-time',
  changeFailureRate: 'change-failure-rate',
  timeToRestore: 'time-to-restore',
};

const BAND_WORDS: Record<DoraBand, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const bandWords = (band: DoraBand | undefined) =>
  band ? `${BAND_WORDS[band]} performer` : 'No band';

function duration(seconds: number) {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** A value in its unit, as a person reads it. */
export function formatValue(value: number, unit: Figure['unit']): string {
  switch (unit) {
    case 'seconds':
      return duration(value);
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'deploys/day':
      return `${value.toFixed(2)} a day`;
    case 'deploys/week':
      return `${value.toFixed(1)} a week`;
    default:
      return String(Math.round(value * 10) / 10);
  }
}

/** The figure's value, or why it has none. */
export const formatFigure = (figure: Figure) =>
  figure.value === undefined
    ? figure.noData ?? 'No data'
    : formatValue(figure.value, figure.unit);

const CAUSE_WORDS: Record<ChangeFailureCause, string> = {
  failed: 'the deploy failed',
  'rolled-back': 'it was rolled back',
  incident: 'an incident followed it',
};

/** Why each deploy the change failure rate counts as failed was counted, by deploy id. */
export function failureReasons(data: DeliveryMetrics): Record<string, string> {
  return Object.fromEntries(
    data.changeFailureRate.failures.map(failure => {
      const incidents = failure.incidentIds.map(
        id => data.facts[id]?.title ?? id,
      );
      const causes = failure.causes.map(cause => CAUSE_WORDS[cause]).join('; ');
      return [
        failure.deployId,
        `Counted as a failure: ${causes}${
          incidents.length ? ` (${incidents.join(', ')})` : ''
        }`,
      ];
    }),
  );
}
