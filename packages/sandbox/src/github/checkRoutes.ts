import { Request, Response, Router } from 'express';
import { sha1Hex } from '../random';
import { CommitQualityRecord } from '../world/readiness';
import { CommitRecord, RunRecord } from '../world/types';
import { resolveRef } from './commitRoutes';
import { GithubRouteContext, RepoScope } from './context';
import { GithubRenderer, nodeId } from './render';

const CHECK_RUN_ID_BASE = 40_000_000_000;

function maintainability(quality: number): string {
  if (quality >= 90) return 'A';
  return quality >= 80 ? 'B' : 'C';
}

/** The commit `:ref` names, or undefined when the 422 GitHub sends for an unknown one went out. */
export function commitFor(
  ctx: GithubRouteContext,
  req: Request,
  res: Response,
): CommitRecord | undefined {
  const { world } = ctx.repo(res);
  const i = resolveRef(world, req.params.ref);
  if (i < 0) {
    ctx.fail(req, res, 422, `No commit found for SHA: ${req.params.ref}`);
    return undefined;
  }
  return world.commits[i];
}

interface CheckRunFields {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started: string;
  completed: string | null;
  htmlUrl: string;
  output: { title: string | null; summary: string | null };
  suiteId: number;
}

function checkRun(r: GithubRenderer, c: CommitRecord, f: CheckRunFields) {
  return {
    id: f.id,
    head_sha: c.sha,
    node_id: nodeId('CR_kwDOK', f.id),
    external_id: '',
    url: `${r.repoApi}/check-runs/${f.id}`,
    html_url: f.htmlUrl,
    details_url: f.htmlUrl,
    status: f.status,
    conclusion: f.conclusion,
    started_at: f.started,
    completed_at: f.completed,
    output: {
      ...f.output,
      text: null,
      annotations_count: 0,
      annotations_url: `${r.repoApi}/check-runs/${f.id}/annotations`,
    },
    name: f.name,
    check_suite: { id: f.suiteId },
    app: r.githubActionsApp(),
    pull_requests: [],
  };
}

function jobOutput(job: RunRecord['jobs'][number]) {
  if (job.name === 'lint') {
    return {
      title:
        job.conclusion === 'success'
          ? 'Ruff, Black and Mypy passed'
          : 'Lint failed',
      summary: 'ruff check . && black --check . && mypy src',
    };
  }
  if (job.name === 'security-scan') {
    return {
      title: 'Bandit: 0 high findings · pip-audit: no known vulnerabilities',
      summary: 'Reports uploaded as workflow artifacts.',
    };
  }
  return { title: null, summary: null };
}

/** The `test` (coverage) and `code-quality` checks the test workflow publishes. */
function qualityChecks(
  r: GithubRenderer,
  c: CommitRecord,
  run: RunRecord,
  q: CommitQualityRecord,
): CheckRunFields[] {
  const unit = run.jobs.filter(j => j.name.startsWith('unit-tests'));
  const green = unit.every(j => j.conclusion === 'success');
  const end = unit
    .map(j => j.completedAt ?? '')
    .sort()
    .slice(-1)[0];
  const tests = 1800 + (parseInt(c.sha.slice(0, 4), 16) % 120);
  const shaNumber = parseInt(c.sha.slice(0, 7), 16) % 1_000_000_000;
  const common = {
    status: 'completed',
    started: run.runStartedAt,
    completed: end,
    htmlUrl: `${r.repoWeb}/actions/runs/${run.id}`,
    suiteId: run.checkSuiteId,
  };
  const delta = `${q.coverageDelta >= 0 ? '+' : ''}${q.coverageDelta.toFixed(
    2,
  )}%`;
  return [
    {
      ...common,
      id: CHECK_RUN_ID_BASE + shaNumber,
      name: 'test',
      conclusion: green ? 'success' : 'failure',
      output: {
        title: `Coverage ${q.coverage.toFixed(1)}% of statements`,
        summary: green
          ? `${tests} passed on Python 3.11, 3.12, 3.13. Coverage ${q.coverage.toFixed(
              2,
            )}% (${delta}).`
          : `1 failed, ${tests - 1} passed. Coverage ${q.coverage.toFixed(
              2,
            )}%.`,
      },
    },
    {
      ...common,
      id: CHECK_RUN_ID_BASE + 1_000_000_000 + shaNumber,
      name: 'code-quality',
      conclusion: q.quality >= 80 ? 'success' : 'failure',
      output: {
        title: `Quality score ${q.quality}/100`,
        summary: `Maintainability ${maintainability(q.quality)} · ${
          q.codeSmells
        } code smells · quality gate ${q.quality >= 80 ? 'passed' : 'failed'}`,
      },
    },
  ];
}

/** One check run per Actions job of the commit, plus the test workflow's quality checks. */
function checkRuns(scope: RepoScope, c: CommitRecord) {
  const { world } = scope;
  const r = scope.renderer();
  const q = world.commitQuality[c.sha];
  const list: CheckRunFields[] = [];
  for (const run of world.runs.filter(x => x.headSha === c.sha)) {
    for (const job of run.jobs) {
      list.push({
        id: job.id,
        name: job.name,
        status: job.status,
        conclusion: job.conclusion,
        started: job.startedAt,
        completed: job.completedAt,
        htmlUrl: `${r.repoWeb}/actions/runs/${run.id}/job/${job.id}`,
        output: jobOutput(job),
        suiteId: run.checkSuiteId,
      });
    }
    if (run.workflowFile === 'test.yml' && q) {
      list.push(...qualityChecks(r, c, run, q));
    }
  }
  return list.map(f => checkRun(r, c, f));
}

/** The `coverage` commit status the coverage service sets after the test workflow. */
function statuses(scope: RepoScope, c: CommitRecord) {
  const { world } = scope;
  const q = world.commitQuality[c.sha];
  const testRun = world.runs.find(
    run => run.headSha === c.sha && run.workflowFile === 'test.yml',
  );
  if (!q || !testRun) return [];
  const r = scope.renderer();
  const parent = c.parents[0] ?? c.sha;
  const id = parseInt(sha1Hex(`status:${c.sha}`).slice(0, 9), 16);
  return [
    {
      url: `${r.repoApi}/statuses/${c.sha}`,
      avatar_url: `${r.web}/avatars/u/22429695?v=4`,
      id,
      node_id: nodeId('SC_kwDOK', id),
      state: 'success',
      description: `${q.coverage.toFixed(2)}% (${
        q.coverageDelta >= 0 ? '+' : ''
      }${q.coverageDelta.toFixed(2)}%) compared to ${parent.slice(0, 7)}`,
      target_url: `${r.web}/codecov/${world.owner}/${world.repo}/commit/${c.sha}`,
      context: 'coverage',
      created_at: testRun.updatedAt,
      updated_at: testRun.updatedAt,
      creator: r.user('codecov[bot]'),
    },
  ];
}

/** Check runs and commit statuses: the CI and coverage inputs of a release's readiness. */
export function registerCheckRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.get('/commits/:ref/check-runs', (req, res) => {
    const c = commitFor(ctx, req, res);
    if (!c) return;
    let list = checkRuns(ctx.repo(res), c);
    const name = ctx.query(req, 'check_name');
    if (name) list = list.filter(x => x.name === name);
    const status = ctx.query(req, 'status');
    if (status) list = list.filter(x => x.status === status);
    ctx.sendPage(req, res, 'check_runs', list, x => x);
  });
  repo.get('/commits/:ref/status', (req, res) => {
    const c = commitFor(ctx, req, res);
    if (!c) return;
    const scope = ctx.repo(res);
    const r = scope.renderer();
    const list = statuses(scope, c);
    ctx.send(req, res, 200, {
      state: list.length === 0 ? 'pending' : 'success',
      statuses: list.map(({ creator: _creator, ...s }) => s),
      sha: c.sha,
      total_count: list.length,
      repository: r.repository(),
      commit_url: `${r.repoApi}/commits/${c.sha}`,
      url: `${r.repoApi}/commits/${c.sha}/status`,
    });
  });
  repo.get('/commits/:ref/statuses', (req, res) => {
    const c = commitFor(ctx, req, res);
    if (c) ctx.send(req, res, 200, statuses(ctx.repo(res), c));
  });
}
