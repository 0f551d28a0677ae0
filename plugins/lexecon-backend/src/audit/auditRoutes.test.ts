import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  AuditHead,
  AuditPage,
  AuditRecord,
} from '@internal/plugin-lexecon-common';
import request from 'supertest';
import { TEST_AUDIT_HMAC_KEY } from '../__fixtures__/testConfig';
import { AuditLog } from './AuditLog';
import {
  as,
  AUDITOR,
  ENTITY_PATH,
  ENTITY_REF,
  useApprovalsBackend,
} from '../approvals/__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from '../approvals/__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const DOCS_REF = 'component:default/lexecon-docs-site';
const hour = (n: number) =>
  new Date(Date.parse('2026-11-20T10:00:00.000Z') + n * 3_600_000)
    .toISOString()
    .replace('.000Z', 'Z');

describe.each(databases.eachSupportedId())(
  'the audit trail API on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId);
    /** Newest first, as the API lists them. */
    let seeded: AuditRecord[];

    beforeAll(async () => {
      const log = new AuditLog(portal.knex, { hmacKey: TEST_AUDIT_HMAC_KEY });
      const records: AuditRecord[] = [];
      for (let n = 0; n < 7; n++) {
        const record = await log.append({
          at: hour(n),
          action: 'refused',
          actor: 'user:default/sam-okafor',
          entityRef: n % 3 === 2 ? DOCS_REF : ENTITY_REF,
          runId: 1000 + n,
          environment: 'production',
          outcome: `refusal ${n}`,
        });
        records.push(record as AuditRecord);
      }
      seeded = records.reverse();
    });

    const get = (path: string, who = AUDITOR) =>
      request(portal.server).get(`/api/lexecon/v1${path}`).set(as(who));
    const outcomes = async (query: string) => {
      const response = await get(`/audit?${query}`);
      expect(response.status).toBe(200);
      return (response.body as AuditPage).items.map(r => r.outcome);
    };

    it('pages the trail newest first with the cursor it hands out', async () => {
      const pages: AuditPage[] = [];
      let cursor: string | undefined = '';
      // Bounded, so that a cursor that never ends fails here instead of at the test timeout.
      for (let page = 0; page < 5 && cursor !== undefined; page++) {
        const response = await get(
          `/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(response.status).toBe(200);
        pages.push(response.body);
        cursor = (response.body as AuditPage).nextCursor;
      }
      expect(pages.map(p => p.items.length)).toEqual([3, 3, 1]);
      expect(pages.flatMap(p => p.items)).toEqual(seeded);
      expect(pages[0].nextCursor).toBe(String(seeded[2].id));
    });

    it('filters by entity and by an inclusive time range', async () => {
      expect(
        await outcomes(`entityRef=${encodeURIComponent(DOCS_REF)}`),
      ).toEqual(['refusal 5', 'refusal 2']);
      expect(await outcomes(`from=${hour(2)}&to=${hour(4)}`)).toEqual([
        'refusal 4',
        'refusal 3',
        'refusal 2',
      ]);
      expect(
        await outcomes(
          `entityRef=${encodeURIComponent(ENTITY_REF)}&from=${hour(
            2,
          )}&to=${hour(4)}&limit=1`,
        ),
      ).toEqual(['refusal 4']);
      // Bounds in milliseconds select the same records as bounds in whole seconds.
      expect(
        await outcomes(
          `from=${new Date(Date.parse(hour(2))).toISOString()}&to=${hour(3)}`,
        ),
      ).toEqual(['refusal 3', 'refusal 2']);
    });

    it('answers 400 naming the query field that is wrong', async () => {
      const cases: Array<[string, string]> = [
        ['cursor=abc', 'cursor'],
        ['from=yesterday', 'from'],
        ['to=2026-11-20', 'to'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
      ];
      for (const [query, field] of cases) {
        const response = await get(`/audit?${query}`);
        expect([query, response.status]).toEqual([query, 400]);
        expect(response.body.error.message).toContain(field);
      }
    });

    it('refuses the trail, its head and its verification to people without lexecon.audit.read', async () => {
      for (const path of ['/audit', '/audit/head', '/audit/verify']) {
        for (const who of ['sam-okafor', 'guest']) {
          const response = await get(path, who);
          expect([path, who, response.status]).toEqual([path, who, 403]);
          expect(response.body.error.message).toBe(
            'Missing permission lexecon.audit.read: the audit trail is for auditors and release approvers',
          );
        }
        expect((await get(path, 'alex-kim')).status).toBe(200);
        const anonymous = await request(portal.server).get(
          `/api/lexecon/v1${path}`,
        );
        expect(anonymous.status).toBe(401);
      }
    });

    it('shows through /audit/verify a record that was changed or removed, until it is put back', async () => {
      const verify = async () => (await get('/audit/verify')).body;
      expect(await verify()).toEqual({
        ok: true,
        checked: seeded.length,
        headHash: seeded[0].hash,
      });
      const [, , middle, after] = [...seeded].reverse();
      const table = () => portal.knex('lexecon_audit_log');
      const { details } = await table().where({ id: middle.id }).first();
      await table()
        .where({ id: middle.id })
        .update({
          details: details.replace('refusal 2', 'approved after all'),
        });
      expect(await verify()).toMatchObject({
        ok: false,
        checked: 2,
        firstBroken: { id: middle.id },
      });
      await table().where({ id: middle.id }).update({ details });
      const row = await table().where({ id: middle.id }).first();
      await table().where({ id: middle.id }).delete();
      const broken = await verify();
      expect(broken).toMatchObject({
        ok: false,
        checked: 2,
        firstBroken: { id: after.id },
      });
      expect(broken.firstBroken.reason).toContain(
        '(a record was removed or reordered)',
      );
      await table().insert(row);
      expect(await verify()).toMatchObject({
        ok: true,
        checked: seeded.length,
      });
    });
  },
);

describe.each(databases.eachSupportedId())(
  'the audit head, pinned verification and audited refreshes on %s',
  databaseId => {
    const portal = useApprovalsBackend(databases, databaseId);

    const get = (path: string, who = AUDITOR) =>
      request(portal.server).get(`/api/lexecon/v1${path}`).set(as(who));
    const head = async (): Promise<AuditHead> => {
      const response = await get('/audit/head');
      expect(response.status).toBe(200);
      return response.body;
    };
    const refresh = (who: string) =>
      request(portal.server).post(`${ENTITY_PATH}/refresh`).set(as(who));

    it('records who asked for a manual refresh of which entity, before answering', async () => {
      const response = await refresh('sam-okafor');
      expect(response.status).toBe(202);
      const trail = await get(
        `/audit?entityRef=${encodeURIComponent(ENTITY_REF)}`,
      );
      expect((trail.body as AuditPage).items[0]).toMatchObject({
        action: 'refresh-requested',
        actor: 'user:default/sam-okafor',
        subject: ENTITY_REF,
        entityRef: ENTITY_REF,
        outcome: 'Refresh of every source queued',
      });
      expect((await get('/audit/verify')).body).toMatchObject({ ok: true });
    });

    it('gives the head to pin, and verifies against it by query or body until the newest record is removed', async () => {
      await refresh('sam-okafor');
      await refresh('alex-kim');
      const pinned = await head();
      const latest = (await get('/audit?limit=1')).body.items[0] as AuditRecord;
      expect(pinned).toEqual({
        hash: latest.hash,
        count: (await get('/audit/verify')).body.checked,
        at: latest.at,
      });
      const query = `hash=${pinned.hash}&count=${pinned.count}`;
      const verifyPost = () =>
        request(portal.server)
          .post('/api/lexecon/v1/audit/verify')
          .set(as(AUDITOR))
          .send({ hash: pinned.hash, count: pinned.count });
      expect((await get(`/audit/verify?${query}`)).body.ok).toBe(true);
      expect((await verifyPost()).body.ok).toBe(true);

      await portal.knex('lexecon_audit_log').where({ id: latest.id }).delete();
      // Without the pin the shorter chain is intact; with it, the removal shows.
      expect((await get('/audit/verify')).body.ok).toBe(true);
      for (const response of [
        await get(`/audit/verify?${query}`),
        await verifyPost(),
      ]) {
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          ok: false,
          checked: pinned.count - 1,
          firstBroken: {
            reason: `the trail holds ${
              pinned.count - 1
            } records but the pinned head ${pinned.hash.slice(0, 12)}… counts ${
              pinned.count
            }: the newest 1 were removed`,
          },
        });
      }
    });

    it('answers 400 naming the pin field that is wrong', async () => {
      const cases: Array<[string, string]> = [
        ['hash=abc&count=1', 'hash'],
        [`hash=${'a'.repeat(64)}`, 'count'],
        [`hash=${'a'.repeat(64)}&count=-1`, 'count'],
        ['count=2', 'count'],
      ];
      for (const [query, field] of cases) {
        const response = await get(`/audit/verify?${query}`);
        expect([query, response.status]).toEqual([query, 400]);
        expect(response.body.error.message).toContain(`'${field}'`);
      }
    });
  },
);
