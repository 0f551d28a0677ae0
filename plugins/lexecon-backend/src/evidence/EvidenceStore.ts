import { EvidenceObservation } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { ChangeRow, RunContext } from './derived/changePopulation';

const OBSERVATIONS = 'lexecon_evidence_observations';
const CHANGES = 'lexecon_evidence_changes';
const RUN_CONTEXT = 'lexecon_evidence_run_context';
/** Rows written at once (SQLite's bound-parameter limit). */
const BATCH = 50;

/** An observation as stored: also when its verdict was first seen. */
export interface StoredObservation extends EvidenceObservation {
  firstCollected: string;
}

const sameVerdict = (row: Record<string, unknown>, o: EvidenceObservation) =>
  row.status === o.status &&
  row.reason === o.reason &&
  row.facts === JSON.stringify(o.facts) &&
  (row.source_url ?? undefined) === o.sourceUrl;

function fromRow(row: Record<string, unknown>): StoredObservation {
  const entityRef = row.entity_ref as string;
  return {
    itemId: row.item_id as string,
    ...(entityRef ? { entityRef } : {}),
    status: row.status as EvidenceObservation['status'],
    reason: row.reason as string,
    firstCollected: row.first_collected as string,
    collected: row.collected as string,
    expires: row.expires as string,
    ...(row.source_url ? { sourceUrl: row.source_url as string } : {}),
    facts: JSON.parse(row.facts as string),
  };
}

/**
 * The evidence the portal derives, in its own tables: observations (each with collected and
 * expires), the production change population and the runs' context. Read by the evidence
 * routes; written only by the portal-evidence source.
 */
/** An observation whose status differs from the one it follows (of its item and service). */
export interface VerdictChange {
  observation: EvidenceObservation;
  /** The status before; undefined for the first observation. */
  previousStatus?: EvidenceObservation['status'];
}

export type VerdictChangeListener = (
  changes: readonly VerdictChange[],
) => Promise<void>;

export class EvidenceStore {
  private readonly verdictListeners: VerdictChangeListener[] = [];

  constructor(private readonly knex: Knex) {}

  /** Told, once they are stored, of the observations that changed an item's status. */
  onVerdictChanged(listener: VerdictChangeListener): void {
    this.verdictListeners.push(listener);
  }

  /**
   * Records observations. One whose verdict (status, reason, facts, link) equals the newest of its
   * item and service only moves that row's `collected` and `expires`: re-confirmed, not new.
   */
  async record(observations: readonly EvidenceObservation[]): Promise<void> {
    const changes: VerdictChange[] = [];
    await this.knex.transaction(async tx => {
      for (const o of observations) {
        const entityRef = o.entityRef ?? '';
        const newest = await tx(OBSERVATIONS)
          .where({ item_id: o.itemId, entity_ref: entityRef })
          .orderBy('collected', 'desc')
          .first();
        if (newest && sameVerdict(newest, o)) {
          await tx(OBSERVATIONS)
            .where({ id: newest.id })
            .update({ collected: o.collected, expires: o.expires });
          continue;
        }
        await tx(OBSERVATIONS).insert({
          item_id: o.itemId,
          entity_ref: entityRef,
          status: o.status,
          reason: o.reason,
          first_collected: o.collected,
          collected: o.collected,
          expires: o.expires,
          source_url: o.sourceUrl ?? null,
          facts: JSON.stringify(o.facts),
        });
        if (newest?.status !== o.status) {
          changes.push({ observation: o, previousStatus: newest?.status });
        }
      }
    });
    if (!changes.length) return;
    // The observations are stored: a listener that fails is its own concern, not the record's.
    for (const listener of this.verdictListeners) {
      await listener(changes).catch(() => undefined);
    }
  }

  /**
   * Observations of the given items (all when unset) whose verdict held at some time in
   * [from, to]: collected no earlier than `from` (the verdict's last confirmation) and first
   * seen no later than `to`. Newest first.
   */
  async observations(query: {
    itemIds?: readonly string[];
    entityRefs?: readonly string[];
    from?: string;
    to?: string;
  }): Promise<StoredObservation[]> {
    const rows = await this.knex(OBSERVATIONS)
      .modify(q => {
        if (query.itemIds) q.whereIn('item_id', [...query.itemIds]);
        if (query.entityRefs) {
          // Org-wide evidence applies to every service.
          q.whereIn('entity_ref', ['', ...query.entityRefs]);
        }
        if (query.from) q.where('collected', '>=', query.from);
        if (query.to) q.where('first_collected', '<=', query.to);
      })
      .orderBy('collected', 'desc')
      .orderBy('id', 'desc');
    return rows.map(fromRow);
  }

  /** Replaces a service's change population with the rows given. */
  async replaceChanges(entityRef: string, rows: readonly ChangeRow[]) {
    await this.knex.transaction(async tx => {
      await tx(CHANGES).where({ entity_ref: entityRef }).delete();
      const values = rows.map(row => ({
        entity_ref: entityRef,
        deploy_id: row.deployId,
        started_at: row.startedAt,
        row: JSON.stringify(row),
      }));
      for (let i = 0; i < values.length; i += BATCH) {
        await tx(CHANGES).insert(values.slice(i, i + BATCH));
      }
    });
  }

  /** Production deploys that started in [from, to), of the services given, oldest first. */
  async changes(query: {
    from: string;
    to: string;
    entityRefs: readonly string[];
  }): Promise<ChangeRow[]> {
    if (!query.entityRefs.length) return [];
    const rows = await this.knex(CHANGES)
      .whereIn('entity_ref', [...query.entityRefs])
      .where('started_at', '>=', query.from)
      .where('started_at', '<', query.to)
      .orderBy('started_at', 'asc')
      .orderBy('deploy_id', 'asc');
    return rows.map((r: { row: string }) => JSON.parse(r.row));
  }

  async saveRunContexts(entityRef: string, contexts: readonly RunContext[]) {
    for (const context of contexts) {
      await this.knex(RUN_CONTEXT)
        .insert({
          entity_ref: entityRef,
          run_id: context.runId,
          context: JSON.stringify(context),
        })
        .onConflict(['entity_ref', 'run_id'])
        .merge(['context']);
    }
  }

  async runContexts(entityRef: string): Promise<Map<number, RunContext>> {
    const rows = await this.knex(RUN_CONTEXT).where({ entity_ref: entityRef });
    return new Map(
      rows.map((r: { run_id: string | number; context: string }) => [
        Number(r.run_id),
        JSON.parse(r.context) as RunContext,
      ]),
    );
  }
}
