import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Sandbox, startSandbox } from '@internal/sandbox';
import express from 'express';
import { Knex } from 'knex';
import {
  decidingPermissions,
  PermissionQuery,
} from '../../__fixtures__/permissions';
import { migratedDatabase } from '../../approvals/__testUtils__/migratedDatabase';
import { AwsCostInsightStore } from '../../cost/AwsCostInsightStore';
import { CostAcknowledgementStore } from '../../cost/CostAcknowledgementStore';
import { CostFactStore } from '../../cost/CostFactStore';
import { DecisionCountStore } from '../../cost/DecisionCountStore';
import { KubernetesAllocationStore } from '../../cost/KubernetesAllocationStore';
import { RequestBudget } from '../../cost/RequestBudget';
import { SnapshotRefresher } from '../../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { CostExplorerSource } from '../../sources/aws/CostExplorerSource';
import { DatadogDecisionsSource } from '../../sources/datadog/DatadogDecisionsSource';
import { GcpBillingSource } from '../../sources/gcp/GcpBillingSource';
import { OpenCostSource } from '../../sources/opencost/OpenCostSource';
import { createCostRouter } from '../createCostRouter';

/** The sandbox's clock in the cost route tests. */
export const COST_ROUTES_NOW = new Date('2026-11-20T15:00:00Z');

export interface CostRoutesHarness {
  sandbox: Sandbox;
  refresher: SnapshotRefresher;
  acknowledgements: CostAcknowledgementStore;
  knex: Knex;
}

/**
 * Registers the hooks of a cost route suite: the sandbox's Cost Explorer read by the aws-cost
 * source (capped at 40 requests a day, with AWS's anomalies), its BigQuery billing export, its
 * OpenCost and its Datadog decision counts, each read by its source into a migrated database, and
 * the cost routes over it with the given catalog. `app` answers as of `now`, deciding permissions
 * with `decide`.
 */
export function costRoutesHarness(
  databases: TestDatabases,
  id: TestDatabaseId,
  entities: Entity[],
) {
  const harness = {} as CostRoutesHarness;
  let knex: Knex;
  let source: CostExplorerSource;

  beforeAll(async () => {
    harness.sandbox = await startSandbox({ now: COST_ROUTES_NOW, quiet: true });
    knex = await migratedDatabase(databases, id);
    harness.knex = knex;
    harness.acknowledgements = new CostAcknowledgementStore(knex);
    source = new CostExplorerSource({
      config: {
        maxRequestsPerDay: 40,
        client: {
          endpoint: harness.sandbox.awsUrl,
          credentials: {
            accessKeyId: harness.sandbox.awsAccessKeyId,
            secretAccessKey: harness.sandbox.awsSecretAccessKey,
          },
        },
      },
      facts: new CostFactStore(knex),
      insights: new AwsCostInsightStore(knex),
      budget: new RequestBudget(knex),
      now: () => COST_ROUTES_NOW,
    });
    const b = harness.sandbox.gcpBilling;
    const gcp = new GcpBillingSource({
      config: {
        projectId: b.projectId,
        table: `${b.dataset}.${b.table}`,
        location: b.location,
        maximumBytesBilled: 1024 ** 3,
        componentLabel: 'component',
        apiEndpoint: harness.sandbox.bigqueryUrl,
        accessToken: harness.sandbox.bigqueryToken,
        maxRetries: 0,
      },
      facts: new CostFactStore(knex),
      now: () => COST_ROUTES_NOW,
    });
    const upstream = { timeoutMs: 10_000, retries: 0 };
    const opencost = new OpenCostSource({
      config: { baseUrl: harness.sandbox.opencostUrl, currency: 'USD' },
      upstream,
      facts: new CostFactStore(knex),
      allocations: new KubernetesAllocationStore(knex),
      now: () => COST_ROUTES_NOW,
    });
    const decisions = new DatadogDecisionsSource({
      config: {
        baseUrl: harness.sandbox.datadogUrl,
        appUrl: harness.sandbox.datadogUrl,
        apiKey: harness.sandbox.datadogApiKey,
        applicationKey: harness.sandbox.datadogApplicationKey,
      },
      metric: 'lexecon.decisions',
      store: new DecisionCountStore(knex),
      upstream,
      now: () => COST_ROUTES_NOW,
    });
    harness.refresher = new SnapshotRefresher(
      new SnapshotStore(knex),
      [source, gcp, opencost, decisions],
      mockServices.logger.mock(),
      () => COST_ROUTES_NOW,
    );
  });
  afterAll(async () => {
    source.destroy();
    await harness.sandbox.stop();
  });

  async function app(
    decide = (_q: PermissionQuery) => true,
    now = COST_ROUTES_NOW,
  ) {
    const router = await createCostRouter({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions: decidingPermissions(decide),
      catalog: catalogServiceMock({ entities }),
      costs: {
        facts: new CostFactStore(knex),
        budget: new RequestBudget(knex),
        snapshots: new SnapshotStore(knex),
        refresher: harness.refresher,
        requestCaps: { aws: 40 },
        insights: new AwsCostInsightStore(knex),
        acknowledgements: harness.acknowledgements,
        allocations: new KubernetesAllocationStore(knex),
        decisions: new DecisionCountStore(knex),
        now: () => now,
      },
    });
    return express().use(router).use(mockErrorHandler());
  }

  return { harness, app };
}
