import { costPerThousandDecisions } from './unitCost';
import { series } from './__fixtures__/dailyCosts';

const days = { from: '2026-04-01', to: '2026-04-03' };
const facts = [
  ...series('api', '2026-04-01', '2026-04-03', 30),
  ...series('api', '2026-04-01', '2026-04-03', 10, { provider: 'opencost' }),
  ...series('database', '2026-04-01', '2026-04-03', 20, {
    estimatedFrom: '2026-04-03',
  }),
];

describe('costPerThousandDecisions', () => {
  it("divides each day's cost of every component and provider by its decisions, per 1,000", () => {
    const result = costPerThousandDecisions(facts, {
      ...days,
      decisions: [
        { day: '2026-04-01', count: 2000 },
        { day: '2026-04-02', count: 4000 },
        { day: '2026-04-03', count: 1000 },
      ],
    });
    expect(result.days).toEqual([
      {
        day: '2026-04-01',
        cost: 60,
        decisions: 2000,
        perThousand: 30,
        estimated: false,
      },
      {
        day: '2026-04-02',
        cost: 60,
        decisions: 4000,
        perThousand: 15,
        estimated: false,
      },
      // Exactly the minimum volume has a figure.
      {
        day: '2026-04-03',
        cost: 60,
        decisions: 1000,
        perThousand: 60,
        estimated: true,
      },
    ]);
    // 180 over 7,000 decisions, not the mean of the three days (35).
    expect(result.overall.perThousand).toBeCloseTo((180 / 7000) * 1000);
    expect(result.overall.days).toBe(3);
    expect(result.minimumDecisions).toBe(1000);
  });

  it('gives no figure, with the reason, for zero or too few decisions, no count, or no cost', () => {
    const result = costPerThousandDecisions(
      facts.filter(f => f.day !== '2026-04-03'),
      {
        from: '2026-04-01',
        to: '2026-04-04',
        decisions: [
          { day: '2026-04-01', count: 0 },
          { day: '2026-04-02', count: 999 },
          { day: '2026-04-04', count: 5000 },
        ],
      },
    );
    expect(result.days.map(d => [d.day, d.perThousand, d.noData])).toEqual([
      ['2026-04-01', undefined, '0 decisions, under the 1000 a figure needs'],
      ['2026-04-02', undefined, '999 decisions, under the 1000 a figure needs'],
      ['2026-04-03', undefined, 'No cost reported for the day'],
      ['2026-04-04', undefined, 'No cost reported for the day'],
    ]);
    expect(result.overall).toEqual({ days: 0 });
    const noCount = costPerThousandDecisions(facts, { ...days, decisions: [] });
    expect(noCount.days[0].noData).toBe('No decision count for the day');
  });

  it('with no facts and no decisions has a day per day and no figure', () => {
    const result = costPerThousandDecisions([], {
      ...days,
      decisions: [],
      minimumDecisions: 10,
    });
    expect(result.days).toHaveLength(3);
    expect(result.days.every(d => d.perThousand === undefined)).toBe(true);
    expect(result.overall).toEqual({ days: 0 });
    expect(result.minimumDecisions).toBe(10);
  });

  it('shows idle cost apart, per 1,000 decisions too, and leaves it out of the figure', () => {
    const result = costPerThousandDecisions(facts, {
      ...days,
      decisions: [
        { day: '2026-04-01', count: 2000 },
        { day: '2026-04-02', count: 500 },
      ],
      idle: [
        { day: '2026-04-01', amount: 8 },
        { day: '2026-04-02', amount: 8 },
      ],
    });
    expect(result.days[0]).toMatchObject({
      cost: 60,
      perThousand: 30,
      idleCost: 8,
      idlePerThousand: 4,
    });
    // Too few decisions: the idle cost is still shown, with no figure per 1,000.
    expect(result.days[1]).toMatchObject({ idleCost: 8 });
    expect(result.days[1].idlePerThousand).toBeUndefined();
    expect(result.overall).toEqual({
      days: 1,
      perThousand: 30,
      idlePerThousand: 4,
    });
  });

  it('refuses to add costs in two currencies', () => {
    const result = costPerThousandDecisions(
      [
        ...facts,
        ...series('search', '2026-04-01', '2026-04-03', 1, { currency: 'EUR' }),
      ],
      { ...days, decisions: [{ day: '2026-04-01', count: 2000 }] },
    );
    expect(result.days[0].noData).toBe(
      'Cost facts in several currencies (EUR, USD) cannot be added up',
    );
  });
});
