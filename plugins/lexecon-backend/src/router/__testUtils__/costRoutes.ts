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
import { RequestBudget } from '../../cost/RequestBudget';
import { SnapshotRefresher } from '../../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { CostExplorerSource } from '../../sources/aws/CostExplorerSource';
import { createCostRouter } from '../createCostRouter';

/** The sandbox's clock in the cost route tests. */
export const COST_ROUTES_NOW = new Date('2026-11-20T15:00:00Z');

export interface CostRoutesHarness {
  sandbox: Sandbox;
  refresher: SnapshotRefresher;
  acknowledgements: CostAcknowledgementStore;
}

/**
 * Registers the hooks of a cost route suite: the sandbox's Cost Explorer read by the aws-cost
 * source (capped at 40 requests a day, with AWS's anomalies) into a migrated database, and the cost routes over it
 * with the given catalog. `app` answers as of `now`, deciding permissions with `decide`.
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
    harness.refresher = new SnapshotRefresher(
      new SnapshotStore(knex),
      [source],
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
        now: () => now,
      },
    });
    return express().use(router).use(mockErrorHandler());
  }

  return { harness, app };
}
