import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  FeatureFlagsOverview,
  ServiceHealth,
  SourceId,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { migrateDatabase } from '../database/migrate';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { DatadogSnapshot } from '../sources/datadog/types';
import { DeploymentHistoryService } from './DeploymentHistoryService';
import { ReliabilityService } from './ReliabilityService';
import { SnapshotReader } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const target: EntityTarget = {
  entityRef: 'component:default/payments',
  environments: ['production'],
  unleash: { project: 'payments' },
  datadog: { sloTags: ['service:payments'], monitorTags: ['service:payments'] },
  health: { url: 'http://127.0.0.1:1/health' },
};

const fetchedAt = new Date('2026-04-16T00:00:00.000Z');
const STALE_AFTER_MS = 30 * 60_000;

const flags: FeatureFlagsOverview = {
  project: 'payments',
  environments: ['production'],
  flags: [],
};
const datadog: DatadogSnapshot = {
  slo: { id: 'slo-1', name: 'Payments availability', targetPercent: 99.9 },
  monthToDate: {
    from: '2026-04-01T00:00:00.000Z',
    to: fetchedAt.toISOString(),
    uptimePercent: 99.95,
  },
  months: [],
  monitors: [],
  incidents: [],
};
const health: ServiceHealth = {
  url: target.health!.url,
  status: 'healthy',
  ready: true,
  live: true,
  checkedAt: fetchedAt.toISOString(),
  components: [],
};

describe.each(databases.eachSupportedId())(
  'ReliabilityService on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      await migrateDatabase({ getClient: async () => knex });
      const store = new SnapshotStore(knex);
      const stored: Array<[SourceId, unknown]> = [
        ['unleash', flags],
        ['datadog', datadog],
        ['health', health],
      ];
      for (const [source, data] of stored) {
        await store.saveSuccess(target.entityRef, source, data, fetchedAt);
      }
      const fetched: SourceId[] = [];
      const refresher = new SnapshotRefresher(
        store,
        stored.map(([id]) => ({
          id,
          notConfiguredReason: () => undefined,
          fetch: async () => {
            fetched.push(id);
            throw new Error('no upstream in this test');
          },
        })),
        mockServices.logger.mock(),
      );
      let now = fetchedAt;
      const reliability = new ReliabilityService({
        reader: new SnapshotReader({
          store,
          refresher,
          staleAfterMs: STALE_AFTER_MS,
          onDemandWaitMs: 1000,
          now: () => now,
        }),
        deployments: {} as DeploymentHistoryService,
        changeWindowMinutes: 120,
        now: () => now,
      });
      const setNow = (ms: number) => {
        now = new Date(fetchedAt.getTime() + ms);
      };
      return { reliability, setNow, fetched };
    }

    it('reports each section stale once its data is older than the threshold, though nothing failed', async () => {
      const { reliability, setNow, fetched } = await setup();

      setNow(STALE_AFTER_MS);
      const fresh = (await reliability.getReliability(target)).sections;
      expect(
        [fresh.flags, fresh.sla, fresh.health].map(s => [s.status, s.message]),
      ).toEqual([
        ['ok', undefined],
        ['ok', undefined],
        ['ok', undefined],
      ]);

      setNow(STALE_AFTER_MS + 1);
      const old = (await reliability.getReliability(target)).sections;
      const since = fetchedAt.toISOString();
      expect(
        [old.flags, old.sla, old.health].map(s => [s.status, s.message]),
      ).toEqual([
        ['stale', `Unleash data has not been refreshed since ${since}`],
        ['stale', `Datadog data has not been refreshed since ${since}`],
        ['stale', `Service /health data has not been refreshed since ${since}`],
      ]);
      // Stale data is still shown.
      expect(old.sla.data?.monthToDate.uptimePercent).toBe(99.95);
      expect(old.health.data?.status).toBe('healthy');
      // Reading never fetches what is stored, however old.
      expect(fetched).toEqual([]);
    });

    it('names stale flags and health on the on-call board', async () => {
      const { reliability, setNow } = await setup();
      setNow(STALE_AFTER_MS + 1);
      const board = await reliability.getOnCallBoard([
        { target, title: 'Payments' },
      ]);
      const [service] = board.services;
      expect(service.sla.status).toBe('stale');
      expect(service.notices.map(n => [n.source, n.status])).toEqual([
        ['unleash', 'stale'],
        ['health', 'stale'],
      ]);
    });
  },
);
