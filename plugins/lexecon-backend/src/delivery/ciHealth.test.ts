import { CiJobFact, CiRunFact } from '@internal/plugin-lexecon-common';
import { buildDurations, ciPassRate, flakyJobs } from './ciHealth';

/** Four ISO weeks, W45 to W48 of 2026. */
const window = { from: '2026-11-02T00:00:00Z', to: '2026-11-30T00:00:00Z' };

const at = (start: string, plusSeconds: number) =>
  new Date(Date.parse(start) + plusSeconds * 1000).toISOString();

function job(
  name: string,
  conclusion: string,
  startedAt: string,
  durationSeconds: number,
  steps: Array<[string, string, number]> = [],
): CiJobFact {
  let offset = 0;
  return {
    name,
    conclusion,
    startedAt,
    completedAt: at(startedAt, durationSeconds),
    steps: steps.map(([stepName, stepConclusion, stepSeconds]) => {
      const step = {
        name: stepName,
        conclusion: stepConclusion,
        startedAt: at(startedAt, offset),
        completedAt: at(startedAt, offset + stepSeconds),
      };
      offset += stepSeconds;
      return step;
    }),
  };
}

function run(
  id: string,
  headSha: string,
  createdAt: string,
  conclusion: string | null,
  jobs: (start: string) => CiJobFact[] = () => [],
): CiRunFact {
  const [runId, attempt] = id.split(':').map(Number);
  return {
    runId,
    attempt,
    workflow: 'ci',
    headSha,
    conclusion,
    createdAt,
    jobs: jobs(createdAt),
  };
}

const failingTest = (start: string) => [
  job('test', 'failure', start, 300, [
    ['install', 'success', 60],
    ['unit', 'failure', 240],
  ]),
];

const runs: CiRunFact[] = [
  run('99:1', 'z', '2026-10-30T10:00:00Z', 'cancelled'),
  // Commit a: the test job fails three times, then passes on the fourth attempt.
  run('100:1', 'a', '2026-11-03T10:00:00Z', 'failure', start => [
    ...failingTest(start),
    job('lint', 'success', start, 60),
  ]),
  run('100:2', 'a', '2026-11-03T11:00:00Z', 'failure', start => [
    job('test', 'failure', start, 300),
  ]),
  run('100:3', 'a', '2026-11-03T12:00:00Z', 'failure', start => [
    job('test', 'failure', start, 300),
  ]),
  run('100:4', 'a', '2026-11-03T13:00:00Z', 'success', start => [
    job('test', 'success', start, 600, [
      ['install', 'success', 120],
      ['unit', 'success', 480],
    ]),
  ]),
  // Commit b: fails once and is never tried again: broken, not flaky.
  run('101:1', 'b', '2026-11-10T10:00:00Z', 'failure', start => [
    job('test', 'failure', start, 300),
  ]),
  run('102:1', 'c', '2026-11-17T10:00:00Z', 'success', start => [
    job('test', 'success', start, 900),
    job('lint', 'skipped', start, 30),
  ]),
  run('105:1', 'f', '2026-11-20T10:00:00Z', null),
  // Sunday 23:59 UTC: the last minute of W48, in the window.
  run('103:1', 'd', '2026-11-29T23:59:00Z', 'success', start => [
    job('test', 'success', start, 1200),
  ]),
  // Monday 00:00 UTC: W49, after the window.
  run('104:1', 'e', '2026-11-30T00:00:00Z', 'failure', start => [
    job('test', 'failure', start, 5000),
  ]),
];

describe('ciPassRate', () => {
  it("reads each run's latest completed attempt up to the window's end", () => {
    const result = ciPassRate(runs, window);
    // 99 cancelled, 100 passed on attempt 4, 101 failed, 102 and 103 passed: 3 of 5.
    expect(result.lastTen).toEqual({
      value: 60,
      unit: 'percent',
      samples: 5,
      factIds: ['99:1', '100:4', '101:1', '102:1', '103:1'],
    });
    expect(result.weekly.map(w => [w.week, w.value])).toEqual([
      ['2026-W45', 100],
      ['2026-W46', 0],
      ['2026-W47', 100],
      ['2026-W48', 100],
    ]);
  });

  it('counts only the newest ten runs', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      run(
        `${200 + i}:1`,
        `s${i}`,
        at('2026-11-05T00:00:00Z', i * 3600),
        i < 2 ? 'failure' : 'success',
      ),
    );
    const result = ciPassRate(many, window);
    expect(result.lastTen.value).toBe(100);
    expect(result.lastTen.samples).toBe(10);
    expect(result.lastTen.factIds[0]).toBe('202:1');
  });

  it('says "no data" with no completed run', () => {
    const result = ciPassRate(
      [run('1:1', 'x', '2026-11-05T00:00:00Z', null)],
      window,
    );
    expect(result.lastTen.value).toBeUndefined();
    expect(result.lastTen.noData).toBe('No completed CI runs');
    expect(result.weekly.every(w => w.value === undefined)).toBe(true);
  });
});

describe('buildDurations', () => {
  it('gives p50 and p90 per job and step, leaving out skipped ones', () => {
    const [test, lint] = buildDurations(runs, window);
    // test: 300 ×5, 600, 900, 1200 (104 is after the window): rank 4 and rank 7 of 7.
    expect(test.name).toBe('test');
    expect(test.workflow).toBe('ci');
    expect(test.p50.value).toBe(300);
    expect(test.p90.value).toBe(1200);
    expect(test.p90.samples).toBe(7);
    expect(test.steps.map(s => [s.name, s.p50.value, s.p90.value])).toEqual([
      ['install', 60, 120],
      ['unit', 240, 480],
    ]);
    // The skipped lint of run 102 is no sample.
    expect([
      lint.name,
      lint.p50.value,
      lint.p90.value,
      lint.p90.samples,
    ]).toEqual(['lint', 60, 60, 1]);
  });
});

describe('flakyJobs', () => {
  it('finds a job that failed three times and passed on the fourth attempt of the same commit, once', () => {
    const result = flakyJobs(runs, window);
    expect(result.jobs).toEqual([
      {
        workflow: 'ci',
        job: 'test',
        headSha: 'a',
        failedAttemptIds: ['100:1', '100:2', '100:3'],
        passedAttemptId: '100:4',
        at: '2026-11-03T13:00:00Z',
      },
    ]);
    expect(result.count.value).toBe(1);
    expect(result.weekly.map(w => w.value)).toEqual([1, 0, 0, 0]);
  });

  it('does not call a job that fails on every attempt flaky', () => {
    const result = flakyJobs(
      [
        run('300:1', 'g', '2026-11-04T10:00:00Z', 'failure', failingTest),
        run('300:2', 'g', '2026-11-04T11:00:00Z', 'failure', failingTest),
      ],
      window,
    );
    expect(result.jobs).toEqual([]);
    expect(result.count.value).toBe(0);
  });
});
