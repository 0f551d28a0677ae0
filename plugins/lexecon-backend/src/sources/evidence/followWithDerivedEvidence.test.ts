import { SourceId } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { SnapshotRefresher } from '../../snapshots/SnapshotRefresher';
import { followWithDerivedEvidence } from './followWithDerivedEvidence';

const target = { entityRef: 'component:default/lexecon-api' } as EntityTarget;

/** The background refreshes asked for when each of `sources` changed a snapshot. */
async function refreshesAfterChanges(sources: SourceId[]) {
  const refreshInBackground = jest.fn();
  const refresher = { refreshInBackground } as unknown as SnapshotRefresher;
  for (const source of sources) {
    await followWithDerivedEvidence(refresher, {
      target,
      source,
      previous: undefined,
      data: {},
    });
  }
  return refreshInBackground.mock.calls;
}

describe('followWithDerivedEvidence', () => {
  it('derives a service’s evidence again, at most once a minute, when a snapshot it reads changes', async () => {
    const calls = await refreshesAfterChanges([
      'github',
      'github-approvals',
      'kubernetes',
    ]);
    expect(calls).toEqual(
      Array(3).fill([
        target,
        { only: ['portal-evidence'], minIntervalMs: 60_000 },
      ]),
    );
  });

  it('leaves it alone when a snapshot it does not read changes, its own included', async () => {
    expect(
      await refreshesAfterChanges([
        'portal-evidence',
        'github-evidence',
        'aws-cost',
      ]),
    ).toEqual([]);
  });
});
