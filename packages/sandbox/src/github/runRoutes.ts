import { Request, Response, Router } from 'express';
import { canApprove } from '../world/approve';
import { RunRecord, SandboxWorld } from '../world/types';
import { attemptsOf, registerAttemptRoutes } from './attemptRoutes';
import { GithubRouteContext } from './context';

const CONCLUSIONS = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
];

/** GitHub's `created` filter: a date, `a..b` (either side `*`), or `>=`, `<=`, `>`, `<` a date. */
function parseCreated(expr: string): { from: number; to: number } | undefined {
  const dayStart = (s: string) =>
    Date.parse(/T/.test(s) ? s : `${s}T00:00:00Z`);
  const dayEnd = (s: string) =>
    /T/.test(s) ? Date.parse(s) : Date.parse(`${s}T00:00:00Z`) + 86_399_999;
  const range = /^(.+)\.\.(.+)$/.exec(expr);
  let from = -Infinity;
  let to = Infinity;
  if (range) {
    if (range[1] !== '*') from = dayStart(range[1]);
    if (range[2] !== '*') to = dayEnd(range[2]);
  } else if (expr.startsWith('>=')) from = dayStart(expr.slice(2));
  else if (expr.startsWith('<=')) to = dayEnd(expr.slice(2));
  else if (expr.startsWith('>')) from = dayEnd(expr.slice(1)) + 1;
  else if (expr.startsWith('<')) to = dayStart(expr.slice(1)) - 1;
  else {
    from = dayStart(expr);
    to = dayEnd(expr);
  }
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  return { from, to };
}

export function findWorkflow(world: SandboxWorld, idOrFile: string) {
  return world.workflows.find(
    w => String(w.id) === idOrFile || w.file === idOrFile,
  );
}

/** A handler for `.../runs/:runId/...`: 404 when the repository has no such run. */
export function withRun(
  ctx: GithubRouteContext,
  handler: (req: Request, res: Response, run: RunRecord) => void,
) {
  return (req: Request, res: Response) => {
    const run = ctx
      .repo(res)
      .world.runs.find(r => String(r.id) === req.params.runId);
    if (!run) ctx.fail(req, res, 404, 'Not Found');
    else handler(req, res, run);
  };
}

function listRuns(
  ctx: GithubRouteContext,
  req: Request,
  res: Response,
  workflowId?: number,
) {
  const { world, renderer } = ctx.repo(res);
  let runs = world.runs.filter(
    r => workflowId === undefined || r.workflowId === workflowId,
  );
  const status = ctx.query(req, 'status');
  if (status) {
    runs = runs.filter(r =>
      CONCLUSIONS.includes(status)
        ? r.conclusion === status
        : r.status === status,
    );
  }
  const branch = ctx.query(req, 'branch');
  if (branch) runs = runs.filter(r => r.headBranch === branch);
  const event = ctx.query(req, 'event');
  if (event) runs = runs.filter(r => r.event === event);
  const actor = ctx.query(req, 'actor');
  if (actor)
    runs = runs.filter(r => r.actor.toLowerCase() === actor.toLowerCase());
  const headSha = ctx.query(req, 'head_sha');
  if (headSha) runs = runs.filter(r => r.headSha === headSha);
  const created = ctx.query(req, 'created');
  if (created) {
    const range = parseCreated(created);
    if (!range) {
      ctx.fail(
        req,
        res,
        422,
        `Invalid request.\n\nInvalid created filter: ${created}`,
      );
      return;
    }
    runs = runs.filter(r => {
      const t = Date.parse(r.createdAt);
      return t >= range.from && t <= range.to;
    });
  }
  const r = renderer();
  ctx.sendPage(req, res, 'workflow_runs', [...runs].reverse(), run =>
    r.run(run),
  );
}

/** Workflows, runs (with GitHub's filters), jobs, recorded approvals and pending deployments. */
export function registerRunRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.get('/actions/workflows', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const r = renderer();
    ctx.sendPage(req, res, 'workflows', world.workflows, w => r.workflow(w));
  });
  repo.get('/actions/workflows/:workflowId', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const wf = findWorkflow(world, req.params.workflowId);
    if (!wf) ctx.fail(req, res, 404, 'Not Found');
    else ctx.send(req, res, 200, renderer().workflow(wf));
  });
  repo.get('/actions/runs', (req, res) => listRuns(ctx, req, res));
  repo.get('/actions/workflows/:workflowId/runs', (req, res) => {
    const wf = findWorkflow(ctx.repo(res).world, req.params.workflowId);
    if (!wf) ctx.fail(req, res, 404, 'Not Found');
    else listRuns(ctx, req, res, wf.id);
  });
  repo.get(
    '/actions/runs/:runId',
    withRun(ctx, (req, res, run) =>
      ctx.send(req, res, 200, ctx.repo(res).renderer().run(run)),
    ),
  );
  registerAttemptRoutes(repo, ctx);
  repo.get('/actions/jobs/:jobId', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    for (const run of world.runs) {
      for (const attempt of attemptsOf(run)) {
        const job = attempt.jobs.find(j => String(j.id) === req.params.jobId);
        if (job) {
          ctx.send(req, res, 200, renderer().job(run, job, attempt.runAttempt));
          return;
        }
      }
    }
    ctx.fail(req, res, 404, 'Not Found');
  });
  registerRunReviewReads(repo, ctx);
}

/** What a run's reviewers did (`approvals`) and what it waits for (`pending_deployments`). */
function registerRunReviewReads(repo: Router, ctx: GithubRouteContext) {
  repo.get(
    '/actions/runs/:runId/approvals',
    withRun(ctx, (req, res, run) => {
      const { world, renderer } = ctx.repo(res);
      const r = renderer();
      ctx.send(
        req,
        res,
        200,
        [...run.approvals].reverse().map(a => {
          const env = world.environments.find(e => e.name === a.environment);
          return {
            environments: env
              ? [
                  {
                    ...r.environmentRef(env),
                    created_at: env.createdAt,
                    updated_at: env.updatedAt,
                  },
                ]
              : [],
            state: a.state,
            user: r.user(a.user),
            comment: a.comment,
          };
        }),
      );
    }),
  );
  repo.get(
    '/actions/runs/:runId/pending_deployments',
    withRun(ctx, (req, res, run) => {
      const { world, renderer } = ctx.repo(res);
      const env = world.environments.find(
        e => e.name === run.pendingEnvironment,
      );
      if (!env) {
        ctx.send(req, res, 200, []);
        return;
      }
      const r = renderer();
      ctx.send(req, res, 200, [
        {
          environment: r.environmentRef(env),
          wait_timer: env.waitTimer,
          wait_timer_started_at: run.waitTimerStartedAt ?? run.createdAt,
          current_user_can_approve:
            ctx.identity(res).kind === 'user' &&
            canApprove(world, run, env, res.locals.login),
          reviewers: r.reviewers(env),
        },
      ]);
    }),
  );
}
