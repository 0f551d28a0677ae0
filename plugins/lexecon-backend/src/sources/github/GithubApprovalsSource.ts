import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ChangeSet,
  CheckSummary,
  CiResult,
  PullRequestSummary,
  RequiredReviewer,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import {
  parsePercent,
  parseScore,
  ReadinessFacts,
} from '../../approvals/readiness';
import { mapLimited } from '../mapLimited';
import { NotConfigured, SnapshotSource, annotationMissing } from '../types';
import { GithubClient, GithubClientFactory } from './GithubClientFactory';
import { githubCaller, toPerson } from './githubHelpers';
import { GithubApprovalsSnapshot, GithubPendingRun } from './types';

const CONCURRENCY = 6;
const FAILED_CONCLUSIONS = new Set([
  'failure',
  'error',
  'timed_out',
  'cancelled',
  'action_required',
]);
/** Pull requests are looked up for this many commits of a change set at most. */
const MAX_PR_LOOKUPS = 30;

export interface ApprovalsSourceOptions {
  logger: LoggerService;
  timeoutMs: number;
  /** Workflow file whose last 10 runs give the CI pass rate. */
  ciWorkflow: string;
  /** Check runs that count as the code-quality input, by name, in order of preference. */
  qualityChecks: RegExp[];
  /** Check runs that count as the security scan, by name. */
  securityCheck: RegExp;
}

type Octokit = GithubClient;

/**
 * Runs waiting on a protected environment, with the context to decide: the change set since the
 * version live there, CI checks on the commit, the staging deploy of the same commit, and the
 * inputs of the release readiness score. Only waiting runs cost requests, so a quiet repository
 * costs one conditional request per deploy workflow.
 */
export class GithubApprovalsSource
  implements SnapshotSource<GithubApprovalsSnapshot>
{
  readonly id = 'github-approvals' as const;

  constructor(
    private readonly clients: GithubClientFactory,
    private readonly options: ApprovalsSourceOptions,
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.github) return annotationMissing('github-approvals');
    return undefined;
  }

  async fetch(target: EntityTarget): Promise<GithubApprovalsSnapshot> {
    const github = target.github;
    if (!github) throw new Error(this.notConfiguredReason(target)?.message);
    const { owner, repo } = github;
    const slug = `${owner}/${repo}`;
    const octokit = await this.clients.forRepository(owner, repo);
    const call = githubCaller(slug, this.options.timeoutMs);

    const waiting = (
      await mapLimited(
        target.environments.filter(env => github.workflows[env]),
        CONCURRENCY,
        env =>
          call(`the waiting runs of ${github.workflows[env]}`, async () => {
            const { data } = await octokit.actions.listWorkflowRuns({
              owner,
              repo,
              workflow_id: github.workflows[env],
              status: 'waiting',
              per_page: 20,
            });
            return data.workflow_runs;
          }),
      )
    ).flat();
    const unique = [...new Map(waiting.map(r => [r.id, r])).values()];

    const pending: GithubPendingRun[] = [];
    const tags: Record<string, string> = unique.length
      ? await call('the tags', () => readTags(octokit, owner, repo))
      : {};
    const teams: Record<string, string[]> = {};
    for (const run of unique) {
      const gates = await call(`the pending deployments of run ${run.id}`, () =>
        octokit.actions
          .getPendingDeploymentsForRun({ owner, repo, run_id: run.id })
          .then(r => r.data),
      );
      if (!gates.length) continue;
      for (const gate of gates) {
        const envName = gate.environment.name ?? 'unknown';
        const warnings: string[] = [];
        const soft = async <T>(what: string, fn: () => Promise<T>) => {
          try {
            return await call(what, fn);
          } catch (error) {
            warnings.push((error as Error).message);
            return undefined;
          }
        };
        const envInfo = await soft(`the ${envName} environment`, () =>
          octokit.repos
            .getEnvironment({ owner, repo, environment_name: envName })
            .then(r => r.data),
        );
        const rule = envInfo?.protection_rules?.find(
          r => (r as { type?: string }).type === 'required_reviewers',
        ) as { prevent_self_review?: boolean } | undefined;
        const reviewers = (gate.reviewers ?? []).flatMap(
          (r): RequiredReviewer[] => {
            const reviewer = r.reviewer as
              | { login?: string; slug?: string; html_url?: string }
              | undefined;
            if (r.type === 'User' && reviewer?.login) {
              return [
                {
                  type: 'User' as const,
                  name: reviewer.login,
                  htmlUrl: reviewer.html_url,
                },
              ];
            }
            if (r.type === 'Team' && reviewer?.slug) {
              return [
                {
                  type: 'Team' as const,
                  name: reviewer.slug,
                  htmlUrl: reviewer.html_url,
                },
              ];
            }
            return [];
          },
        );
        for (const team of reviewers.filter(r => r.type === 'Team')) {
          if (teams[team.name]) continue;
          const members = await soft(`the members of team ${team.name}`, () =>
            octokit.paginate(octokit.teams.listMembersInOrg, {
              org: owner,
              team_slug: team.name,
              per_page: 100,
            }),
          );
          if (members) teams[team.name] = members.map(m => m.login);
        }

        const envIndex = target.environments.indexOf(envName);
        const previousEnv =
          envIndex > 0 ? target.environments[envIndex - 1] : undefined;
        const [live, staging, ci, readiness] = await Promise.all([
          soft(`the live ${envName} deployment`, () =>
            liveDeployment(octokit, owner, repo, envName),
          ),
          previousEnv
            ? soft(`the ${previousEnv} deploys`, () =>
                stagingContext(
                  octokit,
                  owner,
                  repo,
                  previousEnv,
                  run.head_sha,
                  tags,
                ),
              )
            : Promise.resolve(undefined),
          soft('the checks of the commit', () =>
            this.readChecks(octokit, owner, repo, run.head_sha),
          ),
          this.readReadiness(octokit, owner, repo, run.head_branch, soft),
        ]);
        const changeSet = await soft('the change set', () =>
          this.readChangeSet(
            octokit,
            owner,
            repo,
            live,
            run.head_sha,
            tags,
            m => warnings.push(m),
          ),
        );
        const checks = ci?.checks ?? [];
        const readinessFacts: ReadinessFacts = { ...readiness };
        if (ci?.coverage) readinessFacts.coverage = ci.coverage;
        const quality = this.options.qualityChecks
          .map(pattern => checks.find(c => pattern.test(c.name)))
          .find(Boolean);
        if (quality) {
          readinessFacts.quality = {
            check: quality.name,
            conclusion: quality.conclusion,
            url: quality.url,
            reported: parseScore(quality.summary),
          };
        }
        const scan = checks.find(c => this.options.securityCheck.test(c.name));
        if (readinessFacts.security && scan) {
          readinessFacts.security.scanConclusion = scan.conclusion;
          readinessFacts.security.url ??= scan.url;
        }

        pending.push({
          runId: run.id,
          runUrl: run.html_url,
          workflowName: run.name ?? github.workflows[envName] ?? 'deploy',
          headSha: run.head_sha,
          headBranch: run.head_branch,
          commitTitle: run.head_commit?.message?.split('\n')[0],
          triggeringActor: toPerson(run.triggering_actor ?? run.actor),
          createdAt: run.created_at,
          environment: envName,
          environmentId: gate.environment.id ?? 0,
          environmentUrl: gate.environment.html_url,
          waitingSince: gate.wait_timer_started_at ?? run.updated_at,
          waitTimerMinutes: gate.wait_timer || undefined,
          reviewers,
          preventSelfReview: Boolean(rule?.prevent_self_review),
          tag: tags[run.head_sha],
          changeSet,
          ci: ci ? { conclusion: ci.conclusion, checks } : undefined,
          staging,
          readiness: readinessFacts,
          warnings,
        });
      }
    }
    return {
      repository: { slug, htmlUrl: this.clients.repositoryUrl(owner, repo) },
      pending,
      teams,
    };
  }

  private async readChecks(
    octokit: Octokit,
    owner: string,
    repo: string,
    sha: string,
  ): Promise<CiResult & { coverage?: ReadinessFacts['coverage'] }> {
    const [runs, combined] = await Promise.all([
      octokit.checks.listForRef({ owner, repo, ref: sha, per_page: 100 }),
      octokit.repos.getCombinedStatusForRef({ owner, repo, ref: sha }),
    ]);
    const checks: CheckSummary[] = runs.data.check_runs.map(c => ({
      name: c.name,
      conclusion: c.conclusion ?? 'pending',
      url: c.html_url ?? undefined,
      summary: c.output?.title ?? undefined,
    }));
    for (const status of combined.data.statuses) {
      checks.push({
        name: status.context,
        conclusion: status.state === 'pending' ? 'pending' : status.state,
        url: status.target_url ?? undefined,
        summary: status.description ?? undefined,
      });
    }
    let coverage: ReadinessFacts['coverage'];
    const coverageStatus = combined.data.statuses.find(s =>
      /coverage/i.test(s.context),
    );
    const fromStatus = parsePercent(coverageStatus?.description);
    if (coverageStatus && fromStatus !== undefined) {
      coverage = {
        percent: fromStatus,
        source: `${coverageStatus.context} status`,
        url: coverageStatus.target_url ?? undefined,
      };
    } else {
      for (const c of runs.data.check_runs) {
        const text = `${c.output?.title ?? ''} ${c.output?.summary ?? ''}`;
        const percent = /coverage/i.test(text) ? parsePercent(text) : undefined;
        if (percent !== undefined) {
          coverage = {
            percent,
            source: `${c.name} check`,
            url: c.html_url ?? undefined,
          };
          break;
        }
      }
    }
    const conclusions = checks.map(c => c.conclusion);
    let conclusion: CiResult['conclusion'] = 'success';
    if (!checks.length) conclusion = 'unknown';
    else if (conclusions.some(c => FAILED_CONCLUSIONS.has(c))) {
      conclusion = 'failure';
    } else if (conclusions.includes('pending')) conclusion = 'pending';
    return { conclusion, checks, coverage };
  }

  private async readReadiness(
    octokit: Octokit,
    owner: string,
    repo: string,
    branch: string | null,
    soft: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>,
  ): Promise<ReadinessFacts> {
    const { ciWorkflow } = this.options;
    const [ciRuns, codeScanning, dependabot] = await Promise.all([
      soft(`the last runs of ${ciWorkflow}`, async () => {
        const { data } = await octokit.actions.listWorkflowRuns({
          owner,
          repo,
          workflow_id: ciWorkflow,
          status: 'completed',
          ...(branch ? { branch } : {}),
          per_page: 10,
        });
        const last = data.workflow_runs.slice(0, 10);
        return {
          total: last.length,
          passed: last.filter(r => r.conclusion === 'success').length,
          workflow: ciWorkflow,
          url: `${this.clients.repositoryUrl(
            owner,
            repo,
          )}/actions/workflows/${ciWorkflow}`,
        };
      }),
      soft('the code scanning alerts', () =>
        octokit.paginate(octokit.codeScanning.listAlertsForRepo, {
          owner,
          repo,
          state: 'open',
          per_page: 100,
        }),
      ),
      soft('the Dependabot alerts', () =>
        octokit.dependabot
          .listAlertsForRepo({ owner, repo, state: 'open', per_page: 100 })
          .then(r => r.data),
      ),
    ]);
    const facts: ReadinessFacts = {};
    if (ciRuns) facts.ciRuns = ciRuns;
    if (codeScanning || dependabot) {
      const counts = { critical: 0, high: 0, medium: 0, low: 0 };
      const add = (severity: string | null | undefined) => {
        const key = (severity ?? 'low').toLowerCase();
        if (key in counts) counts[key as keyof typeof counts]++;
        else if (key === 'moderate') counts.medium++;
        else counts.low++;
      };
      for (const alert of codeScanning ?? []) {
        add(alert.rule.security_severity_level ?? alert.rule.severity);
      }
      for (const alert of dependabot ?? []) {
        add(alert.security_advisory.severity);
      }
      facts.security = {
        ...counts,
        url: `${this.clients.repositoryUrl(owner, repo)}/security`,
      };
    }
    return facts;
  }

  private async readChangeSet(
    octokit: Octokit,
    owner: string,
    repo: string,
    live: { sha: string } | undefined,
    headSha: string,
    tags: Record<string, string>,
    warn: (message: string) => void,
  ): Promise<ChangeSet> {
    const htmlBase = this.clients.repositoryUrl(owner, repo);
    if (!live || live.sha === headSha) {
      return { commits: [], totalCommits: 0, pullRequests: [], authors: [] };
    }
    const { data } = await octokit.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${live.sha}...${headSha}`,
      per_page: 100,
    });
    const commits = data.commits.map(c => ({
      sha: c.sha,
      shortSha: c.sha.slice(0, 7),
      title: c.commit.message.split('\n')[0],
      author:
        toPerson(c.author) ??
        (c.commit.author?.name ? { login: c.commit.author.name } : undefined),
      authoredAt: c.commit.author?.date,
      htmlUrl: c.html_url,
    }));
    const prs = new Map<number, PullRequestSummary>();
    let prLookupFailed = false;
    await mapLimited(commits.slice(-MAX_PR_LOOKUPS), CONCURRENCY, async c => {
      const pulls = await octokit.repos
        .listPullRequestsAssociatedWithCommit({
          owner,
          repo,
          commit_sha: c.sha,
        })
        .then(r => r.data)
        .catch(() => {
          prLookupFailed = true;
          return [];
        });
      for (const pr of pulls) {
        prs.set(pr.number, {
          number: pr.number,
          title: pr.title,
          author: toPerson(pr.user),
          htmlUrl: pr.html_url,
        });
      }
    });
    if (prLookupFailed) {
      warn(
        'Some pull requests of the change set could not be read from GitHub; commit authors are complete',
      );
    }
    const authors = [
      ...new Set(
        [
          ...commits.map(c => c.author?.login),
          ...[...prs.values()].map(p => p.author?.login),
        ].filter((l): l is string => Boolean(l)),
      ),
    ];
    return {
      base: { sha: live.sha, version: tags[live.sha] ?? live.sha.slice(0, 7) },
      commits: commits.reverse(),
      totalCommits: data.total_commits,
      pullRequests: [...prs.values()].sort((a, b) => b.number - a.number),
      authors,
      compareUrl: `${htmlBase}/compare/${live.sha.slice(
        0,
        12,
      )}...${headSha.slice(0, 12)}`,
    };
  }
}

async function readTags(octokit: Octokit, owner: string, repo: string) {
  const { data } = await octokit.repos.listTags({ owner, repo, per_page: 100 });
  const tags: Record<string, string> = {};
  for (const tag of data) tags[tag.commit.sha] ??= tag.name;
  return tags;
}

/** Latest non-inactive status of a deployment, or `success` when only `inactive` is left. */
async function deploymentState(
  octokit: Octokit,
  owner: string,
  repo: string,
  id: number,
) {
  const { data } = await octokit.repos.listDeploymentStatuses({
    owner,
    repo,
    deployment_id: id,
    per_page: 20,
  });
  const latest = data.find(s => s.state !== 'inactive');
  if (latest) return { state: latest.state, at: latest.created_at };
  if (data.length)
    return { state: 'success', at: data[data.length - 1].created_at };
  return undefined;
}

async function liveDeployment(
  octokit: Octokit,
  owner: string,
  repo: string,
  environment: string,
) {
  const { data } = await octokit.repos.listDeployments({
    owner,
    repo,
    environment,
    per_page: 10,
  });
  for (const d of data) {
    const state = await deploymentState(octokit, owner, repo, d.id);
    if (state?.state === 'success') return { sha: d.sha, at: state.at };
  }
  return undefined;
}

async function stagingContext(
  octokit: Octokit,
  owner: string,
  repo: string,
  environment: string,
  sha: string,
  tags: Record<string, string>,
): Promise<GithubPendingRun['staging']> {
  const [ofSha, live] = await Promise.all([
    octokit.repos
      .listDeployments({ owner, repo, environment, sha, per_page: 5 })
      .then(r => r.data),
    liveDeployment(octokit, owner, repo, environment),
  ]);
  const liveVersion = live ? tags[live.sha] ?? live.sha.slice(0, 7) : undefined;
  const isLiveOnStaging = live?.sha === sha;
  const deploy = ofSha[0];
  if (!deploy) {
    return {
      isLiveOnStaging: false,
      liveVersion,
      health: 'unknown',
      detail: `This commit was never deployed to ${environment}`,
    };
  }
  const state = await deploymentState(octokit, owner, repo, deploy.id);
  const ok = state?.state === 'success';
  const failed = state?.state === 'failure' || state?.state === 'error';
  let detail = `Deployed to ${environment} successfully; ${environment} has since moved on to ${liveVersion}`;
  if (!ok) {
    detail = `The ${environment} deploy of this commit ended ${
      state?.state ?? 'without a status'
    }`;
  } else if (isLiveOnStaging) {
    detail = `Live on ${environment}; its deploy succeeded`;
  }
  return {
    isLiveOnStaging,
    liveVersion,
    deployedAt: ok ? state?.at : deploy.created_at,
    result: state?.state,
    health: (ok && 'healthy') || (failed && 'failing') || 'unknown',
    detail,
  };
}
