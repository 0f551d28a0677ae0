import { TestDatabases } from '@backstage/backend-test-utils';
import { AuditRecord } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { AuditEntry, AuditLog, GENESIS_HASH, hashRecord } from './AuditLog';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

const DECISION: AuditEntry = {
  at: '2026-11-20T15:00:00.000Z',
  action: 'decision',
  actor: 'user:default/alex-kim',
  githubLogin: 'alex-kim',
  entityRef: 'component:default/lexecon-api',
  repository: 'lexecon-ai/lexecon',
  runId: 9_876_543_210,
  environment: 'production',
  version: 'v1.4.2',
  decision: 'approved',
  comment: 'Readiness 92, staging healthy for a day',
  outcome: 'GitHub accepted the approval',
  upstreamStatus: 200,
  mode: 'github-reviewers',
};

/** The canonical JSON of DECISION, written out: every hashed field, in order, absent ones null. */
const DECISION_CANONICAL =
  '[["at","2026-11-20T15:00:00.000Z"],["action","decision"],["actor","user:default/alex-kim"],' +
  '["githubLogin","alex-kim"],["entityRef","component:default/lexecon-api"],' +
  '["repository","lexecon-ai/lexecon"],["runId",9876543210],["environment","production"],' +
  '["version","v1.4.2"],["decision","approved"],["comment","Readiness 92, staging healthy for a day"],' +
  '["outcome","GitHub accepted the approval"],["upstreamStatus",200],["mode","github-reviewers"],' +
  '["deliveryId",null]]';

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

describe('hashRecord', () => {
  it('hashes the previous hash, a newline and the canonical JSON of the fields', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(hashRecord(GENESIS_HASH, DECISION as never)).toBe(
      sha256(`${GENESIS_HASH}\n${DECISION_CANONICAL}`),
    );
  });

  it('does not depend on the order the fields were given in, nor on undefined versus null', () => {
    const reversed = Object.fromEntries(Object.entries(DECISION).reverse());
    expect(hashRecord(GENESIS_HASH, reversed as never)).toBe(
      hashRecord(GENESIS_HASH, DECISION as never),
    );
    const minimal = {
      at: 'x',
      action: 'refused',
      actor: 'a',
      outcome: 'o',
      comment: undefined,
    };
    const withNulls = { ...minimal, comment: null, mode: null };
    expect(hashRecord('p', minimal as never)).toBe(
      hashRecord('p', withNulls as never),
    );
    expect(hashRecord('p', minimal as never)).toBe(
      sha256(
        'p\n[["at","x"],["action","refused"],["actor","a"],["githubLogin",null],["entityRef",null],' +
          '["repository",null],["runId",null],["environment",null],["version",null],["decision",null],' +
          '["comment",null],["outcome","o"],["upstreamStatus",null],["mode",null],["deliveryId",null]]',
      ),
    );
  });

  it('changes with the previous hash and with any field, the webhook delivery id included', () => {
    const base = hashRecord(GENESIS_HASH, DECISION as never);
    expect(hashRecord('1'.repeat(64), DECISION as never)).not.toBe(base);
    expect(
      hashRecord(GENESIS_HASH, { ...DECISION, deliveryId: 'd-1' } as never),
    ).not.toBe(base);
    expect(
      hashRecord(GENESIS_HASH, { ...DECISION, runId: '9876543210' } as never),
    ).not.toBe(base);
  });
});

describe.each(databases.eachSupportedId())('AuditLog on %s', id => {
  let knex: Knex;
  let audit: AuditLog;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
  });
  beforeEach(async () => {
    await knex('lexecon_audit_log').delete();
    audit = new AuditLog(knex, () => new Date('2026-11-21T09:30:00.000Z'));
  });

  const rows = () => knex('lexecon_audit_log').orderBy('id');
  async function appendAll(entries: AuditEntry[]) {
    const records: AuditRecord[] = [];
    for (const entry of entries) {
      records.push((await audit.append(entry)) as AuditRecord);
    }
    return records;
  }

  describe('append', () => {
    it('stores the record with the hash of the canonical JSON after the genesis hash, and returns it', async () => {
      const record = await audit.append(DECISION);
      const hash = sha256(`${GENESIS_HASH}\n${DECISION_CANONICAL}`);
      expect(record).toEqual({
        ...DECISION,
        id: expect.any(Number),
        prevHash: GENESIS_HASH,
        hash,
      });
      const [row] = await rows();
      expect(Number(row.id)).toBe(record?.id);
      expect(row).toMatchObject({
        at: DECISION.at,
        action: 'decision',
        actor: 'user:default/alex-kim',
        github_login: 'alex-kim',
        entity_ref: 'component:default/lexecon-api',
        repository: 'lexecon-ai/lexecon',
        environment: 'production',
        version: 'v1.4.2',
        decision: 'approved',
        comment: DECISION.comment,
        outcome: 'GitHub accepted the approval',
        upstream_status: 200,
        mode: 'github-reviewers',
        delivery_id: null,
        prev_hash: GENESIS_HASH,
        hash,
      });
      expect(Number(row.run_id)).toBe(9_876_543_210);
    });

    it('stamps a record with the clock when it brings no time, and leaves absent fields out', async () => {
      const record = await audit.append({
        action: 'refused',
        actor: 'unknown',
        outcome: 'Only a signed-in person can approve or reject a deploy',
      });
      expect(record).toEqual({
        id: expect.any(Number),
        at: '2026-11-21T09:30:00.000Z',
        action: 'refused',
        actor: 'unknown',
        outcome: 'Only a signed-in person can approve or reject a deploy',
        prevHash: GENESIS_HASH,
        hash: sha256(
          `${GENESIS_HASH}\n[["at","2026-11-21T09:30:00.000Z"],["action","refused"],["actor","unknown"],` +
            '["githubLogin",null],["entityRef",null],["repository",null],["runId",null],' +
            '["environment",null],["version",null],["decision",null],["comment",null],' +
            '["outcome","Only a signed-in person can approve or reject a deploy"],' +
            '["upstreamStatus",null],["mode",null],["deliveryId",null]]',
        ),
      });
    });

    it('links each record to the hash of the one before it', async () => {
      const [first, second, third] = await appendAll([
        refusal(1),
        refusal(2),
        refusal(3),
      ]);
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect(third.hash).toBe(hashRecord(second.hash, refusal(3) as never));
      expect(first.id < second.id && second.id < third.id).toBe(true);
    });

    it('stores a time given in whole seconds in the same format as the others, and hashes that', async () => {
      const entry = refusal(1, { at: '2026-11-23T09:05:00Z' });
      const record = await audit.append(entry);
      expect(record?.at).toBe('2026-11-23T09:05:00.000Z');
      expect(record?.hash).toBe(
        hashRecord(GENESIS_HASH, {
          ...entry,
          at: '2026-11-23T09:05:00.000Z',
        } as never),
      );
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
    });

    it('records a webhook delivery once, hashing its delivery id without showing it', async () => {
      const entry = refusal(1, { action: 'github-review', deliveryId: 'd-42' });
      const record = await audit.append(entry);
      expect(record).not.toHaveProperty('deliveryId');
      expect(record?.hash).toBe(hashRecord(GENESIS_HASH, entry as never));
      expect(await audit.append({ ...entry, at: undefined })).toBeUndefined();
      expect(await rows()).toHaveLength(1);
      expect((await rows())[0].delivery_id).toBe('d-42');
    });

    it('keeps the delivery key of an entity with the longest ref the catalog allows', async () => {
      const entityRef = `component:${'n'.repeat(63)}/${'x'.repeat(183)}`;
      const deliveryId = `72d3162e-cc78-11e3-81ab-4c9367dc0958:${entityRef}`;
      const entry = refusal(1, { action: 'github-review', deliveryId });
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
      const withSystemClock = new AuditLog(knex);
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
      await knex('lexecon_audit_log').insert([
        { ...columns(refusal(1)), prev_hash: 'h2', hash: 'h1' },
        { ...columns(refusal(2)), prev_hash: 'h1', hash: 'h2' },
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
        .append({ ...refusal(1), outcome: null as unknown as string })
        .then(
          () => undefined,
          (e: { message?: string }) => e,
        );
      expect(error?.message).toMatch(/outcome/);
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

    it('walks the whole chain and gives the head hash for pinning', async () => {
      const records = await appendAll([refusal(1), refusal(2), DECISION]);
      expect(await audit.verify()).toEqual({
        ok: true,
        checked: 3,
        headHash: records[2].hash,
      });
    });

    it('names the first record whose content was changed', async () => {
      const [, second] = await appendAll([refusal(1), refusal(2), refusal(3)]);
      await knex('lexecon_audit_log')
        .where({ id: second.id })
        .update({ outcome: 'approved after all' });
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 1,
        firstBroken: {
          id: second.id,
          reason:
            'its content does not match its hash (the record was changed after it was written)',
        },
      });
    });

    it('notices a changed number, not only changed text', async () => {
      const [first] = await appendAll([DECISION, refusal(2)]);
      await knex('lexecon_audit_log')
        .where({ id: first.id })
        .update({ upstream_status: 201 });
      expect(await audit.verify()).toMatchObject({
        ok: false,
        checked: 0,
        firstBroken: { id: first.id },
      });
    });

    it('notices a record rewritten with a matching hash at the next link', async () => {
      const [first, second, third] = await appendAll([
        refusal(1),
        refusal(2),
        refusal(3),
      ]);
      const forged = { ...refusal(2), outcome: 'approved after all' };
      const forgedHash = hashRecord(first.hash, forged as never);
      await knex('lexecon_audit_log')
        .where({ id: second.id })
        .update({ outcome: forged.outcome, hash: forgedHash });
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
      await knex('lexecon_audit_log').where({ id: second.id }).delete();
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
      await knex('lexecon_audit_log').where({ id: first.id }).delete();
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 0,
        firstBroken: {
          id: second.id,
          reason: `links to ${first.hash.slice(
            0,
            12,
          )}… but the record before it hashes to 000000000000… (a record was removed or reordered)`,
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
      await knex('lexecon_audit_log')
        .where({ id: third.id })
        .update({ prev_hash: 'parked' });
      await knex('lexecon_audit_log')
        .where({ id: second.id })
        .update(content(rowThree));
      await knex('lexecon_audit_log')
        .where({ id: third.id })
        .update(content(rowTwo));
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 1,
        firstBroken: {
          id: second.id,
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

    it('checks chains longer than one page of rows', async () => {
      const total = 1203;
      let prevHash = GENESIS_HASH;
      const all = Array.from({ length: total }, (_, i) => {
        const entry = refusal(i);
        const hash = hashRecord(prevHash, entry as never);
        const row = { ...columns(entry), prev_hash: prevHash, hash };
        prevHash = hash;
        return row;
      });
      await knex.batchInsert('lexecon_audit_log', all, 200);
      expect(await audit.verify()).toEqual({
        ok: true,
        checked: total,
        headHash: prevHash,
      });
      const ids = (await rows()).map(r => Number(r.id));
      await knex('lexecon_audit_log')
        .where({ id: ids[750] })
        .update({ outcome: 'changed' });
      expect(await audit.verify()).toMatchObject({
        ok: false,
        checked: 750,
        firstBroken: { id: ids[750] },
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

/** An entry as table columns, for rows written around the AuditLog. */
function columns(entry: AuditEntry): Record<string, unknown> {
  return {
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
