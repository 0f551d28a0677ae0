import { monthlyCosts } from './monthlyCosts';
import { series } from './__fixtures__/dailyCosts';

describe('monthlyCosts', () => {
  it('with no facts has no month', () => {
    expect(monthlyCosts([], '2026-04-15')).toEqual([]);
  });

  it('totals each component per month over a year and this month, leaving gaps as gaps', () => {
    const facts = [
      // 14 months: March 2025 is one too many for the 13 ending April 2026.
      ...series('api', '2025-03-01', '2026-04-15', 1, {
        estimatedFrom: '2026-04-13',
      }),
      ...series('search', '2026-02-10', '2026-02-28', 2, { provider: 'gcp' }),
    ];
    const result = monthlyCosts(facts, '2026-04-15');
    expect(result[0]).toEqual({
      month: '2025-04',
      component: 'api',
      amount: 30,
      estimated: false,
    });
    expect(result.filter(m => m.component === 'api')).toHaveLength(13);
    expect(result.filter(m => m.month === '2026-02')).toEqual([
      { month: '2026-02', component: 'api', amount: 28, estimated: false },
      { month: '2026-02', component: 'search', amount: 38, estimated: false },
    ]);
    // Today's partial day is not counted; the estimated days are, and flagged.
    expect(result[result.length - 1]).toEqual({
      month: '2026-04',
      component: 'api',
      amount: 14,
      estimated: true,
    });
  });
});
