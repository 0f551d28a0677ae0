import { addDays } from './calendar';

/** Months of daily cost the store keeps: Cost Explorer's own history, this month included. */
export const COST_HISTORY_MONTHS = 13;

/** Days from `from` up to, not including, `to` (`YYYY-MM-DD`, UTC), as billing APIs take them. */
export interface DayRange {
  from: string;
  to: string;
}

/** What the store holds of one day of one entity's bill. */
export interface StoredCostDay {
  day: string;
  /** The provider may still revise the day's amounts. */
  estimated: boolean;
  /** The UTC day it was last read on. */
  fetchedOn: string;
}

export interface CostFetchPlan {
  /** The days the store should hold: the first of the month 12 months back, up to today. */
  window: DayRange;
  /** What to read, oldest first: missing days, and estimated days not read yet today. */
  ranges: DayRange[];
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The days the store keeps: the first of the month `months - 1` back, up to today (exclusive). */
export function costWindow(
  today: string,
  months: number = COST_HISTORY_MONTHS,
): DayRange {
  const date = new Date(`${today}T00:00:00Z`);
  return {
    from: dayOf(
      Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - (months - 1), 1),
    ),
    to: today,
  };
}

/**
 * The reads that bring the stored bill up to date. Today is never read (not billed yet); a day
 * the provider called final is never read again; an estimated day is read again at most once a
 * day, so a manual refresh after the daily run costs nothing.
 */
export function planCostFetch(input: {
  today: string;
  stored: readonly StoredCostDay[];
  months?: number;
}): CostFetchPlan {
  const { today } = input;
  const window = costWindow(today, input.months);
  const stored = new Map(input.stored.map(d => [d.day, d]));
  const ranges: DayRange[] = [];
  let open: DayRange | undefined;
  for (let day = window.from; day < window.to; day = addDays(day, 1)) {
    const known = stored.get(day);
    const wanted = !known || (known.estimated && known.fetchedOn < today);
    if (wanted && open) open.to = addDays(day, 1);
    else if (wanted) {
      open = { from: day, to: addDays(day, 1) };
      ranges.push(open);
    } else open = undefined;
  }
  return { window, ranges };
}
