import {
  DailyCostFact,
  ProviderForecast,
} from '@internal/plugin-lexecon-common';
import { costBaseline } from './baseline';
import { weekday } from './calendar';
import { costForecast, ForecastOptions } from './forecast';
import { monthToDate } from './monthToDate';
import { series } from './__fixtures__/dailyCosts';

const weekend = (day: string) => weekday(day) === 0 || weekday(day) === 6;
// 100 on weekdays, 40 at weekends, since January; April reported to the 14th (Tuesday).
const api = series('api', '2026-01-01', '2026-04-14', d =>
  weekend(d) ? 40 : 100,
);
const options: ForecastOptions = {
  today: '2026-04-15',
  lastCompleteDay: '2026-04-14',
};

function forecast(
  facts: DailyCostFact[],
  extra: Partial<ForecastOptions> = {},
) {
  const all = { ...options, ...extra };
  const baseline = costBaseline(facts, all);
  return costForecast(
    facts,
    baseline,
    monthToDate(facts, baseline, all.today),
    all,
  );
}

const awsForecast: ProviderForecast = {
  provider: 'aws',
  component: 'api',
  from: '2026-04-15',
  mean: 1500,
  lower: 1400,
  upper: 1600,
  intervalLevel: 80,
};

describe('costForecast', () => {
  it('with no facts forecasts nothing', () => {
    const result = forecast([]);
    expect(result.components).toEqual([]);
    expect(result.total).toEqual({});
    expect(result.methods).toEqual([]);
    expect(result.remainingDays).toBe(30);
  });

  it('fills the rest of the month day by day with the mean of the same weekday', () => {
    const result = forecast(api);
    // Reported: 1–14 April, 10 weekdays and 4 weekend days (1,160). Left: 15–30 April,
    // 12 weekdays and 4 weekend days (1,360). A flat daily mean would say 16 × 82.86 = 1,326.
    expect(result.remainingDays).toBe(16);
    const [component] = result.components;
    expect(component.method).toBe('portal');
    expect(component.monthEnd).toBeCloseTo(2520);
    // A pattern repeated exactly has no spread.
    expect(component.interval?.low).toBeCloseTo(2520);
    expect(component.interval?.high).toBeCloseTo(2520);
    expect(component.intervalLevel).toBe(80);
    expect(result.methods).toEqual(['portal']);
  });

  it('widens the interval with the spread of the recent days and with the level', () => {
    const noisy = api.map((f, i) => ({
      ...f,
      amount: f.amount + (i % 2 === 0 ? 10 : -10),
    }));
    const at80 = forecast(noisy).components[0];
    const at95 = forecast(noisy, { intervalLevel: 95 }).components[0];
    const actual = monthToDate(
      noisy,
      costBaseline(noisy, options),
      options.today,
    ).components[0].actual;
    expect(at80.interval!.low).toBeLessThan(at80.monthEnd!);
    expect(at80.interval!.high).toBeGreaterThan(at80.monthEnd!);
    expect(at80.interval!.low).toBeGreaterThanOrEqual(actual);
    expect(at95.interval!.high - at95.interval!.low).toBeGreaterThan(
      at80.interval!.high - at80.interval!.low,
    );
  });

  it("uses Cost Explorer's forecast for a component AWS alone bills", () => {
    const result = forecast(api, { providerForecasts: [awsForecast] });
    expect(result.components[0]).toMatchObject({
      method: 'provider',
      monthEnd: 1160 + 1500,
      interval: { low: 1160 + 1400, high: 1160 + 1600 },
      intervalLevel: 80,
    });
  });

  it("fills the days before the provider's forecast starts with the portal's expectation", () => {
    const result = forecast(api, {
      providerForecasts: [{ ...awsForecast, from: '2026-04-16' }],
    });
    // 15 April is a Wednesday: 100.
    expect(result.components[0].monthEnd).toBeCloseTo(1160 + 100 + 1500);
  });

  it("ignores the provider's forecast for a component another provider bills too", () => {
    const facts = [
      ...api,
      ...series('api', '2026-04-01', '2026-04-14', 0.5, {
        provider: 'opencost',
      }),
    ];
    const result = forecast(facts, { providerForecasts: [awsForecast] });
    expect(result.components[0].method).toBe('portal');
  });

  it('sums the components, names both methods, and compares with the baseline of a 28-day month', () => {
    const facts = [
      ...series('api', '2025-11-01', '2026-02-19', 10),
      ...series('db', '2025-11-01', '2026-02-19', 5),
    ];
    const result = forecast(facts, {
      today: '2026-02-20',
      lastCompleteDay: '2026-02-19',
      providerForecasts: [
        {
          ...awsForecast,
          component: 'db',
          from: '2026-02-20',
          mean: 45,
          lower: 40,
          upper: 50,
        },
      ],
    });
    expect(result.methods).toEqual(['portal', 'provider']);
    expect(result.remainingDays).toBe(9);
    expect(result.components).toEqual([
      expect.objectContaining({
        component: 'api',
        monthEnd: 280,
        baseline: 280,
        delta: 0,
      }),
      expect.objectContaining({
        component: 'db',
        monthEnd: 95 + 45,
        baseline: 140,
        delta: 0,
      }),
    ]);
    expect(result.total).toEqual({
      monthEnd: 420,
      interval: { low: 280 + 95 + 40, high: 280 + 95 + 50 },
      intervalLevel: 80,
      baseline: 420,
      delta: 0,
      deltaPercent: 0,
    });
  });

  it('says why there is no forecast for a component with no final day in the recent weeks', () => {
    const facts = series('new', '2026-04-13', '2026-04-14', 9, {
      estimatedFrom: '2026-04-13',
    });
    const [component] = forecast(facts).components;
    expect(component.monthEnd).toBeUndefined();
    expect(component.noData).toBe('No final daily cost in the last 4 weeks');
  });
});
