import {
  Approval,
  ChangelogCommit,
  PullRequestSummary,
  RequiredReviewer,
} from '@internal/plugin-lexecon-common';
import type { AlertLife } from './commitChecks';
import type { GithubClient } from './GithubClientFactory';
import {
  deploymentState,
  environmentProtection,
  toChangeCommit,
  toDeploymentInfo,
  toPullRequest,
  toRequiredReviewers,
  toReview,
  toRunInfo,
} from './githubMappers';
import {
  GithubDeploymentInfo,
  GithubJobAttempt,
  GithubRunAttempt,
  GithubRunInfo,
} from './types';

/** Items of a paged list, and whether pages were left unread because of the bound. */
export interface Paged<T> {
  items: T[];
  truncated: boolean;
}

export interface PageLimit {
  perPage?: number;
  /** Pages read at most; the default reads up to 1,000 items at 100 a page. */
  maxPages?: number;
}

/** An environment a run waits on, with who may review it. */
export interface PendingGate {
  environment: string;
  environmentId?: number;
  environmentUrl?: string;
  waitTimerStartedAt?: string;
  waitTimerMinutes?: number;
  reviewers: RequiredReviewer[];
}

export interface Comparison {
  /** Oldest first, as GitHub lists them. */
  commits: ChangelogCommit[];
  totalCommits: number;
  htmlUrl: string;
  /** True when the bound left commits unread: `commits` holds the oldest `maxCommits`. */
  truncated: boolean;
}

const PER_PAGE = 100;
const MAX_PAGES = 10;
/** Commits of a comparison read at most (ten pages). */
export const MAX_COMPARE_COMMITS = 1000;

/**
 * The GitHub reads of one repository, typed and mapped once for every source and workflow
 * (deploy history, approvals, changelogs). Lists are paged to the end, up to a bound that says
 * when it cut a list short. Errors are GitHub's own; callers name what they were reading.
 */
export class GithubRepositoryReader {
  readonly owner: string;
  readonly repo: string;
  readonly slug: string;
  readonly htmlUrl: string;

  constructor(
    private readonly octokit: GithubClient,
    repository: { owner: string; repo: string; htmlUrl: string },
  ) {
    this.owner = repository.owner;
    this.repo = repository.repo;
    this.slug = `${repository.owner}/${repository.repo}`;
    this.htmlUrl = repository.htmlUrl;
  }

  private get repoParams() {
    return { owner: this.owner, repo: this.repo };
  }

  async environments() {
    const { items } = await this.pages(
      () =>
        this.octokit.repos.getAllEnvironments({
          ...this.repoParams,
          per_page: PER_PAGE,
        }),
      r => r.data.environments ?? [],
    );
    return items.map(env => ({
      name: env.name,
      htmlUrl: env.html_url,
      ...environmentProtection(env),
    }));
  }

  async environment(name: string) {
    const { data } = await this.octokit.repos.getEnvironment({
      ...this.repoParams,
      environment_name: name,
    });
    return {
      name: data.name,
      htmlUrl: data.html_url,
      ...environmentProtection(data),
    };
  }

  /** Tag name by commit sha; the newest tag wins when a commit carries several. */
  async tags(
    limit: PageLimit = {},
  ): Promise<{ bySha: Record<string, string>; truncated: boolean }> {
    const { items, truncated } = await this.pages(
      () =>
        this.octokit.repos.listTags({
          ...this.repoParams,
          per_page: limit.perPage ?? PER_PAGE,
        }),
      r => r.data,
      limit,
    );
    const bySha: Record<string, string> = {};
    for (const tag of items) bySha[tag.commit.sha] ??= tag.name;
    return { bySha, truncated };
  }

  /** Runs of a workflow file, newest first. */
  async workflowRuns(
    workflowFile: string,
    filter: {
      created?: string;
      status?: 'waiting' | 'completed';
      branch?: string;
    },
    limit: PageLimit = {},
  ): Promise<Paged<GithubRunInfo>> {
    const { items, truncated } = await this.pages(
      () =>
        this.octokit.actions.listWorkflowRuns({
          ...this.repoParams,
          workflow_id: workflowFile,
          ...filter,
          per_page: limit.perPage ?? PER_PAGE,
        }),
      r => r.data.workflow_runs,
      limit,
    );
    return { items: items.map(r => toRunInfo(r, workflowFile)), truncated };
  }

  /**
   * Completed runs of a workflow created from `since` on, newest first, with their attempt
   * number: a re-run keeps its run id and `created_at`, and raises `run_attempt`.
   */
  async completedRunAttempts(
    workflowFile: string,
    since: string,
    limit: PageLimit = {},
  ): Promise<Paged<GithubRunAttempt>> {
    const { items, truncated } = await this.pages(
      () =>
        this.octokit.actions.listWorkflowRuns({
          ...this.repoParams,
          workflow_id: workflowFile,
          status: 'completed',
          created: `>=${since}`,
          per_page: limit.perPage ?? PER_PAGE,
        }),
      r => r.data.workflow_runs,
      limit,
    );
    return {
      items: items.map(r => ({
        id: r.id,
        attempt: r.run_attempt ?? 1,
        conclusion: r.conclusion,
        headSha: r.head_sha,
        createdAt: r.created_at,
        runStartedAt: r.run_started_at ?? r.created_at,
        htmlUrl: r.html_url,
      })),
      truncated,
    };
  }

  /** Every attempt's jobs of a run (`filter=all`), with their steps' timings. */
  async jobsOfAllAttempts(runId: number): Promise<Paged<GithubJobAttempt>> {
    const { items, truncated } = await this.pages(
      () =>
        this.octokit.actions.listJobsForWorkflowRun({
          ...this.repoParams,
          run_id: runId,
          filter: 'all',
          per_page: PER_PAGE,
        }),
      r => r.data.jobs,
    );
    return {
      items: items.map(job => ({
        attempt: job.run_attempt ?? 1,
        name: job.name,
        conclusion: job.conclusion,
        startedAt: job.started_at,
        completedAt: job.completed_at ?? undefined,
        steps: (job.steps ?? []).map(step => ({
          name: step.name,
          conclusion: step.conclusion,
          startedAt: step.started_at ?? undefined,
          completedAt: step.completed_at ?? undefined,
        })),
      })),
      truncated,
    };
  }

  async workflowRun(runId: number) {
    const { data } = await this.octokit.actions.getWorkflowRun({
      ...this.repoParams,
      run_id: runId,
    });
    return toRunInfo(data, data.path);
  }

  /** Deployments to an environment, newest first, stopping at the first created before `since`. */
  async deployments(
    environment: string,
    filter: { since?: string; sha?: string } = {},
    limit: PageLimit = {},
  ): Promise<Paged<GithubDeploymentInfo>> {
    const { items, truncated } = await this.pages(
      () =>
        this.octokit.repos.listDeployments({
          ...this.repoParams,
          environment,
          ...(filter.sha ? { sha: filter.sha } : {}),
          per_page: limit.perPage ?? PER_PAGE,
        }),
      r => r.data,
      {
        ...limit,
        until: d =>
          Boolean(filter.since && d.created_at.slice(0, 10) < filter.since),
      },
    );
    return { items: items.map(toDeploymentInfo), truncated };
  }

  /** What a deployment came to (see `deploymentState`). */
  async deploymentState(deploymentId: number) {
    const { data } = await this.octokit.repos.listDeploymentStatuses({
      ...this.repoParams,
      deployment_id: deploymentId,
      per_page: 20,
    });
    return deploymentState(data);
  }

  /** The newest successful deployment to the environment among the last ten. */
  async liveDeployment(environment: string) {
    const { items } = await this.deployments(
      environment,
      {},
      { perPage: 10, maxPages: 1 },
    );
    for (const d of items) {
      const state = await this.deploymentState(d.id);
      if (state?.state === 'success') return { sha: d.sha, at: state.at };
    }
    return undefined;
  }

  /**
   * Decisions on the run's environment gates, or on one environment's (GitHub gives them no
   * time; environment names match case-insensitively, as GitHub's do).
   */
  async reviews(
    runId: number,
    environment?: string,
  ): Promise<Omit<Approval, 'at'>[]> {
    const { data } = await this.octokit.actions.getReviewsForRun({
      ...this.repoParams,
      run_id: runId,
    });
    const wanted = environment?.toLowerCase();
    return data
      .filter(
        r =>
          wanted === undefined ||
          r.environments.some(e => e.name?.toLowerCase() === wanted),
      )
      .flatMap(r => toReview(r) ?? []);
  }

  /** When the run's last job started: right after its gate was reviewed, for a deploy run. */
  async lastJobStartedAt(runId: number): Promise<string | undefined> {
    const { items } = await this.pages(
      () =>
        this.octokit.actions.listJobsForWorkflowRun({
          ...this.repoParams,
          run_id: runId,
          per_page: PER_PAGE,
        }),
      r => r.data.jobs,
    );
    return items
      .map(j => j.started_at)
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop();
  }

  /** The environments the run waits on now. */
  async pendingDeployments(runId: number): Promise<PendingGate[]> {
    const { data } = await this.octokit.actions.getPendingDeploymentsForRun({
      ...this.repoParams,
      run_id: runId,
    });
    return data.map(gate => ({
      environment: gate.environment.name ?? 'unknown',
      environmentId: gate.environment.id,
      environmentUrl: gate.environment.html_url,
      waitTimerStartedAt: gate.wait_timer_started_at ?? undefined,
      waitTimerMinutes: gate.wait_timer || undefined,
      reviewers: toRequiredReviewers(gate.reviewers),
    }));
  }

  /** The commits in `head` and not in `base`, paged up to `maxCommits`. */
  async compare(
    base: string,
    head: string,
    maxCommits = MAX_COMPARE_COMMITS,
  ): Promise<Comparison> {
    let totalCommits = 0;
    let htmlUrl = `${this.htmlUrl}/compare/${base}...${head}`;
    const { items } = await this.pages(
      () =>
        this.octokit.repos.compareCommitsWithBasehead({
          ...this.repoParams,
          basehead: `${base}...${head}`,
          per_page: PER_PAGE,
        }),
      r => {
        totalCommits = r.data.total_commits;
        htmlUrl = r.data.html_url;
        return r.data.commits;
      },
      { maxPages: Math.ceil(maxCommits / PER_PAGE) },
    );
    const commits = items.slice(0, maxCommits).map(toChangeCommit);
    return {
      commits,
      totalCommits,
      htmlUrl,
      truncated: commits.length < totalCommits,
    };
  }

  /** How many commits `head` has that `base` has not, in one small request. */
  async aheadBy(base: string, head: string): Promise<number> {
    const { data } = await this.octokit.repos.compareCommitsWithBasehead({
      ...this.repoParams,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    return data.ahead_by;
  }

  /** The pull requests that hold a commit (without who merged them: see `pullRequest`). */
  async pullRequestsOf(sha: string): Promise<Paged<PullRequestSummary>> {
    const { items, truncated } = await this.pages(
      () =>
        this.octokit.repos.listPullRequestsAssociatedWithCommit({
          ...this.repoParams,
          commit_sha: sha,
          per_page: PER_PAGE,
        }),
      r => r.data,
    );
    return { items: items.map(toPullRequest), truncated };
  }

  /** One pull request, with who merged it. */
  async pullRequest(pullNumber: number): Promise<PullRequestSummary> {
    const { data } = await this.octokit.pulls.get({
      ...this.repoParams,
      pull_number: pullNumber,
    });
    return toPullRequest(data);
  }

  /** Logins of a team of the repository owner's organisation. */
  async teamMembers(teamSlug: string): Promise<string[]> {
    const members = await this.octokit.paginate(
      this.octokit.teams.listMembersInOrg,
      {
        org: this.owner,
        team_slug: teamSlug,
        per_page: PER_PAGE,
      },
    );
    return members.map(m => m.login);
  }

  async checkRuns(sha: string) {
    const { data } = await this.octokit.checks.listForRef({
      ...this.repoParams,
      ref: sha,
      per_page: PER_PAGE,
    });
    return data.check_runs;
  }

  async commitStatuses(sha: string) {
    const { data } = await this.octokit.repos.getCombinedStatusForRef({
      ...this.repoParams,
      ref: sha,
    });
    return data.statuses;
  }

  openCodeScanningAlerts() {
    return this.octokit.paginate(this.octokit.codeScanning.listAlertsForRepo, {
      ...this.repoParams,
      state: 'open',
      per_page: PER_PAGE,
    });
  }

  async openDependabotAlerts() {
    const { data } = await this.octokit.dependabot.listAlertsForRepo({
      ...this.repoParams,
      state: 'open',
      per_page: PER_PAGE,
    });
    return data;
  }

  /**
   * Every code scanning and Dependabot alert, open or closed, with when it opened and closed:
   * what was open at any earlier time (a past release's security input).
   */
  async alertHistory(): Promise<AlertLife[]> {
    const [codeScanning, dependabot] = await Promise.all([
      this.pages(
        () =>
          this.octokit.codeScanning.listAlertsForRepo({
            ...this.repoParams,
            per_page: PER_PAGE,
          }),
        r => r.data,
      ),
      this.pages(
        () =>
          this.octokit.dependabot.listAlertsForRepo({
            ...this.repoParams,
            per_page: PER_PAGE,
          }),
        r => r.data,
      ),
    ]);
    return [
      ...codeScanning.items.map(a => ({
        severity: a.rule.security_severity_level ?? a.rule.severity,
        createdAt: a.created_at,
        closedAt: a.fixed_at ?? a.dismissed_at,
      })),
      ...dependabot.items.map(a => ({
        severity: a.security_advisory.severity,
        createdAt: a.created_at,
        closedAt: a.fixed_at ?? a.dismissed_at,
      })),
    ];
  }

  /**
   * Reads the first page, then the pages GitHub's Link header names next, until it names none,
   * `until` holds for an item (which is left out), or `maxPages` pages were read: only the last
   * cuts the list short.
   */
  private async pages<R extends { headers: { link?: string } }, T>(
    first: () => Promise<R>,
    pick: (response: R) => readonly T[],
    limit: PageLimit & { until?: (item: T) => boolean } = {},
  ): Promise<Paged<T>> {
    const items: T[] = [];
    const maxPages = limit.maxPages ?? MAX_PAGES;
    let response = await first();
    for (let read = 1; ; read++) {
      for (const item of pick(response)) {
        if (limit.until?.(item)) return { items, truncated: false };
        items.push(item);
      }
      const next = /<([^<>]+)>;\s*rel="next"/.exec(
        response.headers.link ?? '',
      )?.[1];
      if (!next) return { items, truncated: false };
      if (read >= maxPages) return { items, truncated: true };
      // The next page of the same endpoint has the same shape as the first.
      response = (await this.octokit.request({
        method: 'GET',
        url: next,
      })) as unknown as R;
    }
  }
}
