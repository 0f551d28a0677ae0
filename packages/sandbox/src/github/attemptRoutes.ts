import { Router } from 'express';
import { RunAttemptRecord, RunRecord } from '../world/types';
import { GithubRouteContext } from './context';
import { withRun } from './runRoutes';

/** Every attempt of a run, oldest first, the latest being the run as it stands. */
export function attemptsOf(run: RunRecord): RunAttemptRecord[] {
  return [
    ...(run.previousAttempts ?? []),
    {
      runAttempt: run.runAttempt,
      conclusion: run.conclusion,
      runStartedAt: run.runStartedAt,
      updatedAt: run.updatedAt,
      jobs: run.jobs,
    },
  ];
}

/** The run as GitHub showed it after `attempt`: that attempt's verdict and times. */
function runAtAttempt(run: RunRecord, attempt: RunAttemptRecord): RunRecord {
  if (attempt.runAttempt === run.runAttempt) return run;
  return {
    ...run,
    runAttempt: attempt.runAttempt,
    status: 'completed',
    conclusion: attempt.conclusion,
    runStartedAt: attempt.runStartedAt,
    updatedAt: attempt.updatedAt,
    jobs: attempt.jobs,
  };
}

/**
 * A run's jobs with GitHub's `filter` (`latest`, the default, or `all`: every attempt's jobs, the
 * latest attempt's first), and one attempt of a run and its jobs (`.../attempts/{n}`).
 */
export function registerAttemptRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.get(
    '/actions/runs/:runId/jobs',
    withRun(ctx, (req, res, run) => {
      const filter = ctx.query(req, 'filter') ?? 'latest';
      if (filter !== 'latest' && filter !== 'all') {
        ctx.fail(
          req,
          res,
          422,
          `Invalid request.\n\n${JSON.stringify(
            filter,
          )} is not a member of ["latest", "all"].`,
        );
        return;
      }
      const attempts =
        filter === 'all'
          ? attemptsOf(run).reverse()
          : attemptsOf(run).slice(-1);
      const jobs = attempts.flatMap(a =>
        a.jobs.map(job => ({ job, attempt: a.runAttempt })),
      );
      const r = ctx.repo(res).renderer();
      ctx.sendPage(req, res, 'jobs', jobs, j => r.job(run, j.job, j.attempt));
    }),
  );
  const attemptOf = (run: RunRecord, n: string) =>
    attemptsOf(run).find(a => String(a.runAttempt) === n);
  repo.get(
    '/actions/runs/:runId/attempts/:attempt',
    withRun(ctx, (req, res, run) => {
      const attempt = attemptOf(run, req.params.attempt);
      if (!attempt) ctx.fail(req, res, 404, 'Not Found');
      else {
        const r = ctx.repo(res).renderer();
        ctx.send(req, res, 200, r.run(runAtAttempt(run, attempt)));
      }
    }),
  );
  repo.get(
    '/actions/runs/:runId/attempts/:attempt/jobs',
    withRun(ctx, (req, res, run) => {
      const attempt = attemptOf(run, req.params.attempt);
      if (!attempt) {
        ctx.fail(req, res, 404, 'Not Found');
        return;
      }
      const r = ctx.repo(res).renderer();
      ctx.sendPage(req, res, 'jobs', attempt.jobs, job =>
        r.job(run, job, attempt.runAttempt),
      );
    }),
  );
}
