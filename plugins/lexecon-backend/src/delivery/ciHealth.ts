import {
  CiJobFact,
  CiPassRate,
  CiRunFact,
  DurationSpread,
  Figure,
  FlakyJob,
  FlakyJobs,
  JobDurations,
  MetricWindow,
} from '@internal/plugin-lexecon-common';
import {
  inWindow,
  ms,
  noData,
  percentile,
  seconds,
  weekly,
} from './statistics';

/** How many of the newest runs the pass rate reads, as the readiness score does. */
export const PASS_RATE_RUNS = 10;

export const attemptId = (run: CiRunFact) => `${run.runId}:${run.attempt}`;

const byStart = (a: CiRunFact, b: CiRunFact) =>
  ms(a.createdAt) - ms(b.createdAt) || a.attempt - b.attempt;

/**
 * Each run's latest completed attempt: a re-run replaces the verdict of the attempt before it,
 * as GitHub shows it.
 */
function latestAttempts(runs: CiRunFact[]) {
  const latest = new Map<number, CiRunFact>();
  for (const run of runs) {
    if (run.conclusion === null) continue;
    const seen = latest.get(run.runId);
    if (!seen || run.attempt > seen.attempt) latest.set(run.runId, run);
  }
  return [...latest.values()].sort(byStart);
}

function passRate(runs: CiRunFact[], reason: string): Figure {
  if (runs.length === 0) return noData('percent', reason);
  const passed = runs.filter(r => r.conclusion === 'success').length;
  return {
    value: (passed / runs.length) * 100,
    unit: 'percent',
    samples: runs.length,
    factIds: runs.map(attemptId),
  };
}

/**
 * Share of completed runs that succeeded. Like the readiness score's CI input, every completed
 * conclusion other than `success` (failure, cancelled, timed out) counts against it.
 */
export function ciPassRate(
  runs: CiRunFact[],
  window: MetricWindow,
): CiPassRate {
  const latest = latestAttempts(runs);
  const upToEnd = latest.filter(r => ms(r.createdAt) < ms(window.to));
  const inScope = latest.filter(r => inWindow(r.createdAt, window));
  return {
    lastTen: passRate(upToEnd.slice(-PASS_RATE_RUNS), 'No completed CI runs'),
    weekly: weekly(
      window,
      inScope,
      r => r.createdAt,
      week => {
        const rate = passRate(week, '');
        return { value: rate.value, factIds: rate.factIds };
      },
    ),
  };
}

interface Timed {
  conclusion: string | null;
  startedAt?: string;
  completedAt?: string;
}

/** Seconds a job or step ran; skipped and cancelled ones say nothing about how long work takes. */
function durationOf(item: Timed) {
  if (item.conclusion !== 'success' && item.conclusion !== 'failure')
    return undefined;
  if (!item.startedAt || !item.completedAt) return undefined;
  return seconds(item.startedAt, item.completedAt);
}

function spread(
  name: string,
  samples: Array<{ id: string; seconds: number }>,
): DurationSpread {
  const figure = (p: number): Figure => {
    const value = percentile(
      samples.map(s => s.seconds),
      p,
    );
    if (value === undefined)
      return noData('seconds', `No timed runs of ${name}`);
    return {
      value,
      unit: 'seconds',
      samples: samples.length,
      factIds: [...new Set(samples.map(s => s.id))],
    };
  };
  return { name, p50: figure(50), p90: figure(90) };
}

/** p50 and p90 of each job and each of its steps over the attempts started in the window. */
export function buildDurations(
  runs: CiRunFact[],
  window: MetricWindow,
): JobDurations[] {
  type Samples = Array<{ id: string; seconds: number }>;
  const jobs = new Map<
    string,
    {
      workflow: string;
      job: string;
      samples: Samples;
      steps: Map<string, Samples>;
    }
  >();
  for (const run of runs) {
    if (!inWindow(run.createdAt, window)) continue;
    for (const job of run.jobs) {
      const key = `${run.workflow}\u0000${job.name}`;
      const entry = jobs.get(key) ?? {
        workflow: run.workflow,
        job: job.name,
        samples: [],
        steps: new Map<string, Samples>(),
      };
      jobs.set(key, entry);
      const jobSeconds = durationOf(job);
      if (jobSeconds !== undefined) {
        entry.samples.push({ id: attemptId(run), seconds: jobSeconds });
      }
      for (const step of job.steps) {
        const stepSeconds = durationOf(step);
        if (stepSeconds === undefined) continue;
        const steps = entry.steps.get(step.name) ?? [];
        entry.steps.set(step.name, [
          ...steps,
          { id: attemptId(run), seconds: stepSeconds },
        ]);
      }
    }
  }
  return [...jobs.values()].map(entry => ({
    workflow: entry.workflow,
    ...spread(entry.job, entry.samples),
    steps: [...entry.steps].map(([name, samples]) => spread(name, samples)),
  }));
}

/**
 * Jobs that failed on a commit and then passed on a later attempt of the same workflow on the
 * same commit: the code did not change, so the failure was the test or the runner. A job that
 * keeps failing on every attempt is broken, not flaky. Counted in the week of the passing attempt.
 */
export function flakyJobs(runs: CiRunFact[], window: MetricWindow): FlakyJobs {
  const attemptsOfJob = new Map<
    string,
    Array<{ run: CiRunFact; job: CiJobFact }>
  >();
  for (const run of [...runs].sort(byStart)) {
    for (const job of run.jobs) {
      const key = [run.workflow, run.headSha, job.name].join('\u0000');
      attemptsOfJob.set(key, [...(attemptsOfJob.get(key) ?? []), { run, job }]);
    }
  }
  const flaky: FlakyJob[] = [];
  for (const attempts of attemptsOfJob.values()) {
    let failed: CiRunFact[] = [];
    for (const { run, job } of attempts) {
      if (job.conclusion === 'failure') failed.push(run);
      else if (job.conclusion === 'success' && failed.length > 0) {
        flaky.push({
          workflow: run.workflow,
          job: job.name,
          headSha: run.headSha,
          failedAttemptIds: failed.map(attemptId),
          passedAttemptId: attemptId(run),
          at: run.createdAt,
        });
        failed = [];
      }
    }
  }
  const inScope = flaky.filter(f => inWindow(f.at, window));
  const factIds = (of: FlakyJob[]) =>
    of.flatMap(f => [...f.failedAttemptIds, f.passedAttemptId]);
  const anyRuns = runs.some(r => inWindow(r.createdAt, window));
  return {
    count: anyRuns
      ? {
          value: inScope.length,
          unit: 'count',
          samples: inScope.length,
          factIds: factIds(inScope),
        }
      : noData('count', 'No CI runs in the window'),
    jobs: inScope,
    weekly: weekly(
      window,
      inScope,
      f => f.at,
      week => ({
        value: anyRuns ? week.length : undefined,
        factIds: factIds(week),
      }),
    ),
  };
}
