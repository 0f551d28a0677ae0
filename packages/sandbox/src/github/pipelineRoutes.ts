import { Request, Response, Router } from 'express';
import { sha1Hex } from '../random';
import { CommitRecord, SandboxWorld } from '../world/types';
import { nodeId, GithubRenderer } from './render';

/** What the pipeline routes need from the GitHub server. */
export interface PipelineRouteContext {
  world: SandboxWorld;
  renderer: () => GithubRenderer;
  send: (req: Request, res: Response, status: number, body: unknown) => void;
  fail: (req: Request, res: Response, status: number, message: string) => void;
  paginate: <T>(req: Request, res: Response, items: T[]) => T[];
  /** Index into world.commits, or -1. */
  resolveRef: (ref: string) => number;
  query: (req: Request, name: string) => string | undefined;
}

const CHECK_RUN_ID_BASE = 40_000_000_000;

function maintainability(quality: number): string {
  if (quality >= 90) return 'A';
  return quality >= 80 ? 'B' : 'C';
}

function csv(value: string | undefined): string[] | undefined {
  return value
    ? value
        .split(',')
        .map(v => v.trim())
        .filter(Boolean)
    : undefined;
}

/**
 * Readiness inputs as Lexecon's pipeline publishes them: check runs and commit statuses per commit,
 * code-scanning and Dependabot alerts; plus the pull requests and teams behind a change set.
 */
export function registerPipelineRoutes(
  repo: Router,
  ctx: PipelineRouteContext,
) {
  const { world } = ctx;

  const commitFor = (req: Request, res: Response) => {
    const i = ctx.resolveRef(req.params.ref);
    if (i < 0) {
      ctx.fail(req, res, 422, `No commit found for SHA: ${req.params.ref}`);
      return undefined;
    }
    return world.commits[i];
  };

  const checkRuns = (c: CommitRecord) => {
    const r = ctx.renderer();
    const q = world.commitQuality[c.sha];
    const runs = world.runs.filter(run => run.headSha === c.sha);
    const list: Array<Record<string, unknown>> = [];
    const actionsApp = r.githubActionsApp();
    const add = (
      id: number,
      name: string,
      status: string,
      conclusion: string | null,
      started: string,
      completed: string | null,
      htmlUrl: string,
      output: { title: string | null; summary: string | null },
      suiteId: number,
    ) =>
      list.push({
        id,
        head_sha: c.sha,
        node_id: nodeId('CR_kwDOK', id),
        external_id: '',
        url: `${r.repoApi}/check-runs/${id}`,
        html_url: htmlUrl,
        details_url: htmlUrl,
        status,
        conclusion,
        started_at: started,
        completed_at: completed,
        output: {
          ...output,
          text: null,
          annotations_count: 0,
          annotations_url: `${r.repoApi}/check-runs/${id}/annotations`,
        },
        name,
        check_suite: { id: suiteId },
        app: actionsApp,
        pull_requests: [],
      });
    for (const run of runs) {
      for (const job of run.jobs) {
        let output = {
          title: null as string | null,
          summary: null as string | null,
        };
        if (job.name === 'lint') {
          output = {
            title:
              job.conclusion === 'success'
                ? 'Ruff, Black and Mypy passed'
                : 'Lint failed',
            summary: 'ruff check . && black --check . && mypy src',
          };
        } else if (job.name === 'security-scan') {
          output = {
            title:
              'Bandit: 0 high findings · pip-audit: no known vulnerabilities',
            summary: 'Reports uploaded as workflow artifacts.',
          };
        }
        add(
          job.id,
          job.name,
          job.status,
          job.conclusion,
          job.startedAt,
          job.completedAt,
          `${r.repoWeb}/actions/runs/${run.id}/job/${job.id}`,
          output,
          run.checkSuiteId,
        );
      }
      if (run.workflowFile === 'test.yml' && q) {
        const unit = run.jobs.filter(j => j.name.startsWith('unit-tests'));
        const green = unit.every(j => j.conclusion === 'success');
        const end = unit
          .map(j => j.completedAt ?? '')
          .sort()
          .slice(-1)[0];
        const tests = 1800 + (parseInt(c.sha.slice(0, 4), 16) % 120);
        add(
          CHECK_RUN_ID_BASE + (parseInt(c.sha.slice(0, 7), 16) % 1_000_000_000),
          'test',
          'completed',
          green ? 'success' : 'failure',
          run.runStartedAt,
          end,
          `${r.repoWeb}/actions/runs/${run.id}`,
          {
            title: `Coverage ${q.coverage.toFixed(1)}% of statements`,
            summary: green
              ? `${tests} passed on Python 3.11, 3.12, 3.13. Coverage ${q.coverage.toFixed(
                  2,
                )}% (${
                  q.coverageDelta >= 0 ? '+' : ''
                }${q.coverageDelta.toFixed(2)}%).`
              : `1 failed, ${tests - 1} passed. Coverage ${q.coverage.toFixed(
                  2,
                )}%.`,
          },
          run.checkSuiteId,
        );
        add(
          CHECK_RUN_ID_BASE +
            1_000_000_000 +
            (parseInt(c.sha.slice(0, 7), 16) % 1_000_000_000),
          'code-quality',
          'completed',
          q.quality >= 80 ? 'success' : 'failure',
          run.runStartedAt,
          end,
          `${r.repoWeb}/actions/runs/${run.id}`,
          {
            title: `Quality score ${q.quality}/100`,
            summary: `Maintainability ${maintainability(q.quality)} · ${
              q.codeSmells
            } code smells · quality gate ${
              q.quality >= 80 ? 'passed' : 'failed'
            }`,
          },
          run.checkSuiteId,
        );
      }
    }
    return list;
  };

  repo.get('/commits/:ref/check-runs', (req, res) => {
    const c = commitFor(req, res);
    if (!c) return;
    let list = checkRuns(c);
    const name = ctx.query(req, 'check_name');
    if (name) list = list.filter(x => x.name === name);
    const status = ctx.query(req, 'status');
    if (status) list = list.filter(x => x.status === status);
    ctx.send(req, res, 200, {
      total_count: list.length,
      check_runs: ctx.paginate(req, res, list),
    });
  });

  const statuses = (c: CommitRecord) => {
    const q = world.commitQuality[c.sha];
    const testRun = world.runs.find(
      run => run.headSha === c.sha && run.workflowFile === 'test.yml',
    );
    if (!q || !testRun) return [];
    const r = ctx.renderer();
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
  };

  repo.get('/commits/:ref/status', (req, res) => {
    const c = commitFor(req, res);
    if (!c) return;
    const r = ctx.renderer();
    const list = statuses(c);
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
    const c = commitFor(req, res);
    if (c) ctx.send(req, res, 200, statuses(c));
  });

  const alertState = (a: {
    fixedAt: string | null;
    dismissedAt: string | null;
  }) => {
    if (a.fixedAt) return 'fixed';
    if (a.dismissedAt) return 'dismissed';
    return 'open';
  };

  repo.get('/code-scanning/alerts', (req, res) => {
    const r = ctx.renderer();
    let list = [...world.codeScanningAlerts].reverse();
    const state = ctx.query(req, 'state');
    if (state) list = list.filter(a => alertState(a) === state);
    const severity = csv(ctx.query(req, 'severity'));
    if (severity) {
      list = list.filter(
        a =>
          severity.includes(a.securitySeverity) ||
          severity.includes(a.severity),
      );
    }
    const ref = ctx.query(req, 'ref');
    if (ref && ref !== 'refs/heads/main' && ref !== 'main') list = [];
    const head = world.commits[world.commits.length - 1];
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(a => {
        const url = `${r.repoApi}/code-scanning/alerts/${a.number}`;
        const st = alertState(a);
        return {
          number: a.number,
          created_at: a.createdAt,
          updated_at: a.fixedAt ?? a.dismissedAt ?? a.createdAt,
          url,
          html_url: `${r.repoWeb}/security/code-scanning/${a.number}`,
          instances_url: `${url}/instances`,
          state: st,
          fixed_at: a.fixedAt,
          dismissed_by: a.dismissedBy ? r.user(a.dismissedBy) : null,
          dismissed_at: a.dismissedAt,
          dismissed_reason: a.dismissedReason,
          dismissed_comment: a.dismissedComment,
          rule: {
            id: a.ruleId,
            name: a.ruleId,
            severity: a.severity,
            security_severity_level: a.securitySeverity,
            description: a.description,
            tags: a.tags,
          },
          tool: { name: 'CodeQL', guid: null, version: '2.19.3' },
          most_recent_instance: {
            ref: 'refs/heads/main',
            analysis_key: '.github/workflows/codeql.yml:analyze',
            environment: '{"language":"python"}',
            category: '/language:python',
            state: st,
            commit_sha: head.sha,
            message: { text: a.ruleName },
            location: {
              path: a.path,
              start_line: a.line,
              end_line: a.line,
              start_column: 5,
              end_column: 42,
            },
            classifications: [],
          },
        };
      }),
    );
  });

  repo.get('/dependabot/alerts', (req, res) => {
    const r = ctx.renderer();
    let list = [...world.dependabotAlerts].reverse();
    const state = csv(ctx.query(req, 'state'));
    if (state) list = list.filter(a => state.includes(alertState(a)));
    const severity = csv(ctx.query(req, 'severity'));
    if (severity) list = list.filter(a => severity.includes(a.severity));
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(a => {
        const vuln = {
          package: { ecosystem: 'pip', name: a.package },
          severity: a.severity,
          vulnerable_version_range: a.vulnerableRange,
          first_patched_version: { identifier: a.patched },
        };
        return {
          number: a.number,
          state: alertState(a),
          dependency: {
            package: { ecosystem: 'pip', name: a.package },
            manifest_path: a.manifest,
            scope: 'runtime',
            relationship: 'direct',
          },
          security_advisory: {
            ghsa_id: a.ghsa,
            cve_id: a.cve,
            summary: a.summary,
            description: a.summary,
            vulnerabilities: [vuln],
            severity: a.severity,
            cvss: { vector_string: null, score: a.cvss },
            cwes: [],
            identifiers: [
              { value: a.ghsa, type: 'GHSA' },
              { value: a.cve, type: 'CVE' },
            ],
            references: [{ url: `https://nvd.nist.gov/vuln/detail/${a.cve}` }],
            published_at: a.createdAt,
            updated_at: a.createdAt,
            withdrawn_at: null,
          },
          security_vulnerability: vuln,
          url: `${r.repoApi}/dependabot/alerts/${a.number}`,
          html_url: `${r.repoWeb}/security/dependabot/${a.number}`,
          created_at: a.createdAt,
          updated_at: a.fixedAt ?? a.dismissedAt ?? a.createdAt,
          dismissed_at: a.dismissedAt,
          dismissed_by: a.dismissedBy ? r.user(a.dismissedBy) : null,
          dismissed_reason: a.dismissedReason,
          dismissed_comment: null,
          fixed_at: a.fixedAt,
          auto_dismissed_at: null,
        };
      }),
    );
  });

  const pullRequest = (c: CommitRecord) => {
    const r = ctx.renderer();
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
      user: r.user(c.authorLogin),
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
      merged_by: r.user(c.authorLogin),
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
  };

  repo.get('/commits/:ref/pulls', (req, res) => {
    const c = commitFor(req, res);
    if (c) ctx.send(req, res, 200, c.prNumber ? [pullRequest(c)] : []);
  });
  repo.get('/pulls/:number', (req, res) => {
    const c = world.commits.find(x => String(x.prNumber) === req.params.number);
    if (!c) ctx.fail(req, res, 404, 'Not Found');
    else ctx.send(req, res, 200, pullRequest(c));
  });
}

/** `GET /orgs/{org}/teams/{team_slug}/members`. */
export function registerTeamRoutes(api: Router, ctx: PipelineRouteContext) {
  const { world } = ctx;
  api.get('/orgs/:org/teams/:slug/members', (req, res) => {
    const team = world.teams.find(t => t.slug === req.params.slug);
    if (req.params.org.toLowerCase() !== world.owner || !team) {
      ctx.fail(req, res, 404, 'Not Found');
      return;
    }
    const r = ctx.renderer();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, team.members).map(m => r.user(m)),
    );
  });
}
