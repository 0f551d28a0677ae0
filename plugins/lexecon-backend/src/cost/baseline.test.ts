import { baselineWindow, costBaseline } from './baseline';
import { series } from './__fixtures__/dailyCosts';

describe('baselineWindow', () => {
  it("takes the last complete day's month only when that day ends it", () => {
    expect(baselineWindow('2026-03-31', 3)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(baselineWindow('2026-03-30', 3)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });
});

describe('costBaseline', () => {
  it('with no facts has no baseline and says so', () => {
    const result = costBaseline([], { lastCompleteDay: '2026-03-31' });
    expect(result.noData).toBe('No cost facts');
    expect(result.components).toEqual([]);
    expect(result.total).toEqual({});
  });

  it('takes the median month and the range of the months as the band, per day fair to February', () => {
    const facts = [
      ...series('database', '2026-01-01', '2026-01-31', 10), // 310
      ...series('database', '2026-02-01', '2026-02-28', 10), // 280
      ...series('database', '2026-03-01', '2026-03-31', 12), // 372
    ];
    const [database] = costBaseline(facts, {
      lastCompleteDay: '2026-03-31',
    }).components;
    expect(database.monthly).toBe(310);
    expect(database.band).toEqual({ low: 280, high: 372 });
    // Per day January and February cost the same (10), March 12: February's 28 days don't drag it.
    expect(database.perDay).toBe(10);
    expect(database.months.map(m => m.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(database.excluded).toEqual([]);
  });

  it('with one complete month rests on that month and names why the others are out', () => {
    const facts = series('monitoring', '2026-03-01', '2026-03-31', 5);
    const result = costBaseline(facts, { lastCompleteDay: '2026-03-31' });
    const [monitoring] = result.components;
    expect(monitoring.monthly).toBe(155);
    expect(monitoring.band).toEqual({ low: 155, high: 155 });
    expect(monitoring.excluded).toEqual([
      { month: '2026-01', reason: 'No cost for the component that month' },
      { month: '2026-02', reason: 'No cost for the component that month' },
    ]);
    expect(result.total.monthly).toBe(155);
  });

  it('leaves out a month with an estimated day, even when every day has a fact', () => {
    const facts = [
      ...series('storage', '2026-01-01', '2026-01-31', 1),
      ...series('storage', '2026-02-01', '2026-02-28', 2, {
        estimatedFrom: '2026-02-27',
      }),
    ];
    const [storage] = costBaseline(facts, {
      lastCompleteDay: '2026-02-28',
      months: 2,
    }).components;
    expect(storage.monthly).toBe(31);
    expect(storage.excluded).toEqual([
      { month: '2026-02', reason: 'aws estimated 2026-02-27, 2026-02-28' },
    ]);
  });

  it('leaves out the months a component only joined during, and a month with a missing day', () => {
    const facts = [
      ...series('compute', '2026-02-15', '2026-04-30', 3),
      ...series('backups', '2026-02-01', '2026-04-30', 1).filter(
        f => f.day !== '2026-03-10',
      ),
    ];
    const result = costBaseline(facts, { lastCompleteDay: '2026-04-30' });
    const byName = Object.fromEntries(
      result.components.map(c => [c.component, c]),
    );
    expect(byName.compute.months).toEqual([
      { month: '2026-03', amount: 93 },
      { month: '2026-04', amount: 90 },
    ]);
    expect(byName.compute.monthly).toBe(91.5);
    expect(byName.compute.excluded[0].reason).toBe(
      'aws has no cost for 2026-02-01, 2026-02-02, 2026-02-03 and 11 more',
    );
    expect(byName.backups.excluded).toEqual([
      { month: '2026-03', reason: 'aws has no cost for 2026-03-10' },
    ]);
    expect(byName.backups.monthly).toBe((28 + 30) / 2);
  });

  it('needs every provider billing a component to cover the month', () => {
    const facts = [
      ...series('compute', '2026-03-01', '2026-03-31', 3),
      ...series('compute', '2026-03-20', '2026-03-31', 1, {
        provider: 'opencost',
      }),
    ];
    const [compute] = costBaseline(facts, {
      lastCompleteDay: '2026-03-31',
      months: 1,
    }).components;
    expect(compute.monthly).toBeUndefined();
    expect(compute.noData).toBe('No complete month among 2026-03');
    expect(compute.excluded[0].reason).toMatch(/^opencost has no cost for/);
  });

  it('with months that tie, or an even count, takes the middle (mean of the two middles)', () => {
    const tie = [
      ...series('db', '2026-01-01', '2026-01-31', 10),
      ...series('db', '2026-02-01', '2026-02-28', 310 / 28),
      ...series('db', '2026-03-01', '2026-03-31', 20),
    ];
    expect(
      costBaseline(tie, { lastCompleteDay: '2026-03-31' }).components[0]
        .monthly,
    ).toBeCloseTo(310);
    const four = [
      ...series('db', '2025-12-01', '2025-12-31', 1), // 31
      ...series('db', '2026-01-01', '2026-01-31', 2), // 62
      ...series('db', '2026-02-01', '2026-02-28', 4), // 112
      ...series('db', '2026-03-01', '2026-03-31', 5), // 155
    ];
    expect(
      costBaseline(four, { lastCompleteDay: '2026-03-31', months: 4 })
        .components[0].monthly,
    ).toBe((62 + 112) / 2);
  });

  it('adds the components up for the total, leaving out those with no baseline', () => {
    const facts = [
      ...series('a', '2026-03-01', '2026-03-31', 1),
      ...series('b', '2026-03-01', '2026-03-31', 2),
      ...series('new', '2026-04-01', '2026-04-10', 50),
    ];
    const result = costBaseline(facts, {
      lastCompleteDay: '2026-04-10',
      months: 1,
    });
    expect(result.components.map(c => [c.component, c.monthly])).toEqual([
      ['a', 31],
      ['b', 62],
      ['new', undefined],
    ]);
    expect(result.total).toEqual({
      monthly: 93,
      perDay: 3,
      band: { low: 93, high: 93 },
    });
    expect(result.currency).toBe('USD');
  });

  it('refuses to add up two currencies', () => {
    const facts = [
      ...series('a', '2026-03-01', '2026-03-31', 1),
      ...series('b', '2026-03-01', '2026-03-31', 2, { currency: 'EUR' }),
    ];
    expect(costBaseline(facts, { lastCompleteDay: '2026-03-31' }).noData).toBe(
      'Cost facts in several currencies (EUR, USD) cannot be added up',
    );
  });
});
