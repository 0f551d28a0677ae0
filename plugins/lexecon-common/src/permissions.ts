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

export const lexeconPermissions = [
  lexeconEntityReadPermission,
  lexeconEntityRefreshPermission,
];
