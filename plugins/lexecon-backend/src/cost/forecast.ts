// The forecast to the month's end: the provider's where it stands for the component, else ours.
import {
  ComponentForecast,
  CostBaseline,
  CostForecast,
  DailyCostFact,
  MonthToDate,
  ProviderForecast,
} from '@internal/plugin-lexecon-common';
import {
  addDays,
  daysBetween,
  daysInMonth,
  firstDay,
  lastDay,
  weekday,
} from './calendar';
import { dailyTotals, groupBy } from './costFacts';
import { against, monthFacts } from './monthToDate';
import { mean, standardDeviation, sum } from './robustStatistics';

export const DEFAULT_RECENT_WEEKS = 4;

/** Two-sided normal quantiles for the interval levels the portal offers. */
const Z = { 80: 1.2816, 90: 1.6449, 95: 1.96 } as const;
export type PortalIntervalLevel = keyof typeof Z;

export interface ForecastOptions {
  today: string;
  lastCompleteDay: string;
  /** Cost Explorer's `GetCostForecast` per component, when the source read it. */
  providerForecasts?: ProviderForecast[];
  /** Weeks of final daily cost the portal's own forecast learns from; default 4. */
  recentWeeks?: number;
  /** The portal's interval level in percent; default 80, as Cost Explorer's. */
  intervalLevel?: PortalIntervalLevel;
}

/**
 * The portal's expectation for a day: the mean of the same weekday over the recent weeks (costs
 * drop at weekends), or of every recent day when that weekday has none; the spread is the
 * standard deviation of each day's difference from its weekday mean.
 */
function weekdayModel(
  facts: DailyCostFact[],
  lastCompleteDay: string,
  weeks: number,
) {
  const from = addDays(lastCompleteDay, -7 * weeks + 1);
  const totals = dailyTotals(
    facts.filter(
      f => !f.estimated && f.day >= from && f.day <= lastCompleteDay,
    ),
  );
  const days = [...totals.keys()];
  if (days.length === 0) return undefined;
  const byWeekday = groupBy(days, d => String(weekday(d)));
  const overall = mean(days.map(d => totals.get(d) ?? 0)) ?? 0;
  const expected = (day: string) =>
    mean(
      (byWeekday.get(String(weekday(day))) ?? []).map(d => totals.get(d) ?? 0),
    ) ?? overall;
  const residuals = days.map(d => (totals.get(d) ?? 0) - expected(d));
  return { expected, spread: standardDeviation(residuals) ?? 0 };
}

interface ForecastInputs {
  own: DailyCostFact[];
  history: DailyCostFact[];
  actual: number;
  /** Days of the month with no cost reported yet: missing ones and the rest of the month. */
  unreported: string[];
  options: ForecastOptions;
}

function providerForecast(
  forecast: ProviderForecast,
  { own, history, unreported, options }: ForecastInputs,
): Omit<ComponentForecast, 'component'> {
  // The provider's forecast replaces every day from its first; days before it are ours to fill.
  const actual = sum(own.filter(f => f.day < forecast.from).map(f => f.amount));
  const gaps = unreported.filter(d => d < forecast.from);
  const model = weekdayModel(
    history,
    options.lastCompleteDay,
    options.recentWeeks ?? DEFAULT_RECENT_WEEKS,
  );
  const known = actual + sum(gaps.map(d => model?.expected(d) ?? 0));
  return {
    method: 'provider',
    monthEnd: known + forecast.mean,
    interval: { low: known + forecast.lower, high: known + forecast.upper },
    intervalLevel: forecast.intervalLevel,
  };
}

function portalForecast({
  history,
  actual,
  unreported,
  options,
}: ForecastInputs): Omit<ComponentForecast, 'component'> {
  const level = options.intervalLevel ?? 80;
  const weeks = options.recentWeeks ?? DEFAULT_RECENT_WEEKS;
  const model = weekdayModel(history, options.lastCompleteDay, weeks);
  if (!model) {
    return { noData: `No final daily cost in the last ${weeks} weeks` };
  }
  const rest = sum(unreported.map(model.expected));
  // Days taken as independent: the spread of a sum of n days grows with the square root of n.
  const half = Z[level] * model.spread * Math.sqrt(unreported.length);
  return {
    method: 'portal',
    monthEnd: actual + rest,
    interval: {
      low: actual + Math.max(0, rest - half),
      high: actual + rest + half,
    },
    intervalLevel: level,
  };
}

/**
 * Each component's cost at the month's end with an interval. Cost Explorer's forecast is used for
 * a component when that provider alone bills it this month (its forecast knows nothing of the
 * others); otherwise the portal's weekday model fills the days not reported yet.
 */
export function costForecast(
  facts: DailyCostFact[],
  baseline: CostBaseline,
  monthToDate: MonthToDate,
  options: ForecastOptions,
): CostForecast {
  const month = monthToDate.month;
  const coveredTo = monthToDate.through ?? addDays(firstDay(month), -1);
  const remaining = daysBetween(addDays(coveredTo, 1), lastDay(month));
  const own = groupBy(monthFacts(facts, options.today), f => f.component);
  const history = groupBy(facts, f => f.component);
  const components: ComponentForecast[] = monthToDate.components.map(c => {
    const inputs: ForecastInputs = {
      own: own.get(c.component) ?? [],
      history: history.get(c.component) ?? [],
      actual: c.actual,
      unreported: [...c.missingDays, ...remaining],
      options,
    };
    const providers = new Set(inputs.own.map(f => f.provider));
    const fromProvider = options.providerForecasts?.find(
      p =>
        p.component === c.component &&
        [...providers].every(provider => provider === p.provider),
    );
    const forecast = fromProvider
      ? providerForecast(fromProvider, inputs)
      : portalForecast(inputs);
    const perDay = baseline.components.find(
      b => b.component === c.component,
    )?.perDay;
    return {
      component: c.component,
      ...forecast,
      ...(forecast.monthEnd === undefined
        ? {}
        : againstBaseline(forecast.monthEnd, perDay, month)),
    };
  });
  const forecast = components.filter(c => c.monthEnd !== undefined);
  const levels = [...new Set(forecast.map(c => c.intervalLevel))];
  const monthEnd = sum(forecast.map(c => c.monthEnd ?? 0));
  return {
    month,
    remainingDays: remaining.length,
    components,
    total:
      forecast.length === 0
        ? {}
        : {
            monthEnd,
            interval: {
              low: sum(forecast.map(c => c.interval?.low ?? 0)),
              high: sum(forecast.map(c => c.interval?.high ?? 0)),
            },
            ...(levels.length === 1 ? { intervalLevel: levels[0] } : {}),
            ...againstBaseline(monthEnd, baseline.total.perDay, month),
          },
    methods: [
      ...new Set(forecast.flatMap(c => (c.method ? [c.method] : []))),
    ].sort(),
  };
}

function againstBaseline(
  monthEnd: number,
  perDay: number | undefined,
  month: string,
) {
  const baseline =
    perDay === undefined ? undefined : perDay * daysInMonth(month);
  const { expected, ...delta } = against(monthEnd, baseline);
  return expected === undefined ? {} : { baseline: expected, ...delta };
}
