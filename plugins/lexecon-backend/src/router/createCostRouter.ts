import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  COST_DAILY_FACTS_CSV_FILENAME,
  costDailyFactsQuerySchema,
  CostPortfolio,
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
import {
  dailyCostFactsCsv,
  hasCostSource,
  readCostPortfolio,
} from '../cost/readCostPortfolio';
import { COST_SOURCES, readEntityCosts } from '../cost/readEntityCosts';
import { resolveEntityTarget } from '../EntityTarget';
import { createEntityAuthorizer } from './authorizeEntity';
import { parseInput } from './parseInput';
import { readableEntities } from './readableEntities';

/**
 * `GET /v1/entities/:namespace/:kind/:name/costs`: the entity's stored daily costs;
 * `.../cost-analysis`: the Cost card's analysis of them; `/v1/costs/portfolio`: every readable
 * service's analysis against its baseline; `/v1/costs/daily-facts.csv`: their stored facts.
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

  /** The readable entities a cost source reads, with their targets. */
  async function costEntities(req: express.Request) {
    const entities = await readableEntities(
      options,
      req,
      COST_SOURCES.map(s => s.source),
    );
    return entities
      .map(entity => ({ entity, target: resolveEntityTarget(entity) }))
      .filter(({ target }) => hasCostSource(options.costs, target));
  }

  router.get('/v1/costs/portfolio', async (req, res) => {
    const entities = await costEntities(req);
    const body: CostPortfolio = await readCostPortfolio(
      options.costs,
      entities.map(({ entity, target }) => ({
        target,
        entityRef: target.entityRef,
        name: entity.metadata.name,
        title: entity.metadata.title ?? entity.metadata.name,
      })),
    );
    res.json(body);
  });

  router.get('/v1/costs/daily-facts.csv', async (req, res) => {
    const query = parseInput(costDailyFactsQuerySchema, req.query, 'query');
    const entities = await costEntities(req);
    const csv = await dailyCostFactsCsv(
      options.costs,
      entities.map(e => e.target),
      query,
    );
    res
      .type('text/csv; charset=utf-8')
      .attachment(COST_DAILY_FACTS_CSV_FILENAME)
      .send(csv);
  });

  return router;
}
