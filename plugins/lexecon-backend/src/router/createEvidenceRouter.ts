import {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ChangePopulation,
  changePopulationCsv,
  changePopulationQuerySchema,
  EvidenceControlDetail,
  evidenceControlsQuerySchema,
  lexeconEvidenceReadPermission,
  lexeconEvidenceWritePermission,
} from '@internal/plugin-lexecon-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { EvidenceSettings } from '../evidence/evidenceConfig';
import {
  controlsResponse,
  controlView,
  observationView,
} from '../evidence/evidenceViews';
import { EvidenceStore } from '../evidence/EvidenceStore';
import { DAY_MS } from '../evidence/rules/freshness';
import { parseInput } from './parseInput';

const DEFAULT_WINDOW_MS = 90 * DAY_MS;

export interface EvidenceRouterOptions {
  httpAuth: HttpAuthService;
  /** Who the caller is and the groups they belong to: what is due next of theirs. */
  userInfo: UserInfoService;
  permissions: PermissionsService;
  catalog: CatalogService;
  evidence: EvidenceStore;
  settings: EvidenceSettings;
  now?: () => Date;
}

/**
 * The auditor's view under /v1/evidence: the controls with their items' status at the window's
 * end, one control with every observation in the window, and the production change population
 * (JSON or CSV) with the query that built it. Everything is read from the evidence store: a view
 * never calls upstream.
 */
export async function createEvidenceRouter(
  options: EvidenceRouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, evidence, settings } = options;
  const router = Router();
  const now = () => options.now?.() ?? new Date();

  async function allowed(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The user and the groups they belong to; none for a service caller. */
  async function ownershipOf(req: Request): Promise<string[]> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type !== 'user') return [];
    const info = await options.userInfo.getUserInfo(credentials);
    return info.ownershipEntityRefs;
  }

  async function requireRead(req: Request) {
    if (!(await allowed(req, lexeconEvidenceReadPermission))) {
      throw new NotAllowedError(
        `Missing permission ${lexeconEvidenceReadPermission.name}: evidence is for auditors, release approvers and evidence owners`,
      );
    }
  }

  /** The window, `to` defaulting to now and `from` to 90 days before `to`. */
  function windowOf(query: { from?: string; to?: string }) {
    const to = query.to ? new Date(query.to) : now();
    const from = query.from
      ? new Date(query.from)
      : new Date(to.getTime() - DEFAULT_WINDOW_MS);
    return { from: from.toISOString(), to: to.toISOString(), at: to };
  }

  router.get('/v1/evidence/controls', async (req, res) => {
    const query = parseInput(evidenceControlsQuerySchema, req.query, 'query');
    await requireRead(req);
    const { from, to, at } = windowOf(query);
    const observations = await evidence.observations({
      from,
      to,
      ...(query.service ? { entityRefs: [query.service] } : {}),
    });
    res.json(
      controlsResponse(
        settings.catalog,
        observations,
        { ...query, from, to },
        {
          now: at,
          dueSoonLeadMs: settings.dueSoonLeadMs,
          canWrite: await allowed(req, lexeconEvidenceWritePermission),
          ownership: await ownershipOf(req),
          generatedAt: now().toISOString(),
        },
      ),
    );
  });

  router.get('/v1/evidence/controls/:id', async (req, res) => {
    const query = parseInput(evidenceControlsQuerySchema, req.query, 'query');
    await requireRead(req);
    const control = settings.catalog.find(c => c.id === req.params.id);
    if (!control) {
      throw new NotFoundError(`No control '${req.params.id}' in the catalog`);
    }
    const { from, to, at } = windowOf(query);
    const observations = await evidence.observations({
      itemIds: control.items.map(i => i.id),
      from,
      to,
      ...(query.service ? { entityRefs: [query.service] } : {}),
    });
    const body: EvidenceControlDetail = {
      generatedAt: now().toISOString(),
      from,
      to,
      control: controlView(control, observations, {
        now: at,
        dueSoonLeadMs: settings.dueSoonLeadMs,
      }),
      observations: observations.map(o => ({
        itemId: o.itemId,
        ...observationView(o),
      })),
    };
    res.json(body);
  });

  router.get('/v1/evidence/populations/changes', async (req, res) => {
    const query = parseInput(changePopulationQuerySchema, req.query, 'query');
    await requireRead(req);
    const { from, to } = windowOf(query);
    const { items } = await options.catalog.getEntities(
      { filter: { kind: 'component' }, fields: ['kind', 'metadata'] },
      { credentials: await httpAuth.credentials(req) },
    );
    const services = items.map(e => stringifyEntityRef(e)).sort();
    const rows = await evidence.changes({ from, to, entityRefs: services });
    const population: ChangePopulation = {
      generatedAt: now().toISOString(),
      query:
        'Every deploy to the production environment (the last of each service’s lexecon.io/environments) in the merged GitHub Actions and Helm history, started at or after `from` and before `to`, of every component the caller can read, ordered by start',
      parameters: { from, to, services },
      rowCount: rows.length,
      exceptionCount: rows.filter(r => r.exceptions.length).length,
      rows,
    };
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(
          `lexecon-change-population-${from.slice(0, 10)}-${to.slice(
            0,
            10,
          )}.csv`,
        )
        .set('X-Lexecon-Population-Query', encodeURIComponent(population.query))
        .set(
          'X-Lexecon-Population-Parameters',
          JSON.stringify(population.parameters),
        )
        .set('X-Lexecon-Population-Row-Count', String(population.rowCount))
        .send(changePopulationCsv(rows));
      return;
    }
    res.json(population);
  });

  return router;
}
