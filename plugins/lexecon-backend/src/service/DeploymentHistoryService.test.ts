import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { lexeconApiEntity } from '../__fixtures__/entities';
import { EntityTarget, resolveEntityTarget } from '../EntityTarget';
import { migrateDatabase } from '../database/migrate';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { GithubClientFactory } from '../sources/github/GithubClientFactory';
import { GithubDeploymentsSource } from '../sources/github/GithubDeploymentsSource';
import { SnapshotSource } from '../sources/types';
import { DeploymentHistoryService } from './DeploymentHistoryService';
import { SnapshotReader } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

const STALE_AFTER_MS = 30 * 60_000;

describe('DeploymentHistoryService and refreshes', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());

  /** Real GitHub source (conditional requests) and store; a clock the test moves. */
  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await migrateDatabase({ getClient: async () => knex });
    const store = new SnapshotStore(knex);
    const host = new URL(sandbox.githubUrl).host;
    const config = new ConfigReader({
      integrations: {
        github: [
          { host, apiBaseUrl: sandbox.githubUrl, token: sandbox.githubToken },
        ],
      },
    });
    const logger = mockServices.logger.mock();
    const githubClients = new GithubClientFactory(config, {
      host,
      logger,
      timeoutMs: 5000,
      retries: 0,
    });
    let healthChecks = 0;
    // Another section's source: new data on every refresh, as a health check has.
    const health: SnapshotSource<{ checks: number }> = {
      id: 'health',
      notConfiguredReason: () => undefined,
      fetch: async () => ({ checks: ++healthChecks }),
    };
    let now = new Date('2026-03-02T10:00:00Z');
    const clock = () => now;
    const refresher = new SnapshotRefresher(
      store,
      [
        new GithubDeploymentsSource(githubClients, {
          logger,
          historyDays: 90,
          timeoutMs: 5000,
        }),
        health,
      ],
      logger,
      clock,
    );
    const service = new DeploymentHistoryService({
      store,
      reader: new SnapshotReader({
        store,
        refresher,
        staleAfterMs: STALE_AFTER_MS,
        onDemandWaitMs: 20_000,
        now: clock,
      }),
      githubClients,
      timeoutMs: 5000,
      now: clock,
    });
    // Rebuilding the view means reading every snapshot's data to merge it again.
    const getAll = jest.spyOn(store, 'getAll');
    const rebuilds = () =>
      getAll.mock.calls.filter(([, options]) => options.withData).length;
    return {
      service,
      refresher,
      rebuilds,
      advance: (ms: number) => {
        now = new Date(now.getTime() + ms);
        return now;
      },
    };
  }

  const target: EntityTarget = {
    ...resolveEntityTarget(lexeconApiEntity),
    // GitHub only: the Helm history is not what this test is about.
    kubernetes: undefined,
  };

  it.each(databases.eachSupportedId())(
    'keeps the view after a refresh GitHub answers with 304, and rebuilds it when the data changed (%p)',
    async databaseId => {
      const { service, refresher, rebuilds, advance } = await setup(databaseId);
      const first = await service.getOverview(target);
      expect(first.status).toBe('ok');
      expect(rebuilds()).toBe(1);
      const firstFetch = first.fetchedAt;

      // 40 minutes later the view says its data is old ...
      advance(40 * 60_000);
      expect((await service.getOverview(target)).status).toBe('stale');

      // ... until a refresh confirms it: GitHub answers every request with 304.
      sandbox.clearRequests();
      const confirmedAt = advance(1000);
      await refresher.refresh(target, 'github');
      await refresher.refresh(target, 'health');
      const github = sandbox.requests().filter(r => r.source === 'github');
      expect(github.length).toBeGreaterThan(0);
      expect(github.every(r => r.status === 304)).toBe(true);

      const confirmed = await service.getOverview(target);
      expect(rebuilds()).toBe(1);
      expect(confirmed.status).toBe('ok');
      expect(confirmed.fetchedAt).toBe(confirmedAt.toISOString());
      expect(confirmed.fetchedAt).not.toBe(firstFetch);
      expect(confirmed.data).toEqual(first.data);

      // A new run waiting on production changes what GitHub answers.
      const { runId } = sandbox.createWaitingRun();
      advance(1000);
      await refresher.refresh(target, 'github');
      const changed = await service.getOverview(target);
      expect(rebuilds()).toBe(2);
      expect(changed.data!.recent.map(r => r.runId)).toContain(runId);
      expect(first.data!.recent.map(r => r.runId)).not.toContain(runId);
    },
  );
});
