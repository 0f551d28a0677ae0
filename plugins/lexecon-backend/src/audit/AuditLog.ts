import {
  AuditAction,
  AuditHead,
  AuditPage,
  AuditRecord,
  AuditVerification,
  GateException,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import {
  canonicalJson,
  GENESIS_HASH,
  hashVersion1,
  hashVersion2,
} from './auditHash';
import {
  AuditEntry,
  AuditEvent,
  fromRow,
  StoredRecord,
  toAuditRecord,
  toEvent,
  toRow,
} from './auditRecords';

export type { AuditEntry, AuditEvent } from './auditRecords';
export { GENESIS_HASH } from './auditHash';

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

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** Why one row does not belong where it is in the chain, or undefined when it does. */
function breakIn(
  row: StoredRecord,
  prevHash: string,
  key: string,
  afterVersion2: boolean,
): string | undefined {
  if (row.prevHash !== prevHash) {
    return `links to ${short(
      row.prevHash,
    )} but the record before it hashes to ${short(
      prevHash,
    )} (a record was removed or reordered)`;
  }
  let expected: string;
  if (row.formatVersion === 1) {
    if (afterVersion2) {
      return 'it is a version 1 record after version 2 records (a record was rewritten in the unkeyed format)';
    }
    expected = hashVersion1(prevHash, row.version1 ?? {});
  } else if (row.formatVersion === 2) {
    if (!row.readable) return 'its details are not a JSON object';
    expected = hashVersion2(key, prevHash, row);
  } else {
    return `it is written in an unknown format (version ${row.formatVersion})`;
  }
  return expected === row.hash
    ? undefined
    : 'its content does not match its hash (the record was changed after it was written, or the audit key is not the one it was written with)';
}

/**
 * The portal's audit trail: an append-only table where each row carries the hash of the row
 * before it. Records are `{action, actor, subject, details, at}`, plus the entity the trail is
 * filtered by and a webhook's delivery key.
 *
 * Rows carry the version of their canonical form (`format_version`):
 * - 1: written before the trail was portal-wide. Approval fields in their own columns, SHA-256
 *   over them in a fixed order (`hashVersion1`). Never written now; verified by that rule.
 * - 2: `details` is a JSON column; the hash is an HMAC-SHA256 keyed by `lexecon.audit.hmacKey`
 *   over the canonical JSON (sorted keys) of the whole record (`hashVersion2`). The approval
 *   columns of version 1 stay empty: approval records keep their fields (decision, runId, …) in
 *   `details`, and the API lifts them from there, so what the trail shows is always what was
 *   hashed. The first version 2 row chains onto the last version 1 hash.
 *
 * Two writers (or two replicas) can never both extend the chain from the same row: `prev_hash`
 * is unique, so the loser of a race re-reads the head and tries again. Deleting the newest rows
 * leaves a shorter chain that is still intact: `head()` gives what an operator pins elsewhere,
 * and `verify(pinned)` catches that.
 */
export class AuditLog {
  private readonly now: () => Date;

  constructor(
    private readonly knex: Knex,
    private readonly options: {
      /** `lexecon.audit.hmacKey`: records verify only with the key they were written with. */
      hmacKey: string;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Appends a record; returns it, or undefined when its webhook delivery was already recorded. */
  async append(
    entry: AuditEntry | AuditEvent,
  ): Promise<AuditRecord | undefined> {
    const event = toEvent(entry);
    const record = {
      ...event,
      at: event.at ? toInstant(event.at) : this.now().toISOString(),
    };
    const detailsJson = canonicalJson(record.details);
    for (let attempt = 0; attempt < 20; attempt++) {
      const head = await this.knex('lexecon_audit_log')
        .select('hash')
        .orderBy('id', 'desc')
        .first();
      const prevHash: string = head?.hash ?? GENESIS_HASH;
      const hash = hashVersion2(this.options.hmacKey, prevHash, record);
      const row = toRow(record, { prevHash, hash, detailsJson });
      try {
        const [inserted] = await this.knex('lexecon_audit_log')
          .insert(row)
          .returning('id');
        const id =
          typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
        return toAuditRecord(fromRow({ ...row, id }));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (record.deliveryId) {
          const seen = await this.knex('lexecon_audit_log')
            .where({ delivery_id: record.deliveryId })
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
    const items = rows
      .slice(0, query.limit)
      .map((row: Record<string, unknown>) => toAuditRecord(fromRow(row)));
    return {
      items,
      nextCursor:
        rows.length > query.limit
          ? String(items[items.length - 1].id)
          : undefined,
    };
  }

  /** The latest record's hash and position, for an operator to pin outside this database. */
  async head(): Promise<AuditHead> {
    const last = await this.knex('lexecon_audit_log')
      .select('id', 'hash', 'at')
      .orderBy('id', 'desc')
      .first();
    if (!last) return { hash: GENESIS_HASH, count: 0 };
    // Counted up to the head read above: a record appended meanwhile is not in this head.
    const counted = await this.knex('lexecon_audit_log')
      .where('id', '<=', last.id)
      .count({ n: '*' })
      .first();
    return { hash: last.hash, count: Number(counted?.n ?? 0), at: last.at };
  }

  /**
   * Walks the whole chain in order; reports the first row whose link or hash does not match.
   * Given a head pinned earlier, also reports a trail shorter than it, or one whose record at
   * the pinned position is not the pinned one (the newest records removed or replaced).
   */
  async verify(pinned?: {
    hash: string;
    count: number;
  }): Promise<AuditVerification> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let lastId = 0;
    let afterVersion2 = false;
    const pinnedMismatch = (id?: number): AuditVerification => ({
      ok: false,
      checked,
      firstBroken: {
        id,
        reason: `record ${pinned?.count} of the chain hashes to ${short(
          prevHash,
        )}, not to the pinned head ${short(
          pinned?.hash ?? '',
        )} (the newest records were removed and others written in their place)`,
      },
    });
    if (pinned && pinned.count === 0 && pinned.hash !== GENESIS_HASH) {
      return pinnedMismatch();
    }
    for (;;) {
      const rows = await this.knex('lexecon_audit_log')
        .where('id', '>', lastId)
        .orderBy('id', 'asc')
        .limit(500);
      if (!rows.length) break;
      for (const raw of rows) {
        const row = fromRow(raw);
        const reason = breakIn(
          row,
          prevHash,
          this.options.hmacKey,
          afterVersion2,
        );
        if (reason) {
          return { ok: false, checked, firstBroken: { id: row.id, reason } };
        }
        afterVersion2 ||= row.formatVersion === 2;
        prevHash = row.hash;
        lastId = row.id;
        checked++;
        if (pinned && checked === pinned.count && prevHash !== pinned.hash) {
          return pinnedMismatch(row.id);
        }
      }
    }
    if (pinned && checked < pinned.count) {
      return {
        ok: false,
        checked,
        firstBroken: {
          reason: `the trail holds ${checked} records but the pinned head ${short(
            pinned.hash,
          )} counts ${pinned.count}: the newest ${
            pinned.count - checked
          } were removed`,
        },
      };
    }
    return {
      ok: true,
      checked,
      headHash: checked ? prevHash : undefined,
    };
  }

  /** The approvals of an entity's deploys that went past the gate, oldest first. */
  async gateExceptions(
    entityRef: string,
  ): Promise<
    Array<{ runId?: number; environment?: string; exception: GateException }>
  > {
    const rows = await this.knex('lexecon_audit_log')
      .where({ entity_ref: entityRef, action: 'gate-exception' })
      .orderBy('id', 'asc');
    return rows.flatMap((row: Record<string, unknown>) => {
      const { runId, environment, exception } = toAuditRecord(fromRow(row));
      return exception ? [{ runId, environment, exception }] : [];
    });
  }

  async countByAction(action: AuditAction): Promise<number> {
    const row = await this.knex('lexecon_audit_log')
      .where({ action })
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }
}
