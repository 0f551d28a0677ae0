import {
  DeployChangeSetRead,
  DeployChangeSetStore,
} from '../../delivery/DeployChangeSetStore';
import { mapLimited } from '../mapLimited';
import { UpstreamError } from '../types';
import { commitPeople } from './commitPeople';
import type { GithubRepositoryReader } from './GithubRepositoryReader';
import { GithubRunInfo } from './types';

/** Comparisons in flight at once for one service. */
const CONCURRENCY = 4;
/** GitHub's answers for a commit it does not have, or two without a common history: final. */
const FINAL_STATUSES = new Set([404, 422]);

/** A deploy run that changed what runs in the environment, or tried to. */
const isDeploy = (run: GithubRunInfo) =>
  run.status === 'completed' &&
  (run.conclusion === 'success' || run.conclusion === 'failure');

/** What one read of change sets did. */
export interface ChangeSetsReadSummary {
  /** Deploys whose change set was asked of GitHub this time. */
  compared: number;
  /** Deploys dropped for being older than the retention. */
  dropped: number;
}

/**
 * The change set of every deploy of the environment not yet stored for good: the commits between
 * the last deploy before it that succeeded (what was live) and its own commit, with their author
 * dates, from GitHub's compare API (one request per deploy of up to 100 commits; a deploy read
 * once is never asked again). A deploy with no successful one before it in the history read, or
 * whose comparison GitHub refuses, is stored with the reason its change set is unknown.
 */
export async function readDeployChangeSets(
  reader: GithubRepositoryReader,
  args: {
    entityRef: string;
    environment: string;
    runs: GithubRunInfo[];
    store: DeployChangeSetStore;
    historyDays: number;
    retentionMs: number;
    now: Date;
    call: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  },
): Promise<ChangeSetsReadSummary> {
  const { entityRef, environment, store, now, call } = args;
  const keepFrom = now.getTime() - args.retentionMs;
  const dropped = await store.dropDeployedBefore(
    entityRef,
    new Date(keepFrom).toISOString(),
  );
  const settled = await store.settledRunIds(entityRef, environment);
  const deploys = args.runs
    .filter(isDeploy)
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));

  const toRead: Array<{ run: GithubRunInfo; base?: GithubRunInfo }> = [];
  let lastGood: GithubRunInfo | undefined;
  for (const run of deploys) {
    const kept = Date.parse(run.createdAt) >= keepFrom;
    if (kept && !settled.has(run.id)) toRead.push({ run, base: lastGood });
    if (run.conclusion === 'success') lastGood = run;
  }

  let compared = 0;
  const reads = await mapLimited(
    toRead,
    CONCURRENCY,
    async ({ run, base }): Promise<DeployChangeSetRead> => {
      const read = {
        environment,
        runId: run.id,
        headSha: run.headSha,
        baseSha: base?.headSha,
        deployedAt: run.createdAt,
      };
      if (!base) {
        return {
          ...read,
          changeSet: {
            unknown: `No successful ${environment} deploy in the ${args.historyDays} days read precedes it, so what it shipped is unknown`,
          },
          settled: true,
        };
      }
      if (base.headSha === run.headSha) {
        return {
          ...read,
          changeSet: { commits: [], totalCommits: 0 },
          settled: true,
        };
      }
      compared++;
      try {
        const comparison = await call(
          `the change set of ${environment} deploy run ${run.id}`,
          () => reader.compare(base.headSha, run.headSha),
        );
        return {
          ...read,
          changeSet: {
            commits: comparison.commits.map(c => {
              const { logins, unlinked } = commitPeople(c);
              return {
                sha: c.sha,
                ...(c.authoredAt ? { authoredAt: c.authoredAt } : {}),
                logins,
                ...(unlinked.length ? { unlinked } : {}),
              };
            }),
            totalCommits: comparison.totalCommits,
          },
          settled: true,
        };
      } catch (error) {
        const status =
          error instanceof UpstreamError ? error.status : undefined;
        return {
          ...read,
          changeSet: { unknown: (error as Error).message },
          settled: status !== undefined && FINAL_STATUSES.has(status),
        };
      }
    },
  );
  await store.save(entityRef, reads, now);
  return { compared, dropped };
}
