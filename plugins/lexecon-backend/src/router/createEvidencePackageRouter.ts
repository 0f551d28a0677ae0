import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ChangePopulationCompleteness,
  EvidenceSample,
  evidencePackageQuerySchema,
  evidenceSampleQuerySchema,
  evidenceWindowQuerySchema,
  EvidenceSigningKeyView,
  PopulationKind,
  populationKindSchema,
} from '@internal/plugin-lexecon-common';
import { JsonObject } from '@backstage/types';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { AuditLog } from '../audit/AuditLog';
import { resolveEntityTarget } from '../EntityTarget';
import {
  EvidencePackageDeps,
  writeEvidencePackage,
} from '../evidence/package/writeEvidencePackage';
import { changeCompleteness } from '../evidence/populations/changeCompleteness';
import {
  POPULATION_KEYS,
  populationKey,
} from '../evidence/populations/PopulationReader';
import { randomSeed, SampleDraw } from '../evidence/sampling/drawSample';
import { evidenceAccess } from './evidenceAccess';
import { parseInput } from './parseInput';

const DEFAULT_WINDOW_MS = 90 * 86_400_000;

export interface EvidencePackageRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  audit: AuditLog;
  package: EvidencePackageDeps;
  now?: () => Date;
}

/**
 * What an auditor takes away under /v1/evidence: a reproducible sample of a population, the
 * change population's completeness against GitHub's deployment list, the signed evidence package
 * (audited) and the public key that verifies it.
 */
export async function createEvidencePackageRouter(
  options: EvidencePackageRouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, audit, logger } = options;
  const deps = options.package;
  const access = evidenceAccess(httpAuth, permissions);
  const router = Router();
  const now = () => options.now?.() ?? new Date();

  function windowOf(query: { from?: string; to?: string }) {
    const to = query.to ? new Date(query.to) : now();
    const from = query.from
      ? new Date(query.from)
      : new Date(to.getTime() - DEFAULT_WINDOW_MS);
    return { from: from.toISOString(), to: to.toISOString() };
  }

  /** The services the caller can read, as the populations cover them. */
  async function servicesOf(req: Request) {
    const { items } = await catalog.getEntities(
      { filter: { kind: 'component' } },
      { credentials: await httpAuth.credentials(req) },
    );
    return items
      .map(resolveEntityTarget)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  router.get('/v1/evidence/populations/:kind/sample', async (req, res) => {
    const { kind } = parseInput(
      z.object({ kind: populationKindSchema }),
      req.params,
      'path',
    );
    const query = parseInput(evidenceSampleQuerySchema, req.query, 'query');
    await access.requireRead(req);
    const { from, to } = windowOf(query);
    const seed = query.seed ?? randomSeed();
    const draw = new SampleDraw<EvidenceSample['rows'][number]['row']>({
      seed,
      size: query.size,
    });
    const rows = deps.populations.rows(kind, {
      from,
      to,
      services: await servicesOf(req),
    });
    for await (const row of rows) {
      draw.add(populationKey(kind, row), row);
    }
    let sample;
    try {
      sample = draw.result();
    } catch (error) {
      throw new InputError(
        `Invalid request: query parameter 'size' ${(error as Error).message}`,
      );
    }
    const body: EvidenceSample = {
      kind: kind as PopulationKind,
      generatedAt: now().toISOString(),
      from,
      to,
      key: POPULATION_KEYS[kind],
      ...sample,
    };
    res.json(body);
  });

  router.get(
    '/v1/evidence/populations/changes/completeness',
    async (req, res) => {
      const query = parseInput(evidenceWindowQuerySchema, req.query, 'query');
      await access.requireRead(req);
      const window = windowOf(query);
      const body: ChangePopulationCompleteness = {
        generatedAt: now().toISOString(),
        ...(await changeCompleteness(deps, {
          ...window,
          services: await servicesOf(req),
          historyDays: deps.historyDays,
        })),
      };
      res.json(body);
    },
  );

  router.get('/v1/evidence/signing-key', async (req, res) => {
    await access.requireRead(req);
    const key = deps.signingKey;
    const body: EvidenceSigningKeyView = {
      algorithm: 'Ed25519',
      ...(key.unavailable
        ? { unavailable: key.unavailable }
        : { publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint }),
      ...(key.insecure ? { insecure: key.insecure } : {}),
    };
    res.json(body);
  });

  router.get('/v1/evidence/package', async (req, res) => {
    const query = parseInput(evidencePackageQuerySchema, req.query, 'query');
    await access.requireRead(req);
    if (deps.signingKey.unavailable) {
      throw new ServiceUnavailableError(deps.signingKey.unavailable);
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const actor =
      credentials.principal.type === 'user'
        ? credentials.principal.userEntityRef
        : `service:${credentials.principal.subject}`;
    const { from, to } = windowOf(query);
    const generatedAt = now();
    const services = await servicesOf(req);
    const seed = query.seed ?? randomSeed();
    const recordPackage = (details: JsonObject) =>
      audit.append({
        action: 'evidence-package-generated',
        actor,
        subject: `evidence package ${from} to ${to}`,
        details: {
          from,
          to,
          seed,
          services: services.map(s => s.entityRef),
          ...details,
        },
      });
    res
      .type('application/zip')
      .attachment(
        `lexecon-evidence-${from.slice(0, 10)}-${to.slice(0, 10)}.zip`,
      );
    try {
      const summary = await writeEvidencePackage(
        deps,
        { from, to, services, seed, generatedAt, generatedBy: actor },
        res,
      );
      await recordPackage({
        ...summary,
        signingKeySha256: deps.signingKey.fingerprint,
        outcome: 'written',
      });
    } catch (error) {
      // The response has started: the zip ends unfinished and fails any verifier.
      logger.error(`Evidence package ${from} to ${to} failed: ${error}`);
      await recordPackage({
        outcome: `not finished: ${(error as Error).message}`,
      });
    }
  });

  return router;
}
