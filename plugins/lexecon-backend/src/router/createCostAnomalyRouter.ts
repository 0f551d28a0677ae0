import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  costAcknowledgementBodySchema,
  costAnomalyIdSchema,
  CostAcknowledgementResult,
  lexeconCostAcknowledgePermission,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  acknowledgeCostAnomaly,
  CostAcknowledgementDeps,
} from '../cost/acknowledgeCostAnomaly';
import { createEntityAuthorizer } from './authorizeEntity';
import { parseInput } from './parseInput';
import { principalKey } from './rateLimit';

/**
 * `POST /v1/entities/:namespace/:kind/:name/cost-anomalies/:anomalyId/acknowledgement`
 * (`lexecon.cost.acknowledge`): a person acknowledges one of the entity's cost anomalies.
 */
export async function createCostAnomalyRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  acknowledgements: CostAcknowledgementDeps;
}): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '16kb' }));
  const authorizedEntity = createEntityAuthorizer(options);

  router.post(
    '/v1/entities/:namespace/:kind/:name/cost-anomalies/:anomalyId/acknowledgement',
    async (req, res) => {
      const anomalyId = parseInput(
        costAnomalyIdSchema,
        req.params.anomalyId,
        'path',
      );
      const body = parseInput(
        costAcknowledgementBodySchema,
        req.body ?? {},
        'body',
      );
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user'],
      });
      const entity = await authorizedEntity(
        req,
        lexeconCostAcknowledgePermission,
      );
      const result: CostAcknowledgementResult = await acknowledgeCostAnomaly(
        options.acknowledgements,
        {
          entityRef: stringifyEntityRef(entity),
          anomalyId,
          reason: body.reason,
          comment: body.comment || undefined,
          actor: principalKey(credentials.principal),
        },
      );
      res.status(201).json(result);
    },
  );

  return router;
}
