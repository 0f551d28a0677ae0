import {
  CiJobFact,
  CiRunFact,
  CiStepFact,
  MetricWindow,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';

const ATTEMPTS = 'lexecon_ci_run_attempts';
const JOBS = 'lexecon_ci_jobs';
/** Rows written at once (SQLite's bound-parameter limit over 10 columns). */
const BATCH = 50;

/** A run as read from GitHub: when its first attempt was created, and every attempt. */
export interface CiRunRead {
  runId: number;
  /** The run's `created_at` (its first attempt); a re-run keeps it. */
  createdAt: string;
  attempts: CiRunFact[];
}

interface AttemptRow {
  run_id: number | string;
  attempt: number;
  workflow: string;
  head_sha: string;
  conclusion: string | null;
  started_at: string;
  url: string | null;
}

interface JobRow {
  run_id: number | string;
  attempt: number;
  name: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  steps: string;
}

const runKey = (runId: number | string, attempt: number) =>
  `${runId}:${attempt}`;

/**
 * Each service's CI run attempts with their jobs and steps, as GitHub reported them: the facts of
 * the CI health figures (ciHealth.ts). A run read again replaces every row of it, so a re-run
 * that added an attempt, or a run read while still going, ends up as GitHub last showed it.
 */
export class CiRunStore {
  constructor(private readonly knex: Knex) {}

  async save(entityRef: string, runs: CiRunRead[], at: Date): Promise<void> {
    if (!runs.length) return;
    const attempts = runs.flatMap(run =>
      run.attempts.map(a => ({
        entity_ref: entityRef,
        run_id: run.runId,
        attempt: a.attempt,
        workflow: a.workflow,
        head_sha: a.headSha,
        conclusion: a.conclusion,
        started_at: a.createdAt,
        run_created_at: run.createdAt,
        url: a.url ?? null,
        read_at: at,
      })),
    );
    const jobs = runs.flatMap(run =>
      run.attempts.flatMap(a =>
        a.jobs.map((job, position) => ({
          entity_ref: entityRef,
          run_id: run.runId,
          attempt: a.attempt,
          position,
          name: job.name,
          conclusion: job.conclusion,
          started_at: job.startedAt ?? null,
          completed_at: job.completedAt ?? null,
          steps: JSON.stringify(job.steps),
        })),
      ),
    );
    const runIds = runs.map(r => r.runId);
    await this.knex.transaction(async trx => {
      for (let i = 0; i < runIds.length; i += BATCH) {
        const ids = runIds.slice(i, i + BATCH);
        await trx(JOBS)
          .where({ entity_ref: entityRef })
          .whereIn('run_id', ids)
          .delete();
        await trx(ATTEMPTS)
          .where({ entity_ref: entityRef })
          .whereIn('run_id', ids)
          .delete();
      }
      for (let i = 0; i < attempts.length; i += BATCH) {
        await trx(ATTEMPTS).insert(attempts.slice(i, i + BATCH));
      }
      for (let i = 0; i < jobs.length; i += BATCH) {
        await trx(JOBS).insert(jobs.slice(i, i + BATCH));
      }
    });
  }

  /** The `created_at` of the newest run of the workflow stored for the entity, if any. */
  async newestRunCreatedAt(
    entityRef: string,
    workflow: string,
  ): Promise<string | undefined> {
    const row = await this.knex(ATTEMPTS)
      .where({ entity_ref: entityRef, workflow })
      .max({ newest: 'run_created_at' })
      .first();
    return row?.newest ?? undefined;
  }

  /**
   * The runs created from `since` on, each with its latest stored attempt and whether that one
   * had finished: what a read can skip.
   */
  async storedRuns(
    entityRef: string,
    workflow: string,
    since: string,
  ): Promise<Map<number, { attempt: number; completed: boolean }>> {
    const rows: Array<Pick<AttemptRow, 'run_id' | 'attempt' | 'conclusion'>> =
      await this.knex(ATTEMPTS)
        .where({ entity_ref: entityRef, workflow })
        .andWhere('run_created_at', '>=', since)
        .select('run_id', 'attempt', 'conclusion');
    const runs = new Map<number, { attempt: number; completed: boolean }>();
    for (const row of rows) {
      const id = Number(row.run_id);
      const seen = runs.get(id);
      if (!seen || row.attempt > seen.attempt) {
        runs.set(id, {
          attempt: row.attempt,
          completed: row.conclusion !== null,
        });
      }
    }
    return runs;
  }

  /**
   * The entity's CI run attempts that started in the window (all of them without one), oldest
   * first, each with its jobs and steps: the input of ciPassRate, buildDurations and flakyJobs.
   */
  async readCiRunFacts(
    entityRef: string,
    window?: Partial<MetricWindow>,
  ): Promise<CiRunFact[]> {
    const scoped = (query: Knex.QueryBuilder) => {
      query.where(`${ATTEMPTS}.entity_ref`, entityRef);
      if (window?.from)
        query.andWhere(`${ATTEMPTS}.started_at`, '>=', window.from);
      if (window?.to) query.andWhere(`${ATTEMPTS}.started_at`, '<', window.to);
      return query;
    };
    const attempts: AttemptRow[] = await scoped(this.knex(ATTEMPTS))
      .orderBy([
        { column: 'started_at' },
        { column: 'run_id' },
        { column: 'attempt' },
      ])
      .select(
        'run_id',
        'attempt',
        'workflow',
        'head_sha',
        'conclusion',
        'started_at',
        'url',
      );
    const jobRows: JobRow[] = await scoped(
      this.knex(JOBS).join(ATTEMPTS, join =>
        join
          .on(`${ATTEMPTS}.entity_ref`, `${JOBS}.entity_ref`)
          .andOn(`${ATTEMPTS}.run_id`, `${JOBS}.run_id`)
          .andOn(`${ATTEMPTS}.attempt`, `${JOBS}.attempt`),
      ),
    )
      .orderBy(`${JOBS}.position`)
      .select(
        `${JOBS}.run_id`,
        `${JOBS}.attempt`,
        `${JOBS}.name`,
        `${JOBS}.conclusion`,
        `${JOBS}.started_at`,
        `${JOBS}.completed_at`,
        `${JOBS}.steps`,
      );
    const jobs = new Map<string, CiJobFact[]>();
    for (const row of jobRows) {
      const key = runKey(row.run_id, row.attempt);
      jobs.set(key, [
        ...(jobs.get(key) ?? []),
        {
          name: row.name,
          conclusion: row.conclusion,
          ...(row.started_at ? { startedAt: row.started_at } : {}),
          ...(row.completed_at ? { completedAt: row.completed_at } : {}),
          steps: JSON.parse(row.steps) as CiStepFact[],
        },
      ]);
    }
    return attempts.map(row => ({
      runId: Number(row.run_id),
      attempt: row.attempt,
      workflow: row.workflow,
      headSha: row.head_sha,
      conclusion: row.conclusion,
      createdAt: row.started_at,
      ...(row.url ? { url: row.url } : {}),
      jobs: jobs.get(runKey(row.run_id, row.attempt)) ?? [],
    }));
  }

  /** Drops the entity's runs created before `before` (every attempt of them); returns how many. */
  async dropRunsCreatedBefore(
    entityRef: string,
    before: string,
  ): Promise<number> {
    return this.knex.transaction(async trx => {
      const old = trx(ATTEMPTS)
        .where({ entity_ref: entityRef })
        .andWhere('run_created_at', '<', before);
      const rows: Array<{ run_id: number | string }> = await old
        .clone()
        .distinct('run_id');
      const ids = rows.map(r => r.run_id);
      for (let i = 0; i < ids.length; i += BATCH) {
        await trx(JOBS)
          .where({ entity_ref: entityRef })
          .whereIn('run_id', ids.slice(i, i + BATCH))
          .delete();
      }
      await old.delete();
      return ids.length;
    });
  }
}
