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
  | 'sent'
  | 'already-sent'
  | 'no-recipients'
  | 'failed'
  | 'stopped';

/** How long one send may take before it is given up and its event left to be sent again. */
const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/**
 * Sends the portal's notifications through Backstage's notifications backend (stored per user,
 * shown under the bell, muted per topic in its settings), each event once: the event is claimed
 * in the database before it is sent, so several replicas or refreshes seeing it send it once.
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

  /**
   * Sends nothing more, and gives up the sends under way (their events are released, to be sent
   * by the replica that sees them next). Called as the backend shuts down: a send to a
   * notifications backend that is going away would otherwise hold the refresh that made it, and
   * so the shutdown, for minutes.
   */
  stop(): void {
    this.stopping.abort();
  }

  async notify(notification: LexeconNotification): Promise<NotifyOutcome> {
    const { claims, notifications, logger } = this.options;
    const { kind, key, payload } = notification;
    const recipients = [...new Set(notification.recipients)].sort();
    if (!recipients.length) return 'no-recipients';
    if (this.stopping.signal.aborted) return 'stopped';
    const at = this.options.now?.() ?? new Date();
    if (!(await claims.claim(key, kind, recipients, at))) return 'already-sent';
    const { topic, severity } = NOTIFICATION_KINDS[kind];
    try {
      await this.untilDoneOrGivenUp(
        notifications.send({
          recipients: { type: 'entity', entityRef: recipients },
          payload: { severity, ...payload, topic },
        }),
      );
      return 'sent';
    } catch (error) {
      // Given back so that the event, seen again, is sent then; the log names no recipient.
      await claims.release(key).catch(() => undefined);
      logger.warn(
        `Could not send the ${kind} notification ${key}: ${
          (error as Error).message
        }`,
      );
      return 'failed';
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
