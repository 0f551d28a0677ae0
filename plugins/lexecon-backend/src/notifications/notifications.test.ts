import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { APPROVALS_TEST_DATABASES } from '../approvals/__testUtils__/migratedDatabase';
import { poll } from '../approvals/__testUtils__/approvalsBackend';
import {
  NotificationsBackend,
  recipientsOf,
} from './__testUtils__/notificationsBackend';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const about = (runId: number) => (n: NotificationSendOptions) =>
  n.payload.link === `/lexecon/approvals?run=${runId}&environment=production`;

describe.each(databases.eachSupportedId())(
  'notifications on %s',
  databaseId => {
    const portal = new NotificationsBackend(databases, databaseId);
    beforeAll(() => portal.start(2));
    afterAll(() => portal.stop());

    /** A new run waiting on production, and the notification that it waits. */
    async function waitingRun() {
      const { runId } = portal.sandbox.createWaitingRun();
      await portal.refresh();
      const waiting = await poll(
        async () =>
          portal
            .sent()
            .find(
              n =>
                about(runId)(n) &&
                n.payload.topic === 'Deploy waiting for approval',
            ),
        `the waiting notification of run ${runId}`,
      );
      return { runId, waiting };
    }

    it('tells alex-kim that a new run waits for approval, and not jordan-lee who authored a change in it', async () => {
      const { waiting } = await waitingRun();
      expect(portal.sandbox.world.facts.waitingRunAuthors).toContain(
        'jordan-lee',
      );
      expect(recipientsOf(waiting)).toEqual(['user:default/alex-kim']);
      expect(waiting.payload.severity).toBe('high');
      expect(waiting.payload.title).toMatch(
        /^lexecon-api .+ waits for your approval to production$/,
      );
    });

    it('sends it once, when a second replica or refresh sees the run start waiting again', async () => {
      const before = await portal.knex('lexecon_snapshots').where({
        entity_ref: 'component:default/lexecon-api',
        source: 'github-approvals',
      });
      const { runId } = await waitingRun();
      // The second replica read the snapshot before the first stored the run: it stores the run
      // as new again.
      await portal
        .knex('lexecon_snapshots')
        .where({
          entity_ref: 'component:default/lexecon-api',
          source: 'github-approvals',
        })
        .update({ data: before[0].data, data_hash: before[0].data_hash });
      await portal.refresh(1);
      // Refreshes of one source run one after the other, each notifying before the next starts:
      // once a later run's notification is sent, the second replica's refresh has notified.
      await waitingRun();
      expect(portal.sent().filter(about(runId))).toHaveLength(1);
    });

    it('tells whoever was told when the run is decided', async () => {
      const { runId, waiting } = await waitingRun();
      const production = portal.sandbox.world.environments.find(
        e => e.name === 'production',
      )!;
      const { githubUrl, owner, repo } = portal.sandbox;
      const approved = await fetch(
        `${githubUrl}/repos/${owner}/${repo}/actions/runs/${runId}/pending_deployments`,
        {
          method: 'POST',
          headers: {
            authorization: 'token sandbox-token-for-alex-kim',
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            environment_ids: [production.id],
            state: 'approved',
            comment: 'Approved in GitHub',
          }),
        },
      );
      expect(approved.status).toBe(200);
      await portal.refresh();
      const decided = await poll(
        async () =>
          portal
            .sent()
            .find(
              n =>
                about(runId)(n) &&
                n !== waiting &&
                /decided/.test(n.payload.title),
            ),
        `the decided notification of run ${runId}`,
      );
      expect(recipientsOf(decided)).toEqual(recipientsOf(waiting));
      expect(decided.payload.scope).toBe(waiting.payload.scope);
    });

    it('tells the owning team once of the AWS cost anomaly of the last two weeks', async () => {
      const { anomaly } = portal.sandbox.awsCosts;
      const isIt = (n: NotificationSendOptions) =>
        n.payload.topic === 'Cost anomaly' &&
        n.payload.title.startsWith(
          `lexecon-api: AWS ${anomaly.component} costs $`,
        );
      const told = await poll(
        async () => portal.sent().find(isIt),
        'the cost anomaly notification',
      );
      expect(recipientsOf(told)).toEqual(['group:default/lexecon-engineering']);
      expect(told.payload.description).toContain(
        `From ${anomaly.start} to ${anomaly.end}`,
      );
      expect(told.payload.link).toBe(
        '/catalog/default/component/lexecon-api/lexecon',
      );
      expect(told.payload.severity).toBe('normal');
    });

    it('tells the on-call group once that the SLA is breached', async () => {
      const sla = (n: NotificationSendOptions) =>
        n.payload.topic === 'SLA at risk or breached';
      // The sandbox's month so far is below the 99.9% target: the first Datadog read breaches.
      const breached = await poll(
        async () => portal.sent().find(sla),
        'the SLA notification',
      );
      expect(recipientsOf(breached)).toEqual(['group:default/oncall']);
      expect(breached.payload.title).toMatch(
        /^lexecon-api: SLA breached \(\d+\.\d{3}% against 99\.9%\)$/,
      );
      expect(breached.payload.link).toBe('/lexecon/oncall');
      expect(breached.payload.severity).toBe('critical');
      // More downtime and a monitor starting to alert: the monitor is news, the SLA is not.
      const [slo] = portal.sandbox.observability.slos;
      const now = portal.sandbox.observability.now;
      (portal.sandbox.observability.downtime[slo.id] ??= []).push({
        start: now - 2 * 3600_000,
        end: now - 3600_000,
      });
      const monitor = portal.sandbox.observability.monitors.find(
        m => m.overallState === 'OK',
      )!;
      monitor.overallState = 'Alert';
      monitor.stateChangedAt = now;
      await portal.refresh(1);
      const alerting = await poll(
        async () =>
          portal
            .sent()
            .find(n =>
              n.payload.title.includes(`“${monitor.name}” is alerting`),
            ),
        'the monitor notification',
      );
      expect(alerting.payload.topic).toBe('Monitor alerting');
      expect(recipientsOf(alerting)).toEqual(['group:default/oncall']);
      expect(portal.sent().filter(sla)).toHaveLength(1);
    });
  },
);
