// Cost per 1,000 decisions: what the service costs for the governance decisions it makes.
import {
  DailyCostFact,
  DecisionCount,
  UnitCost,
  UnitCostDay,
} from '@internal/plugin-lexecon-common';
import { daysBetween } from './calendar';
import { currencyOf, dailyTotals } from './costFacts';
import { sum } from './robustStatistics';

export const DEFAULT_MINIMUM_DECISIONS = 1000;

export interface UnitCostOptions {
  /** First and last day (both included). */
  from: string;
  to: string;
  decisions: DecisionCount[];
  /**
   * The cluster's idle cost attributed to the service per day (OpenCost's `__idle__`), shown
   * apart rather than spread over the decisions.
   */
  idle?: Array<{ day: string; amount: number }>;
  /**
   * Days with fewer decisions give no figure: a quiet day's cost over a handful of decisions is a
   * large number that says nothing. Default 1,000.
   */
  minimumDecisions?: number;
}

const perThousand = (cost: number, decisions: number) =>
  (cost / decisions) * 1000;

function dayFigure(
  cost: number | undefined,
  decisions: number | undefined,
  minimum: number,
): Pick<UnitCostDay, 'perThousand' | 'noData'> {
  if (cost === undefined) return { noData: 'No cost reported for the day' };
  if (decisions === undefined)
    return { noData: 'No decision count for the day' };
  if (decisions < minimum) {
    return {
      noData: `${decisions} decisions, under the ${minimum} a figure needs`,
    };
  }
  return { perThousand: perThousand(cost, decisions) };
}

/**
 * Each day's cost (every component, every provider; idle cost apart) over that UTC day's decision
 * count, per 1,000, and the same over all days that have a figure.
 */
export function costPerThousandDecisions(
  facts: DailyCostFact[],
  options: UnitCostOptions,
): UnitCost {
  const minimum = options.minimumDecisions ?? DEFAULT_MINIMUM_DECISIONS;
  const currency = currencyOf(facts);
  const costs =
    'noData' in currency ? new Map<string, number>() : dailyTotals(facts);
  const decisions = new Map<string, number>();
  for (const d of options.decisions) {
    decisions.set(d.day, (decisions.get(d.day) ?? 0) + d.count);
  }
  const idle = new Map<string, number>();
  for (const i of options.idle ?? []) {
    idle.set(i.day, (idle.get(i.day) ?? 0) + i.amount);
  }
  const estimated = new Set(facts.filter(f => f.estimated).map(f => f.day));
  const days: UnitCostDay[] = daysBetween(options.from, options.to).map(day => {
    const cost = costs.get(day);
    const count = decisions.get(day);
    const idleCost = idle.get(day);
    const figure =
      'noData' in currency && facts.length > 0
        ? { noData: currency.noData }
        : dayFigure(cost, count, minimum);
    return {
      day,
      cost,
      decisions: count,
      ...figure,
      ...(idleCost === undefined ? {} : { idleCost }),
      ...(idleCost !== undefined && figure.perThousand !== undefined
        ? { idlePerThousand: perThousand(idleCost, count ?? 0) }
        : {}),
      estimated: estimated.has(day),
    };
  });
  const counted = days.filter(d => d.perThousand !== undefined);
  const totalDecisions = sum(counted.map(d => d.decisions ?? 0));
  const withIdle = counted.filter(d => d.idleCost !== undefined);
  return {
    days,
    overall: {
      days: counted.length,
      ...(counted.length > 0
        ? {
            perThousand: perThousand(
              sum(counted.map(d => d.cost ?? 0)),
              totalDecisions,
            ),
          }
        : {}),
      ...(withIdle.length > 0
        ? {
            idlePerThousand: perThousand(
              sum(withIdle.map(d => d.idleCost ?? 0)),
              sum(withIdle.map(d => d.decisions ?? 0)),
            ),
          }
        : {}),
    },
    minimumDecisions: minimum,
  };
}
