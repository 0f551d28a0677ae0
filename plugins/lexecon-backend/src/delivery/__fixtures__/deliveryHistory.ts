import { DeployFact, IncidentFact } from '@internal/plugin-lexecon-common';

/** Production's history over W45 to W48 of 2026, with the figures worked out by hand in the tests. */
export const HOUR = 3600;
export const DAY = 24 * HOUR;

/** Four ISO weeks, W45 to W48 of 2026: 28 days. */
export const window = {
  from: '2026-11-02T00:00:00Z',
  to: '2026-11-30T00:00:00Z',
};
export const scope = { environment: 'production', window };

export function deploy(
  id: string,
  finishedAt: string,
  result: DeployFact['result'],
  commitDates: string[] = [],
  extra: Partial<DeployFact> = {},
): DeployFact {
  return {
    id,
    environment: 'production',
    version: `v-${id}`,
    sha: `sha-${id}`,
    startedAt: new Date(Date.parse(finishedAt) - 5 * 60 * 1000).toISOString(),
    finishedAt,
    result,
    commits: commitDates.map((authoredAt, i) => ({
      sha: `${id}-c${i}`,
      authoredAt,
    })),
    ...extra,
  };
}

export const deploys: DeployFact[] = [
  deploy('d0', '2026-10-30T10:00:00Z', 'success', ['2026-10-29T10:00:00Z']),
  // Lead time: 24 h from its first commit.
  deploy('d1', '2026-11-03T10:00:00Z', 'success', [
    '2026-11-03T04:00:00Z',
    '2026-11-02T10:00:00Z',
  ]),
  deploy('d2', '2026-11-05T12:00:00Z', 'failure', ['2026-11-05T10:00:00Z']),
  // Lead time 4 h; restores d2 after 2 h.
  deploy('d3', '2026-11-05T14:00:00Z', 'success', ['2026-11-05T10:00:00Z']),
  // A redeploy: no commits.
  deploy('d4', '2026-11-10T09:00:00Z', 'success'),
  // Helm rolled it back 5 minutes later.
  deploy(
    'd5',
    '2026-11-17T08:00:00Z',
    'rolled-back',
    ['2026-11-16T08:00:00Z'],
    {
      rolledBackAt: '2026-11-17T08:05:00Z',
    },
  ),
  // Monday 00:00 UTC: the first instant of W48. Lead time 3 days.
  deploy('d6', '2026-11-23T00:00:00Z', 'success', ['2026-11-20T00:00:00Z']),
  // Someone rolled d6 back by hand.
  deploy('r1', '2026-11-24T00:00:00Z', 'success', [], { kind: 'rollback' }),
  deploy('s1', '2026-11-04T00:00:00Z', 'success', ['2026-11-04T00:00:00Z'], {
    environment: 'staging',
  }),
];

export const incidents: IncidentFact[] = [
  // 30 minutes after d4; lasts 45 minutes.
  {
    id: 'i1',
    startedAt: '2026-11-10T09:30:00Z',
    resolvedAt: '2026-11-10T10:15:00Z',
  },
  // After the manual rollback r1: no change precedes it. Lasts 8 hours.
  {
    id: 'i2',
    startedAt: '2026-11-26T12:00:00Z',
    resolvedAt: '2026-11-26T20:00:00Z',
  },
  { id: 'i3', startedAt: '2026-11-28T12:00:00Z' },
];
