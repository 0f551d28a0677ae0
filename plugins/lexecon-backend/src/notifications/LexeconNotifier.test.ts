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
    expect(await first.notify(EVENT)).toBe('sending');
    expect(await notifier(service).notify(EVENT)).toBe('already-sent');
    await first.settled();
    expect(sent).toHaveLength(1);
    expect(sent[0].payload.topic).toBeDefined();
    expect(await first.recipientsOf(EVENT.key)).toEqual(EVENT.recipients);
  });

  it('claims the event without waiting for a slow send, gives the send up at shutdown, and leaves the event to be sent again', async () => {
    const hanging = notifier(notificationsService({ hang: true }).service);
    // The refresh that found the event goes on: the send runs on its own.
    expect(await hanging.notify(EVENT)).toBe('sending');
    expect(await hanging.recipientsOf(EVENT.key)).toEqual(EVENT.recipients);
    await hanging.stop();
    expect(await hanging.recipientsOf(EVENT.key)).toBeUndefined();
    expect(await hanging.notify(EVENT)).toBe('stopped');

    const { service, sent } = notificationsService();
    const next = notifier(service);
    expect(await next.notify(EVENT)).toBe('sending');
    await next.settled();
    expect(sent).toHaveLength(1);
  });

  it('gives up a send with no answer within its timeout, and releases the event', async () => {
    const silent = notifier(notificationsService({ hang: true }).service, 20);
    expect(await silent.notify(EVENT)).toBe('sending');
    await silent.settled();
    expect(await silent.recipientsOf(EVENT.key)).toBeUndefined();
  });
});
