import { LoggerService } from '@backstage/backend-plugin-api';
import { Approval } from '@internal/plugin-lexecon-common';
import { CommitReadingStore } from '../../delivery/CommitReadingStore';
import { DeployChangeSetStore } from '../../delivery/DeployChangeSetStore';
import { EntityTarget } from '../../EntityTarget';
import { mapLimited } from '../mapLimited';
import { NotConfigured, SnapshotSource, annotationMissing } from '../types';
import { githubCaller } from './describeGithubError';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubRepositoryReader } from './GithubRepositoryReader';
import { CheckPatterns } from './commitChecks';
import { readDeployChangeSets } from './readDeployChangeSets';
import { readDeployReadiness } from './readDeployReadiness';
import {
  GithubDeploymentInfo,
  GithubDeploySnapshot,
  GithubEnvironmentSnapshot,
  GithubRunInfo,
} from './types';

const TERMINAL_DEPLOYMENT_STATES = new Set(['success', 'failure', 'error']);
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
      /**
       * Where the change set of each deploy to the last environment (production) is kept, for
       * lead time; without it no change set is read.
       */
      changeSets?: { store: DeployChangeSetStore; retentionMs: number };
      /**
       * Where the readiness inputs of each commit released there are kept, for the readiness
       * and coverage trends; without it none is read.
       */
      readiness?: CheckPatterns & {
        store: CommitReadingStore;
        /** The CI workflow of entities without `lexecon.io/ci-workflow`. */
        ciWorkflow: string;
        retentionMs: number;
      };
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
    const reader = await this.clients.reader(github.owner, github.repo);
    const call = githubCaller(reader.slug, this.options.timeoutMs);

    // Independent reads go out together: a cycle's length is its longest chain of round trips.
    const [environmentsInfo, tags] = await Promise.all([
      call('the environments', () => reader.environments()),
      call('the tags', () => reader.tags()),
    ]);

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
        const isProtected = Boolean(info?.requiresReviewers);
        const workflowFile = github.workflows[env];
        const prev = previous?.environments[env];

        const readRuns = async (): Promise<GithubRunInfo[]> => {
          if (!workflowFile) return [];
          const runs = await call(`the runs of ${workflowFile}`, async () => {
            const read = await reader.workflowRuns(workflowFile, {
              created: `>=${since}`,
            });
            return read.items;
          });
          if (isProtected) {
            await call(`the approvals of ${env} deploys`, () =>
              attachApprovals(reader, runs, prev?.runs ?? []),
            );
          }
          return runs;
        };
        const [runs, deployments] = await Promise.all([
          readRuns(),
          call(`the ${env} deployments`, () =>
            readDeployments(reader, env, since, prev?.deployments ?? []),
          ),
        ]);
        environments[env] = {
          workflowFile,
          htmlUrl: info?.htmlUrl,
          protected: isProtected,
          runs,
          deployments,
        };
      },
    );

    const production = target.environments[target.environments.length - 1];
    const { changeSets, readiness } = this.options;
    const released = production ? environments[production] : undefined;
    if (released) {
      await Promise.all([
        changeSets &&
          readDeployChangeSets(reader, {
            entityRef: target.entityRef,
            environment: production,
            runs: released.runs,
            store: changeSets.store,
            historyDays: this.options.historyDays,
            retentionMs: changeSets.retentionMs,
            now,
            call,
          }),
        readiness &&
          readDeployReadiness(reader, {
            ...readiness,
            ciWorkflow: github.ciWorkflow ?? readiness.ciWorkflow,
            entityRef: target.entityRef,
            runs: released.runs,
            now,
            call,
          }),
      ]);
    }

    const behind: GithubDeploySnapshot['behind'] = {};
    for (let i = 1; i < target.environments.length; i++) {
      const env = target.environments[i];
      const before = target.environments[i - 1];
      const liveHere = liveSha(environments[env]);
      const liveBefore = liveSha(environments[before]);
      if (!liveHere || !liveBefore) continue;
      behind[env] = {
        of: before,
        commits:
          liveHere === liveBefore
            ? 0
            : await call(`the comparison of ${env} with ${before}`, () =>
                reader.aheadBy(liveHere, liveBefore),
              ),
      };
    }

    return {
      repository: { slug: reader.slug, htmlUrl: reader.htmlUrl },
      environments,
      tags: tags.bySha,
      ...(tags.truncated ? { tagsTruncated: true } : {}),
      behind,
    };
  }
}

async function attachApprovals(
  reader: GithubRepositoryReader,
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
    const reviews = await reader.reviews(run.id);
    // GitHub's reviews carry no time; the gated job starts right after the review.
    const at =
      reviews.length && run.status === 'completed'
        ? await reader.lastJobStartedAt(run.id)
        : undefined;
    run.approvals = reviews.map((r): Approval => ({ ...r, at }));
  });
}

async function readDeployments(
  reader: GithubRepositoryReader,
  environment: string,
  since: string,
  previous: GithubDeploymentInfo[],
): Promise<GithubDeploymentInfo[]> {
  const known = new Map(previous.map(d => [d.id, d]));
  const { items } = await reader.deployments(environment, { since });
  return mapLimited(items, CONCURRENCY, async info => {
    const before = known.get(info.id);
    // A deployment's outcome never changes once it succeeded or failed.
    if (before?.state && TERMINAL_DEPLOYMENT_STATES.has(before.state)) {
      return {
        ...info,
        state: before.state,
        stateAt: before.stateAt,
        description: before.description,
      };
    }
    const state = await reader.deploymentState(info.id);
    return state
      ? {
          ...info,
          state: state.state,
          stateAt: state.at,
          description: state.description,
        }
      : info;
  });
}

function liveSha(env: GithubEnvironmentSnapshot | undefined) {
  return env?.deployments.find(d => d.state === 'success')?.sha;
}
