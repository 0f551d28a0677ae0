import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { LexeconNotification, LexeconNotifier } from './LexeconNotifier';
import { NotificationClaimStore } from './NotificationClaimStore';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const EVENT: LexeconNotification = {
  kind: 'run-waiting',
  key: 'run-waiting:lexecon-ai/lexecon:1042:production',
  recipients: ['group:default/release-approvers'],
  payload: {
    title: 'v1.42.0 waits for approval',
    description: 'Production deploy of lexecon-api',
    link: '/lexecon/approvals?run=1042',
  },
};

/** A notifications service whose sends are recorded; `hang` makes them never answer. */
function notificationsService(options: { hang?: boolean } = {}) {
  const sent: NotificationSendOptions[] = [];
  const service: NotificationService = {
    send: async sendOptions => {
      if (options.hang) await new Promise<void>(() => {});
      sent.push(sendOptions);
    },
  };
  return { service, sent };
}

describe.each(databases.eachSupportedId())('LexeconNotifier on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
  });
  beforeEach(async () => {
    await knex('lexecon_notification_claims').delete();
  });

  const notifier = (service: NotificationService, sendTimeoutMs?: number) =>
    new LexeconNotifier({
      claims: new NotificationClaimStore(knex),
      notifications: service,
      logger: mockServices.logger.mock(),
      sendTimeoutMs,
    });

  it('sends an event once, whoever sees it again', async () => {
    const { service, sent } = notificationsService();
    const first = notifier(service);
    expect(await first.notify(EVENT)).toBe('sent');
    expect(await notifier(service).notify(EVENT)).toBe('already-sent');
    expect(sent).toHaveLength(1);
    expect(sent[0].payload.topic).toBeDefined();
    expect(await first.recipientsOf(EVENT.key)).toEqual(EVENT.recipients);
  });

  it('gives up a send under way when the backend shuts down, and leaves the event to be sent again', async () => {
    const hanging = notifier(notificationsService({ hang: true }).service);
    const outcome = hanging.notify(EVENT);
    // The claim is taken before the send starts: wait for it, then shut down.
    for (let i = 0; i < 200 && !(await hanging.recipientsOf(EVENT.key)); i++) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    hanging.stop();
    expect(await outcome).toBe('failed');
    expect(await hanging.notify(EVENT)).toBe('stopped');

    const { service, sent } = notificationsService();
    expect(await notifier(service).notify(EVENT)).toBe('sent');
    expect(sent).toHaveLength(1);
  });

  it('gives up a send with no answer within its timeout, and releases the event', async () => {
    const silent = notifier(notificationsService({ hang: true }).service, 20);
    expect(await silent.notify(EVENT)).toBe('failed');
    expect(await silent.recipientsOf(EVENT.key)).toBeUndefined();
  });
});
