import {
  AuditAction,
  AuditPage,
  AuditRecord,
  AuditVerification,
} from '@internal/plugin-lexecon-common';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';

export type AuditEntry = Omit<
  AuditRecord,
  'id' | 'at' | 'prevHash' | 'hash'
> & {
  at?: string;
  /** GitHub's delivery id for records made from webhooks: a redelivery is recorded once. */
  deliveryId?: string;
};

export const GENESIS_HASH = '0'.repeat(64);

/** The hashed fields, in a fixed order, with absent values as null. */
const HASHED_FIELDS = [
  'at',
  'action',
  'actor',
  'githubLogin',
  'entityRef',
  'repository',
  'runId',
  'environment',
  'version',
  'decision',
  'comment',
  'outcome',
  'upstreamStatus',
  'mode',
  'deliveryId',
] as const;

type Hashed = Record<(typeof HASHED_FIELDS)[number], unknown>;

/** SHA-256 over the previous hash and the canonical JSON of the record's fields. */
export function hashRecord(prevHash: string, record: Hashed): string {
  const canonical = JSON.stringify(
    HASHED_FIELDS.map(field => [field, record[field] ?? null]),
  );
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonical)
    .digest('hex');
}

const COLUMNS: Record<(typeof HASHED_FIELDS)[number], string> = {
  at: 'at',
  action: 'action',
  actor: 'actor',
  githubLogin: 'github_login',
  entityRef: 'entity_ref',
  repository: 'repository',
  runId: 'run_id',
  environment: 'environment',
  version: 'version',
  decision: 'decision',
  comment: 'comment',
  outcome: 'outcome',
  upstreamStatus: 'upstream_status',
  mode: 'mode',
  deliveryId: 'delivery_id',
};

function fromRow(row: Record<string, unknown>): Hashed & {
  id: number;
  prevHash: string;
  hash: string;
} {
  const record: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) {
    const value = row[COLUMNS[field]];
    const numeric = field === 'runId' || field === 'upstreamStatus';
    if (value === null || value === undefined) record[field] = undefined;
    else record[field] = numeric ? Number(value) : value;
  }
  return {
    ...(record as Hashed),
    id: Number(row.id),
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}

function toAuditRecord(row: Record<string, unknown>): AuditRecord {
  const { deliveryId: _deliveryId, ...rest } = fromRow(row);
  const record = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  );
  return record as unknown as AuditRecord;
}

/**
 * Every stored time in one format (GitHub sends whole seconds, the portal milliseconds), so that
 * a time range compares as strings in any database.
 */
function toInstant(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

const isUniqueViolation = (error: unknown) =>
  /unique|duplicate/i.test(String((error as Error)?.message ?? error));

/**
 * The approvals audit trail: an append-only table where each row carries the hash of the row
 * before it. Two writers (or two replicas) can never both extend the chain from the same row:
 * `prev_hash` is unique, so the loser of a race re-reads the head and tries again.
 */
export class AuditLog {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends a record; returns it, or undefined when its webhook delivery was already recorded. */
  async append(entry: AuditEntry): Promise<AuditRecord | undefined> {
    const at = entry.at ? toInstant(entry.at) : this.now().toISOString();
    const fields = { ...entry, at } as Hashed;
    for (let attempt = 0; attempt < 20; attempt++) {
      const head = await this.knex('lexecon_audit_log')
        .select('hash')
        .orderBy('id', 'desc')
        .first();
      const prevHash: string = head?.hash ?? GENESIS_HASH;
      const hash = hashRecord(prevHash, fields);
      const row: Record<string, unknown> = { prev_hash: prevHash, hash };
      for (const field of HASHED_FIELDS) {
        row[COLUMNS[field]] = fields[field] ?? null;
      }
      try {
        const [inserted] = await this.knex('lexecon_audit_log')
          .insert(row)
          .returning('id');
        const id =
          typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
        return toAuditRecord({ ...row, id });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (entry.deliveryId) {
          const seen = await this.knex('lexecon_audit_log')
            .where({ delivery_id: entry.deliveryId })
            .first();
          if (seen) return undefined;
        }
        // Someone else extended the chain first: back off a little and retry from the new head.
        await new Promise(r => setTimeout(r, 2 + Math.random() * 10 * attempt));
      }
    }
    throw new Error('Could not append to the audit log: too much contention');
  }

  async list(query: {
    entityRef?: string;
    from?: string;
    to?: string;
    limit: number;
    beforeId?: number;
  }): Promise<AuditPage> {
    const rows = await this.knex('lexecon_audit_log')
      .modify(q => {
        if (query.entityRef) q.where('entity_ref', query.entityRef);
        if (query.from) q.where('at', '>=', toInstant(query.from));
        if (query.to) q.where('at', '<=', toInstant(query.to));
        if (query.beforeId) q.where('id', '<', query.beforeId);
      })
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit).map(toAuditRecord);
    return {
      items,
      nextCursor:
        rows.length > query.limit
          ? String(items[items.length - 1].id)
          : undefined,
    };
  }

  /** Walks the whole chain in order; reports the first row whose link or hash does not match. */
  async verify(): Promise<AuditVerification> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let lastId = 0;
    for (;;) {
      const rows = await this.knex('lexecon_audit_log')
        .where('id', '>', lastId)
        .orderBy('id', 'asc')
        .limit(500);
      if (!rows.length) break;
      for (const raw of rows) {
        const row = fromRow(raw);
        if (row.prevHash !== prevHash) {
          return {
            ok: false,
            checked,
            firstBroken: {
              id: row.id,
              reason: `links to ${row.prevHash.slice(
                0,
                12,
              )}… but the record before it hashes to ${prevHash.slice(
                0,
                12,
              )}… (a record was removed or reordered)`,
            },
          };
        }
        if (hashRecord(prevHash, row) !== row.hash) {
          return {
            ok: false,
            checked,
            firstBroken: {
              id: row.id,
              reason:
                'its content does not match its hash (the record was changed after it was written)',
            },
          };
        }
        prevHash = row.hash;
        lastId = row.id;
        checked++;
      }
    }
    return {
      ok: true,
      checked,
      headHash: checked ? prevHash : undefined,
    };
  }

  async countByAction(action: AuditAction): Promise<number> {
    const row = await this.knex('lexecon_audit_log')
      .where({ action })
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }
}
