import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LEXECON_AWS_COST_TAGS_ANNOTATION } from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
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
import { AwsCostInsightStore } from '../cost/AwsCostInsightStore';
import { CostAcknowledgementStore } from '../cost/CostAcknowledgementStore';
import { CostFactStore } from '../cost/CostFactStore';
import { RequestBudget } from '../cost/RequestBudget';
import { CostExplorerClient } from '../sources/aws/CostExplorerClient';
import { CostExplorerSource } from '../sources/aws/CostExplorerSource';
import { createCostAnomalyRouter } from './createCostAnomalyRouter';

const NOW = new Date('2026-11-20T15:00:00Z');
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const auth = { Authorization: mockCredentials.user.header() };
const API = 'component:default/lexecon-api';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'lexecon-api',
    namespace: 'default',
    annotations: { [LEXECON_AWS_COST_TAGS_ANNOTATION]: 'lexecon-api' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
};

describe.each(databases.eachSupportedId())(
  'POST /v1/entities/:namespace/:kind/:name/cost-anomalies/:anomalyId/acknowledgement on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let client: CostExplorerClient;
    let insights: AwsCostInsightStore;
    let acknowledgements: CostAcknowledgementStore;
    let audit: AuditLog;
    let awsAnomalyId: string;

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      const clientOptions = {
        endpoint: sandbox.awsUrl,
        credentials: {
          accessKeyId: sandbox.awsAccessKeyId,
          secretAccessKey: sandbox.awsSecretAccessKey,
        },
        maxAttempts: 1,
      };
      client = new CostExplorerClient(clientOptions);
      insights = new AwsCostInsightStore(knex);
      acknowledgements = new CostAcknowledgementStore(knex);
      audit = new AuditLog(knex, { hmacKey: 'test-audit-key', now: () => NOW });
      const source = new CostExplorerSource({
        config: { maxRequestsPerDay: 50, client: clientOptions },
        facts: new CostFactStore(knex),
        insights,
        budget: new RequestBudget(knex),
        now: () => NOW,
      });
      await source.fetch({
        entityRef: API,
        environments: ['production'],
        awsCostTags: ['lexecon-api'],
      });
      source.destroy();
      [{ anomalyId: awsAnomalyId }] = await insights.anomalies(API);
    });
    afterAll(async () => {
      client.destroy();
      await sandbox.stop();
    });
    beforeEach(async () => {
      sandbox.clearFaults();
      await knex('lexecon_cost_acknowledgements').delete();
      await knex('lexecon_audit_log').delete();
    });

    async function app(decide = (_q: PermissionQuery) => true) {
      const router = await createCostAnomalyRouter({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        permissions: decidingPermissions(decide),
        catalog: catalogServiceMock({ entities: [entity] }),
        acknowledgements: {
          facts: new CostFactStore(knex),
          insights,
          acknowledgements,
          audit,
          sendAwsFeedback: (anomalyId, feedback) =>
            client.provideAnomalyFeedback(anomalyId, feedback),
          now: () => NOW,
        },
      });
      return express().use(router).use(mockErrorHandler());
    }
    const acknowledge = async (
      body: object,
      anomalyId = awsAnomalyId,
      decide?: (q: PermissionQuery) => boolean,
    ) =>
      request(await app(decide))
        .post(
          `/v1/entities/default/component/lexecon-api/cost-anomalies/${anomalyId}/acknowledgement`,
        )
        .set(auth)
        .send(body);
    const awsFeedback = async () => {
      const found = [];
      for await (const page of client.anomalyPages(
        sandbox.awsCosts.calendar.start,
        sandbox.awsCosts.calendar.end,
      )) {
        found.push(...page.items);
      }
      return found.find(a => a.anomalyId === awsAnomalyId)?.feedback;
    };
    const trail = async () =>
      (await audit.list({ entityRef: API, limit: 10 })).items;

    it('stores an acknowledgement of AWS’s anomaly, tells AWS it was planned, and audits both', async () => {
      const res = await acknowledge({
        reason: 'migration',
        comment: 'Backups copied to the new region',
      });

      const acknowledgement = {
        anomalyId: awsAnomalyId,
        reason: 'migration',
        comment: 'Backups copied to the new region',
        by: 'user:default/mock',
        at: NOW.toISOString(),
      };
      const forwarding = {
        to: 'aws',
        feedback: 'PLANNED_ACTIVITY',
        outcome: 'sent',
      };
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ acknowledgement, forwarding });
      expect(await awsFeedback()).toBe('PLANNED_ACTIVITY');
      expect(await acknowledgements.list(API)).toEqual([
        { id: expect.any(Number), entityRef: API, acknowledgement, forwarding },
      ]);
      expect((await insights.anomalies(API)).map(a => a.feedback)).toEqual([
        'PLANNED_ACTIVITY',
      ]);
      expect(await trail()).toEqual([
        expect.objectContaining({
          action: 'cost-anomaly-acknowledged',
          actor: 'user:default/mock',
          entityRef: API,
          details: expect.objectContaining({
            anomalyId: awsAnomalyId,
            component: 'database-backups',
            reason: 'migration',
            forwarding,
          }),
        }),
      ]);
    });

    it('keeps the acknowledgement when AWS fails, and says so in the answer and the trail', async () => {
      sandbox.setFaults([{ source: 'aws', kind: '5xx', status: 500 }]);
      const res = await acknowledge({ reason: 'not-applicable' });

      expect(res.status).toBe(201);
      expect(res.body.forwarding).toEqual({
        to: 'aws',
        feedback: 'NO',
        outcome: 'failed',
        message: expect.stringContaining('feedback on anomaly'),
      });
      expect(await acknowledgements.list(API)).toEqual([
        expect.objectContaining({
          acknowledgement: expect.objectContaining({
            reason: 'not-applicable',
          }),
          forwarding: res.body.forwarding,
        }),
      ]);
      expect((await trail())[0].details).toMatchObject({
        reason: 'not-applicable',
        forwarding: { outcome: 'failed' },
      });
    });

    it('refuses a bad body with 400, a caller without lexecon.cost.acknowledge with 403, and an unknown anomaly with 404, storing nothing', async () => {
      const badReason = await acknowledge({ reason: 'because' });
      expect(badReason.status).toBe(400);
      expect(badReason.body.error.message).toContain("body parameter 'reason'");
      const unknownField = await acknowledge({
        reason: 'expected',
        snooze: 'P7D',
      });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.message).toContain("'snooze'");

      const denied = await acknowledge(
        { reason: 'expected' },
        awsAnomalyId,
        q => q.permission !== 'lexecon.cost.acknowledge',
      );
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('lexecon.cost.acknowledge');

      const unknown = await acknowledge({ reason: 'resolved' }, 'no-such-one');
      expect(unknown.status).toBe(404);

      expect(await acknowledgements.list(API)).toEqual([]);
      expect(await trail()).toEqual([]);
    });
  },
);
