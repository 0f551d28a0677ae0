import {
  Figure,
  MetricWindow,
  ReadinessFact,
  ReadinessTrend,
  SecurityAlertsFact,
  SecurityAlertsTrend,
  Trend,
} from '@internal/plugin-lexecon-common';
import { inWindow, ms, noData, weekly } from './statistics';

interface Reading {
  id: string;
  at: string;
  value: number;
}

/**
 * The newest reading of the window, and of each ISO week: a week's point is where the week
 * ended, not an average that hides the last change. A week with no reading has no point; the
 * view draws the gap rather than a value nobody measured.
 */
function trendOf(
  readings: Reading[],
  window: MetricWindow,
  unit: Figure['unit'],
  reason: string,
): Trend {
  const inScope = readings
    .filter(r => inWindow(r.at, window))
    .sort((a, b) => ms(a.at) - ms(b.at));
  const newest = inScope[inScope.length - 1];
  return {
    latest: newest
      ? { value: newest.value, unit, samples: 1, factIds: [newest.id] }
      : noData(unit, reason),
    weekly: weekly(
      window,
      inScope,
      r => r.at,
      week => {
        const last = week[week.length - 1];
        return last
          ? { value: last.value, factIds: [last.id] }
          : { factIds: [] };
      },
    ),
  };
}

const newestOf = <T extends { at: string }>(items: T[]) =>
  [...items].sort((a, b) => ms(a.at) - ms(b.at))[items.length - 1];

/** The readiness score of the commits measured in the window (fact ids are commit shas). */
export function readinessTrend(
  facts: ReadinessFact[],
  window: MetricWindow,
): ReadinessTrend {
  const readings = facts.map(f => ({ ...f, at: f.measuredAt }));
  const newest = newestOf(readings.filter(r => inWindow(r.at, window)));
  return {
    ...trendOf(
      readings.map(r => ({ id: r.sha, at: r.at, value: r.score })),
      window,
      'score',
      'No commit measured in the window',
    ),
    ...(newest ? { gate: newest.gate } : {}),
  };
}

/** Statement coverage of the commits that reported it in the window. */
export function coverageTrend(
  facts: ReadinessFact[],
  window: MetricWindow,
): Trend {
  return trendOf(
    facts.flatMap(f =>
      f.coveragePercent === undefined
        ? []
        : [{ id: f.sha, at: f.measuredAt, value: f.coveragePercent }],
    ),
    window,
    'percent',
    'No coverage reported in the window',
  );
}

/** Open security alerts of every severity; no open alert is 0, a real reading. */
export function securityAlertsTrend(
  facts: SecurityAlertsFact[],
  window: MetricWindow,
): SecurityAlertsTrend {
  const newest = newestOf(facts.filter(f => inWindow(f.at, window)));
  return {
    ...trendOf(
      facts.map(f => ({
        id: f.id,
        at: f.at,
        value: f.critical + f.high + f.medium + f.low,
      })),
      window,
      'count',
      'No security alerts read in the window',
    ),
    ...(newest
      ? {
          latestBySeverity: {
            critical: newest.critical,
            high: newest.high,
            medium: newest.medium,
            low: newest.low,
          },
        }
      : {}),
  };
}
