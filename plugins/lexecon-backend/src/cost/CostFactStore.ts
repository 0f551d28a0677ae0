import { CostProvider, DailyCostFact } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { dayOf, StoredCostDay } from './planCostFetch';
import { timestampOf } from '../database/timestamps';

/** One read of a provider: the days it covered (with or without cost) and their facts. */
export interface CostRead {
  days: Array<{ day: string; estimated: boolean }>;
  facts: DailyCostFact[];
}

/** What the store holds of one provider's bill of an entity. */
export interface CostCoverage {
  provider: CostProvider;
  /** The newest day the provider called final. */
  lastCompleteDay?: string;
  /** When the newest read was stored. */
  dataAsOf?: Date;
  /** Stored days the provider may still revise, oldest first. */
  estimatedDays: string[];
}

/** Facts in a query are written in batches this long (SQLite's bound-parameter limit). */
const BATCH = 100;

/**
 * Daily cost facts per entity, provider, component and day, with the days each provider was read
 * for. A day read again replaces its facts as a whole, so revised amounts and components gone
 * from the bill leave nothing behind.
 */
export class CostFactStore {
  constructor(private readonly knex: Knex) {}

  /** The days read for the entity from `from` on, with whether each was still estimated. */
  async storedDays(
    entityRef: string,
    provider: CostProvider,
    from: string,
  ): Promise<StoredCostDay[]> {
    const rows = await this.knex('lexecon_cost_days')
      .select('day', 'estimated', 'fetched_at')
      .where({ entity_ref: entityRef, provider })
      .andWhere('day', '>=', from)
      .orderBy('day');
    return rows.map(row => ({
      day: row.day,
      estimated: Boolean(row.estimated),
      fetchedOn: dayOf(timestampOf(row.fetched_at).getTime()),
    }));
  }

  /** Stores one read in one transaction: a reader never sees a day half replaced. */
  async save(
    entityRef: string,
    provider: CostProvider,
    read: CostRead,
    at: Date,
  ): Promise<void> {
    if (!read.days.length) return;
    const days = read.days.map(d => d.day);
    await this.knex.transaction(async trx => {
      for (let i = 0; i < days.length; i += BATCH) {
        await trx('lexecon_cost_facts')
          .where({ entity_ref: entityRef, provider })
          .whereIn('day', days.slice(i, i + BATCH))
          .delete();
      }
      const facts = read.facts.map(f => ({
        entity_ref: entityRef,
        provider,
        component: f.component,
        day: f.day,
        amount: f.amount,
        currency: f.currency,
        estimated: f.estimated,
        credits: f.credits ?? null,
      }));
      for (let i = 0; i < facts.length; i += BATCH) {
        await trx('lexecon_cost_facts').insert(facts.slice(i, i + BATCH));
      }
      const covered = read.days.map(d => ({
        entity_ref: entityRef,
        provider,
        day: d.day,
        estimated: d.estimated,
        fetched_at: at,
      }));
      for (let i = 0; i < covered.length; i += BATCH) {
        await trx('lexecon_cost_days')
          .insert(covered.slice(i, i + BATCH))
          .onConflict(['entity_ref', 'provider', 'day'])
          .merge(['estimated', 'fetched_at']);
      }
    });
  }

  /** The entity's facts from `from` on, by provider, component and day. */
  async facts(entityRef: string, from: string): Promise<DailyCostFact[]> {
    const rows = await this.knex('lexecon_cost_facts')
      .where({ entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .orderBy(['provider', 'component', 'day']);
    return rows.map(row => ({
      day: row.day,
      component: row.component,
      provider: row.provider,
      amount: Number(row.amount),
      currency: row.currency,
      estimated: Boolean(row.estimated),
      ...(row.credits !== null && { credits: Number(row.credits) }),
    }));
  }

  /** What each provider's reads of the entity amount to. */
  async coverage(entityRef: string): Promise<CostCoverage[]> {
    const [summaries, estimated] = await Promise.all([
      this.knex('lexecon_cost_days')
        .select(
          'provider',
          this.knex.raw('MAX(fetched_at) AS data_as_of'),
          this.knex.raw(
            'MAX(CASE WHEN estimated THEN NULL ELSE day END) AS last_complete_day',
          ),
        )
        .where({ entity_ref: entityRef })
        .groupBy('provider')
        .orderBy('provider'),
      this.knex('lexecon_cost_days')
        .select('provider', 'day')
        .where({ entity_ref: entityRef, estimated: true })
        .orderBy('day'),
    ]);
    return summaries.map(row => ({
      provider: row.provider,
      lastCompleteDay: row.last_complete_day ?? undefined,
      dataAsOf: row.data_as_of ? timestampOf(row.data_as_of) : undefined,
      estimatedDays: estimated
        .filter(e => e.provider === row.provider)
        .map(e => e.day),
    }));
  }
}
