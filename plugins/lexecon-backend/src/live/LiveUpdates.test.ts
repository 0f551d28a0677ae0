import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  LIVE_APPROVALS_CHANNEL,
  LIVE_ONCALL_CHANNEL,
  liveEntityChannel,
  SourceId,
} from '@internal/plugin-lexecon-common';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { EntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { SnapshotSource, UpstreamError } from '../sources/types';
import { RecordingSignals } from './__testUtils__/RecordingSignals';
import { LiveUpdates } from './LiveUpdates';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const target: EntityTarget = {
  entityRef: 'component:default/lexecon-api',
  environments: ['staging', 'production'],
};
const ENTITY_CHANNEL = liveEntityChannel(target.entityRef);

const pendingRun = (runId: number, environment: string) => ({
  runId,
  environment,
});

describe.each(databases.eachSupportedId())('live updates on %s', id => {
  /** A refresher over the real store whose sources answer whatever `answers` holds. */
  async function setup() {
    const store = new SnapshotStore(await migratedDatabase(databases, id));
    const answers = new Map<SourceId, unknown>();
    const source = (sourceId: SourceId): SnapshotSource<unknown> => ({
      id: sourceId,
      notConfiguredReason: () => undefined,
      fetch: async () => {
        const answer = answers.get(sourceId);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    const refresher = new SnapshotRefresher(
      store,
      (['datadog', 'github-ci-runs', 'github-approvals'] as const).map(source),
      mockServices.logger.mock(),
    );
    const signals = new RecordingSignals();
    const live = new LiveUpdates({
      signals,
      logger: mockServices.logger.mock(),
    });
    refresher.onSnapshotChanged(change => live.snapshotChanged(change));
    return { refresher, answers, signals };
  }

  it('publishes once per page that shows a changed snapshot, and nothing for a write that changed nothing', async () => {
    const { refresher, answers, signals } = await setup();
    const changed = {
      kind: 'snapshot-changed',
      entityRef: target.entityRef,
      source: 'datadog',
    };

    answers.set('datadog', { uptimePercent: 99.95, alerting: [] });
    await refresher.refresh(target, 'datadog');
    // The tab and the on-call board (it shows Datadog's SLA), nothing else.
    expect(signals.published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: ENTITY_CHANNEL,
        message: changed,
      },
      {
        recipients: { type: 'broadcast' },
        channel: LIVE_ONCALL_CHANNEL,
        message: changed,
      },
    ]);

    // The same answer again (keys in another order): only the fetch time moves.
    answers.set('datadog', { alerting: [], uptimePercent: 99.95 });
    await refresher.refresh(target, 'datadog');
    // A failed fetch keeps the stored data.
    answers.set(
      'datadog',
      new UpstreamError('datadog', 'Datadog answered 503'),
    );
    await refresher.refresh(target, 'datadog');
    expect(signals.published).toHaveLength(2);

    answers.set('datadog', { uptimePercent: 99.5, alerting: ['api-latency'] });
    await refresher.refresh(target, 'datadog');
    expect(signals.on(ENTITY_CHANNEL)).toEqual([changed, changed]);
    expect(signals.on(LIVE_ONCALL_CHANNEL)).toEqual([changed, changed]);
  });

  it('tells only the tab about a source the board and the inbox do not show', async () => {
    const { refresher, answers, signals } = await setup();
    answers.set('github-ci-runs', { runs: 12 });
    await refresher.refresh(target, 'github-ci-runs');
    expect(signals.published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: ENTITY_CHANNEL,
        message: {
          kind: 'snapshot-changed',
          entityRef: target.entityRef,
          source: 'github-ci-runs',
        },
      },
    ]);
  });

  it('tells the inbox which runs stopped waiting', async () => {
    const { refresher, answers, signals } = await setup();
    const snapshot = (pending: Array<ReturnType<typeof pendingRun>>) => ({
      repository: { slug: 'lexecon/lexecon-api', htmlUrl: '' },
      teams: {},
      pending,
    });
    answers.set(
      'github-approvals',
      snapshot([pendingRun(41, 'production'), pendingRun(42, 'staging')]),
    );
    await refresher.refresh(target, 'github-approvals');
    // 41 was decided; 42 passed staging and now waits for production; 43 is new.
    answers.set(
      'github-approvals',
      snapshot([pendingRun(42, 'production'), pendingRun(43, 'staging')]),
    );
    await refresher.refresh(target, 'github-approvals');

    expect(signals.on(LIVE_APPROVALS_CHANNEL)).toEqual([
      {
        kind: 'waiting-runs-changed',
        entityRef: target.entityRef,
        stoppedWaiting: [],
      },
      {
        kind: 'waiting-runs-changed',
        entityRef: target.entityRef,
        stoppedWaiting: [
          pendingRun(41, 'production'),
          pendingRun(42, 'staging'),
        ],
      },
    ]);
    expect(signals.on(ENTITY_CHANNEL)).toHaveLength(2);
    expect(signals.on(LIVE_ONCALL_CHANNEL)).toEqual([]);
  });
});
