// The delivery views' figures from the facts: pure, so the card and the portfolio agree.
import {
  CI_RUNS_NOT_READ,
  CiHealth,
  CiRunFact,
  DELIVERY_SPARKLINE_WEEKS,
  DeliveryFactRef,
  DeliveryMetrics,
  DeployFact,
  DORA_KEYS,
  DoraKey,
  DoraKeyFigure,
  Figure,
  IncidentFact,
  MetricWindow,
  ReadinessFact,
} from '@internal/plugin-lexecon-common';
import { buildDurations, ciPassRate, flakyJobs } from './ciHealth';
import { DeliveryScope } from './deployHistory';
import {
  changeFailureRate,
  rollbackFrequency,
  timeToRestore,
} from './stability';
import { isoWeek, ms, noData, percentile } from './statistics';
import { deploymentFrequency, leadTimeForChanges } from './throughput';
import { coverageTrend, readinessTrend } from './trends';

const WEEK_MS = 7 * 24 * 3600_000;

export interface DeliveryFacts {
  deploys: DeployFact[];
  incidents: IncidentFact[];
  readiness: ReadinessFact[];
  /** Absent until the views read the CI run store: the CI figures then say so. */
  ciRuns?: CiRunFact[];
  /** Links and titles of the facts, by id, for the views to open. */
  refs: DeliveryFactRef[];
}

export interface DeliveryOptions extends DeliveryScope {
  incidentWindowMinutes: number;
}

/** The headline figure of each key over a window. */
function keyFigure(
  key: DoraKey,
  facts: DeliveryFacts,
  options: DeliveryOptions,
) {
  switch (key) {
    case 'deploymentFrequency':
      return deploymentFrequency(facts.deploys, options).perDay;
    case 'leadTime':
      return leadTimeForChanges(facts.deploys, options).median;
    case 'changeFailureRate':
      return changeFailureRate(facts.deploys, facts.incidents, options).rate;
    default: {
      // DORA's key is the failed deployment recovery time; incidents stand in when no deploy failed.
      const restore = timeToRestore(facts.deploys, facts.incidents, options);
      return restore.failedDeploys.value === undefined &&
        restore.incidents.value !== undefined
        ? restore.incidents
        : restore.failedDeploys;
    }
  }
}

/** The last `DELIVERY_SPARKLINE_WEEKS` ISO weeks up to `to`, the week in progress last. */
export function sparklineWeeks(to: string): MetricWindow[] {
  const current = ms(isoWeek(to).weekStart);
  return Array.from({ length: DELIVERY_SPARKLINE_WEEKS }, (_, i) => {
    const from = current - (DELIVERY_SPARKLINE_WEEKS - 1 - i) * WEEK_MS;
    return {
      from: new Date(from).toISOString(),
      to: new Date(Math.min(from + WEEK_MS, ms(to))).toISOString(),
    };
  });
}

/** Each key's figure over the window, and over each of the last 12 weeks for its sparkline. */
export function doraKeys(
  facts: DeliveryFacts,
  options: DeliveryOptions,
): Record<DoraKey, DoraKeyFigure> {
  const weeks = sparklineWeeks(options.window.to);
  const entries = DORA_KEYS.map(key => {
    const weekly = weeks.map(window => {
      const figure = keyFigure(key, facts, { ...options, window });
      return {
        ...isoWeek(window.from),
        ...(figure.value === undefined ? {} : { value: figure.value }),
        factIds: figure.factIds,
      };
    });
    return [key, { figure: keyFigure(key, facts, options), weekly }] as const;
  });
  return Object.fromEntries(entries) as Record<DoraKey, DoraKeyFigure>;
}

function ciHealth(
  runs: CiRunFact[] | undefined,
  window: MetricWindow,
): CiHealth {
  const withReason = (figure: Figure): Figure =>
    runs ? figure : noData(figure.unit, CI_RUNS_NOT_READ);
  const durations = buildDurations(runs ?? [], window);
  const jobP50s = durations.flatMap(d =>
    d.p50.value === undefined ? [] : [d.p50.value],
  );
  const median = percentile(jobP50s, 50);
  const flaky = flakyJobs(runs ?? [], window);
  return {
    passRate: withReason(ciPassRate(runs ?? [], window).lastTen),
    buildDuration: withReason(
      median === undefined
        ? noData('seconds', 'No completed CI jobs in the window')
        : {
            value: median,
            unit: 'seconds',
            samples: jobP50s.length,
            factIds: durations.flatMap(d => d.p50.factIds),
          },
    ),
    durations,
    flaky: { ...flaky, count: withReason(flaky.count) },
  };
}

export function deliveryMetrics(
  facts: DeliveryFacts,
  options: DeliveryOptions,
): DeliveryMetrics {
  const { deploys, incidents } = facts;
  return {
    keys: doraKeys(facts, options),
    deploymentFrequency: deploymentFrequency(deploys, options),
    leadTime: leadTimeForChanges(deploys, options),
    changeFailureRate: changeFailureRate(deploys, incidents, options),
    timeToRestore: timeToRestore(deploys, incidents, options),
    rollbacks: rollbackFrequency(deploys, options),
    ci: ciHealth(facts.ciRuns, options.window),
    readiness: readinessTrend(facts.readiness, options.window),
    coverage: coverageTrend(facts.readiness, options.window),
    facts: Object.fromEntries(facts.refs.map(ref => [ref.id, ref])),
  };
}
