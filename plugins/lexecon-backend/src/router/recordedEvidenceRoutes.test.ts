import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EvidenceAttachment } from '@internal/plugin-lexecon-common';
import { createHash } from 'node:crypto';
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
import { createRecordedEvidenceRouter } from './createRecordedEvidenceRouter';

const NOW = new Date('2026-04-01T10:00:00.000Z');
const HMAC = 'test-audit-key';
const MAX_BYTES = 64;
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const owner = {
  Authorization: mockCredentials.user.header('user:default/alex-kim'),
};
const catalog = readEvidenceSettings(new ConfigReader({})).catalog;
const RESTORE = 'a1.2-backup-restore';
const ITEM = `/v1/evidence/items/${RESTORE}`;
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13,
]);
const REPORT = Buffer.from('%PDF-1.7\nrestore test: 12 min, checksums match\n');

describe.each(databases.eachSupportedId())('recorded evidence on %s', id => {
  let knex: Knex;
  let store: RecordedEvidenceStore;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
    store = new RecordedEvidenceStore(knex, { hmacKey: HMAC, now: () => NOW });
  });
  beforeEach(async () => {
    await knex('lexecon_evidence_attachments').delete();
    await knex('lexecon_evidence_not_applicable').delete();
    await knex('lexecon_audit_log').delete();
  });

  async function app(decide = (_q: PermissionQuery) => true) {
    const router = await createRecordedEvidenceRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: decidingPermissions(decide),
      catalog,
      recorded: store,
      maxUploadBytes: MAX_BYTES,
      now: () => NOW,
    });
    return express().use(router).use(mockErrorHandler());
  }
  const upload = async (
    file: { content: Buffer; name: string; type: string },
    fields: Record<string, string> = { effectiveDate: '2026-03-30' },
    options: { item?: string; decide?: (q: PermissionQuery) => boolean } = {},
  ) => {
    let req = request(await app(options.decide))
      .post(`/v1/evidence/items/${options.item ?? RESTORE}/attachments`)
      .set(owner)
      .attach('file', file.content, {
        filename: file.name,
        contentType: file.type,
      });
    for (const [key, value] of Object.entries(fields))
      req = req.field(key, value);
    return req;
  };
  const stored = async () => ({
    attachments: Number(
      (await knex('lexecon_evidence_attachments').count({ n: '*' }))[0].n,
    ),
    audit: Number((await knex('lexecon_audit_log').count({ n: '*' }))[0].n),
  });
  const report = {
    content: REPORT,
    name: 'restore-2026-03.pdf',
    type: 'application/pdf',
  };

  it('stores an attachment with its SHA-256, size, type, uploader and date, audited in the chain', async () => {
    const res = await upload(report, {
      effectiveDate: '2026-03-30',
      note: 'March restore',
    });

    const sha256 = createHash('sha256').update(REPORT).digest('hex');
    const attachment: EvidenceAttachment = {
      id: expect.any(Number),
      itemId: RESTORE,
      fileName: 'restore-2026-03.pdf',
      mediaType: 'application/pdf',
      sizeBytes: REPORT.length,
      sha256,
      effectiveDate: '2026-03-30',
      note: 'March restore',
      uploadedBy: 'user:default/alex-kim',
      uploadedAt: NOW.toISOString(),
    };
    expect(res.status).toBe(201);
    expect(res.body).toEqual(attachment);
    const list = await request(await app())
      .get(`${ITEM}/attachments`)
      .set(owner);
    expect(list.body).toEqual({ itemId: RESTORE, attachments: [attachment] });
    const audit = new AuditLog(knex, { hmacKey: HMAC });
    expect((await audit.list({ limit: 10 })).items).toEqual([
      expect.objectContaining({
        action: 'evidence-attached',
        actor: 'user:default/alex-kim',
        subject: `evidence item ${RESTORE}`,
        details: expect.objectContaining({
          itemId: RESTORE,
          sha256,
          fileName: 'restore-2026-03.pdf',
        }),
      }),
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('downloads the stored bytes as an attachment of the stored type, never sniffed', async () => {
    const { body } = await upload(report);
    const res = await request(await app())
      .get(`${ITEM}/attachments/${body.id}`)
      .set(owner)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="restore-2026-03.pdf"',
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(res.body, REPORT)).toBe(0);
  });

  it.each([
    [
      'a PNG renamed .pdf',
      { content: PNG, name: 'restore.pdf', type: 'application/pdf' },
      400,
      'is a PNG image, not a PDF document',
    ],
    [
      'a type off the list',
      {
        content: Buffer.from('MZ'),
        name: 'tool.exe',
        type: 'application/x-msdownload',
      },
      400,
      'The type application/x-msdownload is not allowed',
    ],
    [
      'an empty file',
      {
        content: Buffer.alloc(0),
        name: 'restore.pdf',
        type: 'application/pdf',
      },
      400,
      "'restore.pdf' is empty",
    ],
    [
      'a file over the limit',
      {
        content: Buffer.concat([REPORT, Buffer.alloc(MAX_BYTES)]),
        name: 'restore.pdf',
        type: 'application/pdf',
      },
      413,
      `larger than the ${MAX_BYTES} bytes allowed`,
    ],
  ])(
    'refuses %s, naming the problem, and stores nothing',
    async (_what, file, status, message) => {
      const res = await upload(file);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
      expect(await stored()).toEqual({ attachments: 0, audit: 0 });
    },
  );

  it('refuses the same file twice on one item, keeping the first alone', async () => {
    expect((await upload(report)).status).toBe(201);
    const again = await upload({ ...report, name: 'copy.pdf' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(
      'is already attached to a1.2-backup-restore',
    );
    expect(await stored()).toEqual({ attachments: 1, audit: 1 });
  });

  it('refuses an unknown item, an item another source collects, a bad date and a writer without permission', async () => {
    const unknown = await upload(report, undefined, { item: 'cc0-nothing' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      "No evidence item 'cc0-nothing' in the catalog",
    );
    const derived = await upload(report, undefined, {
      item: 'cc8.1-change-population',
    });
    expect(derived.status).toBe(400);
    expect(derived.body.error.message).toContain(
      'collected by the portal-evidence source',
    );
    const future = await upload(report, { effectiveDate: '2026-04-02' });
    expect(future.status).toBe(400);
    expect(future.body.error.message).toContain(
      "'effectiveDate' (2026-04-02) is after today",
    );
    const noDate = await upload(report, {});
    expect(noDate.status).toBe(400);
    expect(noDate.body.error.message).toContain(
      "body parameter 'effectiveDate'",
    );
    const reader = await upload(report, undefined, {
      decide: q => q.permission !== 'lexecon.evidence.write',
    });
    expect(reader.status).toBe(403);
    expect(reader.body.error.message).toContain(
      'Missing permission lexecon.evidence.write',
    );
    expect(await stored()).toEqual({ attachments: 0, audit: 0 });
  });

  it('marks an item not applicable only with a reason, and withdraws the mark, both audited', async () => {
    const api = await app();
    const NA = `/v1/evidence/items/cc9-vendor-risk/not-applicable`;
    const bare = await request(api).post(NA).set(owner).send({ reason: '  ' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toContain(
      "body parameter 'reason' is required",
    );
    expect(await stored()).toEqual({ attachments: 0, audit: 0 });

    const marked = await request(api)
      .post(NA)
      .set(owner)
      .send({ reason: 'No vendor processes customer data' });
    expect(marked.status).toBe(201);
    const reader = new RecordedEvidenceReader({
      recorded: store,
      gdpr: new GdprRegisterStore(knex, {
        hmacKey: HMAC,
        deadlineRule: 'calendar-month',
      }),
      catalog,
    });
    expect(await reader.readRecordedEvidence('cc9-vendor-risk')).toMatchObject({
      status: 'not-applicable',
      reason: 'No vendor processes customer data',
    });
    expect((await request(api).delete(NA).set(owner)).status).toBe(204);
    expect(
      await reader.readRecordedEvidence('cc9-vendor-risk'),
    ).toBeUndefined();
    expect((await request(api).delete(NA).set(owner)).status).toBe(404);
    const audit = new AuditLog(knex, { hmacKey: HMAC });
    expect((await audit.list({ limit: 10 })).items.map(r => r.action)).toEqual([
      'evidence-not-applicable-withdrawn',
      'evidence-marked-not-applicable',
    ]);
  });

  it('gives the rules an observation collected on the effective date, expiring one cadence later', async () => {
    await upload(report, { effectiveDate: '2026-01-31' });
    await upload(
      { ...report, content: Buffer.from('%PDF-1.7\nolder\n') },
      { effectiveDate: '2025-12-31' },
    );
    const reader = new RecordedEvidenceReader({
      recorded: store,
      gdpr: new GdprRegisterStore(knex, {
        hmacKey: HMAC,
        deadlineRule: 'calendar-month',
      }),
      catalog,
    });
    expect(await reader.readRecordedEvidence(RESTORE)).toMatchObject({
      itemId: RESTORE,
      status: 'passing',
      collected: '2026-01-31T00:00:00.000Z',
      expires: '2026-02-28T00:00:00.000Z',
    });
    expect(await reader.readRecordedEvidence('a1.2-dr-test')).toBeUndefined();
  });
});
