import { LoggerService } from '@backstage/backend-plugin-api';
import { Approval } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { mapLimited } from '../mapLimited';
import { NotConfigured, SnapshotSource, annotationMissing } from '../types';
import { githubCaller, toPerson } from './githubHelpers';
import { GithubClient, GithubClientFactory } from './GithubClientFactory';
import {
  GithubDeploymentInfo,
  GithubDeploySnapshot,
  GithubEnvironmentSnapshot,
  GithubRunInfo,
} from './types';

const TERMINAL_DEPLOYMENT_STATES = new Set(['success', 'failure', 'error']);
const PAGE_LIMIT = 10;
/** Parallel GitHub requests per refresh; far below GitHub's limit of 100 concurrent requests. */
const CONCURRENCY = 6;

/**
 * Deploy history from GitHub: runs of each environment's deploy workflow, the Deployments Actions
 * creates for them with their statuses, the environment gate's approvals, tags, and how far each
 * environment is behind the one before it.
 */
export class GithubDeploymentsSource
  implements SnapshotSource<GithubDeploySnapshot>
{
  readonly id = 'github' as const;

  constructor(
    private readonly clients: GithubClientFactory,
    private readonly options: {
      logger: LoggerService;
      historyDays: number;
      timeoutMs: number;
      now?: () => Date;
    },
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    if (!target.github) return annotationMissing('github');
    return undefined;
  }

  async fetch(
    target: EntityTarget,
    previous?: GithubDeploySnapshot,
  ): Promise<GithubDeploySnapshot> {
    const github = target.github;
    if (!github) throw new Error(this.notConfiguredReason(target)?.message);
    const { owner, repo } = github;
    const slug = `${owner}/${repo}`;
    const octokit = await this.clients.forRepository(owner, repo);

    const call = githubCaller(slug, this.options.timeoutMs);

    const environmentsInfo = await call('the environments', async () => {
      const { data } = await octokit.repos.getAllEnvironments({
        owner,
        repo,
        per_page: 100,
      });
      return data.environments ?? [];
    });
    const tags = await call('the tags', () =>
      this.readTags(octokit, owner, repo),
    );

    const now = this.options.now?.() ?? new Date();
    const since = new Date(
      now.getTime() - this.options.historyDays * 86_400_000,
    )
      .toISOString()
      .slice(0, 10);

    const environments: Record<string, GithubEnvironmentSnapshot> = {};
    await mapLimited(
      target.environments,
      target.environments.length,
      async env => {
        const info = environmentsInfo.find(e => e.name === env);
        const isProtected = Boolean(
          info?.protection_rules?.some(
            rule => (rule as { type?: string }).type === 'required_reviewers',
          ),
        );
        const workflowFile = github.workflows[env];
        const prev = previous?.environments[env];

        const runs: GithubRunInfo[] = workflowFile
          ? await call(`the runs of ${workflowFile}`, () =>
              this.readRuns(octokit, owner, repo, workflowFile, since),
            )
          : [];
        if (isProtected) {
          await call(`the approvals of ${env} deploys`, () =>
            this.attachApprovals(octokit, owner, repo, runs, prev?.runs ?? []),
          );
        }
        const deployments = await call(`the ${env} deployments`, () =>
          this.readDeployments(
            octokit,
            owner,
            repo,
            env,
            since,
            prev?.deployments ?? [],
          ),
        );
        environments[env] = {
          workflowFile,
          htmlUrl: info?.html_url,
          protected: isProtected,
          runs,
          deployments,
        };
      },
    );

    const behind: GithubDeploySnapshot['behind'] = {};
    for (let i = 1; i < target.environments.length; i++) {
      const env = target.environments[i];
      const before = target.environments[i - 1];
      const liveHere = liveSha(environments[env]);
      const liveBefore = liveSha(environments[before]);
      if (!liveHere || !liveBefore) continue;
      if (liveHere === liveBefore) {
        behind[env] = { of: before, commits: 0 };
        continue;
      }
      const comparison = await call(
        `the comparison of ${env} with ${before}`,
        () =>
          octokit.repos.compareCommitsWithBasehead({
            owner,
            repo,
            basehead: `${liveHere}...${liveBefore}`,
            per_page: 1,
          }),
      );
      behind[env] = { of: before, commits: comparison.data.ahead_by };
    }

    return {
      repository: { slug, htmlUrl: this.clients.repositoryUrl(owner, repo) },
      environments,
      tags,
      behind,
    };
  }

  private async readTags(
    octokit: GithubClient,
    owner: string,
    repo: string,
  ): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    let page = 0;
    for await (const response of octokit.paginate.iterator(
      octokit.repos.listTags,
      { owner, repo, per_page: 100 },
    )) {
      for (const tag of response.data) {
        // The newest tag wins when a commit carries several.
        if (!tags[tag.commit.sha]) tags[tag.commit.sha] = tag.name;
      }
      if (++page >= PAGE_LIMIT) break;
    }
    return tags;
  }

  private async readRuns(
    octokit: GithubClient,
    owner: string,
    repo: string,
    workflowFile: string,
    since: string,
  ): Promise<GithubRunInfo[]> {
    const runs: GithubRunInfo[] = [];
    let page = 0;
    for await (const response of octokit.paginate.iterator(
      octokit.actions.listWorkflowRuns,
      {
        owner,
        repo,
        workflow_id: workflowFile,
        per_page: 100,
        created: `>=${since}`,
      },
    )) {
      for (const run of response.data) {
        runs.push({
          id: run.id,
          runNumber: run.run_number,
          workflowName: run.name ?? workflowFile,
          displayTitle: run.display_title,
          event: run.event,
          status: run.status ?? 'unknown',
          conclusion: run.conclusion,
          headSha: run.head_sha,
          headBranch: run.head_branch,
          commitTitle: run.head_commit?.message?.split('\n')[0],
          actor: toPerson(run.actor),
          triggeringActor: toPerson(run.triggering_actor),
          createdAt: run.created_at,
          runStartedAt: run.run_started_at,
          updatedAt: run.updated_at,
          htmlUrl: run.html_url,
        });
      }
      if (++page >= PAGE_LIMIT) break;
    }
    return runs;
  }

  private async attachApprovals(
    octokit: GithubClient,
    owner: string,
    repo: string,
    runs: GithubRunInfo[],
    previousRuns: GithubRunInfo[],
  ) {
    const known = new Map(previousRuns.map(r => [r.id, r]));
    await mapLimited(runs, CONCURRENCY, async run => {
      const before = known.get(run.id);
      // A completed run's reviews never change: reuse what the last refresh read.
      if (before?.status === 'completed' && before.approvals) {
        run.approvals = before.approvals;
        return;
      }
      const { data } = await octokit.actions.getReviewsForRun({
        owner,
        repo,
        run_id: run.id,
      });
      const reviews = data.filter(
        r => r.state === 'approved' || r.state === 'rejected',
      );
      let at: string | undefined;
      if (reviews.length && run.status === 'completed') {
        // GitHub's reviews carry no time; the gated job starts right after the review.
        const jobs = await octokit.actions.listJobsForWorkflowRun({
          owner,
          repo,
          run_id: run.id,
          per_page: 100,
        });
        at = jobs.data.jobs
          .map(j => j.started_at)
          .filter((t): t is string => Boolean(t))
          .sort()
          .pop();
      }
      run.approvals = reviews.map(
        (r): Approval => ({
          state: r.state as Approval['state'],
          user: toPerson(r.user) ?? { login: 'unknown' },
          comment: r.comment || undefined,
          at,
        }),
      );
    });
  }

  private async readDeployments(
    octokit: GithubClient,
    owner: string,
    repo: string,
    environment: string,
    since: string,
    previous: GithubDeploymentInfo[],
  ): Promise<GithubDeploymentInfo[]> {
    const known = new Map(previous.map(d => [d.id, d]));
    type Listed = Awaited<
      ReturnType<GithubClient['repos']['listDeployments']>
    >['data'][number];
    const listed: Listed[] = [];
    let page = 0;
    let reachedOld = false;
    for await (const response of octokit.paginate.iterator(
      octokit.repos.listDeployments,
      { owner, repo, environment, per_page: 100 },
    )) {
      for (const d of response.data) {
        if (d.created_at.slice(0, 10) < since) {
          reachedOld = true;
          break;
        }
        listed.push(d);
      }
      if (reachedOld || ++page >= PAGE_LIMIT) break;
    }
    return mapLimited(listed, CONCURRENCY, async d => {
      const payload =
        typeof d.payload === 'object' && d.payload
          ? (d.payload as Record<string, unknown>)
          : {};
      const info: GithubDeploymentInfo = {
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.created_at,
        creator: toPerson(d.creator),
        runId: typeof payload.run_id === 'number' ? payload.run_id : undefined,
      };
      const before = known.get(d.id);
      // A deployment's outcome never changes once it succeeded or failed.
      if (before?.state && TERMINAL_DEPLOYMENT_STATES.has(before.state)) {
        info.state = before.state;
        info.stateAt = before.stateAt;
        info.description = before.description;
        return info;
      }
      const statuses = await octokit.repos.listDeploymentStatuses({
        owner,
        repo,
        deployment_id: d.id,
        per_page: 20,
      });
      const latest = statuses.data.find(s => s.state !== 'inactive');
      if (latest) {
        info.state = latest.state;
        info.stateAt = latest.created_at;
        info.description = latest.description || undefined;
      } else if (statuses.data.length) {
        // Only `inactive` left: it was live once and has been superseded since.
        info.state = 'success';
        info.stateAt = statuses.data[statuses.data.length - 1].created_at;
      }
      return info;
    });
  }
}

function liveSha(env: GithubEnvironmentSnapshot | undefined) {
  return env?.deployments.find(d => d.state === 'success')?.sha;
}
