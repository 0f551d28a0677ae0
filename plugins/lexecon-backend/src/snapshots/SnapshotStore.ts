import { SourceId } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { dataHash } from './dataHash';

export interface StoredSnapshot<T = unknown> {
  entityRef: string;
  source: SourceId;
  /** Whether a good fetch is stored; `data` itself is only read when asked for. */
  hasData: boolean;
  data?: T;
  /**
   * Equal versions mean equal data, whatever `fetchedAt` says: a refresh that found nothing
   * new (GitHub answered 304) moves `fetchedAt` and keeps the version. Absent without data.
   */
  dataVersion?: string;
  /** When upstream last confirmed the data (the page's "data as of"). */
  fetchedAt?: Date;
  attemptedAt: Date;
  error?: string;
}

export interface StoredChangelog<T = unknown> {
  data: T;
  fetchedAt: Date;
}

function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value : new Date(value as string | number);
}

/**
 * Snapshots of upstream data per entity and source, in the plugin's own database (migrated at
 * start-up by `migrateDatabase`). A failed fetch never overwrites the last good data: it only
 * records the error.
 */
export class SnapshotStore {
  constructor(private readonly knex: Knex) {}

  async get<T>(
    entityRef: string,
    source: SourceId,
  ): Promise<StoredSnapshot<T> | undefined> {
    const row = await this.knex('lexecon_snapshots')
      .where({ entity_ref: entityRef, source })
      .first();
    return row ? this.fromRow<T>(row) : undefined;
  }

  /**
   * Every snapshot of an entity. Without `withData` only the metadata is read, which is what a
   * warm page view needs to see that its cached history is still current.
   */
  async getAll(
    entityRef: string,
    options: { withData: boolean },
  ): Promise<StoredSnapshot[]> {
    const columns = [
      'entity_ref',
      'source',
      'fetched_at',
      'attempted_at',
      'error',
      'data_hash',
      this.knex.raw('CASE WHEN data IS NULL THEN 0 ELSE 1 END AS has_data'),
      ...(options.withData ? ['data'] : []),
    ];
    const rows = await this.knex('lexecon_snapshots')
      .select(columns)
      .where({ entity_ref: entityRef });
    return rows.map(row => this.fromRow(row));
  }

  /** Stores a good fetch; resolves to whether the stored data changed (not only its times). */
  async saveSuccess<T>(
    entityRef: string,
    source: SourceId,
    data: T,
    at: Date,
  ): Promise<boolean> {
    const json = JSON.stringify(data);
    const hash = dataHash(data);
    // Same data as stored: only the times move, and the JSON is not written again.
    const confirmed = await this.knex('lexecon_snapshots')
      .where({ entity_ref: entityRef, source, data_hash: hash })
      .update({ fetched_at: at, attempted_at: at, error: null });
    if (confirmed) return false;
    await this.knex('lexecon_snapshots')
      .insert({
        entity_ref: entityRef,
        source,
        data: json,
        data_hash: hash,
        fetched_at: at,
        attempted_at: at,
        error: null,
      })
      .onConflict(['entity_ref', 'source'])
      .merge(['data', 'data_hash', 'fetched_at', 'attempted_at', 'error']);
    return true;
  }

  async saveFailure(
    entityRef: string,
    source: SourceId,
    error: string,
    at: Date,
  ) {
    await this.knex('lexecon_snapshots')
      .insert({
        entity_ref: entityRef,
        source,
        data: null,
        fetched_at: null,
        attempted_at: at,
        error,
      })
      .onConflict(['entity_ref', 'source'])
      .merge(['attempted_at', 'error']);
  }

  /**
   * Deletes the source's snapshots not attempted since `before`: every covered entity is attempted
   * on each scheduled cycle, so these belong to entities that left the catalog or lost the
   * annotation. Returns how many were deleted.
   */
  async deleteNotAttemptedSince(source: SourceId, before: Date) {
    return this.knex('lexecon_snapshots')
      .where({ source })
      .andWhere('attempted_at', '<', before)
      .delete();
  }

  async getChangelog<T>(
    repository: string,
    baseSha: string,
    headSha: string,
  ): Promise<StoredChangelog<T> | undefined> {
    const row = await this.knex('lexecon_changelogs')
      .where({ repository, base_sha: baseSha, head_sha: headSha })
      .first();
    if (!row) return undefined;
    return {
      data: JSON.parse(row.data) as T,
      fetchedAt: toDate(row.fetched_at)!,
    };
  }

  async saveChangelog<T>(
    repository: string,
    baseSha: string,
    headSha: string,
    data: T,
    at: Date,
  ) {
    await this.knex('lexecon_changelogs')
      .insert({
        repository,
        base_sha: baseSha,
        head_sha: headSha,
        data: JSON.stringify(data),
        fetched_at: at,
      })
      .onConflict(['repository', 'base_sha', 'head_sha'])
      .ignore();
  }

  private fromRow<T>(row: Record<string, unknown>): StoredSnapshot<T> {
    const hasData = Number(row.has_data ?? (row.data ? 1 : 0)) === 1;
    const fetchedAt = toDate(row.fetched_at);
    // Rows saved before data_hash existed are versioned by their fetch time until refreshed.
    const legacyVersion = fetchedAt && `fetched:${fetchedAt.getTime()}`;
    return {
      entityRef: row.entity_ref as string,
      source: row.source as SourceId,
      hasData,
      data:
        typeof row.data === 'string' ? (JSON.parse(row.data) as T) : undefined,
      dataVersion: hasData
        ? (row.data_hash as string | null) ?? legacyVersion
        : undefined,
      fetchedAt,
      attemptedAt: toDate(row.attempted_at)!,
      error: (row.error as string | null) ?? undefined,
    };
  }
}
