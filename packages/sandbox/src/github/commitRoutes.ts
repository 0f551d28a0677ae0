import { Request, Response, Router } from 'express';
import { SandboxWorld } from '../world/types';
import { GithubRouteContext } from './context';

/** Index into `world.commits` of a branch, tag or (short) sha; -1 when none. */
export function resolveRef(world: SandboxWorld, ref: string): number {
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
}

function compare(ctx: GithubRouteContext, req: Request, res: Response) {
  const { world, renderer } = ctx.repo(res);
  const m = /^(.+?)\.\.\.(.+)$/.exec(req.params.basehead);
  if (!m) {
    ctx.fail(req, res, 404, 'Not Found');
    return;
  }
  const b = resolveRef(world, m[1]);
  const h = resolveRef(world, m[2]);
  if (b < 0 || h < 0) {
    ctx.fail(req, res, 404, 'Not Found');
    return;
  }
  const r = renderer();
  const commits = world.commits;
  const ahead = Math.max(0, h - b);
  const behind = Math.max(0, b - h);
  let status: 'ahead' | 'behind' | 'identical' = 'identical';
  if (ahead > 0) status = 'ahead';
  else if (behind > 0) status = 'behind';
  const all = ahead > 0 ? commits.slice(b + 1, h + 1) : [];
  // GitHub lists at most 250 commits unless asked for pages, which then follow `Link`.
  const paged = ctx.query(req, 'page') ?? ctx.query(req, 'per_page');
  const included =
    paged === undefined ? all.slice(-250) : ctx.paginate(req, res, all);
  const mergeBase = commits[Math.min(b, h)];
  const compareWeb = `${r.repoWeb}/compare/${m[1]}...${m[2]}`;
  ctx.send(req, res, 200, {
    url: `${r.repoApi}/compare/${m[1]}...${m[2]}`,
    html_url: compareWeb,
    permalink_url: `${r.repoWeb}/compare/${world.owner}:${commits[b].sha.slice(
      0,
      7,
    )}...${world.owner}:${commits[h].sha.slice(0, 7)}`,
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
}

/** Compare, commits, tags and tag refs. */
export function registerCommitRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.get('/compare/:basehead', (req, res) => compare(ctx, req, res));

  repo.get('/commits/:ref', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const i = resolveRef(world, req.params.ref);
    if (i < 0) {
      ctx.fail(req, res, 422, `No commit found for SHA: ${req.params.ref}`);
      return;
    }
    const c = world.commits[i];
    ctx.send(req, res, 200, {
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
    const { world, renderer } = ctx.repo(res);
    const r = renderer();
    const list = [...world.tags].reverse();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(t => r.tag(t)),
    );
  });
  repo.get('/git/refs/tags', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const r = renderer();
    ctx.send(
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
}
