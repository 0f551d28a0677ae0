import { CostProvider, DailyCostFact } from '@internal/plugin-lexecon-common';
import { daysBetween } from '../calendar';

/** One fact per day from `from` to `to` (included), the amount of each day from `amount`. */
export function series(
  component: string,
  from: string,
  to: string,
  amount: number | ((day: string, index: number) => number),
  options: {
    provider?: CostProvider;
    estimatedFrom?: string;
    currency?: string;
  } = {},
): DailyCostFact[] {
  return daysBetween(from, to).map((day, index) => ({
    day,
    component,
    provider: options.provider ?? 'aws',
    amount: typeof amount === 'number' ? amount : amount(day, index),
    currency: options.currency ?? 'USD',
    estimated:
      options.estimatedFrom !== undefined && day >= options.estimatedFrom,
  }));
}
