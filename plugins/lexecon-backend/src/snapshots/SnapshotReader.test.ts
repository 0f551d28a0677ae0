import { mockServices } from '@backstage/backend-test-utils';
import { EntityTarget } from '../EntityTarget';
import { SnapshotReader, summariseSection } from './SnapshotReader';
import { SnapshotRefresher } from './SnapshotRefresher';
import { SnapshotStore, StoredSnapshot } from './SnapshotStore';

const target: EntityTarget = {
  entityRef: 'component:default/lexecon-api',
  environments: ['staging', 'production'],
  github: { owner: 'lexecon-ai', repo: 'lexecon', workflows: {} },
};

const refresher = new SnapshotRefresher(
  {} as SnapshotStore,
  [
    {
      id: 'github',
      notConfiguredReason: () => undefined,
      fetch: async () => ({}),
    },
  ],
  mockServices.logger.mock(),
);

const fetchedAt = new Date('2026-04-10T12:00:00.000Z');
const staleAfterMs = 30 * 60_000;
const good: StoredSnapshot = {
  entityRef: target.entityRef,
  source: 'github',
  hasData: true,
  fetchedAt,
  attemptedAt: fetchedAt,
};
let now = fetchedAt;
const reader = new SnapshotReader({
  store: {} as SnapshotStore,
  refresher,
  staleAfterMs,
  onDemandWaitMs: 0,
  now: () => now,
});

/** The reader's wording of a snapshot, `msAfterFetch` after it was fetched. */
function describeSourceState(
  id: 'github' | 'kubernetes',
  snapshot: StoredSnapshot | undefined,
  msAfterFetch: number,
) {
  now = new Date(fetchedAt.getTime() + msAfterFetch);
  return reader.describe(target, id, snapshot);
}

describe('SnapshotReader.describe', () => {
  it('is ok up to the stale threshold and stale one millisecond after it, with no error at all', () => {
    expect(describeSourceState('github', good, staleAfterMs)).toEqual({
      source: 'github',
      status: 'ok',
      fetchedAt: '2026-04-10T12:00:00.000Z',
      attemptedAt: '2026-04-10T12:00:00.000Z',
    });
    expect(describeSourceState('github', good, staleAfterMs + 1)).toEqual({
      source: 'github',
      status: 'stale',
      fetchedAt: '2026-04-10T12:00:00.000Z',
      attemptedAt: '2026-04-10T12:00:00.000Z',
      message:
        'GitHub data has not been refreshed since 2026-04-10T12:00:00.000Z',
    });
  });

  it('is stale at any age once the last refresh failed, and an error without data', () => {
    const failed = { ...good, error: 'GitHub failed with 502' };
    expect(describeSourceState('github', failed, 0)).toMatchObject({
      status: 'stale',
      message:
        'Showing the data of 2026-04-10T12:00:00.000Z: GitHub failed with 502',
    });
    expect(
      describeSourceState(
        'github',
        { ...failed, hasData: false, fetchedAt: undefined },
        0,
      ),
    ).toMatchObject({ status: 'error', message: 'GitHub failed with 502' });
  });

  it('says the first fetch is running when nothing is stored, and names what is not configured', () => {
    expect(describeSourceState('github', undefined, 0)).toEqual({
      source: 'github',
      status: 'error',
      message:
        'The first fetch from GitHub is still running; try again in a moment',
    });
    expect(describeSourceState('kubernetes', good, 0)).toEqual({
      source: 'kubernetes',
      status: 'not-configured',
      message: 'The kubernetes source is not enabled in this backend',
      missingAnnotations: [],
    });
  });
});

describe('SnapshotReader.readMany', () => {
  function memoryStore() {
    const rows = new Map<string, StoredSnapshot>();
    const store = {
      get: async (ref: string, source: string) => rows.get(`${ref}|${source}`),
      getAll: async (ref: string) =>
        [...rows.values()].filter(r => r.entityRef === ref),
      saveSuccess: async (
        entityRef: string,
        source: 'github',
        data: unknown,
        at: Date,
      ) => {
        rows.set(`${entityRef}|${source}`, {
          entityRef,
          source,
          data,
          hasData: true,
          dataVersion: JSON.stringify(data),
          fetchedAt: at,
          attemptedAt: at,
        });
      },
      saveFailure: async () => {},
    } as unknown as SnapshotStore;
    return store;
  }

  it('fetches a never-fetched source once for concurrent views, then serves the snapshot', async () => {
    const store = memoryStore();
    let fetches = 0;
    const onDemand = new SnapshotRefresher(
      store,
      [
        {
          id: 'github',
          notConfiguredReason: () => undefined,
          fetch: async () => ({ runs: ++fetches }),
        },
      ],
      mockServices.logger.mock(),
    );
    const views = new SnapshotReader({
      store,
      refresher: onDemand,
      staleAfterMs,
      onDemandWaitMs: 60_000,
    });
    const [first, second] = await Promise.all([
      views.readMany(target, ['github', 'kubernetes'], { withData: true }),
      views.read(target, 'github'),
    ]);
    expect(fetches).toBe(1);
    expect(first.map(r => r.state.status)).toEqual(['ok', 'not-configured']);
    expect(first[0].data).toEqual({ runs: 1 });
    expect(second.data).toEqual({ runs: 1 });
    await views.read(target, 'github');
    expect(fetches).toBe(1);
  });

  it('never fetches a scheduled-only source (billed per request) for a view, and says its schedule reads it', async () => {
    let fetches = 0;
    const billed = new SnapshotRefresher(
      memoryStore(),
      [
        {
          id: 'aws-cost',
          scheduledOnly: true,
          notConfiguredReason: () => undefined,
          fetch: async () => ({ requests: ++fetches }),
        },
      ],
      mockServices.logger.mock(),
    );
    const views = new SnapshotReader({
      store: memoryStore(),
      refresher: billed,
      staleAfterMs,
      onDemandWaitMs: 60_000,
    });
    const read = await views.read(target, 'aws-cost');
    expect(fetches).toBe(0);
    expect(read.state).toEqual({
      source: 'aws-cost',
      status: 'error',
      message:
        'AWS Cost Explorer has not been read for this entity yet: its scheduled refresh reads it',
    });
  });
});

describe('SnapshotReader.readUntil', () => {
  it('refreshes once when the stored data lacks what is asked for (a run newer than the snapshot)', async () => {
    const rows = new Map<string, StoredSnapshot>();
    const save = (data: unknown) =>
      rows.set('github', {
        entityRef: target.entityRef,
        source: 'github',
        data,
        hasData: true,
        fetchedAt: new Date(),
        attemptedAt: new Date(),
      });
    save({ runs: [1] });
    const store = {
      get: async () => rows.get('github'),
      getAll: async () => [...rows.values()],
      saveSuccess: async (_ref: string, _id: string, data: unknown) =>
        save(data),
      saveFailure: async () => {},
    } as unknown as SnapshotStore;
    let fetches = 0;
    const views = new SnapshotReader({
      store,
      refresher: new SnapshotRefresher(
        store,
        [
          {
            id: 'github',
            notConfiguredReason: () => undefined,
            fetch: async () => ({ runs: [1, 2 + fetches++] }),
          },
        ],
        mockServices.logger.mock(),
      ),
      staleAfterMs,
      onDemandWaitMs: 60_000,
    });
    const has = (run: number) => (data?: { runs: number[] }) =>
      Boolean(data?.runs.includes(run));

    expect((await views.readUntil(target, 'github', has(1))).data).toEqual({
      runs: [1],
    });
    expect(fetches).toBe(0);
    expect((await views.readUntil(target, 'github', has(2))).data).toEqual({
      runs: [1, 2],
    });
    expect(fetches).toBe(1);
  });
});

describe('summariseSection', () => {
  it('is stale and names the failing source when one of two sources has no data', () => {
    expect(
      summariseSection([
        { source: 'github', status: 'ok', fetchedAt: '2026-04-10T12:00:00Z' },
        { source: 'kubernetes', status: 'error', message: 'forbidden (403)' },
      ]),
    ).toMatchObject({
      status: 'stale',
      fetchedAt: '2026-04-10T12:00:00Z',
      message: 'Kubernetes (Helm): forbidden (403)',
    });
  });

  it('is not-configured with each missing annotation once when no source is configured', () => {
    expect(
      summariseSection([
        {
          source: 'github',
          status: 'not-configured',
          message: 'Add the github.com/project-slug annotation',
          missingAnnotations: ['github.com/project-slug'],
        },
        {
          source: 'github-approvals',
          status: 'not-configured',
          message: 'Add the github.com/project-slug annotation',
          missingAnnotations: ['github.com/project-slug'],
        },
      ]),
    ).toMatchObject({
      status: 'not-configured',
      missingAnnotations: ['github.com/project-slug'],
    });
  });
});
