import { mockServices } from '@backstage/backend-test-utils';
import { SourceId } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { SnapshotSource } from '../sources/types';
import { SnapshotRefresher } from './SnapshotRefresher';

const target: EntityTarget = {
  entityRef: 'component:default/lexecon-api',
  environments: ['staging', 'production'],
};

function setup() {
  const saved: unknown[] = [];
  const store = {
    get: async () => undefined,
    saveSuccess: async (_ref: string, _source: string, data: unknown) => {
      saved.push(data);
    },
    saveFailure: async () => {},
  } as unknown as SnapshotStore;
  let calls = 0;
  const gates: Array<() => void> = [];
  const source: SnapshotSource<number> = {
    id: 'github',
    notConfiguredReason: () => undefined,
    fetch: () => {
      calls++;
      const call = calls;
      return new Promise(resolve => gates.push(() => resolve(call)));
    },
  };
  const refresher = new SnapshotRefresher(
    store,
    [source],
    mockServices.logger.mock(),
  );
  const releaseAll = async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise(r => setTimeout(r, 5));
      while (gates.length) gates.shift()!();
    }
  };
  return { refresher, saved, releaseAll, calls: () => calls };
}

describe('SnapshotRefresher', () => {
  it('shares one fetch between concurrent page views', async () => {
    const { refresher, releaseAll, calls } = setup();
    const views = Promise.all([
      refresher.refresh(target, 'github'),
      refresher.refresh(target, 'github'),
      refresher.refresh(target, 'github'),
    ]);
    await releaseAll();
    await views;
    expect(calls()).toBe(1);
  });

  it('lets a page view go on once the snapshot is written, while a slow listener (a notification) still runs', async () => {
    const store = {
      get: async () => undefined,
      saveSuccess: async () => true,
      saveFailure: async () => {},
    } as unknown as SnapshotStore;
    const source: SnapshotSource<number> = {
      id: 'github',
      notConfiguredReason: () => undefined,
      fetch: async () => 1,
    };
    const refresher = new SnapshotRefresher(
      store,
      [source],
      mockServices.logger.mock(),
    );
    let releaseListener = () => {};
    const heard: string[] = [];
    refresher.onSnapshotChanged(async change => {
      heard.push(change.source);
      await new Promise<void>(resolve => (releaseListener = resolve));
    });
    let refreshDone = false;
    const refresh = refresher
      .refresh(target, 'github')
      .then(() => (refreshDone = true));
    await refresher.refreshUntilStored(target, 'github');
    expect(heard).toEqual(['github']);
    expect(refreshDone).toBe(false);
    // The refresh itself (what the next refresh and a shutdown wait for) ends with its listener.
    releaseListener();
    await refresh;
    await refresher.idle();
    expect(refreshDone).toBe(true);
  });

  it('follows a running refresh with exactly one more when upstream changes meanwhile', async () => {
    const { refresher, saved, releaseAll, calls } = setup();
    const first = refresher.refresh(target, 'github');
    // Three webhooks arrive while the first fetch (which read before the change) runs.
    refresher.refreshInBackground(target);
    refresher.refreshInBackground(target);
    refresher.refreshInBackground(target);
    await releaseAll();
    await first;
    await releaseAll();
    expect(calls()).toBe(2);
    // The data stored last is the follow-up's, read after the change.
    expect(saved[saved.length - 1]).toBe(2);
  });

  it('lets a shutdown wait until the running refresh and its follow-up are stored', async () => {
    const { refresher, saved, releaseAll } = setup();
    refresher.refreshInBackground(target);
    refresher.refreshInBackground(target);
    let idle = false;
    const stopped = refresher.idle().then(() => {
      idle = true;
    });
    // The fetches cannot finish before they are released, so nothing may count as idle yet.
    await new Promise(resolve => setImmediate(resolve));
    expect(idle).toBe(false);
    await releaseAll();
    await stopped;
    expect(saved).toEqual([1, 2]);
    await expect(refresher.idle()).resolves.toBeUndefined();
  });

  it('refreshes only the sources an event can have changed when told which', async () => {
    const fetched: string[] = [];
    const source = (id: SourceId): SnapshotSource<string> => ({
      id,
      notConfiguredReason: () => undefined,
      fetch: async () => {
        fetched.push(id);
        return id;
      },
    });
    const store = {
      get: async () => undefined,
      saveSuccess: async () => {},
      saveFailure: async () => {},
    } as unknown as SnapshotStore;
    const refresher = new SnapshotRefresher(
      store,
      [source('github'), source('unleash'), source('kubernetes')],
      mockServices.logger.mock(),
    );

    refresher.refreshInBackground(target, { only: ['github', 'kubernetes'] });
    await refresher.idle();
    expect(fetched.sort()).toEqual(['github', 'kubernetes']);

    refresher.refreshInBackground(target);
    await refresher.idle();
    expect(fetched.sort()).toEqual([
      'github',
      'github',
      'kubernetes',
      'kubernetes',
      'unleash',
    ]);
  });

  it('answers refreshes within the minimum interval from the snapshot and fetches once when it is over', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const now = new Date('2026-11-20T15:00:00Z');
      jest.setSystemTime(now);
      let fetches = 0;
      const store = {
        get: async () => undefined,
        getAll: async () => [
          {
            entityRef: target.entityRef,
            source: 'github',
            hasData: true,
            attemptedAt: new Date(now.getTime() - 10_000),
          },
        ],
        saveSuccess: async () => {},
        saveFailure: async () => {},
      } as unknown as SnapshotStore;
      const refresher = new SnapshotRefresher(
        store,
        [
          {
            id: 'github',
            notConfiguredReason: () => undefined,
            fetch: async () => ++fetches,
          },
        ],
        mockServices.logger.mock(),
        () => new Date(),
      );
      for (let click = 0; click < 20; click++) {
        refresher.refreshInBackground(target, { minIntervalMs: 30_000 });
      }
      await jest.advanceTimersByTimeAsync(19_000);
      expect(fetches).toBe(0);
      await jest.advanceTimersByTimeAsync(1_000);
      await refresher.idle();
      expect(fetches).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
