import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Control } from '@internal/plugin-lexecon-common';
import express from 'express';
import { Knex } from 'knex';
import { createGdprRegisterRouter } from '../../router/createGdprRegisterRouter';
import { createRecordedEvidenceRouter } from '../../router/createRecordedEvidenceRouter';
import { GdprRegisterStore } from '../gdpr/GdprRegisterStore';
import { EvidenceStoreWithRecords } from './EvidenceStoreWithRecords';
import { readRecordedEvidenceSettings } from './recordedEvidenceConfig';
import { RecordedEvidenceReader } from './recordedObservations';
import { RecordedEvidenceStore } from './RecordedEvidenceStore';

/**
 * What owners record in the portal, wired for the plugin: the evidence store the evidence views
 * and package read (stored observations plus recorded items and the GDPR registers), and the
 * routes that write them.
 */
export async function recordedEvidence(options: {
  config: Config;
  knex: Knex;
  hmacKey: string;
  catalog: readonly Control[];
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): Promise<{
  evidence: EvidenceStoreWithRecords;
  /** The attached documents, for the evidence package. */
  attachments: RecordedEvidenceStore;
  routers: express.Router[];
}> {
  const { knex, hmacKey, catalog, httpAuth, permissions } = options;
  const settings = readRecordedEvidenceSettings(options.config);
  const recorded = new RecordedEvidenceStore(knex, { hmacKey });
  const registers = new GdprRegisterStore(knex, {
    hmacKey,
    deadlineRule: settings.deadlineRule,
  });
  const reader = new RecordedEvidenceReader({
    recorded,
    gdpr: registers,
    catalog,
  });
  return {
    evidence: new EvidenceStoreWithRecords(knex, reader),
    attachments: recorded,
    routers: [
      await createRecordedEvidenceRouter({
        httpAuth,
        permissions,
        catalog,
        recorded,
        maxUploadBytes: settings.maxUploadBytes,
      }),
      await createGdprRegisterRouter({
        httpAuth,
        permissions,
        registers,
        deadlineRule: settings.deadlineRule,
      }),
    ],
  };
}
