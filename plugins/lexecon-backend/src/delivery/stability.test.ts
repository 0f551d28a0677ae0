import { IncidentFact } from '@internal/plugin-lexecon-common';
import {
  deploy,
  deploys,
  HOUR,
  incidents,
  scope,
} from './__fixtures__/deliveryHistory';
import {
  changeFailureRate,
  rollbackFrequency,
  timeToRestore,
} from './stability';

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
    // d2 -> d3 2 h, d5 (started 07:55) rolled back at 08:05: median 10 min.
    expect(result.failedDeploys).toEqual({
      value: 10 * 60,
      unit: 'seconds',
      band: 'elite',
      samples: 2,
      factIds: ['d2', 'd3', 'd5'],
    });
    expect(result.open).toEqual(['i3']);
  });

  it("counts a Helm rollback inside the deploy's run from the deploy's start, not as no time at all", () => {
    // Merged from Helm, the rollback lands before the workflow run finishes.
    const rolledBack = deploy('h', '2026-11-03T10:00:00Z', 'rolled-back', [], {
      rolledBackAt: '2026-11-03T09:58:00Z',
    });
    const result = timeToRestore([rolledBack], [], scope);
    // Started 09:55 (five minutes before it finished), restored 09:58.
    expect(result.failedDeploys.value).toBe(3 * 60);
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
