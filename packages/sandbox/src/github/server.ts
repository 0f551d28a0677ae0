import express, { NextFunction, Request, Response, Router } from 'express';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../random';
import { FaultState, RequestLog, faultMiddleware } from '../faults';
import { canApprove, reviewRefusal, reviewRun } from '../world/approve';
import {
  DeploymentRecord,
  EnvironmentRecord,
  RunRecord,
  SandboxWorld,
} from '../world/types';
import { WorldWriter } from '../world/writer';
import { GithubRenderer } from './render';
import { renderHtml } from './html';
import { Identity, PORTAL_APP, TokenRegistry } from './identity';
import { createOAuthRouter, OAuthClient } from './oauth';
import { registerPipelineRoutes, registerTeamRoutes } from './pipelineRoutes';

const DOCS = 'https://docs.github.com/rest';
const API_VERSION = '2022-11-28';

export interface GithubServerOptions {
  world: SandboxWorld;
  writer: WorldWriter;
  faults: FaultState;
  log: RequestLog;
  held: Set<Response>;
  /** e.g. http://127.0.0.1:7100 (resolved after listen). */
  webUrl: () => string;
  /** Sandbox clock in ms (seed `now` + elapsed time). */
  clock: () => number;
  tokens: TokenRegistry;
  oauthClient: OAuthClient;
  /** Called after a review changed a run (for webhooks). */
  onReview?: (event: ReviewEvent) => void;
  /** Items per page at most (default and ceiling 100, as GitHub). */
  maxPageSize?: number;
}

export interface ReviewEvent {
  run: RunRecord;
  environment: EnvironmentRecord;
  state: 'approved' | 'rejected';
  comment: string;
  /** Who reviewed: a person (required reviewers) or the portal's bot (custom rule). */
  reviewer: string;
  via: 'required-reviewers' | 'custom-rule';
  /** When the run had been waiting since (before the review). */
  since: string;
  deployments: DeploymentRecord[];
}

const INTEGRATION_FORBIDDEN = 'Resource not accessible by integration';

class RateLimit {
  limit = 5000;
  used = 0;
  reset = Math.floor(Date.now() / 1000) + 3600;

  tick(count: boolean) {
    const nowSec = Math.floor(Date.now() / 1000);
    if (nowSec >= this.reset) {
      this.used = 0;
      this.reset = nowSec + 3600;
    }
    if (count && this.used < this.limit) this.used += 1;
  }

  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.limit - this.used),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-reset': String(this.reset),
      'x-ratelimit-resource': 'core',
    };
  }
}

function errorBody(status: number, message: string, docs = DOCS) {
  return { message, documentation_url: docs, status: String(status) };
}

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

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

export function createGithubApp(opts: GithubServerOptions): express.Express {
  const { world, writer } = opts;
  const rate = new RateLimit();
  const apiUrl = () => `${opts.webUrl()}/api/v3`;
  const renderer = () => new GithubRenderer(world, apiUrl(), opts.webUrl());

  const send = (
    req: Request,
    res: Response,
    status: number,
    body: unknown,
    options: { countsAgainstLimit?: boolean } = {},
  ) => {
    const json = JSON.stringify(body);
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': API_VERSION,
      'x-github-request-id': res.locals.requestId,
    });
    if (req.method === 'GET' && status === 200) {
      const etag = `W/"${sha256Hex(json)}"`;
      res.set({
        ETag: etag,
        'Cache-Control': 'private, max-age=60, s-maxage=60',
        Vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
      });
      const inm = req.get('if-none-match');
      if (inm) {
        const strip = (t: string) => t.trim().replace(/^W\//, '');
        const wanted = strip(etag);
        if (inm.split(',').some(t => strip(t) === wanted || t.trim() === '*')) {
          rate.tick(false);
          res.set(rate.headers());
          res.status(304).end();
          return;
        }
      }
    }
    rate.tick(options.countsAgainstLimit !== false);
    res.set(rate.headers());
    if (status === 204) {
      res.status(204).end();
      return;
    }
    res.status(status).send(json);
  };
  const fail = (
    req: Request,
    res: Response,
    status: number,
    message: string,
    docs?: string,
  ) => send(req, res, status, errorBody(status, message, docs));
  const identity = (res: Response): Identity => res.locals.identity;
  /** GitHub answers 403 to installation tokens on user-only endpoints; true when it did. */
  const refuseInstallation = (req: Request, res: Response, docs: string) => {
    if (identity(res).kind !== 'installation') return false;
    fail(req, res, 403, INTEGRATION_FORBIDDEN, `${DOCS}/${docs}`);
    return true;
  };

  const paginate = <T>(req: Request, res: Response, items: T[]): T[] => {
    const perRaw = Number(queryString(req, 'per_page') ?? 30);
    const ceiling = Math.min(opts.maxPageSize ?? 100, 100);
    const perPage = Math.min(
      Number.isInteger(perRaw) && perRaw > 0 ? perRaw : 30,
      ceiling,
    );
    const pageRaw = Number(queryString(req, 'page') ?? 1);
    const page = Number.isInteger(pageRaw) && pageRaw > 0 ? pageRaw : 1;
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const url = (p: number) => {
      const u = new URL(req.originalUrl, opts.webUrl());
      const params = new URLSearchParams(u.search);
      params.set('page', String(p));
      return `${opts.webUrl()}${u.pathname}?${params.toString()}`;
    };
    if (page > 1) links.push(`<${url(Math.min(page - 1, last))}>; rel="prev"`);
    if (page < last) {
      links.push(`<${url(page + 1)}>; rel="next"`);
      links.push(`<${url(last)}>; rel="last"`);
    }
    if (page > 1) links.push(`<${url(1)}>; rel="first"`);
    if (links.length > 0) res.set('Link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    faultMiddleware({
      source: 'github',
      faults: opts.faults,
      log: opts.log,
      held: opts.held,
      bodies: {
        error: (status, message) => ({ body: errorBody(status, message) }),
        malformed:
          '{"total_count":42,"workflow_runs":[{"id":11482113001,"name":"Test","head_bra',
      },
    }),
  );
  app.use((_req, res, next) => {
    res.locals.requestId = `${randomBytes(2)
      .toString('hex')
      .toUpperCase()}:${randomBytes(3)
      .toString('hex')
      .toUpperCase()}:${randomBytes(4).toString('hex').toUpperCase()}`;
    next();
  });

  const api = Router();
  api.use((req, res, next) => {
    const header = req.get('authorization');
    const m = header ? /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim()) : null;
    const who = m ? opts.tokens.resolve(m[1]) : undefined;
    if (!who) {
      fail(req, res, 401, 'Bad credentials');
      return;
    }
    res.locals.identity = who;
    res.locals.login = who.login;
    if (who.kind === 'user' && who.scopes) {
      res.set('x-oauth-scopes', who.scopes.join(', '));
    }
    next();
  });
  api.use(express.json({ limit: '1mb' }));

  api.get('/rate_limit', (req, res) => {
    rate.tick(false);
    const core = {
      limit: rate.limit,
      remaining: rate.limit - rate.used,
      reset: rate.reset,
      used: rate.used,
    };
    const other = (limit: number) => ({
      limit,
      remaining: limit,
      reset: rate.reset,
      used: 0,
    });
    send(
      req,
      res,
      200,
      {
        resources: {
          core,
          search: other(30),
          graphql: other(5000),
          integration_manifest: other(5000),
        },
        rate: core,
      },
      { countsAgainstLimit: false },
    );
  });
  api.get('/user', (req, res) => {
    if (refuseInstallation(req, res, 'users/users#get-the-authenticated-user'))
      return;
    send(req, res, 200, renderer().authenticatedUser(res.locals.login));
  });
  api.get('/user/emails', (req, res) => {
    if (
      refuseInstallation(
        req,
        res,
        'users/emails#list-email-addresses-for-the-authenticated-user',
      )
    )
      return;
    const p = world.people.find(x => x.login === res.locals.login);
    send(req, res, 200, [
      {
        email: p?.email ?? `${res.locals.login}@lexecon.ai`,
        primary: true,
        verified: true,
        visibility: 'private',
      },
    ]);
  });
  api.get('/users/:login', (req, res) => {
    const p = world.people.find(x => x.login === req.params.login);
    if (!p) fail(req, res, 404, 'Not Found');
    else send(req, res, 200, renderer().user(p.login));
  });

  const repo = Router({ mergeParams: true });
  api.use(
    '/repos/:owner/:repo',
    (req: Request, res: Response, next: NextFunction) => {
      if (
        req.params.owner.toLowerCase() !== world.owner ||
        req.params.repo.toLowerCase() !== world.repo
      ) {
        fail(req, res, 404, 'Not Found');
        return;
      }
      next();
    },
    repo,
  );

  repo.get('/', (req, res) => send(req, res, 200, renderer().repository()));

  const findWorkflow = (idOrFile: string) =>
    world.workflows.find(w => String(w.id) === idOrFile || w.file === idOrFile);

  repo.get('/actions/workflows', (req, res) => {
    const r = renderer();
    const page = paginate(req, res, world.workflows);
    send(req, res, 200, {
      total_count: world.workflows.length,
      workflows: page.map(w => r.workflow(w)),
    });
  });
  repo.get('/actions/workflows/:workflowId', (req, res) => {
    const wf = findWorkflow(req.params.workflowId);
    if (!wf) fail(req, res, 404, 'Not Found');
    else send(req, res, 200, renderer().workflow(wf));
  });

  const listRuns = (req: Request, res: Response, workflowId?: number) => {
    let runs = world.runs.filter(
      r => workflowId === undefined || r.workflowId === workflowId,
    );
    const status = queryString(req, 'status');
    if (status) {
      runs = runs.filter(r =>
        CONCLUSIONS.includes(status)
          ? r.conclusion === status
          : r.status === status,
      );
    }
    const branch = queryString(req, 'branch');
    if (branch) runs = runs.filter(r => r.headBranch === branch);
    const event = queryString(req, 'event');
    if (event) runs = runs.filter(r => r.event === event);
    const actor = queryString(req, 'actor');
    if (actor)
      runs = runs.filter(r => r.actor.toLowerCase() === actor.toLowerCase());
    const headSha = queryString(req, 'head_sha');
    if (headSha) runs = runs.filter(r => r.headSha === headSha);
    const created = queryString(req, 'created');
    if (created) {
      const range = parseCreated(created);
      if (!range) {
        fail(
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
    const newestFirst = [...runs].reverse();
    const page = paginate(req, res, newestFirst);
    const r = renderer();
    send(req, res, 200, {
      total_count: newestFirst.length,
      workflow_runs: page.map(run => r.run(run)),
    });
  };
  repo.get('/actions/runs', (req, res) => listRuns(req, res));
  repo.get('/actions/workflows/:workflowId/runs', (req, res) => {
    const wf = findWorkflow(req.params.workflowId);
    if (!wf) fail(req, res, 404, 'Not Found');
    else listRuns(req, res, wf.id);
  });

  const withRun =
    (handler: (req: Request, res: Response, run: RunRecord) => void) =>
    (req: Request, res: Response) => {
      const run = world.runs.find(r => String(r.id) === req.params.runId);
      if (!run) fail(req, res, 404, 'Not Found');
      else handler(req, res, run);
    };

  repo.get(
    '/actions/runs/:runId',
    withRun((req, res, run) => send(req, res, 200, renderer().run(run))),
  );
  repo.get(
    '/actions/runs/:runId/jobs',
    withRun((req, res, run) => {
      const r = renderer();
      const page = paginate(req, res, run.jobs);
      send(req, res, 200, {
        total_count: run.jobs.length,
        jobs: page.map(j => r.job(run, j)),
      });
    }),
  );
  repo.get('/actions/jobs/:jobId', (req, res) => {
    for (const run of world.runs) {
      const job = run.jobs.find(j => String(j.id) === req.params.jobId);
      if (job) {
        send(req, res, 200, renderer().job(run, job));
        return;
      }
    }
    fail(req, res, 404, 'Not Found');
  });
  repo.get(
    '/actions/runs/:runId/approvals',
    withRun((req, res, run) => {
      const r = renderer();
      send(
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
    withRun((req, res, run) => {
      const env = world.environments.find(
        e => e.name === run.pendingEnvironment,
      );
      if (!env) {
        send(req, res, 200, []);
        return;
      }
      const r = renderer();
      send(req, res, 200, [
        {
          environment: r.environmentRef(env),
          wait_timer: env.waitTimer,
          wait_timer_started_at: run.waitTimerStartedAt ?? run.createdAt,
          current_user_can_approve:
            identity(res).kind === 'user' &&
            canApprove(world, run, env, res.locals.login),
          reviewers: r.reviewers(env),
        },
      ]);
    }),
  );
  repo.post(
    '/actions/runs/:runId/pending_deployments',
    withRun((req, res, run) => {
      if (
        refuseInstallation(
          req,
          res,
          'actions/workflow-runs#review-pending-deployments-for-a-workflow-run',
        )
      )
        return;
      const body: Record<string, unknown> =
        typeof req.body === 'object' && req.body !== null ? req.body : {};
      for (const field of ['environment_ids', 'state', 'comment']) {
        if (body[field] === undefined) {
          fail(
            req,
            res,
            422,
            `Invalid request.\n\n"${field}" wasn't supplied.`,
          );
          return;
        }
      }
      const ids = body.environment_ids;
      if (!Array.isArray(ids) || !ids.every(i => Number.isInteger(i))) {
        fail(
          req,
          res,
          422,
          `Invalid request.\n\nFor 'properties/environment_ids', ${JSON.stringify(
            ids,
          )} is not an array of integers.`,
        );
        return;
      }
      if (body.state !== 'approved' && body.state !== 'rejected') {
        fail(
          req,
          res,
          422,
          `Invalid request.\n\nFor 'properties/state', ${JSON.stringify(
            body.state,
          )} is not one of ["approved", "rejected"].`,
        );
        return;
      }
      if (typeof body.comment !== 'string') {
        fail(
          req,
          res,
          422,
          `Invalid request.\n\nFor 'properties/comment', ${JSON.stringify(
            body.comment,
          )} is not a string.`,
        );
        return;
      }
      const env = world.environments.find(
        e => e.name === run.pendingEnvironment,
      );
      if (run.status !== 'waiting' || !env) {
        fail(
          req,
          res,
          422,
          'Unable to review: this workflow run has no pending deployments.',
        );
        return;
      }
      if (!ids.includes(env.id)) {
        fail(
          req,
          res,
          422,
          `Unable to review: environment ids ${JSON.stringify(
            ids,
          )} are not pending for this run.`,
        );
        return;
      }
      const refusal = reviewRefusal(world, run, env, res.locals.login);
      if (refusal) {
        fail(req, res, 422, refusal);
        return;
      }
      const since = run.waitTimerStartedAt ?? run.createdAt;
      const deployments = reviewRun(writer, run, {
        state: body.state,
        comment: body.comment,
        user: res.locals.login,
        at: opts.clock(),
      });
      opts.onReview?.({
        run,
        environment: env,
        state: body.state,
        comment: body.comment,
        reviewer: res.locals.login,
        via: 'required-reviewers',
        since,
        deployments,
      });
      const r = renderer();
      send(
        req,
        res,
        200,
        deployments.map(d => r.deployment(d)),
      );
    }),
  );
  repo.post(
    '/actions/runs/:runId/deployment_protection_rule',
    withRun((req, res, run) => {
      if (identity(res).kind !== 'installation') {
        fail(
          req,
          res,
          403,
          'Only GitHub Apps can review their custom deployment protection rules.',
          `${DOCS}/actions/workflow-runs#review-custom-deployment-protection-rules-for-a-workflow-run`,
        );
        return;
      }
      const body: Record<string, unknown> =
        typeof req.body === 'object' && req.body !== null ? req.body : {};
      if (typeof body.environment_name !== 'string') {
        fail(
          req,
          res,
          422,
          `Invalid request.\n\n"environment_name" wasn't supplied.`,
        );
        return;
      }
      if (
        body.state !== undefined &&
        body.state !== 'approved' &&
        body.state !== 'rejected'
      ) {
        fail(
          req,
          res,
          422,
          `Invalid request.\n\nFor 'properties/state', ${JSON.stringify(
            body.state,
          )} is not one of ["approved", "rejected"].`,
        );
        return;
      }
      if (body.state === undefined && typeof body.comment !== 'string') {
        fail(req, res, 422, `Invalid request.\n\n"comment" wasn't supplied.`);
        return;
      }
      const env = world.environments.find(
        e => e.name === body.environment_name,
      );
      if (
        run.status !== 'waiting' ||
        run.pendingEnvironment !== body.environment_name ||
        !env ||
        !env.customRules.some(c => c.appSlug === PORTAL_APP.slug)
      ) {
        fail(
          req,
          res,
          422,
          `No pending custom deployment protection rule of ${PORTAL_APP.slug} for environment ${body.environment_name}.`,
        );
        return;
      }
      if (body.state) {
        const since = run.waitTimerStartedAt ?? run.createdAt;
        const comment = typeof body.comment === 'string' ? body.comment : '';
        const deployments = reviewRun(writer, run, {
          state: body.state,
          comment,
          user: PORTAL_APP.botLogin,
          at: opts.clock(),
        });
        opts.onReview?.({
          run,
          environment: env,
          state: body.state,
          comment,
          reviewer: PORTAL_APP.botLogin,
          via: 'custom-rule',
          since,
          deployments,
        });
      }
      send(req, res, 204, undefined);
    }),
  );

  repo.get('/deployments', (req, res) => {
    let list = [...world.deployments].reverse();
    for (const field of ['sha', 'ref', 'task', 'environment'] as const) {
      const v = queryString(req, field);
      if (v) list = list.filter(d => d[field] === v);
    }
    const r = renderer();
    send(
      req,
      res,
      200,
      paginate(req, res, list).map(d => r.deployment(d)),
    );
  });
  const findDeployment = (id: string) =>
    world.deployments.find(d => String(d.id) === id);
  repo.get('/deployments/:id', (req, res) => {
    const d = findDeployment(req.params.id);
    if (!d) fail(req, res, 404, 'Not Found');
    else send(req, res, 200, renderer().deployment(d));
  });
  repo.get('/deployments/:id/statuses', (req, res) => {
    const d = findDeployment(req.params.id);
    if (!d) {
      fail(req, res, 404, 'Not Found');
      return;
    }
    const r = renderer();
    const list = [...d.statuses].reverse();
    send(
      req,
      res,
      200,
      paginate(req, res, list).map(s => r.deploymentStatus(d, s)),
    );
  });
  repo.get('/deployments/:id/statuses/:statusId', (req, res) => {
    const d = findDeployment(req.params.id);
    const s = d?.statuses.find(x => String(x.id) === req.params.statusId);
    if (!d || !s) fail(req, res, 404, 'Not Found');
    else send(req, res, 200, renderer().deploymentStatus(d, s));
  });

  repo.get('/environments', (req, res) => {
    const r = renderer();
    const page = paginate(req, res, world.environments);
    send(req, res, 200, {
      total_count: world.environments.length,
      environments: page.map(e => r.environment(e)),
    });
  });
  repo.get('/environments/:name', (req, res) => {
    const env = world.environments.find(e => e.name === req.params.name);
    if (!env) fail(req, res, 404, 'Not Found');
    else send(req, res, 200, renderer().environment(env));
  });
  repo.get('/environments/:name/deployment_protection_rules', (req, res) => {
    const env = world.environments.find(e => e.name === req.params.name);
    if (!env) {
      fail(req, res, 404, 'Not Found');
      return;
    }
    const r = renderer();
    send(req, res, 200, {
      total_count: env.customRules.length,
      custom_deployment_protection_rules: env.customRules.map(c =>
        r.customRule(c),
      ),
    });
  });

  const resolveRef = (ref: string): number => {
    const commits = world.commits;
    if (ref === 'main' || ref === 'HEAD' || ref === 'refs/heads/main')
      return commits.length - 1;
    const tagName = ref.replace(/^refs\/tags\//, '');
    const tag = world.tags.find(t => t.name === tagName);
    if (tag) return commits.findIndex(c => c.sha === tag.sha);
    if (/^[0-9a-f]{4,40}$/i.test(ref)) {
      const matches = commits
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.sha.startsWith(ref.toLowerCase()));
      if (matches.length === 1) return matches[0].i;
    }
    return -1;
  };

  repo.get('/compare/:basehead', (req, res) => {
    const m = /^(.+?)\.\.\.(.+)$/.exec(req.params.basehead);
    if (!m) {
      fail(req, res, 404, 'Not Found');
      return;
    }
    const b = resolveRef(m[1]);
    const h = resolveRef(m[2]);
    if (b < 0 || h < 0) {
      fail(req, res, 404, 'Not Found');
      return;
    }
    const r = renderer();
    const commits = world.commits;
    const ahead = Math.max(0, h - b);
    const behind = Math.max(0, b - h);
    let status: 'ahead' | 'behind' | 'identical' = 'identical';
    if (ahead > 0) status = 'ahead';
    else if (behind > 0) status = 'behind';
    const included = ahead > 0 ? commits.slice(b + 1, h + 1).slice(-250) : [];
    const mergeBase = commits[Math.min(b, h)];
    const compareWeb = `${r.repoWeb}/compare/${m[1]}...${m[2]}`;
    send(req, res, 200, {
      url: `${r.repoApi}/compare/${m[1]}...${m[2]}`,
      html_url: compareWeb,
      permalink_url: `${r.repoWeb}/compare/${world.owner}:${commits[
        b
      ].sha.slice(0, 7)}...${world.owner}:${commits[h].sha.slice(0, 7)}`,
      diff_url: `${compareWeb}.diff`,
      patch_url: `${compareWeb}.patch`,
      base_commit: r.commit(commits[b]),
      merge_base_commit: r.commit(mergeBase),
      status,
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      commits: included.map(c => r.commit(c)),
      files: [],
    });
  });

  repo.get('/commits/:ref', (req, res) => {
    const i = resolveRef(req.params.ref);
    if (i < 0) {
      fail(req, res, 422, `No commit found for SHA: ${req.params.ref}`);
      return;
    }
    const c = world.commits[i];
    send(req, res, 200, {
      ...renderer().commit(c),
      stats: {
        additions: c.additions,
        deletions: c.deletions,
        total: c.additions + c.deletions,
      },
      files: [],
    });
  });

  repo.get('/tags', (req, res) => {
    const r = renderer();
    const list = [...world.tags].reverse();
    send(
      req,
      res,
      200,
      paginate(req, res, list).map(t => r.tag(t)),
    );
  });
  repo.get('/git/refs/tags', (req, res) => {
    const r = renderer();
    send(
      req,
      res,
      200,
      world.tags.map(t => ({
        ref: `refs/tags/${t.name}`,
        node_id: r.tag(t).node_id,
        url: `${r.repoApi}/git/refs/tags/${t.name}`,
        object: {
          sha: t.sha,
          type: 'commit',
          url: `${r.repoApi}/git/commits/${t.sha}`,
        },
      })),
    );
  });

  const pipelineContext = {
    world,
    renderer,
    send: (req: Request, res: Response, status: number, body: unknown) =>
      send(req, res, status, body),
    fail: (req: Request, res: Response, status: number, message: string) =>
      fail(req, res, status, message),
    paginate,
    resolveRef,
    query: queryString,
  };
  registerPipelineRoutes(repo, pipelineContext);
  registerTeamRoutes(api, pipelineContext);

  api.use((req, res) => fail(req, res, 404, 'Not Found'));
  api.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status =
      typeof err === 'object' &&
      err !== null &&
      'type' in err &&
      err.type === 'entity.parse.failed'
        ? 400
        : 500;
    fail(
      req,
      res,
      status,
      status === 400 ? 'Problems parsing JSON' : 'Server Error',
    );
  });
  app.use('/api/v3', api);
  app.use(
    '/login/oauth',
    createOAuthRouter({
      world,
      tokens: opts.tokens,
      client: opts.oauthClient,
    }),
  );

  // Tiny web pages so html_url links open something.
  app.get('*', (req, res) => {
    res
      .status(200)
      .type('html')
      .send(renderHtml(world, req.path, opts.webUrl()));
  });
  app.use((_req, res) => {
    res.status(404).json(errorBody(404, 'Not Found'));
  });
  return app;
}
