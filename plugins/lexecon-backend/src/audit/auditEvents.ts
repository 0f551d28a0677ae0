import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
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
