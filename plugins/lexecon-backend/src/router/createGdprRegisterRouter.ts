import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DsrDeadlineRule,
  GdprRegisters,
  lexeconEvidenceWritePermission,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  BREACHES,
  PROCESSING_RECORDS,
  RegisterSpec,
  REQUESTS,
} from '../evidence/gdpr/gdprRegisterSpecs';
import { GdprRegisterStore } from '../evidence/gdpr/GdprRegisterStore';
import { evidenceAccess } from './evidenceAccess';
import { parseInput } from './parseInput';

export interface GdprRegisterRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  registers: GdprRegisterStore;
  deadlineRule: DsrDeadlineRule;
  now?: () => Date;
}

const idParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * The GDPR registers under /v1/evidence/gdpr: all three at once, and for each register
 * (`processing-records`, `requests`, `breaches`) its list, a new entry and a change to one.
 * Reading needs lexecon.evidence.read, writing lexecon.evidence.write; every write is audited.
 */
export async function createGdprRegisterRouter(
  options: GdprRegisterRouterOptions,
): Promise<express.Router> {
  const { registers } = options;
  const access = evidenceAccess(options.httpAuth, options.permissions);
  const now = () => options.now?.() ?? new Date();
  const router = Router();
  router.use('/v1/evidence/gdpr', express.json({ limit: '64kb' }));

  router.get('/v1/evidence/gdpr', async (req, res) => {
    await access.requireRead(req);
    const at = now();
    const [processingRecords, requests, breaches, canWrite] = await Promise.all(
      [
        registers.list(PROCESSING_RECORDS, at),
        registers.list(REQUESTS, at),
        registers.list(BREACHES, at),
        access.can(req, lexeconEvidenceWritePermission),
      ],
    );
    const body: GdprRegisters = {
      generatedAt: at.toISOString(),
      deadlineRule: options.deadlineRule,
      canWrite,
      processingRecords,
      requests,
      breaches,
    };
    res.json(body);
  });

  function routes<B, V>(spec: RegisterSpec<B, V>) {
    const path = `/v1/evidence/gdpr/${spec.name}`;
    router.get(path, async (req, res) => {
      await access.requireRead(req);
      res.json({ items: await registers.list(spec, now()) });
    });
    router.post(path, async (req, res) => {
      const by = await access.requireWriter(req);
      const body = parseInput(spec.schema, req.body ?? {}, 'body');
      res.status(201).json(await registers.create(spec, body, by));
    });
    router.put(`${path}/:id`, async (req, res) => {
      const by = await access.requireWriter(req);
      const { id } = parseInput(idParams, req.params, 'path');
      const body = parseInput(spec.schema, req.body ?? {}, 'body');
      res.json(await registers.update(spec, id, body, by));
    });
  }
  routes(PROCESSING_RECORDS);
  routes(REQUESTS);
  routes(BREACHES);

  router.use('/v1/evidence/gdpr/:register', (req, _res, next) =>
    next(
      new NotFoundError(
        `No GDPR register '${req.params.register}': processing-records, requests or breaches`,
      ),
    ),
  );
  return router;
}
