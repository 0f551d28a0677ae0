import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
  LEXECON_HEALTH_URL_ANNOTATION,
  LEXECON_UNLEASH_PROJECT_ANNOTATION,
  lexeconEntityReadPermission,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import { resolveEntityTarget } from '../EntityTarget';
import { ReliabilityService } from '../service/ReliabilityService';
import { createEntityAuthorizer } from './authorizeEntity';

/** The annotations that put a service on the on-call board. */
export const ONCALL_ANNOTATIONS = [
  LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
  LEXECON_UNLEASH_PROJECT_ANNOTATION,
  LEXECON_HEALTH_URL_ANNOTATION,
];

/** `GET /v1/entities/:ns/:kind/:name/reliability` (flags, SLA, health) and `GET /v1/oncall`. */
export async function createReliabilityRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  reliability: ReliabilityService;
}): Promise<express.Router> {
  const { httpAuth, permissions, catalog, reliability } = options;
  const router = Router();
  const authorizedEntity = createEntityAuthorizer(options);

  router.get(
    '/v1/entities/:namespace/:kind/:name/reliability',
    async (req, res) => {
      const entity = await authorizedEntity(req, lexeconEntityReadPermission);
      res.json(await reliability.getReliability(resolveEntityTarget(entity)));
    },
  );

  router.get('/v1/oncall', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { items } = await catalog.getEntities(
      {
        filter: ONCALL_ANNOTATIONS.map(a => ({
          [`metadata.annotations.${a}`]: CATALOG_FILTER_EXISTS,
        })),
      },
      { credentials },
    );
    const refs = items.map(e => stringifyEntityRef(e));
    const decisions = refs.length
      ? await permissions.authorize(
          refs.map(resourceRef => ({
            permission: lexeconEntityReadPermission,
            resourceRef,
          })),
          { credentials },
        )
      : [];
    const allowed = items.filter(
      (_e, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
    );
    res.json(
      await reliability.getOnCallBoard(
        allowed.map(entity => ({
          target: resolveEntityTarget(entity),
          title: entity.metadata.title ?? entity.metadata.name,
        })),
      ),
    );
  });

  return router;
}
