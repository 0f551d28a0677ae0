import {
  ReadinessFact,
  SecurityAlertsFact,
} from '@internal/plugin-lexecon-common';
import { coverageTrend, readinessTrend, securityAlertsTrend } from './trends';

/** Four ISO weeks, W45 to W48 of 2026. */
const window = { from: '2026-11-02T00:00:00Z', to: '2026-11-30T00:00:00Z' };

const reading = (
  sha: string,
  measuredAt: string,
  score: number,
  coveragePercent?: number,
): ReadinessFact => ({ sha, measuredAt, score, gate: 80, coveragePercent });

const readings: ReadinessFact[] = [
  reading('r0', '2026-10-31T10:00:00Z', 50, 70),
  reading('r2', '2026-11-06T10:00:00Z', 75),
  reading('r1', '2026-11-03T10:00:00Z', 70, 80),
  reading('r3', '2026-11-20T10:00:00Z', 85, 82.5),
  // Sunday 23:59:59 UTC: still W48.
  reading('r4', '2026-11-29T23:59:59Z', 90, 85),
  // Monday 00:00 UTC: W49, after the window.
  reading('r5', '2026-11-30T00:00:00Z', 10, 10),
];

describe('readinessTrend', () => {
  it("takes each ISO week's newest score and leaves a week with no reading empty", () => {
    const result = readinessTrend(readings, window);
    expect(result.weekly.map(w => [w.week, w.value, w.factIds])).toEqual([
      ['2026-W45', 75, ['r2']],
      ['2026-W46', undefined, []],
      ['2026-W47', 85, ['r3']],
      ['2026-W48', 90, ['r4']],
    ]);
    expect(result.latest).toEqual({
      value: 90,
      unit: 'score',
      samples: 1,
      factIds: ['r4'],
    });
    expect(result.gate).toBe(80);
  });

  it('says "no data" with no commit measured', () => {
    const result = readinessTrend([readings[0]], window);
    expect(result.latest.value).toBeUndefined();
    expect(result.latest.noData).toBe('No commit measured in the window');
    expect(result.gate).toBeUndefined();
  });
});

describe('coverageTrend', () => {
  it('skips commits that reported no coverage', () => {
    const result = coverageTrend(readings, window);
    expect(result.weekly.map(w => w.value)).toEqual([80, undefined, 82.5, 85]);
    expect(result.latest.value).toBe(85);
  });
});

describe('securityAlertsTrend', () => {
  const alerts = (
    id: string,
    at: string,
    [critical, high, medium, low]: number[],
  ): SecurityAlertsFact => ({ id, at, critical, high, medium, low });

  it('counts open alerts of every severity, and none open is a reading of 0', () => {
    const result = securityAlertsTrend(
      [
        alerts('a1', '2026-11-03T10:00:00Z', [1, 2, 0, 0]),
        alerts('a2', '2026-11-05T10:00:00Z', [0, 1, 0, 4]),
        alerts('a3', '2026-11-25T10:00:00Z', [0, 0, 0, 0]),
      ],
      window,
    );
    expect(result.weekly.map(w => w.value)).toEqual([
      5,
      undefined,
      undefined,
      0,
    ]);
    expect(result.latest).toEqual({
      value: 0,
      unit: 'count',
      samples: 1,
      factIds: ['a3'],
    });
    expect(result.latestBySeverity).toEqual({
      critical: 0,
      high: 0,
      medium: 0,
      low: 0,
    });
  });

  it('says "no data" when no alerts were read', () => {
    const result = securityAlertsTrend([], window);
    expect(result.latest.noData).toBe('No security alerts read in the window');
    expect(result.latestBySeverity).toBeUndefined();
  });
});
