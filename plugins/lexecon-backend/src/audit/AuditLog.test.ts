import { TestDatabases } from '@backstage/backend-test-utils';
import { AuditAction, AuditRecord } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { hashVersion1, hashVersion2 } from './auditHash';
import { AuditEntry, AuditEvent, AuditLog, GENESIS_HASH } from './AuditLog';
import { DECISION } from './__fixtures__/auditEntries';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const KEY = 'audit-log-test-key-0123456789abcdef';
const OTHER_KEY = 'another-audit-key-0123456789abcdef';

/** DECISION as the portal-wide record: every field but who, what, when and the entity is a detail. */
const {
  at: _at,
  action: _action,
  actor: _actor,
  entityRef: _entityRef,
  ...DECISION_DETAILS
} = DECISION;

const REFRESH: AuditEvent = {
  at: '2026-11-21T08:00:00.000Z',
  action: 'refresh-requested',
  actor: 'user:default/sam-okafor',
  subject: 'component:default/lexecon-api',
  entityRef: 'component:default/lexecon-api',
  details: { outcome: 'Refresh of every source queued' },
};

const refusal = (
  n: number,
  overrides: Partial<AuditEntry> = {},
): AuditEntry => ({
  at: new Date(Date.parse('2026-11-20T15:00:00.000Z') + n * 1000).toISOString(),
  action: 'refused',
  actor: `user:default/person-${n}`,
  outcome: `refusal ${n}`,
  ...overrides,
});

/** An approval entry as version 1 columns, for rows written by the portal before version 2. */
function version1Columns(entry: AuditEntry): Record<string, unknown> {
  return {
    format_version: 1,
    at: entry.at,
    action: entry.action,
    actor: entry.actor,
    github_login: entry.githubLogin ?? null,
    entity_ref: entry.entityRef ?? null,
    repository: entry.repository ?? null,
    run_id: entry.runId ?? null,
    environment: entry.environment ?? null,
    version: entry.version ?? null,
    decision: entry.decision ?? null,
    comment: entry.comment ?? null,
    outcome: entry.outcome,
    upstream_status: entry.upstreamStatus ?? null,
    mode: entry.mode ?? null,
    delivery_id: entry.deliveryId ?? null,
  };
}

/** A chain of version 1 rows after `prevHash`, hashed by the old rule; returns the last hash. */
function version1Chain(entries: AuditEntry[], prevHash = GENESIS_HASH) {
  let last = prevHash;
  const rows = entries.map(entry => {
    const hash = hashVersion1(last, entry);
    const row = { ...version1Columns(entry), prev_hash: last, hash };
    last = hash;
    return row;
  });
  return { rows, head: last };
}

describe.each(databases.eachSupportedId())('AuditLog on %s', id => {
  let knex: Knex;
  let audit: AuditLog;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
  });
  beforeEach(async () => {
    await knex('lexecon_audit_log').delete();
    audit = new AuditLog(knex, {
      hmacKey: KEY,
      now: () => new Date('2026-11-21T09:30:00.000Z'),
    });
  });

  const table = () => knex('lexecon_audit_log');
  const rows = () => table().orderBy('id');
  async function appendAll(entries: Array<AuditEntry | AuditEvent>) {
    const records: AuditRecord[] = [];
    for (const entry of entries) {
      records.push((await audit.append(entry)) as AuditRecord);
    }
    return records;
  }

  describe('append', () => {
    it('stores an approval as a version 2 record whose details hold its fields, keyed after the genesis hash', async () => {
      const record = await audit.append(DECISION);
      const hash = hashVersion2(KEY, GENESIS_HASH, {
        at: DECISION.at!,
        action: 'decision',
        actor: 'user:default/alex-kim',
        subject: 'lexecon-ai/lexecon#9876543210/production',
        entityRef: 'component:default/lexecon-api',
        details: DECISION_DETAILS,
      });
      expect(record).toEqual({
        ...DECISION,
        id: expect.any(Number),
        subject: 'lexecon-ai/lexecon#9876543210/production',
        details: DECISION_DETAILS,
        prevHash: GENESIS_HASH,
        hash,
      });
      const [row] = await rows();
      expect(Number(row.id)).toBe(record?.id);
      expect(JSON.parse(row.details)).toEqual(DECISION_DETAILS);
      expect(row).toMatchObject({
        format_version: 2,
        at: DECISION.at,
        action: 'decision',
        actor: 'user:default/alex-kim',
        subject: 'lexecon-ai/lexecon#9876543210/production',
        entity_ref: 'component:default/lexecon-api',
        // What is shown is what was hashed: the approval columns of version 1 stay empty.
        outcome: null,
        version: null,
        run_id: null,
        delivery_id: null,
        prev_hash: GENESIS_HASH,
        hash,
      });
    });

    it('stores a record of any action with its subject and details', async () => {
      const record = await audit.append(REFRESH);
      expect(record).toEqual({
        id: expect.any(Number),
        at: REFRESH.at,
        action: 'refresh-requested',
        actor: 'user:default/sam-okafor',
        subject: 'component:default/lexecon-api',
        entityRef: 'component:default/lexecon-api',
        details: { outcome: 'Refresh of every source queued' },
        outcome: 'Refresh of every source queued',
        prevHash: GENESIS_HASH,
        hash: hashVersion2(KEY, GENESIS_HASH, REFRESH as never),
      });
    });

    it('stamps a record with the clock when it brings no time, and leaves absent fields out', async () => {
      const record = await audit.append({
        action: 'refused',
        actor: 'unknown',
        outcome: 'Only a signed-in person can approve or reject a deploy',
      });
      const details = {
        outcome: 'Only a signed-in person can approve or reject a deploy',
      };
      expect(record).toEqual({
        id: expect.any(Number),
        at: '2026-11-21T09:30:00.000Z',
        action: 'refused',
        actor: 'unknown',
        subject: '',
        details,
        outcome: details.outcome,
        prevHash: GENESIS_HASH,
        hash: hashVersion2(KEY, GENESIS_HASH, {
          at: '2026-11-21T09:30:00.000Z',
          action: 'refused',
          actor: 'unknown',
          subject: '',
          details,
        }),
      });
    });

    it('links each record to the hash of the one before it', async () => {
      const [first, second, third] = await appendAll([
        refusal(1),
        REFRESH,
        refusal(3),
      ]);
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect(first.id < second.id && second.id < third.id).toBe(true);
    });

    it('stores a time given in whole seconds in the same format as the others, and hashes that', async () => {
      const record = await audit.append(
        refusal(1, { at: '2026-11-23T09:05:00Z' }),
      );
      expect(record?.at).toBe('2026-11-23T09:05:00.000Z');
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
    });

    it('records a webhook delivery once, hashing its delivery id without showing it', async () => {
      const entry = refusal(1, { action: 'github-review', deliveryId: 'd-42' });
      const record = await audit.append(entry);
      expect(record).not.toHaveProperty('deliveryId');
      expect(await audit.append({ ...entry, at: undefined })).toBeUndefined();
      expect(await rows()).toHaveLength(1);
      expect((await rows())[0].delivery_id).toBe('d-42');
      // The delivery id is part of what was hashed.
      await table().update({ delivery_id: 'd-43' });
      expect(await audit.verify()).toMatchObject({ ok: false, checked: 0 });
    });

    it('keeps the delivery key of an entity with a long ref', async () => {
      const entityRef = `component:${'n'.repeat(63)}/${'x'.repeat(400)}`;
      const deliveryId = `72d3162e-cc78-11e3-81ab-4c9367dc0958:${entityRef}`;
      const entry = refusal(1, {
        action: 'github-review',
        entityRef,
        deliveryId,
      });
      expect(await audit.append(entry)).toBeDefined();
      expect(await audit.append({ ...entry, at: undefined })).toBeUndefined();
      expect((await rows()).map(r => r.delivery_id)).toEqual([deliveryId]);
    });

    it('extends one chain when many records arrive at once', async () => {
      const entries = Array.from({ length: 8 }, (_, i) => refusal(i));
      const records = await Promise.all(entries.map(e => audit.append(e)));
      expect(records.every(Boolean)).toBe(true);
      expect(new Set(records.map(r => r?.prevHash)).size).toBe(8);
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 8 });
    });

    it('records every webhook delivery when several arrive at once, not only the first', async () => {
      // Each append that loses the race for the head looks its delivery id up before retrying:
      // only a delivery already recorded may be skipped.
      const entries = Array.from({ length: 6 }, (_, i) =>
        refusal(i, { action: 'github-review', deliveryId: `delivery-${i}` }),
      );
      const records = await Promise.all(entries.map(e => audit.append(e)));
      expect(records.every(Boolean)).toBe(true);
      expect((await rows()).map(r => r.delivery_id).sort()).toEqual(
        entries.map(e => e.deliveryId),
      );
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 6 });
    });

    it('stamps a record with the current time when no clock is given', async () => {
      const withSystemClock = new AuditLog(knex, { hmacKey: KEY });
      const before = Date.now();
      const record = await withSystemClock.append({
        ...refusal(1),
        at: undefined,
      });
      const after = Date.now();
      const at = Date.parse(record?.at ?? '');
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    });

    it('gives up with a clear error when every attempt finds the head taken', async () => {
      // A forked table: a row already claims the head's hash as its predecessor.
      await table().insert([
        { ...version1Columns(refusal(1)), prev_hash: 'h2', hash: 'h1' },
        { ...version1Columns(refusal(2)), prev_hash: 'h1', hash: 'h2' },
      ]);
      await expect(audit.append(refusal(3))).rejects.toThrow(
        'Could not append to the audit log: too much contention',
      );
      expect(await rows()).toHaveLength(2);
    });

    it('passes other database errors on', async () => {
      // The driver's error can come from another test file's module realm (native modules load
      // once per worker), where `toThrow` does not see an Error: read its message instead.
      const error = await audit
        .append({ ...refusal(1), action: null as unknown as AuditAction })
        .then(
          () => undefined,
          (e: { message?: string }) => e,
        );
      expect(error?.message).toMatch(/action/);
      expect(await rows()).toHaveLength(0);
    });
  });

  describe('verify', () => {
    it('reports an empty trail as intact', async () => {
      expect(await audit.verify()).toEqual({
        ok: true,
        checked: 0,
        headHash: undefined,
      });
    });

    it('walks the whole keyed chain and gives the head hash', async () => {
      const records = await appendAll([refusal(1), REFRESH, DECISION]);
      expect(await audit.verify()).toEqual({
        ok: true,
        checked: 3,
        headHash: records[2].hash,
      });
    });

    it('names the first record whose details were changed', async () => {
      const [, second] = await appendAll([refusal(1), DECISION, refusal(3)]);
      const forged = { ...DECISION_DETAILS, decision: 'rejected' };
      await table()
        .where({ id: second.id })
        .update({ details: JSON.stringify(forged) });
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 1,
        firstBroken: {
          id: second.id,
          reason:
            'its content does not match its hash (the record was changed after it was written, or the audit key is not the one it was written with)',
        },
      });
    });

    it('notices a changed column outside the details: the entity the trail is filtered by', async () => {
      const [first] = await appendAll([REFRESH, refusal(2)]);
      await table()
        .where({ id: first.id })
        .update({ entity_ref: 'component:default/billing-api' });
      expect(await audit.verify()).toMatchObject({
        ok: false,
        checked: 0,
        firstBroken: { id: first.id },
      });
    });

    it.each([
      [{ details: 'not json' }, 'its details are not a JSON object'],
      [{ format_version: 3 }, 'it is written in an unknown format (version 3)'],
    ])('names a record that cannot be checked: %j', async (change, reason) => {
      const [first] = await appendAll([REFRESH]);
      await table().where({ id: first.id }).update(change);
      expect(await audit.verify()).toMatchObject({
        ok: false,
        firstBroken: { id: first.id, reason },
      });
    });

    it('fails with another key: the records cannot be re-chained without the one they were written with', async () => {
      await appendAll([refusal(1), REFRESH]);
      const [first] = await rows();
      const withOtherKey = new AuditLog(knex, { hmacKey: OTHER_KEY });
      expect(await withOtherKey.verify()).toMatchObject({
        ok: false,
        checked: 0,
        firstBroken: {
          id: Number(first.id),
          reason: expect.stringContaining(
            'or the audit key is not the one it was written with',
          ),
        },
      });
      expect((await audit.verify()).ok).toBe(true);
    });

    it('notices a record rewritten with a matching hash at the next link', async () => {
      const [first, second, third] = await appendAll([
        refusal(1),
        refusal(2),
        refusal(3),
      ]);
      // Someone with the key but not the nerve to rewrite the rest of the chain.
      const forged = { ...(await rows())[1] };
      const details = { outcome: 'approved after all' };
      const forgedHash = hashVersion2(KEY, first.hash, {
        at: forged.at,
        action: forged.action,
        actor: forged.actor,
        subject: forged.subject,
        details,
      });
      await table()
        .where({ id: second.id })
        .update({ details: JSON.stringify(details), hash: forgedHash });
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 2,
        firstBroken: {
          id: third.id,
          reason: `links to ${second.hash.slice(
            0,
            12,
          )}… but the record before it hashes to ${forgedHash.slice(
            0,
            12,
          )}… (a record was removed or reordered)`,
        },
      });
    });

    it('names the record after a removed one', async () => {
      const [first, second, third] = await appendAll([
        refusal(1),
        refusal(2),
        refusal(3),
      ]);
      await table().where({ id: second.id }).delete();
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 1,
        firstBroken: {
          id: third.id,
          reason: `links to ${second.hash.slice(
            0,
            12,
          )}… but the record before it hashes to ${first.hash.slice(
            0,
            12,
          )}… (a record was removed or reordered)`,
        },
      });
    });

    it('notices a removed first record against the genesis hash', async () => {
      const [first, second] = await appendAll([refusal(1), refusal(2)]);
      await table().where({ id: first.id }).delete();
      expect(await audit.verify()).toMatchObject({
        ok: false,
        checked: 0,
        firstBroken: {
          id: second.id,
          reason: expect.stringContaining(
            'but the record before it hashes to 000000000000…',
          ),
        },
      });
    });

    it('notices two records swapped in place', async () => {
      const [first, second, third] = await appendAll([
        refusal(1),
        refusal(2),
        refusal(3),
      ]);
      const [, rowTwo, rowThree] = await rows();
      const content = (row: Record<string, unknown>) => {
        const { id: _id, ...rest } = row;
        return rest;
      };
      // prev_hash is unique: park one row's link while the two trade places.
      await table().where({ id: third.id }).update({ prev_hash: 'parked' });
      await table().where({ id: second.id }).update(content(rowThree));
      await table().where({ id: third.id }).update(content(rowTwo));
      expect(await audit.verify()).toMatchObject({
        ok: false,
        checked: 1,
        firstBroken: {
          id: second.id,
          reason: expect.stringContaining(
            `but the record before it hashes to ${first.hash.slice(0, 12)}…`,
          ),
        },
      });
    });

    it('checks chains longer than one page of rows', async () => {
      const total = 1203;
      const { rows: all, head } = version1Chain(
        Array.from({ length: total }, (_, i) => refusal(i)),
      );
      await knex.batchInsert('lexecon_audit_log', all, 200);
      expect(await audit.verify()).toEqual({
        ok: true,
        checked: total,
        headHash: head,
      });
      const ids = (await rows()).map(r => Number(r.id));
      await table().where({ id: ids[750] }).update({ outcome: 'changed' });
      expect(await audit.verify()).toMatchObject({
        ok: false,
        checked: 750,
        firstBroken: { id: ids[750] },
      });
    });

    describe('rows written before the trail was portal-wide (version 1)', () => {
      it('verifies them by the old rule, and chains the first new record onto the last of them', async () => {
        const old = [DECISION, refusal(2, { runId: 7, upstreamStatus: 403 })];
        const { rows: v1, head } = version1Chain(old);
        await table().insert(v1);
        const appended = await audit.append(REFRESH);
        expect(appended?.prevHash).toBe(head);
        expect(await audit.verify()).toEqual({
          ok: true,
          checked: 3,
          headHash: appended?.hash,
        });
      });

      it('lists them like the new ones', async () => {
        await table().insert(version1Chain([DECISION]).rows);
        const { items } = await audit.list({ limit: 10 });
        expect(items).toEqual([
          {
            ...DECISION,
            id: expect.any(Number),
            subject: 'lexecon-ai/lexecon#9876543210/production',
            details: DECISION_DETAILS,
            prevHash: GENESIS_HASH,
            hash: hashVersion1(GENESIS_HASH, DECISION),
          },
        ]);
      });

      it('notices a changed one, a number included', async () => {
        const { rows: v1 } = version1Chain([DECISION, refusal(2)]);
        await table().insert(v1);
        await audit.append(REFRESH);
        const [first] = await rows();
        await table().where({ id: first.id }).update({ upstream_status: 201 });
        expect(await audit.verify()).toMatchObject({
          ok: false,
          checked: 0,
          firstBroken: { id: Number(first.id) },
        });
      });

      it('refuses one after a version 2 record: the unkeyed rule cannot be used to forge new records', async () => {
        const [first] = await appendAll([REFRESH]);
        const forged = refusal(9, { outcome: 'approved after all' });
        const { rows: v1 } = version1Chain([forged], first.hash);
        const [inserted] = await table().insert(v1).returning('id');
        expect(await audit.verify()).toEqual({
          ok: false,
          checked: 1,
          firstBroken: {
            id: typeof inserted === 'object' ? Number(inserted.id) : inserted,
            reason:
              'it is a version 1 record after version 2 records (a record was rewritten in the unkeyed format)',
          },
        });
      });
    });
  });

  describe('head', () => {
    it('is the genesis hash and no records for an empty trail', async () => {
      expect(await audit.head()).toEqual({ hash: GENESIS_HASH, count: 0 });
    });

    it('gives the latest record’s hash, its time and how many records the chain holds', async () => {
      await table().insert(version1Chain([DECISION]).rows);
      const [, , last] = await appendAll([refusal(1), REFRESH, refusal(3)]);
      expect(await audit.head()).toEqual({
        hash: last.hash,
        count: 4,
        at: last.at,
      });
    });
  });

  describe('verify against a pinned head', () => {
    it('holds when the trail grew after the head was pinned', async () => {
      await appendAll([refusal(1), REFRESH]);
      const pinned = await audit.head();
      await appendAll([refusal(3)]);
      expect(await audit.verify(pinned)).toMatchObject({
        ok: true,
        checked: 3,
      });
      expect(
        await audit.verify({ hash: GENESIS_HASH, count: 0 }),
      ).toMatchObject({ ok: true, checked: 3 });
    });

    it('reports a removed newest record, which leaves an intact but shorter chain', async () => {
      const [, , third] = await appendAll([refusal(1), refusal(2), refusal(3)]);
      const pinned = await audit.head();
      await table().where({ id: third.id }).delete();
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 2 });
      expect(await audit.verify(pinned)).toEqual({
        ok: false,
        checked: 2,
        firstBroken: {
          reason: `the trail holds 2 records but the pinned head ${third.hash.slice(
            0,
            12,
          )}… counts 3: the newest 1 were removed`,
        },
      });
    });

    it('reports newest records replaced by others, though the count matches', async () => {
      const [, , third] = await appendAll([refusal(1), refusal(2), refusal(3)]);
      const pinned = await audit.head();
      await table().where({ id: third.id }).delete();
      const replacement = await audit.append(refusal(4));
      expect(await audit.verify(pinned)).toEqual({
        ok: false,
        checked: 3,
        firstBroken: {
          id: replacement?.id,
          reason: `record 3 of the chain hashes to ${replacement?.hash.slice(
            0,
            12,
          )}…, not to the pinned head ${third.hash.slice(
            0,
            12,
          )}… (the newest records were removed and others written in their place)`,
        },
      });
    });
  });

  describe('list', () => {
    it('pages newest first with a cursor until the end', async () => {
      const records = await appendAll([1, 2, 3, 4, 5].map(n => refusal(n)));
      const first = await audit.list({ limit: 2 });
      expect(first.items.map(r => r.outcome)).toEqual([
        'refusal 5',
        'refusal 4',
      ]);
      expect(first.items[0]).toEqual(records[4]);
      expect(first.nextCursor).toBe(String(records[3].id));
      const second = await audit.list({
        limit: 2,
        beforeId: Number(first.nextCursor),
      });
      expect(second.items.map(r => r.outcome)).toEqual([
        'refusal 3',
        'refusal 2',
      ]);
      const last = await audit.list({
        limit: 2,
        beforeId: Number(second.nextCursor),
      });
      expect(last).toEqual({ items: [records[0]], nextCursor: undefined });
    });

    it('gives no cursor when the page holds exactly the rest', async () => {
      await appendAll([1, 2].map(n => refusal(n)));
      expect((await audit.list({ limit: 2 })).nextCursor).toBeUndefined();
    });

    it('filters by entity and by an inclusive time range', async () => {
      const api = { entityRef: 'component:default/lexecon-api' };
      const docs = { entityRef: 'component:default/lexecon-docs-site' };
      await appendAll([
        refusal(0, api),
        refusal(10, docs),
        refusal(20, api),
        refusal(30, api),
        refusal(40, api),
      ]);
      const outcomes = async (query: Parameters<AuditLog['list']>[0]) =>
        (await audit.list(query)).items.map(r => r.outcome);
      expect(await outcomes({ limit: 10, entityRef: api.entityRef })).toEqual([
        'refusal 40',
        'refusal 30',
        'refusal 20',
        'refusal 0',
      ]);
      expect(
        await outcomes({
          limit: 10,
          from: refusal(10).at,
          to: refusal(30).at,
        }),
      ).toEqual(['refusal 30', 'refusal 20', 'refusal 10']);
      expect(
        await outcomes({
          limit: 10,
          entityRef: api.entityRef,
          from: refusal(10).at,
          to: refusal(30).at,
        }),
      ).toEqual(['refusal 30', 'refusal 20']);
    });

    it('compares times as instants, whatever their precision', async () => {
      await appendAll([
        refusal(0, { at: '2026-11-20T15:00:00.000Z' }),
        refusal(1, { at: '2026-11-20T15:00:00.500Z' }),
        // GitHub's times (webhooks) come in whole seconds.
        refusal(2, { at: '2026-11-20T15:00:01Z' }),
        refusal(3, { at: '2026-11-20T15:00:01.500Z' }),
      ]);
      const page = await audit.list({
        limit: 10,
        from: '2026-11-20T15:00:00Z',
        to: '2026-11-20T15:00:01Z',
      });
      expect(page.items.map(r => r.outcome)).toEqual([
        'refusal 2',
        'refusal 1',
        'refusal 0',
      ]);
    });
  });

  it('counts the records of one action', async () => {
    await appendAll([
      refusal(1),
      refusal(2, { action: 'upstream-error' }),
      refusal(3),
    ]);
    expect(await audit.countByAction('refused')).toBe(2);
    expect(await audit.countByAction('upstream-error')).toBe(1);
    expect(await audit.countByAction('decision')).toBe(0);
  });
});
