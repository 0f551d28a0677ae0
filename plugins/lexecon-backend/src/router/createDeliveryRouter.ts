import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DELIVERY_PORTFOLIO_CSV_FILENAME,
  deliveryPortfolioCsv,
  deliveryQuerySchema,
  EntityDelivery,
  lexeconEntityReadPermission,
  sectionSources,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import { deliveryPortfolio } from '../delivery/deliveryPortfolio';
import {
  DeliveryDeps,
  deliveryWindow,
  readEntityDelivery,
} from '../delivery/readEntityDelivery';
import { resolveEntityTarget } from '../EntityTarget';
import { createEntityAuthorizer } from './authorizeEntity';
import { parseInput } from './parseInput';
import { readableEntities } from './readableEntities';

/** A service is on the delivery portfolio when a source of its deploy history covers it. */
const DELIVERY_SOURCES = sectionSources(['deployments']);

/**
 * `GET /v1/entities/:namespace/:kind/:name/delivery`: the entity's DORA keys, CI health and
 * readiness trend from its snapshots; `/v1/delivery/portfolio` (and `.csv`): every readable
 * service's keys, ranked.
 */
export async function createDeliveryRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  delivery: DeliveryDeps;
}): Promise<express.Router> {
  const router = Router();
  const { defaultWindow } = options.delivery;
  const withDefaultWindow = (req: express.Request) =>
    defaultWindow && req.query.window === undefined
      ? { ...req.query, window: defaultWindow }
      : req.query;
  const authorizedEntity = createEntityAuthorizer(options);

  router.get(
    '/v1/entities/:namespace/:kind/:name/delivery',
    async (req, res) => {
      const query = parseInput(
        deliveryQuerySchema,
        withDefaultWindow(req),
        'query',
      );
      const entity = await authorizedEntity(req, lexeconEntityReadPermission);
      const body: EntityDelivery = await readEntityDelivery(
        options.delivery,
        resolveEntityTarget(entity),
        query,
      );
      res.json(body);
    },
  );

  async function portfolio(req: express.Request) {
    const query = parseInput(
      deliveryQuerySchema,
      withDefaultWindow(req),
      'query',
    );
    const entities = await readableEntities(options, req, DELIVERY_SOURCES);
    const entries = await Promise.all(
      entities.map(async entity => ({
        name: entity.metadata.name,
        title: entity.metadata.title ?? entity.metadata.name,
        delivery: await readEntityDelivery(
          options.delivery,
          resolveEntityTarget(entity),
          query,
        ),
      })),
    );
    const now = options.delivery.now?.() ?? new Date();
    return deliveryPortfolio(entries, {
      window: query.window,
      environment: query.environment,
      ...deliveryWindow(now, query.window),
      generatedAt: now.toISOString(),
    });
  }

  router.get('/v1/delivery/portfolio', async (req, res) => {
    res.json(await portfolio(req));
  });

  router.get('/v1/delivery/portfolio.csv', async (req, res) => {
    const csv = deliveryPortfolioCsv(await portfolio(req));
    res
      .type('text/csv; charset=utf-8')
      .attachment(DELIVERY_PORTFOLIO_CSV_FILENAME)
      .send(csv);
  });

  return router;
}
