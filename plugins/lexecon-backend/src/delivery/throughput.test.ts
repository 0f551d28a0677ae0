import { DAY, deploys, HOUR, scope } from './__fixtures__/deliveryHistory';
import { deploymentFrequency, leadTimeForChanges } from './throughput';

describe('deploymentFrequency', () => {
  it('counts successful production changes in the window, per day and per ISO week', () => {
    const result = deploymentFrequency(deploys, scope);
    // d1, d3, d4, d6: 4 in 28 days, exactly once a week: "high" (the limit is inclusive).
    expect(result.perDay).toEqual({
      value: 4 / 28,
      unit: 'deploys/day',
      band: 'high',
      samples: 4,
      factIds: ['d1', 'd3', 'd4', 'd6'],
    });
    expect(result.perWeek.value).toBeCloseTo(1);
    expect(result.weekly.map(w => [w.week, w.value, w.factIds])).toEqual([
      ['2026-W45', 2, ['d1', 'd3']],
      ['2026-W46', 1, ['d4']],
      ['2026-W47', 0, []],
      ['2026-W48', 1, ['d6']],
    ]);
  });
});

describe('leadTimeForChanges', () => {
  it('takes the median and p90 of first commit to deploy finished, leaving out deploys with no commits', () => {
    const result = leadTimeForChanges(deploys, scope);
    // d3 4 h, d1 24 h, d6 72 h: median (rank 2) is exactly one day, so "high".
    expect(result.median).toEqual({
      value: DAY,
      unit: 'seconds',
      band: 'high',
      samples: 3,
      factIds: ['d1', 'd3', 'd6'],
    });
    expect(result.p90.value).toBe(3 * DAY);
    expect(result.p90.band).toBeUndefined();
    expect(result.excluded).toEqual([
      { deployId: 'd4', reason: 'The deploy shipped no commits' },
    ]);
    expect(result.weekly.map(w => [w.week, w.value])).toEqual([
      ['2026-W45', 4 * HOUR],
      ['2026-W46', undefined],
      ['2026-W47', undefined],
      ['2026-W48', 3 * DAY],
    ]);
  });

  it('leaves out a deploy whose change set was not read, saying so, rather than counting no commits', () => {
    const unread = deploys.map(({ commits, ...d }) =>
      d.id === 'd1' ? d : { ...d, commits },
    );
    const result = leadTimeForChanges(unread, scope);
    expect(result.median.factIds).toEqual(['d3', 'd6']);
    expect(result.excluded).toContainEqual({
      deployId: 'd1',
      reason:
        'The change set of the deploy was not read, so its lead time is unknown',
    });
  });
});

describe('with no production deploys', () => {
  it('says "no data" for frequency and lead time, with no band', () => {
    const staging = deploys.filter(d => d.environment === 'staging');
    const frequency = deploymentFrequency(staging, scope);
    expect(frequency.perDay.value).toBeUndefined();
    expect(frequency.perDay.band).toBeUndefined();
    expect(frequency.perDay.noData).toBe(
      'No successful deploys to production in the window',
    );
    expect(frequency.weekly.every(w => w.value === undefined)).toBe(true);
    expect(leadTimeForChanges(staging, scope).median.band).toBeUndefined();
  });
});
