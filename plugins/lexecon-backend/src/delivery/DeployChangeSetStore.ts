import { Knex } from 'knex';

const TABLE = 'lexecon_deploy_change_sets';
/** Rows written at once (SQLite's bound-parameter limit over 11 columns). */
const BATCH = 50;

/** A commit of a change set as lead time and the evidence population need it. */
export interface ChangeSetCommit {
  sha: string;
  authoredAt?: string;
  /** GitHub logins of its author, committer and co-authors (absent in rows read before them). */
  logins?: string[];
  /** Its people GitHub links to no account, e.g. `the author “Sam”` (they could be anyone). */
  unlinked?: string[];
}

/** What is known of one deploy's change set: its commits, or why they are unknown. */
export type StoredChangeSet =
  | { commits: ChangeSetCommit[]; totalCommits: number }
  | { unknown: string };

/** One deploy's change set as a read found it. */
export interface DeployChangeSetRead {
  environment: string;
  runId: number;
  headSha: string;
  baseSha?: string;
  /** The deploy run's creation, ISO 8601. */
  deployedAt: string;
  changeSet: StoredChangeSet;
  /**
   * False when the failure may pass (GitHub down, rate limit): the next read asks again.
   * A read change set, or one GitHub cannot give (an unknown commit), is settled.
   */
  settled: boolean;
}

/** How `readChangeSets` keys a deploy. */
export const changeSetKey = (environment: string, runId: number) =>
  `${environment}:${runId}`;

interface Row {
  environment: string;
  run_id: number | string;
  commits: string | null;
  total_commits: number | null;
  unknown_reason: string | null;
}

/**
 * The change set of each deploy (a deploy workflow run), as the github source read it with
 * GitHub's compare API: the facts of lead time for changes. Settled rows are never read again.
 */
export class DeployChangeSetStore {
  constructor(private readonly knex: Knex) {}

  async save(
    entityRef: string,
    reads: DeployChangeSetRead[],
    at: Date,
  ): Promise<void> {
    const rows = reads.map(read => ({
      entity_ref: entityRef,
      environment: read.environment,
      run_id: read.runId,
      head_sha: read.headSha,
      base_sha: read.baseSha ?? null,
      deployed_at: read.deployedAt,
      commits:
        'commits' in read.changeSet
          ? JSON.stringify(read.changeSet.commits)
          : null,
      total_commits:
        'commits' in read.changeSet ? read.changeSet.totalCommits : null,
      unknown_reason:
        'unknown' in read.changeSet ? read.changeSet.unknown : null,
      settled: read.settled,
      read_at: at,
    }));
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.knex(TABLE)
        .insert(rows.slice(i, i + BATCH))
        .onConflict(['entity_ref', 'environment', 'run_id'])
        .merge();
    }
  }

  /** The deploy runs of the environment whose change set needs no further read. */
  async settledRunIds(
    entityRef: string,
    environment: string,
  ): Promise<Set<number>> {
    const rows: Array<{ run_id: number | string }> = await this.knex(TABLE)
      .where({ entity_ref: entityRef, environment, settled: true })
      .select('run_id');
    return new Set(rows.map(r => Number(r.run_id)));
  }

  /** Every stored change set of the entity, by environment and deploy run id. */
  async readChangeSets(
    entityRef: string,
  ): Promise<Map<string, StoredChangeSet>> {
    const rows: Row[] = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .select(
        'environment',
        'run_id',
        'commits',
        'total_commits',
        'unknown_reason',
      );
    return new Map(
      rows.map(row => [
        changeSetKey(row.environment, Number(row.run_id)),
        row.commits === null
          ? { unknown: row.unknown_reason ?? 'The change set was not read' }
          : {
              commits: JSON.parse(row.commits) as ChangeSetCommit[],
              totalCommits: row.total_commits ?? 0,
            },
      ]),
    );
  }

  /** Drops the entity's change sets of deploys before `before`; returns how many. */
  async dropDeployedBefore(entityRef: string, before: string): Promise<number> {
    return this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .andWhere('deployed_at', '<', before)
      .delete();
  }
}
