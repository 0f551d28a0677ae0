import { DAY } from '../random';
import { buckets, filteredSeries, parsePeriod } from './costAndUsage';
import { CostLedger, dayMs, dayString } from './costLedger';
import { validationError } from './errors';

const FORECAST_METRICS = [
  'AMORTIZED_COST',
  'BLENDED_COST',
  'NET_AMORTIZED_COST',
  'NET_UNBLENDED_COST',
  'UNBLENDED_COST',
];
/** Complete days the forecast learns from. */
const HISTORY_DAYS = 28;

/** The standard normal quantile for a two-sided interval of `level` percent (Winitzki's erf⁻¹). */
function zFor(level: number): number {
  const x = level / 100;
  const a = 0.147;
  const ln = Math.log(1 - x * x);
  const t = 2 / (Math.PI * a) + ln / 2;
  return Math.SQRT2 * Math.sqrt(Math.sqrt(t * t - ln / a) - t);
}

const amount = (n: number) => n.toFixed(10);

/**
 * `GetCostForecast`: from today on, the mean of the last 28 complete days per day (weekly
 * pattern ignored), with a prediction interval from their spread.
 */
export function getCostForecast(
  ledger: CostLedger,
  body: Record<string, unknown>,
) {
  const period = parsePeriod(body.TimePeriod);
  const { calendar } = ledger;
  if (period.Start < calendar.end) {
    throw validationError(
      `Start date (${period.Start}) must be on or after today (${calendar.end})`,
    );
  }
  if (!FORECAST_METRICS.includes(String(body.Metric))) {
    throw validationError(
      `Metric must be one of ${FORECAST_METRICS.join(', ')}`,
    );
  }
  const granularity = body.Granularity;
  const limitDays = granularity === 'DAILY' ? 93 : 549;
  if (granularity !== 'DAILY' && granularity !== 'MONTHLY') {
    throw validationError('Granularity must be DAILY or MONTHLY');
  }
  if (dayMs(period.End) - dayMs(period.Start) > limitDays * DAY) {
    throw validationError(
      granularity === 'DAILY'
        ? 'A DAILY forecast covers at most 3 months'
        : 'A MONTHLY forecast covers at most 18 months',
    );
  }
  const level =
    body.PredictionIntervalLevel === undefined
      ? 80
      : Number(body.PredictionIntervalLevel);
  if (!Number.isInteger(level) || level < 51 || level > 99) {
    throw validationError('PredictionIntervalLevel must be from 51 to 99');
  }
  const series = filteredSeries(ledger, body.Filter);
  const from = dayString(dayMs(calendar.estimatedFrom) - HISTORY_DAYS * DAY);
  const daily = new Map<string, number>();
  for (const s of series) {
    for (const d of s.days) {
      if (d.day >= from && d.day < calendar.estimatedFrom) {
        daily.set(d.day, (daily.get(d.day) ?? 0) + d.amount);
      }
    }
  }
  const values = [...daily.values()];
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const sd = Math.sqrt(
    values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length || 1),
  );
  const z = zFor(level);
  const results = buckets(period, granularity).map(bucket => {
    const days = (dayMs(bucket.End) - dayMs(bucket.Start)) / DAY;
    return {
      TimePeriod: bucket,
      MeanValue: amount(mean * days),
      PredictionIntervalLowerBound: amount(Math.max(0, (mean - z * sd) * days)),
      PredictionIntervalUpperBound: amount((mean + z * sd) * days),
    };
  });
  const totalDays = (dayMs(period.End) - dayMs(period.Start)) / DAY;
  return {
    Total: { Amount: amount(mean * totalDays), Unit: 'USD' },
    ForecastResultsByTime: results,
  };
}
