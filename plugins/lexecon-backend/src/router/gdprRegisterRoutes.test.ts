import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DsrDeadlineRule,
  GdprRegisters,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import {
  decidingPermissions,
  PermissionQuery,
} from '../__fixtures__/permissions';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { AuditLog } from '../audit/AuditLog';
import { readEvidenceSettings } from '../evidence/evidenceConfig';
import { GdprRegisterStore } from '../evidence/gdpr/GdprRegisterStore';
import { RecordedEvidenceReader } from '../evidence/recorded/recordedObservations';
import { RecordedEvidenceStore } from '../evidence/recorded/RecordedEvidenceStore';
import { createGdprRegisterRouter } from './createGdprRegisterRouter';

const HMAC = 'test-audit-key';
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const owner = {
  Authorization: mockCredentials.user.header('user:default/alex-kim'),
};
const GDPR = '/v1/evidence/gdpr';
const catalog = readEvidenceSettings(new ConfigReader({})).catalog;

const processing = {
  name: 'Release decisions',
  controller: 'Lexecon Ltd, privacy@lexecon.io',
  purposes: ['Decide and audit production releases'],
  dataSubjectCategories: ['Employees'],
  personalDataCategories: ['Name', 'GitHub login'],
  recipients: [],
  thirdCountryTransfers: [{ country: 'US', safeguards: 'SCCs with GitHub' }],
  retention: 'Decision logs 30 days, audit logs 3 years',
  securityMeasures: ['TLS 1.2+', 'Hash-chained audit log'],
  reviewedOn: '2026-01-15',
};

describe.each(databases.eachSupportedId())('GDPR registers on %s', id => {
  let knex: Knex;
  let now: Date;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
  });
  beforeEach(async () => {
    now = new Date('2026-03-01T12:00:00.000Z');
    for (const table of [
      'lexecon_gdpr_processing_records',
      'lexecon_gdpr_requests',
      'lexecon_gdpr_breaches',
      'lexecon_audit_log',
    ]) {
      await knex(table).delete();
    }
  });

  /** A backend started with `deadlineRule` configured: restarting with another is a new one. */
  function backend(
    deadlineRule: DsrDeadlineRule = 'calendar-month',
    decide = (_q: PermissionQuery) => true,
  ) {
    const registers = new GdprRegisterStore(knex, {
      hmacKey: HMAC,
      deadlineRule,
      now: () => now,
    });
    const reader = new RecordedEvidenceReader({
      recorded: new RecordedEvidenceStore(knex, { hmacKey: HMAC }),
      gdpr: registers,
      catalog,
      now: () => now,
    });
    const app = createGdprRegisterRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: decidingPermissions(decide),
      registers,
      deadlineRule,
      now: () => now,
    }).then(router => express().use(router).use(mockErrorHandler()));
    return { app, reader };
  }
  const registers = async (app: Promise<express.Express>) =>
    (
      await request(await app)
        .get(GDPR)
        .set(owner)
        .expect(200)
    ).body as GdprRegisters;

  it('keeps the counting rule a request was received under when the setting changes', async () => {
    const before = backend('calendar-month');
    const first = await request(await before.app)
      .post(`${GDPR}/requests`)
      .set(owner)
      .send({ type: 'access', reference: 'DSR-1', receivedOn: '2026-01-31' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      deadlineRule: 'calendar-month',
      deadline: '2026-02-28',
      status: 'open',
      overdue: true,
    });

    const after = backend('days-30');
    await request(await after.app)
      .post(`${GDPR}/requests`)
      .set(owner)
      .send({ type: 'erasure', reference: 'DSR-2', receivedOn: '2026-01-31' })
      .expect(201);
    const extended = await request(await after.app)
      .put(`${GDPR}/requests/${first.body.id}`)
      .set(owner)
      .send({
        type: 'access',
        reference: 'DSR-1',
        receivedOn: '2026-01-31',
        extension: { months: 2, reason: 'Records in three systems' },
      });
    expect(extended.status).toBe(200);
    const { requests } = await registers(after.app);
    expect(
      requests.map(r => [r.reference, r.deadlineRule, r.deadline, r.overdue]),
    ).toEqual([
      ['DSR-2', 'days-30', '2026-03-02', false],
      ['DSR-1', 'calendar-month', '2026-04-30', false],
    ]);
  });

  it('fails Art. 12-20 while a request is past its deadline, and passes once none is', async () => {
    const { app, reader } = backend();
    const created = await request(await app)
      .post(`${GDPR}/requests`)
      .set(owner)
      .send({
        type: 'portability',
        reference: 'DSR-7',
        receivedOn: '2026-01-31',
      })
      .expect(201);
    now = new Date('2026-02-28T23:59:59.000Z');
    const byItem = async () =>
      Object.fromEntries(
        (await reader.readGdprEvidence()).map(o => [o.itemId, o]),
      );
    expect((await byItem())['gdpr12-dsr-deadlines'].status).toBe('passing');
    now = new Date('2026-03-01T00:00:00.000Z');
    expect((await byItem())['gdpr12-dsr-deadlines']).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining(
        'portability DSR-7 due 2026-02-28, still open',
      ),
    });
    await request(await app)
      .put(`${GDPR}/requests/${created.body.id}`)
      .set(owner)
      .send({
        type: 'portability',
        reference: 'DSR-7',
        receivedOn: '2026-01-31',
        status: 'closed',
        closedOn: '2026-02-27',
      })
      .expect(200);
    expect((await byItem())['gdpr12-dsr-deadlines'].status).toBe('passing');
  });

  it('has no Art. 30 evidence without a record, and a record collected on its review day', async () => {
    const { app, reader } = backend();
    const itemIds = async () =>
      (await reader.readGdprEvidence()).map(o => o.itemId);
    expect(await itemIds()).not.toContain('gdpr30-records-of-processing');
    await request(await app)
      .post(`${GDPR}/processing-records`)
      .set(owner)
      .send(processing)
      .expect(201);
    expect(
      (await reader.readGdprEvidence()).find(
        o => o.itemId === 'gdpr30-records-of-processing',
      ),
    ).toMatchObject({
      status: 'passing',
      collected: '2026-01-15T00:00:00.000Z',
      expires: '2027-01-15T00:00:00.000Z',
    });
  });

  it('flags a breach notified one minute after 72 hours as late, and fails Art. 33', async () => {
    const { app, reader } = backend();
    const breach = {
      incidentId: 'INC-42',
      title: 'Audit export readable by all staff',
      awareAt: '2026-02-20T09:00:00.000Z',
      notifiedAuthorityAt: '2026-02-23T09:00:00.000Z',
    };
    const onTime = await request(await app)
      .post(`${GDPR}/breaches`)
      .set(owner)
      .send(breach);
    expect(onTime.body).toMatchObject({
      notifyBy: '2026-02-23T09:00:00.000Z',
      late: false,
    });
    const art33 = async () =>
      (await reader.readGdprEvidence()).find(
        o => o.itemId === 'gdpr33-breach-register',
      );
    expect((await art33())?.status).toBe('passing');

    const late = await request(await app)
      .put(`${GDPR}/breaches/${onTime.body.id}`)
      .set(owner)
      .send({
        ...breach,
        notifiedAuthorityAt: '2026-02-23T09:01:00.000Z',
        delayReason: 'Weekend',
      });
    expect(late.body).toMatchObject({ incidentId: 'INC-42', late: true });
    expect(await art33()).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining(
        'incident INC-42: notified 2026-02-23T09:01:00.000Z',
      ),
    });
  });

  it('refuses a bad entry naming the field and a writer without permission, storing nothing', async () => {
    const { app } = backend();
    const missing = await request(await app)
      .post(`${GDPR}/processing-records`)
      .set(owner)
      .send({ ...processing, purposes: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      "body parameter 'purposes' needs at least one entry",
    );
    const closed = await request(await app)
      .post(`${GDPR}/requests`)
      .set(owner)
      .send({
        type: 'access',
        reference: 'DSR-3',
        receivedOn: '2026-01-31',
        status: 'closed',
      });
    expect(closed.body.error.message).toContain(
      "body parameter 'closedOn' is required when the status is closed",
    );
    const early = await request(await app)
      .post(`${GDPR}/breaches`)
      .set(owner)
      .send({
        incidentId: 'INC-1',
        title: 'x',
        awareAt: '2026-02-20T09:00:00Z',
        notifiedAuthorityAt: '2026-02-19T09:00:00Z',
      });
    expect(early.body.error.message).toContain(
      "body parameter 'notifiedAuthorityAt' must not be before awareAt",
    );
    const reader = backend(
      'calendar-month',
      q => q.permission !== 'lexecon.evidence.write',
    );
    const refused = await request(await reader.app)
      .post(`${GDPR}/processing-records`)
      .set(owner)
      .send(processing);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'Missing permission lexecon.evidence.write',
    );
    const unknown = await request(await app)
      .put(`${GDPR}/breaches/99`)
      .set(owner)
      .send({
        incidentId: 'INC-1',
        title: 'x',
        awareAt: '2026-02-20T09:00:00Z',
      });
    expect(unknown.status).toBe(404);
    const all = await registers(reader.app);
    expect([
      all.canWrite,
      all.processingRecords,
      all.requests,
      all.breaches,
    ]).toEqual([false, [], [], []]);
    expect(
      Number((await knex('lexecon_audit_log').count({ n: '*' }))[0].n),
    ).toBe(0);
  });

  it('audits each change with the entry before and after', async () => {
    const { app } = backend();
    const created = await request(await app)
      .post(`${GDPR}/processing-records`)
      .set(owner)
      .send(processing);
    await request(await app)
      .put(`${GDPR}/processing-records/${created.body.id}`)
      .set(owner)
      .send({ ...processing, reviewedOn: '2026-02-20' })
      .expect(200);
    const audit = new AuditLog(knex, { hmacKey: HMAC });
    const { items } = await audit.list({ limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        action: 'gdpr-register-updated',
        actor: 'user:default/alex-kim',
        details: expect.objectContaining({
          register: 'processing-records',
          before: expect.objectContaining({ reviewedOn: '2026-01-15' }),
          after: expect.objectContaining({ reviewedOn: '2026-02-20' }),
        }),
      }),
      expect.objectContaining({ action: 'gdpr-register-created' }),
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });
});
