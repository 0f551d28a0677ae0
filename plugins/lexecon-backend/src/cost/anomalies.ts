// Cost anomalies for every provider: a robust score of each day against the days before it,
// merged with what AWS Cost Anomaly Detection reported.
import {
  AwsCostAnomaly,
  CostAcknowledgement,
  CostAnomaly,
  CostProvider,
  DailyCostFact,
} from '@internal/plugin-lexecon-common';
import { addDays } from './calendar';
import { dailyTotals, groupBy } from './costFacts';
import { mean, median, medianAbsoluteDeviation, sum } from './robustStatistics';

export interface AnomalyOptions {
  /** How many days before a day its expected cost is the median of; default 28. */
  windowDays?: number;
  /** A day with fewer final days than this in its window is not judged; default 14. */
  minimumHistory?: number;
  /** The robust z-score from which a day is anomalous; default 3.5 (Iglewicz and Hoaglin). */
  threshold?: number;
  /** The smallest excess over the expected cost of one day that counts; default 1. */
  minimumDailyImpact?: number;
  /** The smallest total excess of an anomaly; default 10, so cents never alarm anyone. */
  minimumImpact?: number;
  /** What AWS Cost Anomaly Detection reported, each mapped to a component. */
  awsAnomalies?: AwsCostAnomaly[];
  acknowledgements?: CostAcknowledgement[];
}

interface Judged {
  day: string;
  actual: number;
  expected: number;
  score?: number;
  estimated: boolean;
}

/**
 * The day's robust z-score against its window: (cost − median) over the MAD scaled to a standard
 * deviation. A window whose MAD is 0 (flat costs) falls back to the mean absolute deviation; one
 * with no spread at all gives no score, and any rise above the minimum impact is then anomalous.
 */
function score(value: number, window: number[]) {
  const centre = median(window) ?? 0;
  const mad = medianAbsoluteDeviation(window) ?? 0;
  const meanDeviation = mean(window.map(v => Math.abs(v - centre))) ?? 0;
  let sigma = 0;
  if (mad > 0) sigma = 1.4826 * mad;
  else if (meanDeviation > 0) sigma = 1.2533 * meanDeviation;
  return {
    expected: centre,
    score: sigma > 0 ? (value - centre) / sigma : undefined,
  };
}

/**
 * Usage is judged before credits: a month of credits ending is no rise in what the service uses,
 * and a credit is no fall either (Cost Explorer's amounts carry none apart).
 */
const beforeCredits = (facts: DailyCostFact[]) =>
  facts.map(f => (f.credits ? { ...f, amount: f.amount - f.credits } : f));

function anomalousDays(net: DailyCostFact[], options: AnomalyOptions) {
  const windowDays = options.windowDays ?? 28;
  const threshold = options.threshold ?? 3.5;
  const minimumDailyImpact = options.minimumDailyImpact ?? 1;
  const facts = beforeCredits(net);
  const totals = dailyTotals(facts);
  // Final days in order: each day's window is a slice of them, found by moving two indices.
  const final = [...dailyTotals(facts.filter(f => !f.estimated))].sort(
    ([a], [b]) => (a < b ? -1 : 1),
  );
  const estimated = new Set(facts.filter(f => f.estimated).map(f => f.day));
  const anomalous: Judged[] = [];
  let start = 0;
  let end = 0;
  for (const day of [...totals.keys()].sort()) {
    const from = addDays(day, -windowDays);
    while (start < final.length && final[start][0] < from) start++;
    while (end < final.length && final[end][0] < day) end++;
    const window = final
      .slice(start, Math.max(start, end))
      .map(([, amount]) => amount);
    if (window.length < (options.minimumHistory ?? 14)) continue;
    const actual = totals.get(day) ?? 0;
    const judged = score(actual, window);
    const rises = actual - judged.expected >= minimumDailyImpact;
    if (rises && (judged.score === undefined || judged.score >= threshold)) {
      anomalous.push({ day, actual, ...judged, estimated: estimated.has(day) });
    }
  }
  return anomalous;
}

/** Consecutive anomalous days as one anomaly each. */
function runs(days: Judged[]): Judged[][] {
  const result: Judged[][] = [];
  for (const day of days) {
    const last = result[result.length - 1];
    if (last && addDays(last[last.length - 1].day, 1) === day.day) {
      last.push(day);
    } else result.push([day]);
  }
  return result;
}

function portalAnomalies(
  facts: DailyCostFact[],
  options: AnomalyOptions,
): CostAnomaly[] {
  const series = groupBy(facts, f => `${f.provider}\u0000${f.component}`);
  return [...series.values()].flatMap(own => {
    const { provider, component } = own[0];
    return runs(anomalousDays(own, options))
      .map(run => {
        const scores = run.flatMap(d =>
          d.score === undefined ? [] : [d.score],
        );
        const anomaly: CostAnomaly = {
          id: `portal:${provider}:${component}:${run[0].day}`,
          source: 'portal',
          detectedBy: ['portal'],
          provider,
          component,
          start: run[0].day,
          end: run[run.length - 1].day,
          impact: sum(run.map(d => d.actual - d.expected)),
          actual: sum(run.map(d => d.actual)),
          expected: sum(run.map(d => d.expected)),
          ...(scores.length > 0 ? { maxScore: Math.max(...scores) } : {}),
          rootCauses: [{ provider, component }],
          estimated: run.some(d => d.estimated),
          status: 'open',
        };
        return anomaly;
      })
      .filter(a => a.impact >= (options.minimumImpact ?? 10));
  });
}

function fromAws(reported: AwsCostAnomaly): CostAnomaly {
  const provider: CostProvider = 'aws';
  const { anomalyId, component, rootCauses, ...figures } = reported;
  return {
    id: anomalyId,
    source: 'aws',
    detectedBy: ['aws'],
    provider,
    component,
    ...figures,
    rootCauses:
      rootCauses.length > 0
        ? rootCauses.map(cause => ({ provider, component, ...cause }))
        : [{ provider, component }],
    estimated: false,
    status: 'open',
  };
}

const overlaps = (a: CostAnomaly, b: CostAnomaly) =>
  a.start <= (b.end ?? '9999-12-31') && b.start <= (a.end ?? '9999-12-31');

/**
 * The anomalies of every provider, open ones first, the largest impact first. A portal anomaly on
 * AWS cost that overlaps one AWS reported for the same component is the same event: AWS's report
 * stays (its id is what feedback goes back to) and says the portal saw it too.
 */
export function costAnomalies(
  facts: DailyCostFact[],
  options: AnomalyOptions = {},
): CostAnomaly[] {
  const reported = (options.awsAnomalies ?? []).map(fromAws);
  const merged = [...reported];
  for (const found of portalAnomalies(facts, options)) {
    const same = reported.find(
      r =>
        found.provider === 'aws' &&
        r.component === found.component &&
        overlaps(r, found),
    );
    if (same) {
      same.detectedBy = ['aws', 'portal'];
      same.estimated = same.estimated || found.estimated;
      if (!same.acknowledgement) acknowledge(same, options, found.id);
    } else merged.push(found);
  }
  for (const anomaly of merged) acknowledge(anomaly, options);
  return merged.sort(
    (a, b) =>
      Number(a.status === 'acknowledged') -
        Number(b.status === 'acknowledged') ||
      b.impact - a.impact ||
      a.start.localeCompare(b.start) ||
      a.id.localeCompare(b.id),
  );
}

/** The newest acknowledgement of the anomaly (or of the portal's twin AWS's report replaced). */
function acknowledge(
  anomaly: CostAnomaly,
  options: AnomalyOptions,
  id = anomaly.id,
) {
  const newest = (options.acknowledgements ?? [])
    .filter(a => a.anomalyId === id)
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  if (newest) {
    anomaly.status = 'acknowledged';
    anomaly.acknowledgement = newest;
  }
}
