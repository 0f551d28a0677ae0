import { analyseCosts } from './costAnalysis';
import { series } from './__fixtures__/dailyCosts';

// Thirteen months of a small service: compute steady, backups with a 5-day spike in March.
const facts = [
  ...series('compute', '2025-03-01', '2026-04-14', 20, {
    estimatedFrom: '2026-04-13',
  }),
  ...series('backups', '2025-03-01', '2026-04-14', (d, i) =>
    d >= '2026-03-10' && d <= '2026-03-14' ? 40 : 10 + (i % 2),
  ),
];
const input = { facts, today: '2026-04-15', lastCompleteDay: '2026-04-12' };

describe('analyseCosts', () => {
  it('fills the Cost Analysis Template per component with a total that adds up', () => {
    const result = analyseCosts(input);
    expect(result.currency).toBe('USD');
    expect(result.rows.map(r => r.component)).toEqual(['backups', 'compute']);
    const compute = result.rows[1];
    // January, February and March: 620, 560, 620.
    expect(compute).toMatchObject({
      baseline: 620,
      band: { low: 560, high: 620 },
      monthToDate: 280,
      expectedToDate: 280,
      forecast: 600,
      forecastMethod: 'portal',
      delta: 0,
      deltaPercent: 0,
    });
    expect(result.total.component).toBe('Total');
    for (const key of ['baseline', 'monthToDate', 'forecast'] as const) {
      expect(result.total[key]).toBeCloseTo(
        result.rows.reduce((t, r) => t + (r[key] ?? 0), 0),
      );
    }
  });

  it('finds the spike with its cause, charts 13 months, and has no unit cost without decisions', () => {
    const result = analyseCosts(input);
    expect(result.anomalies.map(a => [a.component, a.start, a.end])).toEqual([
      ['backups', '2026-03-10', '2026-03-14'],
    ]);
    expect(result.anomalies[0].rootCauses).toEqual([
      { provider: 'aws', component: 'backups' },
    ]);
    expect(new Set(result.monthly.map(m => m.month)).size).toBe(13);
    expect(result.unitCost).toBeUndefined();
    expect(result.efficiency).toEqual([]);
  });

  it('computes the cost per 1,000 decisions over the 30 days to yesterday', () => {
    const result = analyseCosts({
      ...input,
      decisions: [{ day: '2026-04-14', count: 3000 }],
    });
    expect(result.unitCost?.days).toHaveLength(30);
    expect(result.unitCost?.days[29]).toMatchObject({
      day: '2026-04-14',
      cost: 20 + 11,
      perThousand: (31 / 3000) * 1000,
      estimated: true,
    });
  });

  it('with no facts says so at every level and proposes nothing', () => {
    const result = analyseCosts({ ...input, facts: [] });
    expect(result.rows).toEqual([]);
    expect(result.baseline.noData).toBe('No cost facts');
    expect(result.monthToDate.noData).toBe(
      'No cost reported for this month yet',
    );
    expect(result.total).toEqual({ component: 'Total', monthToDate: 0 });
    expect(result.anomalies).toEqual([]);
    expect(result.opportunities).toEqual([]);
    expect(result.monthly).toEqual([]);
  });

  it('shows a Kubernetes allocation beside the bill without adding it, and searches it for anomalies too', () => {
    const allocationFacts = [
      ...series('kubernetes-compute', '2025-03-01', '2026-04-14', 15, {
        provider: 'opencost',
      }),
      ...series(
        'kubernetes-storage',
        '2025-03-01',
        '2026-04-14',
        (d, i) => (d >= '2026-02-02' && d <= '2026-02-04' ? 30 : 3 + (i % 2)),
        { provider: 'opencost' },
      ),
    ];
    const bill = [
      ...facts,
      ...series('kubernetes-compute', '2025-03-01', '2026-04-14', 18),
    ];
    const alone = analyseCosts({ ...input, facts: bill });
    const result = analyseCosts({
      ...input,
      facts: bill,
      allocationFacts,
      idle: [
        { day: '2026-03-31', amount: 100 },
        { day: '2026-04-01', amount: 2 },
        { day: '2026-04-14', amount: 2 },
      ],
    });

    expect(result.rows).toEqual(alone.rows);
    expect(result.total).toEqual(alone.total);
    // April 1st to 14th: 15 a day allocated to compute, 3 or 4 to storage, 18 billed.
    expect(result.allocation).toEqual({
      provider: 'opencost',
      components: [
        { component: 'kubernetes-compute', monthToDate: 15 * 14 },
        { component: 'kubernetes-storage', monthToDate: 7 * 3 + 7 * 4 },
      ],
      monthToDate: 15 * 14 + 49,
      billedMonthToDate: 18 * 14,
      idleMonthToDate: 4,
      through: '2026-04-14',
    });
    expect(
      result.anomalies.map(a => [a.provider, a.component, a.start]),
    ).toEqual([
      ['aws', 'backups', '2026-03-10'],
      ['opencost', 'kubernetes-storage', '2026-02-02'],
    ]);
    expect(alone.allocation).toBeUndefined();

    // On the first of the month nothing is allocated yet, and the card says so.
    expect(
      analyseCosts({
        ...input,
        today: '2026-04-01',
        lastCompleteDay: '2026-03-29',
        facts: bill,
        allocationFacts,
      }).allocation,
    ).toEqual({ provider: 'opencost', components: [], monthToDate: 0 });
  });
});
