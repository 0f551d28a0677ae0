import { Router } from 'express';
import { sha1Hex } from '../random';
import { CommitRecord } from '../world/types';
import { commitFor } from './checkRoutes';
import { GithubRouteContext, RepoScope } from './context';
import { nodeId } from './render';

/** The merged pull request behind a commit of `main` (squash or merge commit). */
function pullRequest(scope: RepoScope, c: CommitRecord) {
  const r = scope.renderer();
  const { world } = scope;
  const n = c.prNumber as number;
  const url = `${r.repoApi}/pulls/${n}`;
  const title = c.message
    .split('\n')[0]
    .replace(/ \(#\d+\)$/, '')
    .replace(
      /^Merge pull request #\d+ from \S+$/,
      c.message.split('\n')[2] ?? '',
    );
  const hours = 2 + (parseInt(c.sha.slice(0, 3), 16) % 40);
  const created = new Date(Date.parse(c.date) - hours * 3_600_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const ref = (branch: string, sha: string) => ({
    label: `${world.owner}:${branch}`,
    ref: branch,
    sha,
    user: r.owner(),
    repo: r.repository(),
  });
  return {
    url,
    id: 1_900_000_000 + n,
    node_id: nodeId('PR_kwDOK', n),
    html_url: `${r.repoWeb}/pull/${n}`,
    diff_url: `${r.repoWeb}/pull/${n}.diff`,
    patch_url: `${r.repoWeb}/pull/${n}.patch`,
    issue_url: `${r.repoApi}/issues/${n}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${r.repoApi}/pulls/comments{/number}`,
    comments_url: `${r.repoApi}/issues/${n}/comments`,
    statuses_url: `${r.repoApi}/statuses/${c.sha}`,
    number: n,
    state: 'closed',
    locked: false,
    title,
    user: r.user(c.prAuthor ?? c.authorLogin),
    body: c.message.split('\n').slice(2).join('\n'),
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: created,
    updated_at: c.date,
    closed_at: c.date,
    merged_at: c.date,
    merge_commit_sha: c.sha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: ref(c.branch ?? `pr-${n}`, sha1Hex(`pr-head:${c.sha}`)),
    base: ref(world.defaultBranch, c.parents[0] ?? c.sha),
    _links: {
      self: { href: url },
      html: { href: `${r.repoWeb}/pull/${n}` },
      issue: { href: `${r.repoApi}/issues/${n}` },
      comments: { href: `${r.repoApi}/issues/${n}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${r.repoApi}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${r.repoApi}/statuses/${c.sha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
    merged: true,
    merged_by: r.user(c.mergedBy ?? c.prAuthor ?? c.authorLogin),
    mergeable: null,
    mergeable_state: 'unknown',
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: c.additions,
    deletions: c.deletions,
    changed_files: 1 + (c.additions % 7),
  };
}

/** The pull requests of a change set (`commits/{sha}/pulls`, `pulls/{n}`). */
export function registerPullRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.get('/commits/:ref/pulls', (req, res) => {
    const c = commitFor(ctx, req, res);
    if (c) {
      ctx.send(
        req,
        res,
        200,
        c.prNumber ? [pullRequest(ctx.repo(res), c)] : [],
      );
    }
  });
  repo.get('/pulls/:number', (req, res) => {
    const scope = ctx.repo(res);
    const c = scope.world.commits.find(
      x => String(x.prNumber) === req.params.number,
    );
    if (!c) ctx.fail(req, res, 404, 'Not Found');
    else ctx.send(req, res, 200, pullRequest(scope, c));
  });
}
