import { daysBetween } from './calendar';
import { planCostFetch, StoredCostDay } from './planCostFetch';

/** Days `from`..`to` (inclusive) as stored on `fetchedOn`, estimated from `estimatedFrom` on. */
function stored(
  from: string,
  to: string,
  fetchedOn: string,
  estimatedFrom = '9999-12-31',
): StoredCostDay[] {
  return daysBetween(from, to).map(day => ({
    day,
    estimated: day >= estimatedFrom,
    fetchedOn,
  }));
}

describe('planCostFetch', () => {
  it('reads 13 months on the first run: from the first of the month a year back up to yesterday', () => {
    expect(planCostFetch({ today: '2026-11-20', stored: [] })).toEqual({
      window: { from: '2025-11-01', to: '2026-11-20' },
      ranges: [{ from: '2025-11-01', to: '2026-11-20' }],
    });
  });

  it('counts the months across a year end, and on the first of a month ends with the last day of the one before', () => {
    expect(planCostFetch({ today: '2027-01-15', stored: [] }).ranges).toEqual([
      { from: '2026-01-01', to: '2027-01-15' },
    ]);
    expect(planCostFetch({ today: '2026-12-01', stored: [] }).ranges).toEqual([
      { from: '2025-12-01', to: '2026-12-01' },
    ]);
  });

  it('later reads only the estimated days and the days since, never a final day', () => {
    const yesterdayRun = stored(
      '2025-11-01',
      '2026-11-18',
      '2026-11-19',
      '2026-11-17',
    );
    expect(
      planCostFetch({ today: '2026-11-20', stored: yesterdayRun }).ranges,
    ).toEqual([{ from: '2026-11-17', to: '2026-11-20' }]);
  });

  it('reads nothing again on the day it read: estimated days wait for the next day', () => {
    const todaysRun = stored(
      '2025-11-01',
      '2026-11-19',
      '2026-11-20',
      '2026-11-18',
    );
    expect(
      planCostFetch({ today: '2026-11-20', stored: todaysRun }).ranges,
    ).toEqual([]);
  });

  it('fills each gap on its own, down to one missing day, and the first day of the window', () => {
    const held = stored('2025-11-02', '2026-11-19', '2026-11-20').filter(
      d =>
        d.day !== '2026-03-10' &&
        (d.day < '2026-06-01' || d.day > '2026-06-30'),
    );
    expect(planCostFetch({ today: '2026-11-20', stored: held }).ranges).toEqual(
      [
        { from: '2025-11-01', to: '2025-11-02' },
        { from: '2026-03-10', to: '2026-03-11' },
        { from: '2026-06-01', to: '2026-07-01' },
      ],
    );
  });

  it('ignores stored days before the window: a month older than 13 is not read', () => {
    const held = stored('2025-10-01', '2026-11-19', '2026-11-20');
    expect(planCostFetch({ today: '2026-11-20', stored: held })).toEqual({
      window: { from: '2025-11-01', to: '2026-11-20' },
      ranges: [],
    });
  });
});
