import { NotFoundError } from '@backstage/errors';
import {
  Changelog,
  ChangelogCommit,
  DeploymentRecord,
  DeploymentsOverview,
  DeploymentsQuery,
  Section,
  SectionStatus,
  SourceId,
  SourceState,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { SnapshotStore, StoredSnapshot } from '../snapshots/SnapshotStore';
import { describeGithubError } from '../sources/github/describeGithubError';
import { GithubClientFactory } from '../sources/github/GithubClientFactory';
import { GithubDeploySnapshot } from '../sources/github/types';
import { HelmHistorySnapshot } from '../sources/kubernetes/types';
import { UpstreamError } from '../sources/types';
import {
  mergeDeploymentHistory,
  MergedHistory,
} from './mergeDeploymentHistory';
import { SnapshotRefresher } from './SnapshotRefresher';
import {
  delay,
  describeSourceState,
  sourceLabel as label,
} from './sourceState';

const DEPLOYMENT_SOURCES: SourceId[] = ['github', 'kubernetes'];
const RECENT_COUNT = 25;
const MAX_CHANGELOG_COMMITS = 250;

interface Loaded {
  states: SourceState[];
  history: MergedHistory;
  github?: GithubDeploySnapshot;
}

/**
 * The deploy-history section: reads snapshots (never upstream on a warm view), fetches a section
 * never fetched before once on demand, and reports each source's status next to the data.
 */
export class DeploymentHistoryService {
  private readonly memo = new Map<string, { key: string; loaded: Loaded }>();
  private readonly changelogsInFlight = new Map<string, Promise<Changelog>>();

  constructor(
    private readonly options: {
      store: SnapshotStore;
      refresher: SnapshotRefresher;
      githubClients: GithubClientFactory;
      staleAfterMs: number;
      onDemandWaitMs: number;
      timeoutMs: number;
      now?: () => Date;
    },
  ) {}

  async getOverview(
    target: EntityTarget,
  ): Promise<Section<DeploymentsOverview>> {
    const { states, history, github } = await this.load(target);
    const section = summarise(states);
    if (section.status === 'not-configured' || section.status === 'error') {
      return section;
    }
    return {
      ...section,
      data: {
        repository: github?.repository,
        environments: history.environments,
        recent: history.records.slice(0, RECENT_COUNT),
        totalCount: history.records.length,
      },
    };
  }

  async listDeployments(
    target: EntityTarget,
    query: Omit<DeploymentsQuery, 'cursor'> & { offset: number },
  ) {
    const { states, history } = await this.load(target);
    const section = summarise(states);
    const filtered = history.records.filter(
      r =>
        (!query.environment || r.environment === query.environment) &&
        (!query.result || r.result === query.result),
    );
    const items = filtered.slice(query.offset, query.offset + query.limit);
    const { data: _unused, ...sectionWithoutData } = section;
    return {
      section: sectionWithoutData,
      items,
      totalCount: filtered.length,
      nextOffset:
        query.offset + query.limit < filtered.length
          ? query.offset + query.limit
          : undefined,
    };
  }

  async getChangelog(
    target: EntityTarget,
    deploymentId: string,
  ): Promise<Changelog> {
    const { history, github } = await this.load(target);
    const index = history.records.findIndex(r => r.id === deploymentId);
    const record = history.records[index];
    if (!record) {
      throw new NotFoundError(
        `No deployment "${deploymentId}" in the history of ${target.entityRef}`,
      );
    }
    const base = history.records
      .slice(index + 1)
      .find(
        (r): r is DeploymentRecord =>
          r.environment === record.environment &&
          r.result === 'success' &&
          Boolean(r.sha) &&
          r.sha !== record.sha,
      );
    const head = { sha: record.sha, version: record.version };
    if (!base || !record.sha || !target.github || !github) {
      return {
        deploymentId,
        environment: record.environment,
        head,
        commits: [],
        totalCommits: 0,
        fetchedAt: (this.options.now?.() ?? new Date()).toISOString(),
      };
    }
    const key = `${github.repository.slug}|${base.sha}|${record.sha}`;
    let pending = this.changelogsInFlight.get(key);
    if (!pending) {
      pending = this.fetchChangelog(target, github, base, record).finally(() =>
        this.changelogsInFlight.delete(key),
      );
      this.changelogsInFlight.set(key, pending);
    }
    return pending;
  }

  private async fetchChangelog(
    target: EntityTarget,
    github: GithubDeploySnapshot,
    base: DeploymentRecord,
    record: DeploymentRecord,
  ): Promise<Changelog> {
    const { store } = this.options;
    const repository = github.repository.slug;
    type Stored = {
      commits: ChangelogCommit[];
      totalCommits: number;
      compareUrl?: string;
    };
    let stored = await store.getChangelog<Stored>(
      repository,
      base.sha,
      record.sha,
    );
    if (!stored) {
      const { owner, repo } = target.github!;
      const octokit = await this.options.githubClients.forRepository(
        owner,
        repo,
      );
      let comparison;
      try {
        comparison = await octokit.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead: `${base.sha}...${record.sha}`,
        });
      } catch (error) {
        const { message, status } = describeGithubError(
          error,
          `the changes between ${base.version} and ${record.version} in ${repository}`,
          this.options.timeoutMs,
        );
        throw new UpstreamError('github', message, status);
      }
      const commits = comparison.data.commits
        .slice(-MAX_CHANGELOG_COMMITS)
        .reverse()
        .map(
          (c): ChangelogCommit => ({
            sha: c.sha,
            shortSha: c.sha.slice(0, 7),
            title: c.commit.message.split('\n')[0],
            author: commitAuthor(c),
            authoredAt: c.commit.author?.date,
            htmlUrl: c.html_url,
          }),
        );
      const value: Stored = {
        commits,
        totalCommits: comparison.data.total_commits,
        compareUrl: comparison.data.html_url,
      };
      const now = this.options.now?.() ?? new Date();
      await store.saveChangelog(repository, base.sha, record.sha, value, now);
      stored = { data: value, fetchedAt: now };
    }
    return {
      deploymentId: record.id,
      environment: record.environment,
      base: { sha: base.sha, version: base.version, deploymentId: base.id },
      head: { sha: record.sha, version: record.version },
      commits: stored.data.commits,
      totalCommits: stored.data.totalCommits,
      compareUrl: stored.data.compareUrl,
      fetchedAt: stored.fetchedAt.toISOString(),
    };
  }

  private async load(target: EntityTarget): Promise<Loaded> {
    const { store, refresher } = this.options;
    const { entityRef } = target;
    let snapshots = await store.getAll(entityRef, { withData: false });
    const missing = DEPLOYMENT_SOURCES.filter(id => {
      const source = refresher.source(id);
      return (
        source &&
        !source.notConfiguredReason(target) &&
        !snapshots.some(s => s.source === id)
      );
    });
    if (missing.length) {
      const fetches = Promise.all(
        missing.map(id => refresher.refresh(target, id)),
      );
      await Promise.race([fetches, delay(this.options.onDemandWaitMs)]);
      snapshots = await store.getAll(entityRef, { withData: false });
    }

    const memo = this.memo.get(entityRef);
    if (memo && memo.key === dataVersion(snapshots)) {
      return { ...memo.loaded, states: this.sourceStates(target, snapshots) };
    }
    // The data changed since the last view (or this is the first): read and merge it once.
    const full = await store.getAll(entityRef, { withData: true });
    const github = full.find(s => s.source === 'github')?.data as
      | GithubDeploySnapshot
      | undefined;
    const helm = full.find(s => s.source === 'kubernetes')?.data as
      | HelmHistorySnapshot
      | undefined;
    const history = mergeDeploymentHistory(target.environments, github, helm);
    const loaded = { states: this.sourceStates(target, full), history, github };
    this.memo.set(entityRef, { key: dataVersion(full), loaded });
    return loaded;
  }

  private sourceStates(target: EntityTarget, snapshots: StoredSnapshot[]) {
    return DEPLOYMENT_SOURCES.map(id =>
      describeSourceState(
        this.options.refresher,
        target,
        id,
        snapshots.find(s => s.source === id),
        {
          staleAfterMs: this.options.staleAfterMs,
          now: this.options.now?.() ?? new Date(),
        },
      ),
    );
  }
}

type CompareCommit = {
  author?: { login?: string; avatar_url?: string; html_url?: string } | null;
  commit: { author?: { name?: string } | null };
};

/** The GitHub account when the commit email maps to one, else the git author name. */
function commitAuthor(c: CompareCommit): ChangelogCommit['author'] {
  const name = c.commit.author?.name;
  if (c.author?.login) {
    return {
      login: c.author.login,
      name,
      avatarUrl: c.author.avatar_url,
      htmlUrl: c.author.html_url,
    };
  }
  return name ? { login: name, name } : undefined;
}

/**
 * Identifies the deploy data. It changes when a fetch brings different data, not when a refresh
 * only confirms it (every scheduled refresh moves `fetchedAt`), nor when another section's
 * source (health, flags, ...) of the entity changes.
 */
function dataVersion(snapshots: StoredSnapshot[]) {
  return snapshots
    .filter(s => DEPLOYMENT_SOURCES.includes(s.source))
    .map(s => `${s.source}:${s.dataVersion ?? 'none'}`)
    .sort()
    .join('|');
}

/** The source's message, prefixed with its name unless the message already starts with it. */
function describeProblem(state: SourceState) {
  const name = label(state.source);
  const message = state.message ?? 'unavailable';
  return message.startsWith(name) ? message : `${name}: ${message}`;
}

function summarise(states: SourceState[]): Section<DeploymentsOverview> {
  const configured = states.filter(s => s.status !== 'not-configured');
  if (!configured.length) {
    return {
      status: 'not-configured',
      message: states.map(s => s.message).join('. '),
      missingAnnotations: states.flatMap(s => s.missingAnnotations ?? []),
      sources: states,
    };
  }
  const withData = configured.filter(
    s => s.status === 'ok' || s.status === 'stale',
  );
  let status: SectionStatus = 'ok';
  if (!withData.length) status = 'error';
  else if (
    withData.length < configured.length ||
    withData.some(s => s.status === 'stale')
  ) {
    status = 'stale';
  }
  const problems = configured.filter(s => s.status !== 'ok');
  const fetchedAt = withData
    .map(s => s.fetchedAt)
    .filter((t): t is string => Boolean(t))
    .sort()[0];
  return {
    status,
    fetchedAt,
    message: problems.length
      ? problems.map(describeProblem).join(' ')
      : undefined,
    sources: states,
  };
}
