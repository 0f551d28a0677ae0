import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Resource type of every Lexecon permission: the catalog entity the data belongs to. */
export const LEXECON_RESOURCE_TYPE = 'catalog-entity';

/** Read an entity's Release & Compliance data (deploy history and other sections). */
export const lexeconEntityReadPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'lexecon.entity.read',
    attributes: { action: 'read' },
    resourceType: LEXECON_RESOURCE_TYPE,
  });

/** Ask the backend to refresh an entity's snapshots from upstream now. */
export const lexeconEntityRefreshPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'lexecon.entity.refresh',
    attributes: { action: 'update' },
    resourceType: LEXECON_RESOURCE_TYPE,
  });

/**
 * Approve or reject a deploy of the entity waiting on a protected environment. The portal's
 * policy allows it to members of the approver groups only.
 */
export const lexeconDeploymentApprovePermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'lexecon.deployment.approve',
    attributes: { action: 'update' },
    resourceType: LEXECON_RESOURCE_TYPE,
  });

/**
 * Acknowledge a cost anomaly of the entity (expected, seasonal, migration, resolved, not
 * applicable), which also answers AWS's anomaly feedback for anomalies AWS reported. The portal's
 * policy allows it to release approvers and portal admins only.
 */
export const lexeconCostAcknowledgePermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'lexecon.cost.acknowledge',
    attributes: { action: 'update' },
    resourceType: LEXECON_RESOURCE_TYPE,
  });

/** Read the approvals audit trail (portal-wide). */
export const lexeconAuditReadPermission = createPermission({
  name: 'lexecon.audit.read',
  attributes: { action: 'read' },
});

/**
 * Read the SOC 2 / GDPR evidence (controls, observations, populations). The portal's policy allows
 * it to auditors, release approvers and evidence owners.
 */
export const lexeconEvidenceReadPermission = createPermission({
  name: 'lexecon.evidence.read',
  attributes: { action: 'read' },
});

/**
 * Change the evidence: attach a document or record, mark an item not applicable. The portal's
 * policy allows it to evidence owners only, never to a read-only group (auditors).
 */
export const lexeconEvidenceWritePermission = createPermission({
  name: 'lexecon.evidence.write',
  attributes: { action: 'update' },
});

export const lexeconPermissions = [
  lexeconEntityReadPermission,
  lexeconEntityRefreshPermission,
  lexeconDeploymentApprovePermission,
  lexeconCostAcknowledgePermission,
  lexeconAuditReadPermission,
  lexeconEvidenceReadPermission,
  lexeconEvidenceWritePermission,
];
