// Monthly cost per component, for the 13-month chart.
import {
  DailyCostFact,
  MonthlyComponentCost,
} from '@internal/plugin-lexecon-common';
import { addMonths, monthOf } from './calendar';
import { groupBy } from './costFacts';
import { sum } from './robustStatistics';

/**
 * Each component's total per calendar month, for the `months` months ending with today's (13:
 * a year and this month), oldest first and components by name; a month a component has no cost
 * in has no entry, so a chart shows a gap, not a zero.
 */
export function monthlyCosts(
  facts: DailyCostFact[],
  today: string,
  months = 13,
): MonthlyComponentCost[] {
  const to = monthOf(today);
  const from = addMonths(to, 1 - months);
  const shown = facts.filter(f => {
    const month = monthOf(f.day);
    return month >= from && month <= to && f.day < today;
  });
  return [...groupBy(shown, f => `${monthOf(f.day)} ${f.component}`)]
    .map(([, own]) => ({
      month: monthOf(own[0].day),
      component: own[0].component,
      amount: sum(own.map(f => f.amount)),
      estimated: own.some(f => f.estimated),
    }))
    .sort(
      (a, b) =>
        a.month.localeCompare(b.month) ||
        a.component.localeCompare(b.component),
    );
}
