import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { entityRefParamsSchema } from '@internal/plugin-lexecon-common';
import { Request } from 'express';
import { parseInput } from './parseInput';

export type EntityAuthorizer = (
  req: Request,
  permission: ResourcePermission<'catalog-entity'>,
) => Promise<Entity>;

/** Resolves the entity in the path (`:namespace/:kind/:name`) for the caller, or fails with 400/403/404. */
export function createEntityAuthorizer(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
}): EntityAuthorizer {
  const { httpAuth, permissions, catalog } = options;
  return async (req, permission) => {
    const params = parseInput(
      entityRefParamsSchema,
      {
        namespace: req.params.namespace,
        kind: req.params.kind,
        name: req.params.name,
      },
      'path',
    );
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = stringifyEntityRef({
      kind: params.kind,
      namespace: params.namespace,
      name: params.name,
    });
    // Both only need the ref from the path, so ask them at once rather than one after the other.
    const [entity, [decision]] = await Promise.all([
      catalog.getEntityByRef(entityRef, { credentials }),
      permissions.authorize([{ permission, resourceRef: entityRef }], {
        credentials,
      }),
    ]);
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${permission.name} on ${entityRef}`,
      );
    }
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  };
}
