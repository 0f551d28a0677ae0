import { CI_RUNS_NOT_READ } from '@internal/plugin-lexecon-common';
import { deploy } from './__fixtures__/deliveryHistory';
import {
  DeliveryFacts,
  deliveryMetrics,
  sparklineWeeks,
} from './deliveryMetrics';

// Wednesday noon of ISO week 2026-W48 (Monday 23 November).
const NOW = '2026-11-25T12:00:00.000Z';
const options = {
  environment: 'production',
  window: { from: '2026-10-26T12:00:00.000Z', to: NOW },
  incidentWindowMinutes: 60,
};

const facts = (extra: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  deploys: [
    deploy('d1', '2026-11-16T10:00:00Z', 'success'),
    deploy('d2', '2026-11-17T10:00:00Z', 'success'),
    deploy('d3', '2026-11-24T08:00:00Z', 'failure'),
    deploy('d4', '2026-11-24T10:00:00Z', 'success'),
  ],
  incidents: [],
  readiness: [],
  refs: [
    { id: 'd3', kind: 'deploy', at: '2026-11-24T08:00:00Z', title: 'v-d3' },
  ],
  ...extra,
});

describe('sparklineWeeks', () => {
  it('is the 12 ISO weeks up to now, the week in progress ending now', () => {
    const weeks = sparklineWeeks(NOW);
    expect(weeks).toHaveLength(12);
    // 23 November less 11 weeks.
    expect(weeks[0]).toEqual({
      from: '2026-09-07T00:00:00.000Z',
      to: '2026-09-14T00:00:00.000Z',
    });
    expect(weeks[11]).toEqual({ from: '2026-11-23T00:00:00.000Z', to: NOW });
  });

  it('starts a new week at Monday 00:00 UTC', () => {
    expect(sparklineWeeks('2026-11-22T23:59:59.000Z')[11].from).toBe(
      '2026-11-16T00:00:00.000Z',
    );
    expect(sparklineWeeks('2026-11-23T00:00:00.000Z')[11].from).toBe(
      '2026-11-23T00:00:00.000Z',
    );
  });
});

describe('deliveryMetrics', () => {
  it('gives each key its figure over the window and a value per week of its sparkline', () => {
    const { keys } = deliveryMetrics(facts(), options);
    // Three successful deploys in 30 days.
    expect(keys.deploymentFrequency.figure.value).toBeCloseTo(3 / 30);
    expect(keys.deploymentFrequency.figure.band).toBe('medium');
    const frequency = keys.deploymentFrequency.weekly;
    expect(frequency.map(p => p.week).slice(-2)).toEqual([
      '2026-W47',
      '2026-W48',
    ]);
    // W47: d1 and d2 in 7 days; W48 so far: d4 in 2.5 days.
    expect(frequency[10].value).toBeCloseTo(2 / 7);
    expect(frequency[10].factIds).toEqual(['d1', 'd2']);
    expect(frequency[11].value).toBeCloseTo(1 / 2.5);
    // Before any deploy there is nothing to count, not 0 deploys a day.
    expect(frequency[0].value).toBeUndefined();

    // d3 of four changes failed; W47 none of two, W48 one of two.
    expect(keys.changeFailureRate.figure).toMatchObject({
      value: 25,
      band: 'low',
    });
    expect(keys.changeFailureRate.weekly.slice(-2).map(p => p.value)).toEqual([
      0, 50,
    ]);
    // d3 failed at 08:00 and d4 put it right at 10:00: two hours.
    expect(keys.timeToRestore.figure).toMatchObject({
      value: 7200,
      band: 'high',
      factIds: ['d3', 'd4'],
    });
    expect(keys.leadTime.figure.value).toBeUndefined();
    expect(keys.leadTime.figure.noData).toContain('dated commits');
  });

  it('takes incidents for time to restore when no deploy failed', () => {
    const { keys } = deliveryMetrics(
      facts({
        deploys: [deploy('d1', '2026-11-16T10:00:00Z', 'success')],
        incidents: [
          {
            id: 'i1',
            startedAt: '2026-11-18T10:00:00Z',
            resolvedAt: '2026-11-18T10:30:00Z',
          },
        ],
      }),
      options,
    );
    expect(keys.timeToRestore.figure).toMatchObject({
      value: 1800,
      band: 'elite',
      factIds: ['i1'],
    });
  });

  it('says the CI runs are not read yet until they are given, and what it counted once they are', () => {
    const without = deliveryMetrics(facts(), options).ci;
    expect(without.passRate.noData).toBe(CI_RUNS_NOT_READ);
    expect(without.buildDuration.noData).toBe(CI_RUNS_NOT_READ);
    expect(without.flaky.count.noData).toBe(CI_RUNS_NOT_READ);

    const read = deliveryMetrics(
      facts({
        ciRuns: [
          {
            runId: 1,
            attempt: 1,
            workflow: 'test.yml',
            headSha: 'abc',
            conclusion: 'success',
            createdAt: '2026-11-20T10:00:00Z',
            jobs: [
              {
                name: 'unit',
                conclusion: 'success',
                startedAt: '2026-11-20T10:00:00Z',
                completedAt: '2026-11-20T10:05:00Z',
                steps: [],
              },
            ],
          },
        ],
      }),
      options,
    ).ci;
    expect(read.passRate.value).toBe(100);
    expect(read.buildDuration.value).toBe(300);
  });

  it('indexes the facts the views open by id', () => {
    expect(deliveryMetrics(facts(), options).facts.d3).toMatchObject({
      kind: 'deploy',
      title: 'v-d3',
    });
  });
});
