import { DAY } from '../random';
import { CostLedger, CostSeries, dayMs, dayString } from './costLedger';
import { AwsError, validationError } from './errors';
import {
  GroupDefinition,
  groupKey,
  matchesExpression,
  parseGroupBy,
} from './expression';
import { nextPageToken, pageOffset } from './paging';

/** Groups one page holds at most (a day without GroupBy counts as one). */
export const GROUPS_PER_PAGE = 500;

const COST_METRICS = [
  'AmortizedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
  'UnblendedCost',
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Period {
  Start: string;
  End: string;
}

/** `TimePeriod`: both dates `YYYY-MM-DD`, `End` exclusive and after `Start`. */
export function parsePeriod(input: unknown, field = 'TimePeriod'): Period {
  const p = input as Partial<Record<string, unknown>> | undefined;
  const start = p?.Start;
  const end = p?.End;
  if (typeof start !== 'string' || !DATE.test(start) || isNaN(dayMs(start))) {
    throw validationError(`${field}.Start must be a date (YYYY-MM-DD)`);
  }
  if (typeof end !== 'string' || !DATE.test(end) || isNaN(dayMs(end))) {
    throw validationError(`${field}.End must be a date (YYYY-MM-DD)`);
  }
  if (end <= start) {
    throw validationError(
      `Start date (${start}) must be before end date (${end}); End is exclusive`,
    );
  }
  return { Start: start, End: end };
}

/** The series of every service, and the account's credits, that the request's `Filter` keeps. */
export function filteredSeries(ledger: CostLedger, filter: unknown) {
  return [
    ...ledger.services.flatMap(s => ledger.series(s)),
    ...ledger.credits(),
  ].filter(s => matchesExpression(s, filter));
}

/** Buckets of the period: days, or calendar months cut to the period. */
export function buckets(period: Period, granularity: string): Period[] {
  const out: Period[] = [];
  let ms = dayMs(period.Start);
  const end = dayMs(period.End);
  while (ms < end) {
    const d = new Date(ms);
    const next =
      granularity === 'DAILY'
        ? ms + DAY
        : Math.min(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1), end);
    out.push({ Start: dayString(ms), End: dayString(next) });
    ms = next;
  }
  return out;
}

function sumIn(series: CostSeries, bucket: Period): number | undefined {
  let total: number | undefined;
  for (const d of series.days) {
    if (d.day >= bucket.Start && d.day < bucket.End) {
      total = (total ?? 0) + d.amount;
    }
  }
  return total;
}

const usd = (amount: number) => ({ Amount: amount.toFixed(10), Unit: 'USD' });

function metricsOf(metrics: string[], amount: number) {
  return Object.fromEntries(metrics.map(m => [m, usd(amount)]));
}

function parseMetrics(input: unknown): string[] {
  if (!Array.isArray(input) || input.length === 0) {
    throw validationError('Metrics is required (e.g. ["UnblendedCost"])');
  }
  for (const m of input) {
    if (!COST_METRICS.includes(m)) {
      throw validationError(
        `Metrics: "${String(m)}" is not one of ${COST_METRICS.join(', ')}`,
      );
    }
  }
  return input as string[];
}

function resultByTime(
  bucket: Period,
  series: CostSeries[],
  groups: GroupDefinition[],
  metrics: string[],
  estimatedFrom: string,
) {
  const estimated = bucket.End > estimatedFrom;
  if (groups.length === 0) {
    const total = series.reduce((sum, s) => sum + (sumIn(s, bucket) ?? 0), 0);
    return {
      TimePeriod: bucket,
      Total: metricsOf(metrics, total),
      Groups: [],
      Estimated: estimated,
    };
  }
  const byKey = new Map<string, { keys: string[]; amount: number }>();
  for (const s of series) {
    const amount = sumIn(s, bucket);
    if (amount === undefined) continue;
    const keys = groups.map(g => groupKey(s, g));
    const id = keys.join('\u0000');
    const entry = byKey.get(id) ?? { keys, amount: 0 };
    entry.amount += amount;
    byKey.set(id, entry);
  }
  return {
    TimePeriod: bucket,
    Total: {},
    Groups: [...byKey.values()]
      .sort((a, b) => a.keys.join().localeCompare(b.keys.join()))
      .map(g => ({ Keys: g.keys, Metrics: metricsOf(metrics, g.amount) })),
    Estimated: estimated,
  };
}

/**
 * `GetCostAndUsage`: costs per day or month of the period (End exclusive), filtered and grouped
 * by tags or dimensions, amounts as strings in USD, the latest days `Estimated`, paged by
 * `NextPageToken` when a page would hold more than GROUPS_PER_PAGE groups.
 */
export function getCostAndUsage(
  ledger: CostLedger,
  body: Record<string, unknown>,
) {
  const period = parsePeriod(body.TimePeriod);
  const granularity = body.Granularity;
  if (granularity !== 'DAILY' && granularity !== 'MONTHLY') {
    throw validationError(
      granularity === 'HOURLY'
        ? 'Hourly granularity is not enabled for this account'
        : 'Granularity must be DAILY or MONTHLY',
    );
  }
  const metrics = parseMetrics(body.Metrics);
  const groups = parseGroupBy(body.GroupBy);
  const { calendar } = ledger;
  if (period.Start < calendar.start) {
    throw new AwsError(
      'DataUnavailableException',
      `Data is not available for ${period.Start}: cost data starts on ${calendar.start}`,
    );
  }
  const series = filteredSeries(ledger, body.Filter);
  const all = buckets(period, granularity);
  const offset = pageOffset(body);
  const page = [];
  let used = 0;
  let i = offset;
  for (; i < all.length; i++) {
    if (all[i].Start >= calendar.end) break;
    const result = resultByTime(
      all[i],
      series,
      groups,
      metrics,
      calendar.estimatedFrom,
    );
    const size = Math.max(1, result.Groups.length);
    if (page.length > 0 && used + size > GROUPS_PER_PAGE) break;
    page.push(result);
    used += size;
  }
  const more = i < all.length && all[i].Start < calendar.end;
  return {
    GroupDefinitions: groups,
    ResultsByTime: page,
    DimensionValueAttributes: [],
    ...(more ? { NextPageToken: nextPageToken(body, i) } : {}),
  };
}
