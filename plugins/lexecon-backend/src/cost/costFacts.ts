// Grouping of daily cost facts shared by the analyses.
import { DailyCostFact } from '@internal/plugin-lexecon-common';

export function groupBy<T>(items: T[], keyOf: (item: T) => string) {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Component names, sorted, so every result lists them in the same order. */
export const componentsOf = (facts: DailyCostFact[]) =>
  [...new Set(facts.map(f => f.component))].sort();

/**
 * The one currency of the facts, or why there is none: the analysis adds amounts up and never
 * converts, so facts in two currencies cannot be summed.
 */
export function currencyOf(
  facts: DailyCostFact[],
): { currency: string } | { noData: string } {
  const currencies = [...new Set(facts.map(f => f.currency))].sort();
  if (currencies.length === 0) return { noData: 'No cost facts' };
  if (currencies.length > 1) {
    return {
      noData: `Cost facts in several currencies (${currencies.join(
        ', ',
      )}) cannot be added up`,
    };
  }
  return { currency: currencies[0] };
}

/** Each day's amount summed over the given facts (several providers may bill one component). */
export function dailyTotals(facts: DailyCostFact[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const f of facts) totals.set(f.day, (totals.get(f.day) ?? 0) + f.amount);
  return totals;
}
