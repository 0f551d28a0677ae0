import { DecisionCount } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { timestampOf } from '../database/timestamps';

const TABLE = 'lexecon_decision_counts';
/** Rows written at once (SQLite's bound-parameter limit over 4 columns). */
const BATCH = 100;

/**
 * Each service's decisions per UTC day, as Datadog counted them: the divisor of the cost per
 * 1,000 decisions. A day written again replaces its count.
 */
export class DecisionCountStore {
  constructor(private readonly knex: Knex) {}

  async save(
    entityRef: string,
    counts: DecisionCount[],
    at: Date,
  ): Promise<void> {
    if (!counts.length) return;
    const rows = counts.map(c => ({
      entity_ref: entityRef,
      day: c.day,
      count: c.count,
      read_at: at,
    }));
    await this.knex.transaction(async trx => {
      for (let i = 0; i < rows.length; i += BATCH) {
        await trx(TABLE)
          .insert(rows.slice(i, i + BATCH))
          .onConflict(['entity_ref', 'day'])
          .merge(['count', 'read_at']);
      }
    });
  }

  /** The entity's counts from `from` on, oldest first. */
  async counts(entityRef: string, from: string): Promise<DecisionCount[]> {
    const rows = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .orderBy('day')
      .select('day', 'count');
    return rows.map(row => ({ day: row.day, count: Number(row.count) }));
  }

  /** When the entity's counts were last stored, if ever. */
  async readAt(entityRef: string): Promise<Date | undefined> {
    const row = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .max({ at: 'read_at' })
      .first();
    return row?.at ? timestampOf(row.at) : undefined;
  }
}
