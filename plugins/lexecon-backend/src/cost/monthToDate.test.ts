import { costBaseline } from './baseline';
import { monthToDate } from './monthToDate';
import { series } from './__fixtures__/dailyCosts';

// January to March 2026 at 10 a day: a baseline of 10 a day for "api".
const history = series('api', '2026-01-01', '2026-03-31', 10);

describe('monthToDate', () => {
  it('with no facts at all has no figure and says so', () => {
    const result = monthToDate(
      [],
      costBaseline([], { lastCompleteDay: '2026-03-31' }),
      '2026-04-15',
    );
    expect(result).toEqual({
      month: '2026-04',
      through: undefined,
      days: 0,
      daysInMonth: 30,
      components: [],
      total: { actual: 0, estimatedDays: 0 },
      noData: 'No cost reported for this month yet',
    });
  });

  it('compares the days reported so far with the per-day baseline for as many days, estimated days included', () => {
    const facts = [
      ...history,
      ...series('api', '2026-04-01', '2026-04-14', 12, {
        estimatedFrom: '2026-04-13',
      }),
      // Today's partial cost is not counted.
      ...series('api', '2026-04-15', '2026-04-15', 1000),
    ];
    const baseline = costBaseline(facts, { lastCompleteDay: '2026-04-12' });
    const result = monthToDate(facts, baseline, '2026-04-15');
    expect(result.through).toBe('2026-04-14');
    expect(result.days).toBe(14);
    expect(result.components).toEqual([
      {
        component: 'api',
        actual: 168,
        expected: 140,
        delta: 28,
        deltaPercent: 20,
        estimatedDays: 2,
        missingDays: [],
      },
    ]);
    expect(result.total).toEqual({
      actual: 168,
      expected: 140,
      delta: 28,
      deltaPercent: 20,
      estimatedDays: 2,
    });
  });

  it('on the first of the month has no day yet', () => {
    const baseline = costBaseline(history, { lastCompleteDay: '2026-03-31' });
    const result = monthToDate(history, baseline, '2026-04-01');
    expect(result.days).toBe(0);
    expect(result.noData).toBe('No cost reported for this month yet');
    expect(result.components[0]).toMatchObject({ actual: 0, expected: 0 });
  });

  it('prorates by days: 27 days of February at the usual daily cost are on baseline', () => {
    const facts = [
      ...series('api', '2025-11-01', '2026-01-31', 10),
      ...series('api', '2026-02-01', '2026-02-28', 10),
    ];
    const baseline = costBaseline(facts, { lastCompleteDay: '2026-01-31' });
    const result = monthToDate(facts, baseline, '2026-03-01');
    expect(result.month).toBe('2026-03');
    expect(result.days).toBe(0);
    const february = monthToDate(facts, baseline, '2026-02-28');
    expect(february.daysInMonth).toBe(28);
    expect(february.total).toMatchObject({
      actual: 270,
      expected: 270,
      delta: 0,
    });
  });

  it('lists the days a component has no fact for, and gives a new component no expected amount', () => {
    const facts = [
      ...history,
      ...series('api', '2026-04-01', '2026-04-05', 10).filter(
        f => f.day !== '2026-04-03',
      ),
      ...series('search', '2026-04-04', '2026-04-05', 7, { provider: 'gcp' }),
    ];
    const baseline = costBaseline(facts, { lastCompleteDay: '2026-03-31' });
    const result = monthToDate(facts, baseline, '2026-04-06');
    expect(result.components).toEqual([
      expect.objectContaining({
        component: 'api',
        actual: 40,
        expected: 50,
        delta: -10,
        missingDays: ['2026-04-03'],
      }),
      {
        component: 'search',
        actual: 14,
        estimatedDays: 0,
        missingDays: ['2026-04-01', '2026-04-02', '2026-04-03'],
      },
    ]);
    // The total's baseline has no "search" in it, so its cost is all above baseline.
    expect(result.total).toMatchObject({ actual: 54, expected: 50, delta: 4 });
  });

  it('gives no percentage against a baseline of zero', () => {
    const facts = series('idle', '2026-03-01', '2026-04-02', d =>
      d < '2026-04-01' ? 0 : 3,
    );
    const baseline = costBaseline(facts, {
      lastCompleteDay: '2026-03-31',
      months: 1,
    });
    const [idle] = monthToDate(facts, baseline, '2026-04-03').components;
    expect(idle).toMatchObject({ actual: 6, expected: 0, delta: 6 });
    expect(idle.deltaPercent).toBeUndefined();
  });
});
