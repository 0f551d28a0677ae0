import { NotFoundError } from '@backstage/errors';
import {
  Changelog,
  ChangelogCommit,
  DeploymentRecord,
  DeploymentsOverview,
  DeploymentsQuery,
  Section,
  SourceId,
  SourceState,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import {
  SnapshotReader,
  SourceRead,
  summariseSection,
} from '../snapshots/SnapshotReader';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { githubCaller } from '../sources/github/describeGithubError';
import { GithubClientFactory } from '../sources/github/GithubClientFactory';
import { GithubDeploySnapshot } from '../sources/github/types';
import { HelmHistorySnapshot } from '../sources/kubernetes/types';
import {
  mergeDeploymentHistory,
  MergedHistory,
  RunException,
  withExceptions,
} from './mergeDeploymentHistory';

const DEPLOYMENT_SOURCES: readonly SourceId[] = ['github', 'kubernetes'];
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
      reader: SnapshotReader;
      githubClients: GithubClientFactory;
      timeoutMs: number;
      /** Approvals past the gate of the entity's runs, from the audit trail. */
      exceptions?: (entityRef: string) => Promise<RunException[]>;
      now?: () => Date;
    },
  ) {}

  /** `metadata`: the entity's metadata reads when the caller has them already (the overview). */
  async getOverview(
    target: EntityTarget,
    metadata?: readonly SourceRead[],
  ): Promise<Section<DeploymentsOverview>> {
    const { states, history, github } = await this.load(target, metadata);
    const section = summariseSection(states);
    if (section.status === 'not-configured' || section.status === 'error') {
      return section;
    }
    return {
      ...section,
      data: {
        repository: github?.repository,
        environments: history.environments,
        recent: await this.marked(
          target,
          history.records.slice(0, RECENT_COUNT),
        ),
        totalCount: history.records.length,
      },
    };
  }

  async listDeployments(
    target: EntityTarget,
    query: Omit<DeploymentsQuery, 'cursor'> & { offset: number },
  ) {
    const { states, history } = await this.load(target);
    const section = summariseSection(states);
    const filtered = history.records.filter(
      r =>
        (!query.environment || r.environment === query.environment) &&
        (!query.result || r.result === query.result),
    );
    const items = await this.marked(
      target,
      filtered.slice(query.offset, query.offset + query.limit),
    );
    return {
      section,
      items,
      totalCount: filtered.length,
      nextOffset:
        query.offset + query.limit < filtered.length
          ? query.offset + query.limit
          : undefined,
    };
  }

  /** The deploys with their exceptions: read each time, as the trail grows without a refresh. */
  private async marked(target: EntityTarget, records: DeploymentRecord[]) {
    const { exceptions } = this.options;
    if (!exceptions || !records.length) return records;
    return withExceptions(records, await exceptions(target.entityRef));
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
      const reader = await this.options.githubClients.reader(owner, repo);
      const comparison = await githubCaller(repository, this.options.timeoutMs)(
        `the changes between ${base.version} and ${record.version}`,
        () => reader.compare(base.sha, record.sha),
      );
      // The newest commits matter most to whoever reads a changelog.
      const commits = comparison.commits
        .slice(-MAX_CHANGELOG_COMMITS)
        .reverse();
      const value: Stored = {
        commits,
        totalCommits: comparison.totalCommits,
        compareUrl: comparison.htmlUrl,
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

  private async load(
    target: EntityTarget,
    metadata?: readonly SourceRead[],
  ): Promise<Loaded> {
    const { reader } = this.options;
    const { entityRef } = target;
    const given = DEPLOYMENT_SOURCES.map(id =>
      metadata?.find(r => r.state.source === id),
    );
    const current = given.every(Boolean)
      ? (given as SourceRead[])
      : await reader.readMany(target, DEPLOYMENT_SOURCES, {
          withData: false,
        });
    const states = current.map(r => r.state);
    const memo = this.memo.get(entityRef);
    if (memo && memo.key === dataVersion(current)) {
      return { ...memo.loaded, states };
    }
    // The data changed since the last view (or this is the first): read and merge it once.
    const full = await reader.readMany(target, DEPLOYMENT_SOURCES, {
      withData: true,
    });
    const [github, helm] = full.map(r => r.data) as [
      GithubDeploySnapshot | undefined,
      HelmHistorySnapshot | undefined,
    ];
    const history = mergeDeploymentHistory(target.environments, github, helm);
    const loaded = { states: full.map(r => r.state), history, github };
    this.memo.set(entityRef, { key: dataVersion(full), loaded });
    return loaded;
  }
}

/**
 * Identifies the deploy data. It changes when a fetch brings different data, not when a refresh
 * only confirms it (every scheduled refresh moves `fetchedAt`), nor when another section's
 * source (health, flags, ...) of the entity changes.
 */
function dataVersion(reads: SourceRead[]) {
  return reads
    .map(r => `${r.state.source}:${r.dataVersion ?? 'none'}`)
    .join('|');
}
