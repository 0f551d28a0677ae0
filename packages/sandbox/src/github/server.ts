import express, { NextFunction, Request, Response, Router } from 'express';
import { randomBytes } from 'node:crypto';
import type { PortfolioService } from '../portfolio/portfolio';
import {
  receivedBody,
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import { registerAccountRoutes } from './accountRoutes';
import { registerAlertRoutes } from './alertRoutes';
import { registerCheckRoutes } from './checkRoutes';
import { registerCommitRoutes } from './commitRoutes';
import { GithubRouteContext, RepoScope } from './context';
import { registerDeploymentRoutes } from './deploymentRoutes';
import { registerGovernanceRoutes } from './governanceRoutes';
import { renderHtml } from './html';
import {
  createResponder,
  DOCS,
  errorBody,
  GithubResponder,
  queryString,
} from './http';
import { Identity } from './identity';
import { createOAuthRouter } from './oauth';
import { registerPullRoutes } from './pullRoutes';
import { GithubRenderer } from './render';
import { registerReviewRoutes } from './reviewRoutes';
import { registerRunRoutes } from './runRoutes';

export type { ReviewEvent } from './context';

const INTEGRATION_FORBIDDEN = 'Resource not accessible by integration';

/** The route groups under `/repos/{owner}/{repo}`, each a module of its own. */
const REPO_ROUTE_GROUPS = [
  registerRunRoutes,
  registerReviewRoutes,
  registerDeploymentRoutes,
  registerCommitRoutes,
  registerCheckRoutes,
  registerAlertRoutes,
  registerPullRoutes,
  registerGovernanceRoutes,
];

function routeContext(
  ctx: UpstreamContext,
  responder: GithubResponder,
): GithubRouteContext {
  const webUrl = ctx.self.url;
  const apiUrl = () => `${webUrl()}/api/v3`;
  const org = ctx.portfolio.primary.service.world;
  const routes: GithubRouteContext = {
    send: responder.send,
    fail: responder.fail,
    paginate: responder.paginate,
    sendPage: responder.sendPage,
    query: queryString,
    repo: res => res.locals.repo as RepoScope,
    identity: res => res.locals.identity as Identity,
    refuseInstallation: (req, res, docs) => {
      if (routes.identity(res).kind !== 'installation') return false;
      responder.fail(req, res, 403, INTEGRATION_FORBIDDEN, `${DOCS}/${docs}`);
      return true;
    },
    refuseWithout: (req, res, permission, docs) => {
      const who = routes.identity(res);
      if (who.kind !== 'installation' || !who.lacks?.includes(permission)) {
        return false;
      }
      responder.fail(req, res, 403, INTEGRATION_FORBIDDEN, `${DOCS}/${docs}`);
      return true;
    },
    org,
    orgRenderer: () => new GithubRenderer(org, apiUrl(), webUrl()),
    clock: ctx.clock,
    onReview: ctx.github.onReview,
  };
  return routes;
}

/** The repository of the request, or GitHub's 404 for one the sandbox does not hold. */
function repoScope(ctx: UpstreamContext, routes: GithubRouteContext) {
  const scopeOf = (s: PortfolioService): RepoScope => {
    const { world } = s.service;
    return {
      world,
      writer: s.writer,
      renderer: () =>
        new GithubRenderer(world, `${ctx.self.url()}/api/v3`, ctx.self.url()),
    };
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const found = ctx.portfolio.repo(req.params.owner, req.params.repo);
    if (!found) {
      routes.fail(req, res, 404, 'Not Found');
      return;
    }
    res.locals.repo = scopeOf(found);
    next();
  };
}

/** Tokens as GitHub reads them (`token …` or `Bearer …`); anything unknown is a 401. */
function authenticate(ctx: UpstreamContext, routes: GithubRouteContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const m = header ? /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim()) : null;
    const who = m ? ctx.github.tokens.resolve(m[1]) : undefined;
    if (!who) {
      routes.fail(req, res, 401, 'Bad credentials');
      return;
    }
    res.locals.identity = who;
    res.locals.login = who.login;
    if (who.kind === 'user' && who.scopes) {
      res.set('x-oauth-scopes', who.scopes.join(', '));
    }
    next();
  };
}

function apiRouter(ctx: UpstreamContext, responder: GithubResponder): Router {
  const routes = routeContext(ctx, responder);
  const api = Router();
  api.use(authenticate(ctx, routes));
  api.use(receivedBody);
  registerAccountRoutes(api, routes, responder.rate);
  const repo = Router({ mergeParams: true });
  api.use('/repos/:owner/:repo', repoScope(ctx, routes), repo);
  repo.get('/', (req, res) =>
    routes.send(req, res, 200, routes.repo(res).renderer().repository()),
  );
  for (const register of REPO_ROUTE_GROUPS) register(repo, routes);

  api.use((req, res) => routes.fail(req, res, 404, 'Not Found'));
  api.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status =
      typeof err === 'object' &&
      err !== null &&
      'type' in err &&
      err.type === 'entity.parse.failed'
        ? 400
        : 500;
    routes.fail(
      req,
      res,
      status,
      status === 400 ? 'Problems parsing JSON' : 'Server Error',
    );
  });
  return api;
}

/**
 * GitHub Enterprise's REST API (`/api/v3`) for every repository of the portfolio, its OAuth web
 * flow, and small web pages for the `html_url`s it hands out.
 */
export function createGithubApp(ctx: UpstreamContext): express.Express {
  const responder = createResponder({
    webUrl: ctx.self.url,
    maxPageSize: ctx.options.maxPageSize,
  });
  const org = ctx.portfolio.primary.service.world;
  const app = upstreamApp(
    ctx,
    'github',
    {
      error: (status, message) => ({ body: errorBody(status, message) }),
      malformed:
        '{"total_count":42,"workflow_runs":[{"id":11482113001,"name":"Test","head_bra',
    },
    undefined,
    express.json({ limit: '1mb' }),
  );
  app.use((_req, res, next) => {
    res.locals.requestId = `${randomBytes(2)
      .toString('hex')
      .toUpperCase()}:${randomBytes(3)
      .toString('hex')
      .toUpperCase()}:${randomBytes(4).toString('hex').toUpperCase()}`;
    next();
  });
  app.use('/api/v3', apiRouter(ctx, responder));
  app.use(
    '/login/oauth',
    createOAuthRouter({
      world: org,
      tokens: ctx.github.tokens,
      client: ctx.github.oauthClient,
    }),
  );
  // Tiny web pages so html_url links open something.
  app.get('*', (req, res) => {
    const [, owner = '', repo = ''] = req.path.split('/');
    const world = ctx.portfolio.repo(owner, repo)?.service.world ?? org;
    res
      .status(200)
      .type('html')
      .send(renderHtml(world, req.path, ctx.self.url()));
  });
  app.use((_req, res) => {
    res.status(404).json(errorBody(404, 'Not Found'));
  });
  return app;
}

export const githubUpstream: UpstreamModule = {
  source: 'github',
  portOption: 'githubPort',
  tls: false,
  createApp: createGithubApp,
};
