import { DORA_SCALES } from '@internal/plugin-lexecon-common';
import { doraBand, isoWeek, percentile, weekly } from './statistics';

describe('isoWeek', () => {
  it('puts Sunday 23:59 UTC in the week that ends and Monday 00:00 UTC in the next', () => {
    expect(isoWeek('2026-11-29T23:59:59.999Z')).toEqual({
      week: '2026-W48',
      weekStart: '2026-11-23T00:00:00.000Z',
    });
    expect(isoWeek('2026-11-30T00:00:00.000Z')).toEqual({
      week: '2026-W49',
      weekStart: '2026-11-30T00:00:00.000Z',
    });
  });

  it('buckets by UTC whatever the offset the time was written with', () => {
    // Monday 00:30 in Paris is still Sunday 23:30 UTC.
    expect(isoWeek('2026-11-30T00:30:00+01:00').week).toBe('2026-W48');
    expect(isoWeek('2026-11-29T19:30:00-05:00').week).toBe('2026-W49');
  });

  it('gives the days around New Year to the year of their Thursday', () => {
    expect(isoWeek('2025-12-29T12:00:00Z').week).toBe('2026-W01');
    expect(isoWeek('2027-01-01T12:00:00Z').week).toBe('2026-W53');
    expect(isoWeek('2027-01-04T00:00:00Z').week).toBe('2027-W01');
  });
});

describe('weekly', () => {
  it('gives every week the window touches a point, empty weeks included', () => {
    const points = weekly(
      { from: '2026-11-04T00:00:00Z', to: '2026-11-23T00:00:00Z' },
      ['2026-11-05T00:00:00Z', '2026-11-22T23:59:00Z'],
      t => t,
      items => ({ value: items.length, factIds: items }),
    );
    expect(points.map(p => [p.week, p.value])).toEqual([
      ['2026-W45', 1],
      ['2026-W46', 0],
      ['2026-W47', 1],
    ]);
    expect(points[0].weekStart).toBe('2026-11-02T00:00:00.000Z');
  });
});

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 * n)', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
  });

  it('with few samples p90 is the largest, and with none there is no value', () => {
    expect(percentile([3, 1, 2, 5, 4], 90)).toBe(5);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('doraBand at the limits of the 2023 report', () => {
  const HOUR = 3600;
  const DAY = 24 * HOUR;

  it('deploy frequency: once a day is high, more is elite; once a week high; once a month medium', () => {
    const scale = DORA_SCALES.deploymentFrequency;
    expect(doraBand(1, scale)).toBe('high');
    expect(doraBand(1.01, scale)).toBe('elite');
    expect(doraBand(1 / 7, scale)).toBe('high');
    expect(doraBand(0.99 / 7, scale)).toBe('medium');
    expect(doraBand(1 / 30, scale)).toBe('medium');
    expect(doraBand(0.99 / 30, scale)).toBe('low');
  });

  it('lead time: under a day elite, a day to a week high, to a month medium, then low', () => {
    const scale = DORA_SCALES.leadTime;
    expect(doraBand(DAY - 1, scale)).toBe('elite');
    expect(doraBand(DAY, scale)).toBe('high');
    expect(doraBand(7 * DAY, scale)).toBe('high');
    expect(doraBand(7 * DAY + 1, scale)).toBe('medium');
    expect(doraBand(30 * DAY, scale)).toBe('medium');
    expect(doraBand(30 * DAY + 1, scale)).toBe('low');
  });

  it('change failure rate: 5% elite, 10% high, 15% medium, above low', () => {
    const scale = DORA_SCALES.changeFailureRate;
    expect(doraBand(0, scale)).toBe('elite');
    expect(doraBand(5, scale)).toBe('elite');
    expect(doraBand(5.01, scale)).toBe('high');
    expect(doraBand(10, scale)).toBe('high');
    expect(doraBand(15, scale)).toBe('medium');
    expect(doraBand(15.01, scale)).toBe('low');
  });

  it('time to restore: under an hour elite, under a day high, up to a week medium', () => {
    const scale = DORA_SCALES.timeToRestore;
    expect(doraBand(HOUR - 1, scale)).toBe('elite');
    expect(doraBand(HOUR, scale)).toBe('high');
    expect(doraBand(DAY - 1, scale)).toBe('high');
    expect(doraBand(DAY, scale)).toBe('medium');
    expect(doraBand(7 * DAY, scale)).toBe('medium');
    expect(doraBand(7 * DAY + 1, scale)).toBe('low');
  });
});
