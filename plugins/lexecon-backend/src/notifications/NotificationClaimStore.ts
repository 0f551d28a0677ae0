import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

const TABLE = 'lexecon_notification_claims';

/**
 * One row per notified event. Whoever inserts the row first sends the notification: the primary
 * key makes that hold across replicas and repeated refreshes sharing the database.
 */
export class NotificationClaimStore {
  constructor(private readonly knex: Knex) {}

  /** Claims the event; false when another refresh or replica claimed it first. */
  async claim(
    key: string,
    kind: string,
    recipients: string[],
    at: Date,
  ): Promise<boolean> {
    const claimId = randomUUID();
    await this.knex(TABLE)
      .insert({
        event_key: key,
        kind,
        claim_id: claimId,
        recipients: JSON.stringify(recipients),
        claimed_at: at,
      })
      .onConflict('event_key')
      .ignore();
    const row = await this.knex(TABLE)
      .select('claim_id')
      .where({ event_key: key })
      .first();
    return row?.claim_id === claimId;
  }

  /** Gives a claim back (its notification could not be sent), so the event may be sent later. */
  async release(key: string): Promise<void> {
    await this.knex(TABLE).where({ event_key: key }).delete();
  }

  /** Who the claimed event was sent to, or undefined when it was never claimed. */
  async recipients(key: string): Promise<string[] | undefined> {
    const row = await this.knex(TABLE)
      .select('recipients')
      .where({ event_key: key })
      .first();
    return row ? (JSON.parse(row.recipients) as string[]) : undefined;
  }
}
