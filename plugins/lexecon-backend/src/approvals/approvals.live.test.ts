import { TestDatabases } from '@backstage/backend-test-utils';
import { LIVE_APPROVALS_CHANNEL } from '@internal/plugin-lexecon-common';
import { RecordingSignals } from '../live/__testUtils__/RecordingSignals';
import {
  ENTITY_REF,
  poll,
  tokenOf,
  useApprovalsBackend,
} from './__testUtils__/approvalsBackend';
import { APPROVALS_TEST_DATABASES } from './__testUtils__/migratedDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

describe.each(databases.eachSupportedId())(
  'live approvals on %s',
  databaseId => {
    const signals = new RecordingSignals();
    const portal = useApprovalsBackend(databases, databaseId, { signals });
    const inboxSignals = () => signals.on(LIVE_APPROVALS_CHANNEL);

    it('tells open inboxes of a new waiting run, of a decision once, and of the run leaving GitHub’s list', async () => {
      const before = inboxSignals().length;
      const { runId } = await portal.waitingRun({ at: 'live' });
      // The refresh that read the new run changed the approvals snapshot.
      expect(inboxSignals().slice(before)).toContainEqual({
        kind: 'waiting-runs-changed',
        entityRef: ENTITY_REF,
        stoppedWaiting: [],
      });

      const decidedAt = inboxSignals().length;
      const response = await portal.decide('alex-kim', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(response.status === 200 ? 200 : response.text).toBe(200);
      const decided = (message: object) =>
        'runId' in message && message.runId === runId;
      expect(inboxSignals().slice(decidedAt).filter(decided)).toEqual([
        {
          kind: 'run-decided',
          entityRef: ENTITY_REF,
          runId,
          environment: 'production',
          decision: 'approved',
        },
      ]);

      // The decision's own refresh then sees GitHub no longer list the run.
      await poll(
        async () =>
          inboxSignals().find(
            m =>
              m.kind === 'waiting-runs-changed' &&
              JSON.stringify(m.stoppedWaiting).includes(`"runId":${runId}`),
          ),
        `run ${runId} stopped waiting`,
      );

      // A refused second attempt decides nothing, so it tells nobody.
      const count = inboxSignals().length;
      const again = await portal.decide('alex-kim', runId, {
        token: tokenOf('alex-kim'),
      });
      expect(again.status).toBe(409);
      expect(inboxSignals()).toHaveLength(count);
    });
  },
);
