import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  approvalParamsSchema,
  auditQuerySchema,
  decisionBodySchema,
  GITHUB_TOKEN_HEADER,
  lexeconAuditReadPermission,
  lexeconEntityReadPermission,
} from '@internal/plugin-lexecon-common';
import express, { NextFunction, Request, Response } from 'express';
import { Approvals } from '../approvals/createApprovals';
import { AuditLog } from '../audit/AuditLog';
import { ApprovalHttpError } from '../approvals/errors';
import { isCoveredEntity, resolveEntityTarget } from '../EntityTarget';
import { catalogFilterFor } from '../sources/catalogFilter';
import { parseInput } from './parseInput';

export interface ApprovalRoutesOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  approvals: Approvals;
  audit: AuditLog;
  authorizedEntity(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<Entity>;
}

const entityPath = '/v1/entities/:namespace/:kind/:name';

/** Inbox, decisions and the audit trail under /v1. */
export function registerApprovalRoutes(
  router: express.Router,
  options: ApprovalRoutesOptions,
) {
  const { httpAuth, permissions, catalog, approvals, audit } = options;

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

  async function requireAuditRead(credentials: BackstageCredentials) {
    const [decision] = await permissions.authorize(
      [{ permission: lexeconAuditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${lexeconAuditReadPermission.name}: the approvals audit trail is for auditors and release approvers`,
      );
    }
  }

  router.get('/v1/audit', async (req, res) => {
    const query = parseInput(auditQuerySchema, req.query, 'query');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requireAuditRead(credentials);
    res.json(
      await audit.list({
        entityRef: query.entityRef,
        from: query.from,
        to: query.to,
        limit: query.limit,
        beforeId: query.cursor ? Number(query.cursor) : undefined,
      }),
    );
  });

  router.get('/v1/audit/verify', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requireAuditRead(credentials);
    res.json(await audit.verify());
  });
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
