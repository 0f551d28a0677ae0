import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  lexeconEntityReadPermission,
  SourceId,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import { catalogFilterFor } from '../sources/catalogFilter';

/**
 * The catalog entities any of the sources covers that the caller may read
 * (`lexecon.entity.read`, decided per entity in one batch), for the portal-wide pages.
 */
export async function readableEntities(
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    catalog: CatalogService;
  },
  req: express.Request,
  sources: readonly SourceId[],
): Promise<Entity[]> {
  const credentials = await options.httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const { items } = await options.catalog.getEntities(
    { filter: catalogFilterFor(sources) },
    { credentials },
  );
  if (!items.length) return [];
  const decisions = await options.permissions.authorize(
    items.map(e => ({
      permission: lexeconEntityReadPermission,
      resourceRef: stringifyEntityRef(e),
    })),
    { credentials },
  );
  return items.filter(
    (_e, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
  );
}
