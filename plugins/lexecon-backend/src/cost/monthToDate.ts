// Month to date: this month's cost so far against the baseline for as many days.
import {
  ComponentMonthToDate,
  CostBaseline,
  DailyCostFact,
  MonthToDate,
} from '@internal/plugin-lexecon-common';
import { daysBetween, daysInMonth, firstDay, monthOf } from './calendar';
import { groupBy } from './costFacts';
import { sum } from './robustStatistics';

/** The delta of an actual amount against an expected one; no percentage against nothing. */
export function against(actual: number, expected: number | undefined) {
  if (expected === undefined) return {};
  const delta = actual - expected;
  return expected > 0
    ? { expected, delta, deltaPercent: (delta / expected) * 100 }
    : { expected, delta };
}

/** This month's facts before today: today's cost is not known until tomorrow. */
export function monthFacts(facts: DailyCostFact[], today: string) {
  const month = monthOf(today);
  return facts.filter(f => monthOf(f.day) === month && f.day < today);
}

/**
 * This month's cost per component up to the newest day any provider has reported, against each
 * component's per-day baseline times those days. Estimated days count (they are the best figure
 * there is) and are counted; days a component has no fact for are listed.
 */
export function monthToDate(
  facts: DailyCostFact[],
  baseline: CostBaseline,
  today: string,
): MonthToDate {
  const month = monthOf(today);
  const own = monthFacts(facts, today);
  const through = own
    .map(f => f.day)
    .sort()
    .pop();
  const days = through ? daysBetween(firstDay(month), through) : [];
  const byComponent = groupBy(own, f => f.component);
  const names = [
    ...new Set([
      ...baseline.components.map(c => c.component),
      ...byComponent.keys(),
    ]),
  ].sort();
  const components: ComponentMonthToDate[] = names.map(component => {
    const reportedFacts = byComponent.get(component) ?? [];
    const reported = new Set(reportedFacts.map(f => f.day));
    const perDay = baseline.components.find(
      c => c.component === component,
    )?.perDay;
    const actual = sum(reportedFacts.map(f => f.amount));
    return {
      component,
      actual,
      ...against(
        actual,
        perDay === undefined ? undefined : perDay * days.length,
      ),
      estimatedDays: new Set(
        reportedFacts.filter(f => f.estimated).map(f => f.day),
      ).size,
      missingDays: days.filter(d => !reported.has(d)),
    };
  });
  const actual = sum(components.map(c => c.actual));
  const perDay = baseline.total.perDay;
  return {
    month,
    through,
    days: days.length,
    daysInMonth: daysInMonth(month),
    components,
    total: {
      actual,
      ...against(
        actual,
        perDay === undefined ? undefined : perDay * days.length,
      ),
      estimatedDays: new Set(own.filter(f => f.estimated).map(f => f.day)).size,
    },
    ...(through ? {} : { noData: 'No cost reported for this month yet' }),
  };
}
