import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  approvalParamsSchema,
  decisionBodySchema,
  GITHUB_TOKEN_HEADER,
  lexeconEntityReadPermission,
} from '@internal/plugin-lexecon-common';
import express, { NextFunction, Request, Response } from 'express';
import { Approvals } from '../approvals/createApprovals';
import { ApprovalHttpError } from '../approvals/errors';
import { isCoveredEntity, resolveEntityTarget } from '../EntityTarget';
import { catalogFilterFor } from '../sources/catalogFilter';
import { parseInput } from './parseInput';
import { principalKey, RateLimiter, takeOrAnswer429 } from './rateLimit';

export interface ApprovalRoutesOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  approvals: Approvals;
  authorizedEntity(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<Entity>;
}

const entityPath = '/v1/entities/:namespace/:kind/:name';

/** Decision requests one person may make in a minute (each replica counts its own). */
const DECISIONS_PER_MINUTE = 10;

/** Inbox and decisions under /v1 (the audit trail's routes are in audit/auditRoutes.ts). */
export function registerApprovalRoutes(
  router: express.Router,
  options: ApprovalRoutesOptions,
) {
  const { httpAuth, permissions, catalog, approvals } = options;
  const decisionLimiter = new RateLimiter({
    limit: DECISIONS_PER_MINUTE,
    windowMs: 60_000,
  });

  router.get('/v1/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { items } = await catalog.getEntities(
      {
        filter: catalogFilterFor(['github-approvals']),
      },
      { credentials },
    );
    const covered = items.filter(isCoveredEntity).map(entity => ({
      entity,
      target: resolveEntityTarget(entity),
    }));
    const readable = covered.length
      ? await permissions.authorize(
          covered.map(c => ({
            permission: lexeconEntityReadPermission,
            resourceRef: c.target.entityRef,
          })),
          { credentials },
        )
      : [];
    res.json(
      await approvals.pending.inbox(
        covered.filter((_, i) => readable[i].result === AuthorizeResult.ALLOW),
        await approvals.identity.viewer(credentials),
      ),
    );
  });

  router.get(`${entityPath}/approvals`, async (req, res) => {
    const entity = await options.authorizedEntity(
      req,
      lexeconEntityReadPermission,
    );
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await approvals.pending.inbox(
        isCoveredEntity(entity)
          ? [{ entity, target: resolveEntityTarget(entity) }]
          : [],
        await approvals.identity.viewer(credentials),
      ),
    );
  });

  router.post(
    `${entityPath}/approvals/:runId/:environment`,
    async (req, res) => {
      const params = parseInput(
        approvalParamsSchema,
        { runId: req.params.runId, environment: req.params.environment },
        'path',
      );
      const body = parseInput(decisionBodySchema, req.body ?? {}, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      // Refusals count too: nobody can fill the audit trail by asking again and again.
      const caller = principalKey(credentials.principal);
      if (!takeOrAnswer429(decisionLimiter, caller, res, 'decisions')) return;
      // Entity visibility only: the approve permission is checked (and a refusal audited) below.
      const entity = await options.authorizedEntity(
        req,
        lexeconEntityReadPermission,
      );
      const token = req.header(GITHUB_TOKEN_HEADER)?.trim() || undefined;
      const result = await approvals.workflow.decide({
        entity,
        target: resolveEntityTarget(entity),
        runId: params.runId,
        environment: params.environment,
        body,
        githubToken: token,
        viewer: await approvals.identity.viewer(credentials),
        request: req,
      });
      res.json(result);
    },
  );
}

/** Answers ApprovalHttpErrors with Backstage's error body plus the conflict details. */
export function approvalErrorHandler(
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
) {
  if (!(error instanceof ApprovalHttpError)) {
    next(error);
    return;
  }
  res.status(error.statusCode).json({
    error: { name: error.name, message: error.message },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: error.statusCode },
    ...(error.conflict ? { conflict: error.conflict } : {}),
  });
}
