import {
  DoraBand,
  Figure,
  DoraScale,
  MetricWindow,
  WeeklyPoint,
} from '@internal/plugin-lexecon-common';

const DAY_MS = 24 * 3600 * 1000;
const WEEK_MS = 7 * DAY_MS;

export const ms = (iso: string) => Date.parse(iso);

/** Whether a time falls in the half-open window `[from, to)`. */
export function inWindow(iso: string | undefined, window: MetricWindow) {
  if (iso === undefined) return false;
  const t = ms(iso);
  return t >= ms(window.from) && t < ms(window.to);
}

export function windowDays(window: MetricWindow) {
  return (ms(window.to) - ms(window.from)) / DAY_MS;
}

/** Monday 00:00 UTC of the ISO week holding `t`. */
function weekStartMs(t: number) {
  const day = new Date(t);
  const midnight = Date.UTC(
    day.getUTCFullYear(),
    day.getUTCMonth(),
    day.getUTCDate(),
  );
  // getUTCDay: Sunday 0 .. Saturday 6; ISO weeks start on Monday.
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return midnight - sinceMonday * DAY_MS;
}

/**
 * The ISO 8601 week (UTC) of a time, e.g. `2026-W01`: the week belongs to the year of its
 * Thursday, so 29 December 2025 is in 2026-W01.
 */
export function isoWeek(iso: string): { week: string; weekStart: string } {
  const start = weekStartMs(ms(iso));
  const thursday = new Date(start + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstThursday = weekStartMs(Date.UTC(year, 0, 4)) + 3 * DAY_MS;
  const number = Math.round((thursday.getTime() - firstThursday) / WEEK_MS) + 1;
  return {
    week: `${year}-W${String(number).padStart(2, '0')}`,
    weekStart: new Date(start).toISOString(),
  };
}

/**
 * One point per ISO week that overlaps the window, oldest first, each computed from the items of
 * that week (items outside the window are the caller's to leave out).
 */
export function weekly<T>(
  window: MetricWindow,
  items: T[],
  timeOf: (item: T) => string,
  point: (items: T[]) => Omit<WeeklyPoint, 'week' | 'weekStart'>,
): WeeklyPoint[] {
  const byWeek = new Map<string, T[]>();
  for (const item of items) {
    const { weekStart } = isoWeek(timeOf(item));
    byWeek.set(weekStart, [...(byWeek.get(weekStart) ?? []), item]);
  }
  const points: WeeklyPoint[] = [];
  const end = ms(window.to);
  for (let t = weekStartMs(ms(window.from)); t < end; t += WEEK_MS) {
    const weekStart = new Date(t).toISOString();
    points.push({
      ...isoWeek(weekStart),
      ...point(byWeek.get(weekStart) ?? []),
    });
  }
  return points;
}

/**
 * The nearest-rank percentile: the smallest value with at least p% of the values at or below
 * it (rank ⌈p/100 · n⌉ of the sorted values). It is always one of the values, never an
 * interpolation, so with few samples p90 is the largest of up to 10. The median is p50 this way
 * (the lower middle value of an even count).
 */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The DORA band of a value on one of `DORA_SCALES`. */
export function doraBand(value: number, scale: DoraScale): DoraBand {
  for (const { band, limit, inclusive } of scale.thresholds) {
    const better = scale.better === 'higher' ? value > limit : value < limit;
    if (better || (inclusive && value === limit)) return band;
  }
  return 'low';
}

export const seconds = (from: string, to: string) => (ms(to) - ms(from)) / 1000;

/** A figure with nothing to compute it from, saying why. */
export function noData(unit: Figure['unit'], reason: string): Figure {
  return { unit, noData: reason, samples: 0, factIds: [] };
}
