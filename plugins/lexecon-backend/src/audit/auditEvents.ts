import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CostAcknowledgement,
  CostAcknowledgementForwarding,
  CostAnomaly,
} from '@internal/plugin-lexecon-common';
import { AuditEvent } from './auditRecords';

/** Someone asked for an entity's data to be fetched from upstream now (the Refresh button). */
export function refreshRequested(actor: string, entity: Entity): AuditEvent {
  const entityRef = stringifyEntityRef(entity);
  return {
    action: 'refresh-requested',
    actor,
    subject: entityRef,
    entityRef,
    details: { outcome: 'Refresh of every source queued' },
  };
}

/** Someone acknowledged a cost anomaly; details say which, why, and what AWS was told. */
export function costAnomalyAcknowledged(event: {
  entityRef: string;
  anomaly: CostAnomaly;
  acknowledgement: CostAcknowledgement;
  forwarding: CostAcknowledgementForwarding;
}): AuditEvent {
  const { entityRef, anomaly, acknowledgement, forwarding } = event;
  return {
    action: 'cost-anomaly-acknowledged',
    actor: acknowledgement.by,
    subject: `${entityRef} cost anomaly ${anomaly.id}`,
    entityRef,
    at: acknowledgement.at,
    details: {
      anomalyId: anomaly.id,
      source: anomaly.source,
      provider: anomaly.provider,
      component: anomaly.component,
      start: anomaly.start,
      ...(anomaly.end && { end: anomaly.end }),
      impact: anomaly.impact,
      reason: acknowledgement.reason,
      ...(acknowledgement.comment && { comment: acknowledgement.comment }),
      forwarding: { ...forwarding },
    },
  };
}
