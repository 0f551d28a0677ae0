import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  lexeconEntityReadPermission,
  sectionSources,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import { resolveEntityTarget } from '../EntityTarget';
import { catalogFilterFor } from '../sources/catalogFilter';
import { ReliabilityService } from '../service/ReliabilityService';

/** A service is on the on-call board when it has any source of these sections. */
export const ONCALL_SOURCES = sectionSources(['sla', 'flags', 'health']);

/** `GET /v1/oncall`: every service the caller may read, riskiest first. */
export async function createReliabilityRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  reliability: ReliabilityService;
}): Promise<express.Router> {
  const { httpAuth, permissions, catalog, reliability } = options;
  const router = Router();

  router.get('/v1/oncall', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { items } = await catalog.getEntities(
      {
        filter: catalogFilterFor(ONCALL_SOURCES),
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
