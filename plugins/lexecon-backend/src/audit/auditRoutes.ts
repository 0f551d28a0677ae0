import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AuditPin,
  auditPinSchema,
  auditQuerySchema,
  lexeconAuditReadPermission,
} from '@internal/plugin-lexecon-common';
import express, { Request } from 'express';
import { parseInput } from '../router/parseInput';
import { AuditLog } from './AuditLog';

export interface AuditRoutesOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditLog;
}

/** The audit trail under /v1/audit: the records, the head to pin, and verification. */
export function registerAuditRoutes(
  router: express.Router,
  options: AuditRoutesOptions,
) {
  const { httpAuth, permissions, audit } = options;

  async function requireAuditRead(req: Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: lexeconAuditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${lexeconAuditReadPermission.name}: the audit trail is for auditors and release approvers`,
      );
    }
  }

  router.get('/v1/audit', async (req, res) => {
    const query = parseInput(auditQuerySchema, req.query, 'query');
    await requireAuditRead(req);
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

  router.get('/v1/audit/head', async (req, res) => {
    await requireAuditRead(req);
    res.json(await audit.head());
  });

  const verify = async (pin: AuditPin) =>
    audit.verify(
      pin.hash !== undefined && pin.count !== undefined
        ? { hash: pin.hash, count: pin.count }
        : undefined,
    );

  router.get('/v1/audit/verify', async (req, res) => {
    const pin = parseInput(auditPinSchema, req.query, 'query');
    await requireAuditRead(req);
    res.json(await verify(pin));
  });

  router.post('/v1/audit/verify', async (req, res) => {
    const pin = parseInput(auditPinSchema, req.body ?? {}, 'body');
    await requireAuditRead(req);
    res.json(await verify(pin));
  });
}
