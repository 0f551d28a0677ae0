import {
  CostAcknowledgement,
  CostAcknowledgementForwarding,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';

export interface StoredAcknowledgement {
  id: number;
  entityRef: string;
  acknowledgement: CostAcknowledgement;
  forwarding: CostAcknowledgementForwarding;
}

function toIso(value: unknown): string {
  return (
    value instanceof Date ? value : new Date(value as string)
  ).toISOString();
}

/**
 * People's acknowledgements of cost anomalies, each kept (the newest one counts), with what AWS
 * was told. Written before AWS is asked, so a failed or interrupted forward loses nothing.
 */
export class CostAcknowledgementStore {
  constructor(private readonly knex: Knex) {}

  async add(
    entityRef: string,
    acknowledgement: CostAcknowledgement,
    forwarding: CostAcknowledgementForwarding,
  ): Promise<StoredAcknowledgement> {
    const [inserted] = await this.knex('lexecon_cost_acknowledgements')
      .insert({
        entity_ref: entityRef,
        anomaly_id: acknowledgement.anomalyId,
        reason: acknowledgement.reason,
        comment: acknowledgement.comment ?? null,
        acknowledged_by: acknowledgement.by,
        acknowledged_at: new Date(acknowledgement.at),
        forwarding: JSON.stringify(forwarding),
      })
      .returning('id');
    const id =
      typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
    return { id, entityRef, acknowledgement, forwarding };
  }

  /** Records what became of the forward to AWS. */
  async setForwarding(
    id: number,
    forwarding: CostAcknowledgementForwarding,
  ): Promise<void> {
    await this.knex('lexecon_cost_acknowledgements')
      .where({ id })
      .update({ forwarding: JSON.stringify(forwarding) });
  }

  /** Every acknowledgement of the entity's anomalies, oldest first. */
  async list(entityRef: string): Promise<StoredAcknowledgement[]> {
    const rows = await this.knex('lexecon_cost_acknowledgements')
      .where({ entity_ref: entityRef })
      .orderBy('id');
    return rows.map(row => ({
      id: Number(row.id),
      entityRef: row.entity_ref,
      acknowledgement: {
        anomalyId: row.anomaly_id,
        reason: row.reason,
        ...(row.comment !== null && { comment: row.comment }),
        by: row.acknowledged_by,
        at: toIso(row.acknowledged_at),
      },
      forwarding: JSON.parse(row.forwarding),
    }));
  }
}
