import { Response, Router } from 'express';
import { GithubRouteContext } from './context';

/** Deployments with their statuses, and environments with their protection rules. */
export function registerDeploymentRoutes(
  repo: Router,
  ctx: GithubRouteContext,
) {
  repo.get('/deployments', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    let list = [...world.deployments].reverse();
    for (const field of ['sha', 'ref', 'task', 'environment'] as const) {
      const v = ctx.query(req, field);
      if (v) list = list.filter(d => d[field] === v);
    }
    const r = renderer();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(d => r.deployment(d)),
    );
  });
  const findDeployment = (res: Response, id: string) =>
    ctx.repo(res).world.deployments.find(d => String(d.id) === id);
  repo.get('/deployments/:id', (req, res) => {
    const d = findDeployment(res, req.params.id);
    if (!d) ctx.fail(req, res, 404, 'Not Found');
    else ctx.send(req, res, 200, ctx.repo(res).renderer().deployment(d));
  });
  repo.get('/deployments/:id/statuses', (req, res) => {
    const d = findDeployment(res, req.params.id);
    if (!d) {
      ctx.fail(req, res, 404, 'Not Found');
      return;
    }
    const r = ctx.repo(res).renderer();
    const list = [...d.statuses].reverse();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(s => r.deploymentStatus(d, s)),
    );
  });
  repo.get('/deployments/:id/statuses/:statusId', (req, res) => {
    const d = findDeployment(res, req.params.id);
    const s = d?.statuses.find(x => String(x.id) === req.params.statusId);
    if (!d || !s) ctx.fail(req, res, 404, 'Not Found');
    else
      ctx.send(req, res, 200, ctx.repo(res).renderer().deploymentStatus(d, s));
  });

  repo.get('/environments', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const r = renderer();
    ctx.sendPage(req, res, 'environments', world.environments, e =>
      r.environment(e),
    );
  });
  const findEnvironment = (res: Response, name: string) =>
    ctx.repo(res).world.environments.find(e => e.name === name);
  repo.get('/environments/:name', (req, res) => {
    const env = findEnvironment(res, req.params.name);
    if (!env) ctx.fail(req, res, 404, 'Not Found');
    else ctx.send(req, res, 200, ctx.repo(res).renderer().environment(env));
  });
  repo.get('/environments/:name/deployment_protection_rules', (req, res) => {
    const env = findEnvironment(res, req.params.name);
    if (!env) {
      ctx.fail(req, res, 404, 'Not Found');
      return;
    }
    const r = ctx.repo(res).renderer();
    ctx.send(req, res, 200, {
      total_count: env.customRules.length,
      custom_deployment_protection_rules: env.customRules.map(c =>
        r.customRule(c),
      ),
    });
  });
}
