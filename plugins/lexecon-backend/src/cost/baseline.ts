// The baseline: what a component usually costs a month, from the last complete months.
import {
  ComponentBaseline,
  CostBaseline,
  DailyCostFact,
  ExcludedMonth,
} from '@internal/plugin-lexecon-common';
import {
  addMonths,
  daysBetween,
  daysInMonth,
  firstDay,
  lastDay,
  monthOf,
} from './calendar';
import { componentsOf, currencyOf, groupBy } from './costFacts';
import { median, sum } from './robustStatistics';

export const DEFAULT_BASELINE_MONTHS = 3;

export interface BaselineOptions {
  /** The newest day the providers will not revise any more. */
  lastCompleteDay: string;
  /** How many complete months to take the median of; default 3. */
  months?: number;
}

/** The last `count` calendar months that ended on or before the last complete day, oldest first. */
export function baselineWindow(lastCompleteDay: string, count: number) {
  const month = monthOf(lastCompleteDay);
  const newest =
    lastDay(month) === lastCompleteDay ? month : addMonths(month, -1);
  return Array.from({ length: count }, (_, i) =>
    addMonths(newest, i - count + 1),
  );
}

const listDays = (days: string[]) =>
  days.length > 3
    ? `${days.slice(0, 3).join(', ')} and ${days.length - 3} more`
    : days.join(', ');

/**
 * Why a month's facts for one component are no full month, or undefined when they are: every
 * provider billing the component that month has a final (not estimated) fact for every day.
 */
function incompleteness(month: string, facts: DailyCostFact[]) {
  if (facts.length === 0) return 'No cost for the component that month';
  const days = daysBetween(firstDay(month), lastDay(month));
  const reasons: string[] = [];
  for (const [provider, own] of groupBy(facts, f => f.provider)) {
    const estimated = own.filter(f => f.estimated).map(f => f.day);
    const final = new Set(own.filter(f => !f.estimated).map(f => f.day));
    const missing = days.filter(d => !final.has(d) && !estimated.includes(d));
    if (missing.length > 0) {
      reasons.push(`${provider} has no cost for ${listDays(missing)}`);
    }
    if (estimated.length > 0) {
      reasons.push(`${provider} estimated ${listDays([...estimated].sort())}`);
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function componentBaseline(
  component: string,
  window: string[],
  facts: DailyCostFact[],
): ComponentBaseline {
  const byMonth = groupBy(facts, f => monthOf(f.day));
  const months: ComponentBaseline['months'] = [];
  const excluded: ExcludedMonth[] = [];
  for (const month of window) {
    const own = byMonth.get(month) ?? [];
    const reason = incompleteness(month, own);
    if (reason) excluded.push({ month, reason });
    else months.push({ month, amount: sum(own.map(f => f.amount)) });
  }
  if (months.length === 0) {
    return {
      component,
      months,
      excluded,
      noData: `No complete month among ${window.join(', ')}`,
    };
  }
  const totals = months.map(m => m.amount);
  return {
    component,
    monthly: median(totals),
    perDay: median(months.map(m => m.amount / daysInMonth(m.month))),
    // With three months a MAD band is degenerate (one deviation is always 0, so the MAD is the
    // smaller of the other two); the months' own range says plainly what recent months looked like.
    band: { low: Math.min(...totals), high: Math.max(...totals) },
    months,
    excluded,
  };
}

/** Each component's baseline and their sum, from the facts of the window's months. */
export function costBaseline(
  facts: DailyCostFact[],
  options: BaselineOptions,
): CostBaseline {
  const window = baselineWindow(
    options.lastCompleteDay,
    options.months ?? DEFAULT_BASELINE_MONTHS,
  );
  const currency = currencyOf(facts);
  if ('noData' in currency) {
    return { window, components: [], total: {}, noData: currency.noData };
  }
  const inWindow = facts.filter(f => window.includes(monthOf(f.day)));
  const byComponent = groupBy(inWindow, f => f.component);
  const components = componentsOf(facts).map(component =>
    componentBaseline(component, window, byComponent.get(component) ?? []),
  );
  const known = components.filter(c => c.monthly !== undefined);
  const total: CostBaseline['total'] =
    known.length === 0
      ? {}
      : {
          monthly: sum(known.map(c => c.monthly ?? 0)),
          perDay: sum(known.map(c => c.perDay ?? 0)),
          band: {
            low: sum(known.map(c => c.band?.low ?? 0)),
            high: sum(known.map(c => c.band?.high ?? 0)),
          },
        };
  return { currency: currency.currency, window, components, total };
}
