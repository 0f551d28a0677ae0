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
  entitySectionsQuerySchema,
  Overview,
  Reliability,
  SectionId,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { isCoveredEntity, resolveEntityTarget } from '../EntityTarget';
import { DeploymentHistoryService } from '../service/DeploymentHistoryService';
import { readSections } from '../sections/readSections';
import { ReliabilityService } from '../service/ReliabilityService';
import { SnapshotReader } from '../snapshots/SnapshotReader';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { Approvals } from '../approvals/createApprovals';
import { AuditLog } from '../audit/AuditLog';
import { refreshRequested } from '../audit/auditEvents';
import { registerAuditRoutes } from '../audit/auditRoutes';
import {
  approvalErrorHandler,
  registerApprovalRoutes,
} from './approvalsRoutes';
import { createEntityAuthorizer } from './authorizeEntity';
import { principalKey, RateLimiter, takeOrAnswer429 } from './rateLimit';
import { decodeCursor, encodeCursor, parseInput } from './parseInput';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  deployments: DeploymentHistoryService;
  refresher: SnapshotRefresher;
  approvals: Approvals;
  audit: AuditLog;
  reader: SnapshotReader;
  reliability: ReliabilityService;
  /** See `lexecon.refresh.minInterval`. */
  refreshMinIntervalMs: number;
}

/** Manual refreshes one person may ask for in a minute (each replica counts its own). */
const REFRESH_LIMIT_PER_MINUTE = 10;

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

  /** The entity's sections, with the data of those in `include` (see readSections). */
  const sectionsOf = async (req: express.Request, include: SectionId[]) => {
    const entity = await authorizedEntity(req, lexeconEntityReadPermission);
    const target = resolveEntityTarget(entity);
    return readSections(
      {
        reader: options.reader,
        deployments,
        reliability: options.reliability,
        approvals: async () =>
          options.approvals.pending.inbox(
            isCoveredEntity(entity) ? [{ entity, target }] : [],
            await options.approvals.identity.viewer(
              await httpAuth.credentials(req, { allow: ['user', 'service'] }),
            ),
          ),
      },
      target,
      include,
    );
  };

  router.get(`${entityPath}/sections`, async (req, res) => {
    const { include } = parseInput(
      entitySectionsQuerySchema,
      req.query,
      'query',
    );
    res.json(await sectionsOf(req, include));
  });

  // The overview and the reliability view are the same shape with a fixed `include`.
  router.get(`${entityPath}/overview`, async (req, res) => {
    const body: Overview = await sectionsOf(req, ['deployments']);
    res.json(body);
  });

  router.get(`${entityPath}/reliability`, async (req, res) => {
    const body: Reliability = await sectionsOf(req, ['flags', 'sla', 'health']);
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

  const refreshLimiter = new RateLimiter({
    limit: REFRESH_LIMIT_PER_MINUTE,
    windowMs: 60_000,
  });
  router.post(`${entityPath}/refresh`, async (req, res) => {
    const entity = await authorizedEntity(req, lexeconEntityRefreshPermission);
    if (!isCoveredEntity(entity)) {
      throw new NotFoundError(
        `${stringifyEntityRef(
          entity,
        )} has none of the annotations the Lexecon plugin reads`,
      );
    }
    const credentials = await httpAuth.credentials(req);
    const caller = principalKey(credentials.principal);
    if (!takeOrAnswer429(refreshLimiter, caller, res, 'refreshes')) return;
    await options.audit.append(refreshRequested(caller, entity));
    // Answer at once; the refresh is shared with any other caller (single flight), and a source
    // fetched moments ago is answered from its snapshot (minimum interval).
    refresher.refreshInBackground(resolveEntityTarget(entity), {
      minIntervalMs: options.refreshMinIntervalMs,
    });
    res.status(202).json({ status: 'queued' });
  });

  registerApprovalRoutes(router, {
    httpAuth,
    permissions,
    catalog,
    approvals: options.approvals,
    authorizedEntity,
  });
  registerAuditRoutes(router, {
    httpAuth,
    permissions,
    audit: options.audit,
  });
  router.use(approvalErrorHandler);

  return router;
}
