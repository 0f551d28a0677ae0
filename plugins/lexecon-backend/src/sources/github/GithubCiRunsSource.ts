import { CiJobFact, CiRunFact } from '@internal/plugin-lexecon-common';
import { CiRunRead, CiRunStore } from '../../delivery/CiRunStore';
import { EntityTarget } from '../../EntityTarget';
import { mapLimited } from '../mapLimited';
import { annotationMissing, NotConfigured, SnapshotSource } from '../types';
import { githubCaller } from './describeGithubError';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubJobAttempt, GithubRunAttempt } from './types';

const DAY_MS = 86_400_000;
/**
 * How far before the newest stored run a read starts again: a run still going at the last read,
 * or re-run since, is completed (and listed) again within a day. Only new or changed runs cost
 * a jobs request; the list itself usually answers 304.
 */
const LOOKBACK_MS = DAY_MS;
/** Runs whose jobs are read at once, and stored together, oldest first. */
const RUNS_AT_ONCE = 4;

/** What one scheduled read did; the runs themselves are in the store. */
export interface CiRunsReadSummary {
  workflow: string;
  /** The `created` bound asked for. */
  since: string;
  listed: number;
  /** Runs whose jobs were read (new, re-run, or unfinished when last read). */
  read: number;
  /** Runs dropped for being older than the retention. */
  dropped: number;
  /** True when GitHub listed more runs than one read pages through. */
  truncated: boolean;
}

/** GitHub's `created` filter takes ISO 8601 to the second. */
const isoSecond = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A finished earlier attempt's verdict, from its jobs (the run shows only the latest's). */
function attemptConclusion(jobs: CiJobFact[]): string {
  for (const verdict of ['failure', 'timed_out', 'cancelled']) {
    if (jobs.some(j => j.conclusion === verdict)) return verdict;
  }
  return 'success';
}

function attemptsOf(
  run: GithubRunAttempt,
  workflow: string,
  jobs: GithubJobAttempt[],
): CiRunFact[] {
  const attempts: CiRunFact[] = [];
  for (let attempt = 1; attempt <= run.attempt; attempt++) {
    const ofAttempt: CiJobFact[] = jobs
      .filter(j => j.attempt === attempt)
      .map(({ attempt: _attempt, ...job }) => job);
    const latest = attempt === run.attempt;
    const firstStart = ofAttempt
      .map(j => j.startedAt)
      .filter((t): t is string => Boolean(t))
      .sort()[0];
    let startedAt = firstStart ?? run.createdAt;
    if (latest) startedAt = run.runStartedAt;
    else if (attempt === 1) startedAt = run.createdAt;
    attempts.push({
      runId: run.id,
      attempt,
      workflow,
      headSha: run.headSha,
      conclusion: latest ? run.conclusion : attemptConclusion(ofAttempt),
      createdAt: startedAt,
      url: `${run.htmlUrl}/attempts/${attempt}`,
      jobs: ofAttempt,
    });
  }
  return attempts;
}

/**
 * The runs of a service's CI workflow with every attempt's jobs and steps, for the CI health
 * figures: incremental (only runs created since the newest stored, less a day's lookback; only
 * new or changed runs have their jobs read), through the portal's conditional-request client,
 * on its schedule only. Runs past the retention are dropped from the store.
 */
export class GithubCiRunsSource implements SnapshotSource<CiRunsReadSummary> {
  readonly id = 'github-ci-runs' as const;
  readonly scheduledOnly = true;

  constructor(
    private readonly clients: GithubClientFactory,
    private readonly options: {
      store: CiRunStore;
      /** The workflow file of entities without `lexecon.io/ci-workflow`. */
      defaultWorkflow: string;
      /** Days a first read goes back. */
      historyDays: number;
      retentionMs: number;
      timeoutMs: number;
      now?: () => Date;
    },
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    return target.github ? undefined : annotationMissing(this.id);
  }

  async fetch(target: EntityTarget): Promise<CiRunsReadSummary> {
    const { github, entityRef } = target;
    if (!github) throw new Error(annotationMissing(this.id).message);
    const { store, timeoutMs } = this.options;
    const nowMs = (this.options.now?.() ?? new Date()).getTime();
    const workflow = github.ciWorkflow ?? this.options.defaultWorkflow;
    const slug = `${github.owner}/${github.repo}`;
    const call = githubCaller(slug, timeoutMs, this.id);

    const keepFrom = isoSecond(nowMs - this.options.retentionMs);
    const dropped = await store.dropRunsCreatedBefore(entityRef, keepFrom);
    const newest = await store.newestRunCreatedAt(entityRef, workflow);
    const sinceMs = newest
      ? Date.parse(newest) - LOOKBACK_MS
      : nowMs - this.options.historyDays * DAY_MS;
    const since = isoSecond(Math.max(sinceMs, Date.parse(keepFrom)));

    const reader = await this.clients.reader(github.owner, github.repo);
    const listed = await call(`the runs of ${workflow} since ${since}`, () =>
      reader.completedRunAttempts(workflow, since),
    );
    const stored = await store.storedRuns(entityRef, workflow, since);
    const changed = listed.items
      .filter(run => {
        const seen = stored.get(run.id);
        return !seen || !seen.completed || seen.attempt < run.attempt;
      })
      .reverse();
    for (let i = 0; i < changed.length; i += RUNS_AT_ONCE) {
      const reads: CiRunRead[] = await mapLimited(
        changed.slice(i, i + RUNS_AT_ONCE),
        RUNS_AT_ONCE,
        async run => {
          const jobs = await call(
            `the jobs of every attempt of run ${run.id} (${workflow})`,
            () => reader.jobsOfAllAttempts(run.id),
          );
          return {
            runId: run.id,
            createdAt: run.createdAt,
            attempts: attemptsOf(run, workflow, jobs.items),
          };
        },
      );
      // Oldest first, so a failed read leaves no gap below the newest stored run.
      await store.save(entityRef, reads, new Date(nowMs));
    }
    return {
      workflow,
      since,
      listed: listed.items.length,
      read: changed.length,
      dropped,
      truncated: listed.truncated,
    };
  }
}
