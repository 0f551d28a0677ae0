import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationClaimStore } from './NotificationClaimStore';
import { NOTIFICATION_KINDS, NotificationKind } from './notificationKinds';

/** One event to tell people about, from any source of the portal. */
export interface LexeconNotification {
  kind: NotificationKind;
  /**
   * Names the event, the same whichever replica or refresh sees it (e.g.
   * `run-waiting:lexecon-ai/lexecon:1042:production`): it is notified once per key.
   */
  key: string;
  /** Entity refs: users, or groups (whose members the notifications backend resolves). */
  recipients: string[];
  payload: {
    title: string;
    description: string;
    /** The place to act, as a path of the app (e.g. `/lexecon/approvals?run=1042`). */
    link: string;
    /** The kind's severity unless given. */
    severity?: NotificationSeverity;
    /** Notifications of one scope replace each other in a person's list (a run's story). */
    scope?: string;
  };
}

export type NotifyOutcome =
  /** Claimed: the send runs on its own (see `settled`). */
  'sending' | 'already-sent' | 'no-recipients' | 'stopped';

/**
 * How long one send may take before it is given up and its event released. Generous: Backstage's
 * Slack processor holds a send while it throttles (10 messages a minute by default), and a send
 * holds nothing but itself.
 */
const DEFAULT_SEND_TIMEOUT_MS = 10 * 60_000;

/**
 * Sends the portal's notifications through Backstage's notifications backend (stored per user,
 * shown under the bell, muted per topic in its settings), each event once: the event is claimed
 * in the database, so several replicas or refreshes seeing it send it once. The claim is made in
 * the refresh that found the event; the send is not waited for, so a slow notifications backend
 * (Slack's throttling) never holds a refresh.
 */
export class LexeconNotifier {
  constructor(
    private readonly options: {
      claims: NotificationClaimStore;
      notifications: NotificationService;
      logger: LoggerService;
      now?: () => Date;
      sendTimeoutMs?: number;
    },
  ) {}

  private readonly stopping = new AbortController();
  private readonly sending = new Set<Promise<void>>();

  /**
   * Sends nothing more, gives up the sends under way (their events are released, to be sent by
   * the replica that sees them next) and resolves once they are. For the backend's shutdown.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.settled();
  }

  /** Resolves once every send started so far has ended, sent or released. */
  async settled(): Promise<void> {
    while (this.sending.size) await Promise.allSettled([...this.sending]);
  }

  async notify(notification: LexeconNotification): Promise<NotifyOutcome> {
    const { kind, key } = notification;
    const recipients = [...new Set(notification.recipients)].sort();
    if (!recipients.length) return 'no-recipients';
    if (this.stopping.signal.aborted) return 'stopped';
    const at = this.options.now?.() ?? new Date();
    if (!(await this.options.claims.claim(key, kind, recipients, at))) {
      return 'already-sent';
    }
    const send = this.send({ ...notification, recipients });
    this.sending.add(send);
    send.finally(() => this.sending.delete(send));
    return 'sending';
  }

  /** Never rejects: a failed send gives its claim back and is logged. */
  private async send(notification: LexeconNotification): Promise<void> {
    const { claims, notifications, logger } = this.options;
    const { kind, key, payload, recipients } = notification;
    const { topic, severity } = NOTIFICATION_KINDS[kind];
    try {
      await this.untilDoneOrGivenUp(
        notifications.send({
          recipients: { type: 'entity', entityRef: recipients },
          payload: { severity, ...payload, topic },
        }),
      );
    } catch (error) {
      // Given back so that the event, seen again, is sent then; the log names no recipient.
      await claims.release(key).catch(() => undefined);
      logger.warn(
        `Could not send the ${kind} notification ${key}: ${
          (error as Error).message
        }`,
      );
    }
  }

  private untilDoneOrGivenUp(send: Promise<void>): Promise<void> {
    const timeoutMs = this.options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    const signal = this.stopping.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = () => {};
    const givenUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      onAbort = () => reject(new Error('the backend is shutting down'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([send, givenUp]).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  }

  /** Who was told of an event (to tell them how it ended), or undefined when nobody was. */
  recipientsOf(key: string): Promise<string[] | undefined> {
    return this.options.claims.recipients(key);
  }
}
