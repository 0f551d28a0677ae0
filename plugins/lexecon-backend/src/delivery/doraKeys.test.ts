import { DeployFact, IncidentFact } from '@internal/plugin-lexecon-common';
import {
  changeFailureRate,
  deploymentFrequency,
  leadTimeForChanges,
  rollbackFrequency,
  timeToRestore,
} from './doraKeys';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Four ISO weeks, W45 to W48 of 2026: 28 days. */
const window = { from: '2026-11-02T00:00:00Z', to: '2026-11-30T00:00:00Z' };
const scope = { environment: 'production', window };

function deploy(
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

const deploys: DeployFact[] = [
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

const incidents: IncidentFact[] = [
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
});

describe('changeFailureRate', () => {
  it('counts failed, rolled-back and incident-followed changes, each with its cause', () => {
    const result = changeFailureRate(deploys, incidents, {
      ...scope,
      incidentWindowMinutes: 60,
    });
    // d1..d6 are the changes; d2, d4, d5 and d6 failed: 4 of 6.
    expect(result.rate.value).toBeCloseTo((4 / 6) * 100);
    expect(result.rate.band).toBe('low');
    expect(result.rate.samples).toBe(6);
    expect(result.failures).toEqual([
      { deployId: 'd2', version: 'v-d2', causes: ['failed'], incidentIds: [] },
      {
        deployId: 'd4',
        version: 'v-d4',
        causes: ['incident'],
        incidentIds: ['i1'],
      },
      {
        deployId: 'd5',
        version: 'v-d5',
        causes: ['rolled-back'],
        incidentIds: [],
      },
      {
        deployId: 'd6',
        version: 'v-d6',
        causes: ['rolled-back'],
        incidentIds: [],
        rollbackDeployId: 'r1',
      },
    ]);
    expect(result.weekly.map(w => w.value)).toEqual([
      (1 / 3) * 100,
      100,
      100,
      100,
    ]);
  });

  it('does not blame a deploy for an incident that starts after the configured window', () => {
    const result = changeFailureRate(deploys, incidents, {
      ...scope,
      incidentWindowMinutes: 29,
    });
    expect(result.rate.value).toBe(50);
    expect(result.failures.map(f => f.deployId)).toEqual(['d2', 'd5', 'd6']);
  });
  it('blames no change for an incident whose newest deploy before it is a rollback', () => {
    const result = changeFailureRate(
      [
        deploy('d7', '2026-11-25T10:00:00Z', 'success', []),
        deploy('r2', '2026-11-25T10:20:00Z', 'success', [], {
          kind: 'rollback',
        }),
      ],
      [{ id: 'i4', startedAt: '2026-11-25T10:40:00Z' }],
      { ...scope, incidentWindowMinutes: 60 },
    );
    expect(result.failures).toEqual([
      {
        deployId: 'd7',
        version: 'v-d7',
        causes: ['rolled-back'],
        incidentIds: [],
        rollbackDeployId: 'r2',
      },
    ]);
  });
});

describe('timeToRestore', () => {
  it('measures incidents start to resolution and failed deploys to the next good one or the rollback', () => {
    const result = timeToRestore(deploys, incidents, scope);
    // i1 45 min, i2 8 h: the median (rank 1 of 2) is 45 min, under an hour.
    expect(result.incidents).toEqual({
      value: 45 * 60,
      unit: 'seconds',
      band: 'elite',
      samples: 2,
      factIds: ['i1', 'i2'],
    });
    // d2 -> d3 2 h, d5 rolled back after 5 min: median 5 min.
    expect(result.failedDeploys).toEqual({
      value: 5 * 60,
      unit: 'seconds',
      band: 'elite',
      samples: 2,
      factIds: ['d2', 'd3', 'd5'],
    });
    expect(result.open).toEqual(['i3']);
  });

  it('leaves a failed deploy with no good one after it open', () => {
    const result = timeToRestore(
      [deploy('x', '2026-11-03T10:00:00Z', 'failure')],
      [],
      scope,
    );
    expect(result.open).toEqual(['x']);
    expect(result.failedDeploys.value).toBeUndefined();
  });
});

describe('rollbackFrequency', () => {
  it("counts Helm's automatic rollbacks and manual rollback deploys", () => {
    const result = rollbackFrequency(deploys, scope);
    expect(result.count).toEqual({
      value: 2,
      unit: 'count',
      samples: 7,
      factIds: ['d5', 'r1'],
    });
    expect(result.perWeek.value).toBeCloseTo(0.5);
    expect(result.weekly.map(w => w.value)).toEqual([0, 0, 1, 1]);
  });
});

describe('with no production deploys', () => {
  const onlyIncident: IncidentFact[] = [
    {
      id: 'i9',
      startedAt: '2026-11-10T09:30:00Z',
      resolvedAt: '2026-11-10T12:30:00Z',
    },
  ];

  it('says "no data" instead of a 0% failure rate passed off as elite', () => {
    const staging = deploys.filter(d => d.environment === 'staging');
    const cfr = changeFailureRate(staging, onlyIncident, {
      ...scope,
      incidentWindowMinutes: 60,
    });
    expect(cfr.rate).toEqual({
      unit: 'percent',
      noData: 'No deploys to production in the window',
      samples: 0,
      factIds: [],
    });
    expect(cfr.failures).toEqual([]);
    expect(cfr.weekly.every(w => w.value === undefined)).toBe(true);

    const frequency = deploymentFrequency(staging, scope);
    expect(frequency.perDay.value).toBeUndefined();
    expect(frequency.perDay.band).toBeUndefined();
    expect(frequency.perDay.noData).toBe(
      'No successful deploys to production in the window',
    );
    expect(frequency.weekly.every(w => w.value === undefined)).toBe(true);
    expect(leadTimeForChanges(staging, scope).median.band).toBeUndefined();
    expect(rollbackFrequency(staging, scope).count.value).toBeUndefined();
  });

  it('still measures restoring from an incident no change preceded', () => {
    const result = timeToRestore([], onlyIncident, scope);
    expect(result.incidents.value).toBe(3 * HOUR);
    expect(result.incidents.band).toBe('high');
    expect(result.failedDeploys.noData).toBe(
      'No restored failed deploys to production in the window',
    );
  });
});
