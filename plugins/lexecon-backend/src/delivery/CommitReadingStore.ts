import { MetricWindow } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import type { ReadinessFacts } from '../approvals/readiness';

const TABLE = 'lexecon_commit_readings';
/** Rows written at once (SQLite's bound-parameter limit over 5 columns). */
const BATCH = 100;

/** The readiness inputs of one released commit, as read when it was released. */
export interface CommitReading {
  sha: string;
  /** When the commit was released (its deploy run's creation), ISO 8601. */
  measuredAt: string;
  facts: ReadinessFacts;
}

/**
 * Each released commit's readiness inputs (CI pass rate, coverage, security alerts, code
 * quality), read once: the facts of the readiness and coverage trends. The score is computed
 * when viewed, so a changed gate applies to the whole trend.
 */
export class CommitReadingStore {
  constructor(private readonly knex: Knex) {}

  async save(
    entityRef: string,
    readings: CommitReading[],
    at: Date,
  ): Promise<void> {
    const rows = readings.map(r => ({
      entity_ref: entityRef,
      sha: r.sha,
      measured_at: r.measuredAt,
      facts: JSON.stringify(r.facts),
      read_at: at,
    }));
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.knex(TABLE)
        .insert(rows.slice(i, i + BATCH))
        .onConflict(['entity_ref', 'sha'])
        .merge();
    }
  }

  /** The commits of the entity whose inputs are stored. */
  async readShas(entityRef: string): Promise<Set<string>> {
    const rows: Array<{ sha: string }> = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .select('sha');
    return new Set(rows.map(r => r.sha));
  }

  /** The readings of commits released in the window, oldest first. */
  async readReadings(
    entityRef: string,
    window: MetricWindow,
  ): Promise<CommitReading[]> {
    const rows: Array<{ sha: string; measured_at: string; facts: string }> =
      await this.knex(TABLE)
        .where({ entity_ref: entityRef })
        .andWhere('measured_at', '>=', window.from)
        .andWhere('measured_at', '<', window.to)
        .orderBy('measured_at')
        .select('sha', 'measured_at', 'facts');
    return rows.map(r => ({
      sha: r.sha,
      measuredAt: r.measured_at,
      facts: JSON.parse(r.facts) as ReadinessFacts,
    }));
  }

  /** Drops the entity's readings of commits released before `before`; returns how many. */
  async dropMeasuredBefore(entityRef: string, before: string): Promise<number> {
    return this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .andWhere('measured_at', '<', before)
      .delete();
  }
}
