import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EvidenceControlsResponse } from '@internal/plugin-lexecon-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { decidingPermissions } from '../__fixtures__/permissions';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { readEvidenceSettings } from '../evidence/evidenceConfig';
import { GdprRegisterStore } from '../evidence/gdpr/GdprRegisterStore';
import { BREACHES } from '../evidence/gdpr/gdprRegisterSpecs';
import { EvidenceStoreWithRecords } from '../evidence/recorded/EvidenceStoreWithRecords';
import { RecordedEvidenceReader } from '../evidence/recorded/recordedObservations';
import { RecordedEvidenceStore } from '../evidence/recorded/RecordedEvidenceStore';
import { createEvidenceRouter } from './createEvidenceRouter';

const HMAC = 'test-audit-key';
const NOW = new Date('2026-04-01T10:00:00.000Z');
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const auth = { Authorization: mockCredentials.user.header() };
const settings = readEvidenceSettings(new ConfigReader({}));

describe.each(databases.eachSupportedId())(
  'the auditor’s view of recorded evidence on %s',
  id => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await migratedDatabase(databases, id);
    });

    it('judges attachments, marks and the GDPR registers with the catalog’s rules', async () => {
      const recorded = new RecordedEvidenceStore(knex, {
        hmacKey: HMAC,
        now: () => NOW,
      });
      const gdpr = new GdprRegisterStore(knex, {
        hmacKey: HMAC,
        deadlineRule: 'calendar-month',
        now: () => NOW,
      });
      const by = 'user:default/alex-kim';
      const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n`);
      const attach = (itemId: string, effectiveDate: string, text: string) =>
        recorded.attach({
          itemId,
          fileName: `${itemId}.pdf`,
          mediaType: 'application/pdf',
          content: pdf(text),
          sha256: text.padEnd(64, '0'),
          effectiveDate,
          by,
        });
      await attach('a1.2-backup-restore', '2026-03-20', 'march');
      await attach('a1.2-dr-test', '2025-03-01', 'last-year');
      await recorded.markNotApplicable('cc9-vendor-risk', 'No vendors', by);
      await gdpr.create(
        BREACHES,
        {
          incidentId: 'INC-9',
          title: 'Export mailed to the wrong customer',
          awareAt: '2026-03-01T08:00:00.000Z',
          notifiedAuthorityAt: '2026-03-04T08:01:00.000Z',
        },
        by,
      );
      const reader = new RecordedEvidenceReader({
        recorded,
        gdpr,
        catalog: settings.catalog,
      });
      const router = await createEvidenceRouter({
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo(),
        permissions: decidingPermissions(() => true),
        catalog: catalogServiceMock({ entities: [] }),
        evidence: new EvidenceStoreWithRecords(knex, reader, () => NOW),
        settings,
        now: () => NOW,
      });
      const app = express().use(router).use(mockErrorHandler());

      const { body } = await request(app)
        .get('/v1/evidence/controls')
        .set(auth)
        .expect(200);
      const items = Object.fromEntries(
        (body as EvidenceControlsResponse).controls
          .flatMap(c => c.items)
          .map(i => [i.id, [i.status, i.reason]]),
      );
      expect(items['a1.2-backup-restore'][0]).toBe('passing');
      expect(items['a1.2-dr-test']).toEqual([
        'overdue',
        'Expired 2026-03-01T00:00:00.000Z; collect it again (annual)',
      ]);
      expect(items['cc9-vendor-risk']).toEqual([
        'not-applicable',
        'No vendors',
      ]);
      expect(items['gdpr33-breach-register'][0]).toBe('failing');
      expect(items['gdpr12-dsr-deadlines'][0]).toBe('passing');
      expect(items['gdpr30-records-of-processing'][0]).toBe('missing');
    });
  },
);
