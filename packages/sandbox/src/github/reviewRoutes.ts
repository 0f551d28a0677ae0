import { Request, Response, Router } from 'express';
import { reviewRefusal, reviewRun } from '../world/approve';
import { RunRecord } from '../world/types';
import { GithubRouteContext } from './context';
import { DOCS } from './http';
import { PORTAL_APP } from './identity';
import { withRun } from './runRoutes';

function bodyOf(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null ? req.body : {};
}

const notOneOfStates = (state: unknown) =>
  `Invalid request.\n\nFor 'properties/state', ${JSON.stringify(
    state,
  )} is not one of ["approved", "rejected"].`;

/** What GitHub answers 422 to in a review body, or the review when it is well formed. */
function parseReview(
  body: Record<string, unknown>,
):
  | { error: string }
  | { ids: number[]; state: 'approved' | 'rejected'; comment: string } {
  for (const field of ['environment_ids', 'state', 'comment']) {
    if (body[field] === undefined) {
      return { error: `Invalid request.\n\n"${field}" wasn't supplied.` };
    }
  }
  const ids = body.environment_ids;
  if (!Array.isArray(ids) || !ids.every(i => Number.isInteger(i))) {
    return {
      error: `Invalid request.\n\nFor 'properties/environment_ids', ${JSON.stringify(
        ids,
      )} is not an array of integers.`,
    };
  }
  if (body.state !== 'approved' && body.state !== 'rejected') {
    return { error: notOneOfStates(body.state) };
  }
  if (typeof body.comment !== 'string') {
    return {
      error: `Invalid request.\n\nFor 'properties/comment', ${JSON.stringify(
        body.comment,
      )} is not a string.`,
    };
  }
  return { ids, state: body.state, comment: body.comment };
}

/** `POST .../pending_deployments`: a required reviewer approves or rejects with their own token. */
function reviewPendingDeployments(
  ctx: GithubRouteContext,
  req: Request,
  res: Response,
  run: RunRecord,
) {
  if (
    ctx.refuseInstallation(
      req,
      res,
      'actions/workflow-runs#review-pending-deployments-for-a-workflow-run',
    )
  )
    return;
  const review = parseReview(bodyOf(req));
  if ('error' in review) {
    ctx.fail(req, res, 422, review.error);
    return;
  }
  const { world, writer, renderer } = ctx.repo(res);
  const env = world.environments.find(e => e.name === run.pendingEnvironment);
  if (run.status !== 'waiting' || !env) {
    ctx.fail(
      req,
      res,
      422,
      'Unable to review: this workflow run has no pending deployments.',
    );
    return;
  }
  if (!review.ids.includes(env.id)) {
    ctx.fail(
      req,
      res,
      422,
      `Unable to review: environment ids ${JSON.stringify(
        review.ids,
      )} are not pending for this run.`,
    );
    return;
  }
  const refusal = reviewRefusal(world, run, env, res.locals.login);
  if (refusal) {
    ctx.fail(req, res, 422, refusal);
    return;
  }
  const since = run.waitTimerStartedAt ?? run.createdAt;
  const deployments = reviewRun(writer, run, {
    state: review.state,
    comment: review.comment,
    user: res.locals.login,
    at: ctx.clock(),
  });
  ctx.onReview?.({
    world,
    run,
    environment: env,
    state: review.state,
    comment: review.comment,
    reviewer: res.locals.login,
    via: 'required-reviewers',
    since,
    deployments,
  });
  const r = renderer();
  ctx.send(
    req,
    res,
    200,
    deployments.map(d => r.deployment(d)),
  );
}

/** `POST .../deployment_protection_rule`: the portal's App answers its custom rule. */
function answerProtectionRule(
  ctx: GithubRouteContext,
  req: Request,
  res: Response,
  run: RunRecord,
) {
  if (ctx.identity(res).kind !== 'installation') {
    ctx.fail(
      req,
      res,
      403,
      'Only GitHub Apps can review their custom deployment protection rules.',
      `${DOCS}/actions/workflow-runs#review-custom-deployment-protection-rules-for-a-workflow-run`,
    );
    return;
  }
  const body = bodyOf(req);
  if (typeof body.environment_name !== 'string') {
    ctx.fail(
      req,
      res,
      422,
      `Invalid request.\n\n"environment_name" wasn't supplied.`,
    );
    return;
  }
  const state = body.state;
  if (state !== undefined && state !== 'approved' && state !== 'rejected') {
    ctx.fail(req, res, 422, notOneOfStates(state));
    return;
  }
  if (state === undefined && typeof body.comment !== 'string') {
    ctx.fail(req, res, 422, `Invalid request.\n\n"comment" wasn't supplied.`);
    return;
  }
  const { world, writer } = ctx.repo(res);
  const env = world.environments.find(e => e.name === body.environment_name);
  if (
    run.status !== 'waiting' ||
    run.pendingEnvironment !== body.environment_name ||
    !env ||
    !env.customRules.some(c => c.appSlug === PORTAL_APP.slug)
  ) {
    ctx.fail(
      req,
      res,
      422,
      `No pending custom deployment protection rule of ${PORTAL_APP.slug} for environment ${body.environment_name}.`,
    );
    return;
  }
  if (state) {
    const since = run.waitTimerStartedAt ?? run.createdAt;
    const comment = typeof body.comment === 'string' ? body.comment : '';
    const deployments = reviewRun(writer, run, {
      state,
      comment,
      user: PORTAL_APP.botLogin,
      at: ctx.clock(),
    });
    ctx.onReview?.({
      world,
      run,
      environment: env,
      state,
      comment,
      reviewer: PORTAL_APP.botLogin,
      via: 'custom-rule',
      since,
      deployments,
    });
  }
  ctx.send(req, res, 204, undefined);
}

/** The two ways a waiting deployment gets decided: required reviewers, or the portal's App. */
export function registerReviewRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.post(
    '/actions/runs/:runId/pending_deployments',
    withRun(ctx, (req, res, run) =>
      reviewPendingDeployments(ctx, req, res, run),
    ),
  );
  repo.post(
    '/actions/runs/:runId/deployment_protection_rule',
    withRun(ctx, (req, res, run) => answerProtectionRule(ctx, req, res, run)),
  );
}
