import {
  GithubEvidenceFacts,
  GithubEvidenceObservation,
  GithubEvidenceState,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';

const OBSERVATIONS = 'lexecon_github_evidence';
const READS = 'lexecon_github_evidence_reads';

interface ObservationRow {
  entity_ref: string;
  collected: string;
  expires: string;
  facts: string;
}

const toObservation = (row: ObservationRow): GithubEvidenceObservation => ({
  entityRef: row.entity_ref,
  collected: row.collected,
  expires: row.expires,
  facts: JSON.parse(row.facts) as GithubEvidenceFacts,
});

/**
 * The GitHub evidence of each service: every successful read as an observation (the history an
 * auditor samples over a window) and the last attempt, so a failed read, which stores nothing
 * new, still shows. Observations older than the retention are dropped by the source.
 */
export class GithubEvidenceStore {
  constructor(private readonly knex: Knex) {}

  async save(observation: GithubEvidenceObservation): Promise<void> {
    await this.knex.transaction(async trx => {
      await trx(OBSERVATIONS)
        .insert({
          entity_ref: observation.entityRef,
          collected: observation.collected,
          expires: observation.expires,
          facts: JSON.stringify(observation.facts),
        })
        .onConflict(['entity_ref', 'collected'])
        .merge();
      await this.recordAttempt(
        trx,
        observation.entityRef,
        observation.collected,
      );
    });
  }

  /** A read that failed: nothing is stored but the attempt and why. */
  async saveFailure(entityRef: string, at: string, reason: string) {
    await this.recordAttempt(this.knex, entityRef, at, reason);
  }

  private async recordAttempt(
    knex: Knex,
    entityRef: string,
    at: string,
    error?: string,
  ) {
    await knex(READS)
      .insert({ entity_ref: entityRef, attempted_at: at, error: error ?? null })
      .onConflict('entity_ref')
      .merge();
  }

  /** The latest observation of a service, and the failure of a read after it. */
  async readGithubEvidence(entityRef: string): Promise<GithubEvidenceState> {
    const [row, attempt] = await Promise.all([
      this.knex<ObservationRow>(OBSERVATIONS)
        .where({ entity_ref: entityRef })
        .orderBy('collected', 'desc')
        .first(),
      this.knex(READS).where({ entity_ref: entityRef }).first(),
    ]);
    const state: GithubEvidenceState = {};
    if (row) state.latest = toObservation(row);
    if (attempt?.error && (!row || attempt.attempted_at > row.collected)) {
      state.failure = { at: attempt.attempted_at, reason: attempt.error };
    }
    return state;
  }

  /** Every observation of a service collected in `[from, to)`, oldest first (for populations). */
  async observations(
    entityRef: string,
    window: { from: string; to: string },
  ): Promise<GithubEvidenceObservation[]> {
    const rows = await this.knex<ObservationRow>(OBSERVATIONS)
      .where({ entity_ref: entityRef })
      .andWhere('collected', '>=', window.from)
      .andWhere('collected', '<', window.to)
      .orderBy('collected', 'asc');
    return rows.map(toObservation);
  }

  async dropCollectedBefore(entityRef: string, before: string) {
    return this.knex(OBSERVATIONS)
      .where({ entity_ref: entityRef })
      .andWhere('collected', '<', before)
      .delete();
  }
}
