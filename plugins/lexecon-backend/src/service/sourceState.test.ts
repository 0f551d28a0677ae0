import { mockServices } from '@backstage/backend-test-utils';
import { EntityTarget } from '../EntityTarget';
import { SnapshotStore, StoredSnapshot } from '../snapshots/SnapshotStore';
import { SnapshotRefresher } from './SnapshotRefresher';
import { describeSourceState } from './sourceState';

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
const at = (msAfterFetch: number) => ({
  staleAfterMs,
  now: new Date(fetchedAt.getTime() + msAfterFetch),
});

describe('describeSourceState', () => {
  it('is ok up to the stale threshold and stale one millisecond after it, with no error at all', () => {
    expect(
      describeSourceState(refresher, target, 'github', good, at(staleAfterMs)),
    ).toEqual({
      source: 'github',
      status: 'ok',
      fetchedAt: '2026-04-10T12:00:00.000Z',
      attemptedAt: '2026-04-10T12:00:00.000Z',
    });
    expect(
      describeSourceState(
        refresher,
        target,
        'github',
        good,
        at(staleAfterMs + 1),
      ),
    ).toEqual({
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
    expect(
      describeSourceState(refresher, target, 'github', failed, at(0)),
    ).toMatchObject({ status: 'stale', message: 'GitHub failed with 502' });
    expect(
      describeSourceState(
        refresher,
        target,
        'github',
        { ...failed, hasData: false, fetchedAt: undefined },
        at(0),
      ),
    ).toMatchObject({ status: 'error', message: 'GitHub failed with 502' });
  });

  it('says the first fetch is running when nothing is stored, and names what is not configured', () => {
    expect(
      describeSourceState(refresher, target, 'github', undefined, at(0)),
    ).toEqual({
      source: 'github',
      status: 'error',
      message:
        'The first fetch from GitHub is still running; try again in a moment',
    });
    expect(
      describeSourceState(refresher, target, 'kubernetes', good, at(0)),
    ).toEqual({
      source: 'kubernetes',
      status: 'not-configured',
      message: 'The kubernetes source is not enabled in this backend',
      missingAnnotations: [],
    });
  });
});
