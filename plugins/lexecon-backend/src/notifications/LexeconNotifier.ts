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
  | 'failed';

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
    },
  ) {}

  async notify(notification: LexeconNotification): Promise<NotifyOutcome> {
    const { claims, notifications, logger } = this.options;
    const { kind, key, payload } = notification;
    const recipients = [...new Set(notification.recipients)].sort();
    if (!recipients.length) return 'no-recipients';
    const at = this.options.now?.() ?? new Date();
    if (!(await claims.claim(key, kind, recipients, at))) return 'already-sent';
    const { topic, severity } = NOTIFICATION_KINDS[kind];
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: { severity, ...payload, topic },
      });
      return 'sent';
    } catch (error) {
      // Given back so that the event, seen again, is sent then; the log names no recipient.
      await claims.release(key);
      logger.warn(
        `Could not send the ${kind} notification ${key}: ${
          (error as Error).message
        }`,
      );
      return 'failed';
    }
  }

  /** Who was told of an event (to tell them how it ended), or undefined when nobody was. */
  recipientsOf(key: string): Promise<string[] | undefined> {
    return this.options.claims.recipients(key);
  }
}
