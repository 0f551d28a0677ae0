import { ReadinessFacts } from '../../approvals/readiness';
import {
  CommitReading,
  CommitReadingStore,
} from '../../delivery/CommitReadingStore';
import { mapLimited } from '../mapLimited';
import { UpstreamError } from '../types';
import {
  AlertLife,
  CheckPatterns,
  countAlerts,
  readCommitChecks,
  withCheckReadings,
} from './commitChecks';
import type { GithubRepositoryReader } from './GithubRepositoryReader';
import { GithubRunInfo } from './types';

/** Commits read at once for one service. */
const CONCURRENCY = 4;
/** GitHub's answers when code scanning or Dependabot is off, or the token may not read it. */
const NO_ALERTS_STATUSES = new Set([403, 404]);

const isRelease = (run: GithubRunInfo) =>
  run.status === 'completed' &&
  (run.conclusion === 'success' || run.conclusion === 'failure');

/** GitHub's `created` filter takes ISO 8601 to the second. */
const isoSecond = (iso: string) =>
  new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface DeployReadinessSummary {
  /** Commits whose readiness inputs were read this time. */
  read: number;
  dropped: number;
}

/**
 * The readiness inputs of every commit released to the environment and not yet stored, as they
 * stood when it was released: its checks (coverage, code quality; two requests), the last ten
 * CI runs of its branch created before the release (one request), and the security alerts open
 * then (the repository's alert history, read once per read that has commits to measure). A
 * commit whose checks or CI runs could not be read is left for the next read.
 */
export async function readDeployReadiness(
  reader: GithubRepositoryReader,
  args: CheckPatterns & {
    entityRef: string;
    runs: GithubRunInfo[];
    store: CommitReadingStore;
    ciWorkflow: string;
    retentionMs: number;
    now: Date;
    call: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  },
): Promise<DeployReadinessSummary> {
  const { entityRef, store, ciWorkflow, call } = args;
  const keepFrom = args.now.getTime() - args.retentionMs;
  const dropped = await store.dropMeasuredBefore(
    entityRef,
    new Date(keepFrom).toISOString(),
  );
  const stored = await store.readShas(entityRef);
  // A commit is measured when it was first released.
  const firstRelease = new Map<string, GithubRunInfo>();
  for (const run of [...args.runs]
    .filter(isRelease)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))) {
    firstRelease.set(run.headSha, run);
  }
  const toRead = [...firstRelease.values()].filter(
    run => !stored.has(run.headSha) && Date.parse(run.createdAt) >= keepFrom,
  );
  if (!toRead.length) return { read: 0, dropped };

  let alerts: AlertLife[] | undefined;
  try {
    alerts = await call('the security alert history', () =>
      reader.alertHistory(),
    );
  } catch (error) {
    const status = error instanceof UpstreamError ? error.status : undefined;
    // Alerts GitHub will never show are a missing input; anything else may pass.
    if (status === undefined || !NO_ALERTS_STATUSES.has(status)) {
      return { read: 0, dropped };
    }
  }

  const readings = await mapLimited(
    toRead,
    CONCURRENCY,
    async (run): Promise<CommitReading | undefined> => {
      try {
        const [checks, ciRuns] = await Promise.all([
          call(`the checks of ${run.headSha.slice(0, 7)}`, () =>
            readCommitChecks(reader, run.headSha),
          ),
          call(`the ${ciWorkflow} runs before ${run.headSha.slice(0, 7)}`, () =>
            reader.workflowRuns(
              ciWorkflow,
              {
                status: 'completed',
                created: `<${isoSecond(run.createdAt)}`,
                ...(run.headBranch ? { branch: run.headBranch } : {}),
              },
              { perPage: 10, maxPages: 1 },
            ),
          ),
        ]);
        const facts: ReadinessFacts = {
          ciRuns: {
            total: ciRuns.items.length,
            passed: ciRuns.items.filter(r => r.conclusion === 'success').length,
            workflow: ciWorkflow,
            url: `${reader.htmlUrl}/actions/workflows/${ciWorkflow}`,
          },
          ...(alerts
            ? {
                security: {
                  ...countAlerts(alerts, run.createdAt),
                  url: `${reader.htmlUrl}/security`,
                },
              }
            : {}),
        };
        return {
          sha: run.headSha,
          measuredAt: run.createdAt,
          facts: withCheckReadings(facts, checks, args),
        };
      } catch {
        return undefined;
      }
    },
  );
  const read = readings.filter((r): r is CommitReading => Boolean(r));
  await store.save(entityRef, read, args.now);
  return { read: read.length, dropped };
}
