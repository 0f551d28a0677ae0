import { ApprovalDecision } from '@internal/plugin-lexecon-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

export interface DecisionRow {
  repository: string;
  runId: number;
  environment: string;
  state: 'in-progress' | ApprovalDecision;
  actor: string;
  githubLogin?: string;
  startedAt: string;
  decidedAt?: string;
}

export interface DecisionKey {
  repository: string;
  runId: number;
  environment: string;
}

export type ClaimResult =
  /** With `abandoned`: the claim was taken over from a holder who never finished. */
  | { claimed: true; abandoned?: DecisionRow }
  | { claimed: false; existing: DecisionRow };

/**
 * One row per run and environment: whoever inserts it first is the only one who may send the
 * review upstream. The primary key makes this hold across replicas sharing the database. An
 * in-progress claim older than `claimExpiryMs` is abandoned (its replica died mid-request) and
 * the next caller takes it over.
 */
export class DecisionStore {
  constructor(
    private readonly knex: Knex,
    private readonly options: { claimExpiryMs: number },
  ) {}

  /** Claims the decision; returns the existing row instead when someone else holds it. */
  async claim(
    key: DecisionKey,
    by: { actor: string; githubLogin?: string; at: Date },
  ): Promise<ClaimResult> {
    const claimId = randomUUID();
    const row = {
      claim_id: claimId,
      repository: key.repository,
      run_id: key.runId,
      environment: key.environment,
      state: 'in-progress',
      actor: by.actor,
      github_login: by.githubLogin ?? null,
      started_at: by.at.toISOString(),
      decided_at: null,
    };
    const where = {
      repository: key.repository,
      run_id: key.runId,
      environment: key.environment,
    };
    await this.knex('lexecon_approval_decisions')
      .insert(row)
      .onConflict(['repository', 'run_id', 'environment'])
      .ignore();
    const current = await this.knex('lexecon_approval_decisions')
      .where(where)
      .first();
    if (current?.claim_id === claimId) return { claimed: true };
    let existing = current ? this.fromRow(current) : undefined;
    if (
      existing?.state === 'in-progress' &&
      by.at.getTime() - Date.parse(existing.startedAt) >
        this.options.claimExpiryMs
    ) {
      // Take over an abandoned claim, atomically: only one taker matches the old start time.
      const taken = await this.knex('lexecon_approval_decisions')
        .where({
          ...where,
          state: 'in-progress',
          started_at: existing.startedAt,
        })
        .update({
          claim_id: claimId,
          actor: by.actor,
          github_login: by.githubLogin ?? null,
          started_at: row.started_at,
        });
      if (taken === 1) return { claimed: true, abandoned: existing };
      // Another caller took it over first: name them, not the holder who walked away.
      existing = await this.find(key);
    }
    return {
      claimed: false,
      existing: existing ?? {
        ...key,
        state: 'in-progress',
        actor: 'unknown',
        startedAt: row.started_at,
      },
    };
  }

  async complete(key: DecisionKey, decision: ApprovalDecision, at: Date) {
    await this.knex('lexecon_approval_decisions')
      .where({
        repository: key.repository,
        run_id: key.runId,
        environment: key.environment,
      })
      .update({ state: decision, decided_at: at.toISOString() });
  }

  /**
   * Records the decision of an abandoned attempt whose review reached GitHub after all, as its
   * holder's: they made it, whoever found it.
   */
  async completeAbandoned(
    key: DecisionKey,
    abandoned: DecisionRow,
    decision: ApprovalDecision,
    at: Date,
  ) {
    await this.knex('lexecon_approval_decisions')
      .where({
        repository: key.repository,
        run_id: key.runId,
        environment: key.environment,
        state: 'in-progress',
      })
      .update({
        state: decision,
        actor: abandoned.actor,
        github_login: abandoned.githubLogin ?? null,
        started_at: abandoned.startedAt,
        decided_at: at.toISOString(),
      });
  }

  /** Gives the claim back after a failure, so that a retry can send the review again. */
  async release(key: DecisionKey) {
    await this.knex('lexecon_approval_decisions')
      .where({
        repository: key.repository,
        run_id: key.runId,
        environment: key.environment,
        state: 'in-progress',
      })
      .delete();
  }

  /** `<runId>:<environment>` of every run of the repository decided through the portal. */
  async decidedRuns(repository: string): Promise<Set<string>> {
    const rows = await this.knex('lexecon_approval_decisions')
      .select('run_id', 'environment')
      .where({ repository })
      .whereNot({ state: 'in-progress' });
    return new Set(rows.map(r => `${Number(r.run_id)}:${r.environment}`));
  }

  async find(key: DecisionKey): Promise<DecisionRow | undefined> {
    const row = await this.knex('lexecon_approval_decisions')
      .where({
        repository: key.repository,
        run_id: key.runId,
        environment: key.environment,
      })
      .first();
    return row ? this.fromRow(row) : undefined;
  }

  private fromRow(row: Record<string, unknown>): DecisionRow {
    return {
      repository: row.repository as string,
      runId: Number(row.run_id),
      environment: row.environment as string,
      state: row.state as DecisionRow['state'],
      actor: row.actor as string,
      githubLogin: (row.github_login as string | null) ?? undefined,
      startedAt: row.started_at as string,
      decidedAt: (row.decided_at as string | null) ?? undefined,
    };
  }
}
