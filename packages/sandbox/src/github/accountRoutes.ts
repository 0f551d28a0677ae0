import { Router } from 'express';
import { ORG_ADMINS } from '../world/governance';
import { GithubRouteContext } from './context';
import { DOCS, RateLimit } from './http';

/** `/rate_limit`, the token's person (`/user`, `/user/emails`), people and team members. */
export function registerAccountRoutes(
  api: Router,
  ctx: GithubRouteContext,
  rate: RateLimit,
): void {
  const { org } = ctx;
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
    ctx.send(
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
    if (
      ctx.refuseInstallation(req, res, 'users/users#get-the-authenticated-user')
    )
      return;
    ctx.send(
      req,
      res,
      200,
      ctx.orgRenderer().authenticatedUser(res.locals.login),
    );
  });
  api.get('/user/emails', (req, res) => {
    if (
      ctx.refuseInstallation(
        req,
        res,
        'users/emails#list-email-addresses-for-the-authenticated-user',
      )
    )
      return;
    const p = org.people.find(x => x.login === res.locals.login);
    ctx.send(req, res, 200, [
      {
        email: p?.email ?? `${res.locals.login}@lexecon.ai`,
        primary: true,
        verified: true,
        visibility: 'private',
      },
    ]);
  });
  api.get('/users/:login', (req, res) => {
    const p = org.people.find(x => x.login === req.params.login);
    if (!p) ctx.fail(req, res, 404, 'Not Found');
    else ctx.send(req, res, 200, ctx.orgRenderer().user(p.login));
  });
  api.get('/orgs/:org/members', (req, res) => {
    if (req.params.org.toLowerCase() !== org.owner) {
      ctx.fail(req, res, 404, 'Not Found');
      return;
    }
    const role = ctx.query(req, 'role') ?? 'all';
    if (!['all', 'admin', 'member'].includes(role)) {
      ctx.fail(
        req,
        res,
        422,
        'Validation Failed',
        `${DOCS}/orgs/members#list-organization-members`,
      );
      return;
    }
    // GitHub's own `web-flow` committer is no member; the Apps' bots are not either.
    const members = org.people
      .filter(p => p.type === 'User' && p.login !== 'web-flow')
      .map(p => p.login)
      .filter(login => {
        if (role === 'all') return true;
        return ORG_ADMINS.includes(login) === (role === 'admin');
      })
      .sort((a, b) => a.localeCompare(b));
    const r = ctx.orgRenderer();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, members).map(m => r.user(m)),
    );
  });
  api.get('/orgs/:org/teams/:slug/members', (req, res) => {
    const team = org.teams.find(t => t.slug === req.params.slug);
    if (req.params.org.toLowerCase() !== org.owner || !team) {
      ctx.fail(req, res, 404, 'Not Found');
      return;
    }
    const r = ctx.orgRenderer();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, team.members).map(m => r.user(m)),
    );
  });
}
