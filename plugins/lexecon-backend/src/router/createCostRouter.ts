import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityCostAnalysis,
  EntityCosts,
  lexeconEntityReadPermission,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  CostAnalysisDeps,
  readEntityCostAnalysis,
} from '../cost/readEntityCostAnalysis';
import { readEntityCosts } from '../cost/readEntityCosts';
import { resolveEntityTarget } from '../EntityTarget';
import { createEntityAuthorizer } from './authorizeEntity';

/**
 * `GET /v1/entities/:namespace/:kind/:name/costs`: the entity's stored daily costs;
 * `.../cost-analysis`: the Cost card's analysis of them.
 */
export async function createCostRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  costs: CostAnalysisDeps;
}): Promise<express.Router> {
  const router = Router();
  const authorizedEntity = createEntityAuthorizer(options);

  router.get('/v1/entities/:namespace/:kind/:name/costs', async (req, res) => {
    const entity = await authorizedEntity(req, lexeconEntityReadPermission);
    const body: EntityCosts = await readEntityCosts(
      options.costs,
      resolveEntityTarget(entity),
    );
    res.json(body);
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/cost-analysis',
    async (req, res) => {
      const entity = await authorizedEntity(req, lexeconEntityReadPermission);
      const body: EntityCostAnalysis = await readEntityCostAnalysis(
        options.costs,
        resolveEntityTarget(entity),
      );
      res.json(body);
    },
  );

  return router;
}
