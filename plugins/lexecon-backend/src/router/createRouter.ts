import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  deploymentsQuerySchema,
  DeploymentsPage,
  lexeconEntityReadPermission,
  lexeconEntityRefreshPermission,
  Overview,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { isCoveredEntity, resolveEntityTarget } from '../EntityTarget';
import { DeploymentHistoryService } from '../service/DeploymentHistoryService';
import { SnapshotRefresher } from '../service/SnapshotRefresher';
import { ApprovalService } from '../approvals/ApprovalService';
import { AuditLog } from '../approvals/AuditLog';
import {
  approvalErrorHandler,
  registerApprovalRoutes,
} from './approvalsRoutes';
import { createEntityAuthorizer } from './authorizeEntity';
import { decodeCursor, encodeCursor, parseInput } from './parseInput';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  deployments: DeploymentHistoryService;
  refresher: SnapshotRefresher;
  approvals: ApprovalService;
  audit: AuditLog;
}

const deploymentIdSchema = z.object({
  deploymentId: z
    .string()
    .max(200)
    .regex(
      /^[A-Za-z0-9._-]+:(run|helm):\d+$/,
      'is not a deployment id from this API',
    ),
});

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { deployments, refresher, httpAuth, permissions, catalog } = options;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  const authorizedEntity = createEntityAuthorizer(options);

  const entityPath = '/v1/entities/:namespace/:kind/:name';

  router.get(`${entityPath}/overview`, async (req, res) => {
    const entity = await authorizedEntity(req, lexeconEntityReadPermission);
    const target = resolveEntityTarget(entity);
    const body: Overview = {
      entityRef: target.entityRef,
      sections: { deployments: await deployments.getOverview(target) },
    };
    res.json(body);
  });

  router.get(`${entityPath}/deployments`, async (req, res) => {
    const query = parseInput(deploymentsQuerySchema, req.query, 'query');
    const offset = decodeCursor(query.cursor);
    const entity = await authorizedEntity(req, lexeconEntityReadPermission);
    const target = resolveEntityTarget(entity);
    const page = await deployments.listDeployments(target, {
      ...query,
      offset,
    });
    const body: DeploymentsPage = {
      entityRef: target.entityRef,
      section: page.section,
      items: page.items,
      totalCount: page.totalCount,
      nextCursor:
        page.nextOffset !== undefined
          ? encodeCursor(page.nextOffset)
          : undefined,
    };
    res.json(body);
  });

  router.get(
    `${entityPath}/deployments/:deploymentId/changelog`,
    async (req, res) => {
      const { deploymentId } = parseInput(
        deploymentIdSchema,
        { deploymentId: req.params.deploymentId },
        'path',
      );
      const entity = await authorizedEntity(req, lexeconEntityReadPermission);
      res.json(
        await deployments.getChangelog(
          resolveEntityTarget(entity),
          deploymentId,
        ),
      );
    },
  );

  router.post(`${entityPath}/refresh`, async (req, res) => {
    const entity = await authorizedEntity(req, lexeconEntityRefreshPermission);
    if (!isCoveredEntity(entity)) {
      throw new NotFoundError(
        `${stringifyEntityRef(
          entity,
        )} has none of the annotations the Lexecon plugin reads`,
      );
    }
    // Answer at once; the refresh is shared with any other caller (single flight).
    refresher.refreshInBackground(resolveEntityTarget(entity));
    res.status(202).json({ status: 'queued' });
  });

  registerApprovalRoutes(router, {
    httpAuth,
    permissions,
    catalog,
    approvals: options.approvals,
    audit: options.audit,
    authorizedEntity,
  });
  router.use(approvalErrorHandler);

  return router;
}
