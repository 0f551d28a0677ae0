import express, { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FlagRecord, ObservabilityData } from '../observability/types';
import { unleashWebPages } from '../observability/web';
import type { Portfolio } from '../portfolio/portfolio';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';

/** The admin token the sandbox accepts (sent raw in `Authorization`, as Unleash expects). */
export const UNLEASH_TOKEN = 'user:sandbox-unleash-admin-token';

function errorBody(name: string, message: string) {
  return { id: randomUUID(), name, message, details: [{ message }] };
}

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

type Filter = (value: string | null | undefined) => boolean;

/** Unleash search filters: `IS:a`, `IS_NOT:a`, `IS_ANY_OF:a,b`, `IS_NONE_OF:a,b`. */
function parseFilter(raw: string | undefined): Filter | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const m = /^(IS|IS_NOT|IS_ANY_OF|IS_NONE_OF):(.*)$/.exec(raw);
  if (!m) return `invalid filter "${raw}"; expected OPERATOR:value`;
  const values = m[2].split(',').map(v => v.trim());
  switch (m[1]) {
    case 'IS':
    case 'IS_ANY_OF':
      return v => v !== null && v !== undefined && values.includes(v);
    default:
      return v => v === null || v === undefined || !values.includes(v);
  }
}

/** Date filters: `IS_ON_OR_AFTER:2026-01-01`, `IS_BEFORE:…`, or `IS:2026-01-01` (that day). */
function parseDateFilter(
  raw: string | undefined,
  bound: 'from' | 'to',
): ((ms: number) => boolean) | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const m =
    /^(IS|IS_ON_OR_AFTER|IS_BEFORE|IS_AFTER|IS_ON_OR_BEFORE):(.+)$/.exec(raw);
  const date = m ? Date.parse(m[2]) : NaN;
  if (!m || Number.isNaN(date)) {
    return `invalid date filter "${raw}"; expected e.g. IS_ON_OR_AFTER:2026-01-01`;
  }
  const dayEnd = /T/.test(m[2]) ? date : date + 86_400_000;
  switch (m[1]) {
    case 'IS_ON_OR_AFTER':
      return ms => ms >= date;
    case 'IS_AFTER':
      return ms => ms > date;
    case 'IS_BEFORE':
      return ms => ms < date;
    case 'IS_ON_OR_BEFORE':
      return ms => ms < dayEnd;
    default:
      return bound === 'from' ? ms => ms >= date : ms => ms < dayEnd;
  }
}

function renderStrategy(
  s: FlagRecord['environments'][number]['strategies'][number],
  i: number,
) {
  return {
    id: s.id,
    name: s.name,
    title: '',
    constraints: s.constraints.map(c => ({
      ...c,
      caseInsensitive: false,
      inverted: false,
    })),
    parameters: s.parameters,
    segments: [],
    variants: [],
    disabled: s.disabled,
    sortOrder: i,
  };
}

/** Unleash's 401s: no token, or one it does not know. */
function requireToken(tokens: string[]) {
  return (req: Request, res: Response, next: () => void) => {
    const token = req.get('authorization');
    if (!token) {
      res
        .status(401)
        .json(
          errorBody(
            'AuthenticationRequired',
            'You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login.',
          ),
        );
      return;
    }
    if (!tokens.includes(token)) {
      res
        .status(401)
        .json(
          errorBody(
            'AuthenticationRequired',
            'You must log in to use Unleash. The API token in your request is not valid.',
          ),
        );
      return;
    }
    next();
  };
}

function lastSeen(f: FlagRecord): string | null {
  return (
    f.environments
      .map(e => e.lastSeenAt)
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop() ?? null
  );
}

function featureSummary(f: FlagRecord) {
  return {
    type: f.type,
    name: f.name,
    description: f.description,
    createdAt: f.createdAt,
    lastSeenAt: lastSeen(f),
    stale: f.stale,
    favorite: false,
    impressionData: false,
    environments: f.environments.map((e, i) => ({
      name: e.name,
      environment: e.name,
      type: e.type,
      enabled: e.enabled,
      sortOrder: i,
      variantCount: 0,
      lastSeenAt: e.lastSeenAt ?? null,
      hasStrategies: e.strategies.length > 0,
      hasEnabledStrategies: e.strategies.some(s => !s.disabled),
    })),
    tags: [],
  };
}

function feature(project: string, flag: FlagRecord) {
  return {
    name: flag.name,
    type: flag.type,
    project,
    description: flag.description,
    stale: flag.stale,
    archived: false,
    impressionData: false,
    createdAt: flag.createdAt,
    lastSeenAt: lastSeen(flag),
    environments: flag.environments.map((e, i) => ({
      name: e.name,
      environment: e.name,
      type: e.type,
      enabled: e.enabled,
      sortOrder: i,
      lastSeenAt: e.lastSeenAt ?? null,
      strategies: e.strategies.map(renderStrategy),
      variants: [],
    })),
    variants: [],
    tags: [],
  };
}

/** A project's features, and one feature with its strategies. */
function registerFeatureRoutes(app: express.Express, portfolio: Portfolio) {
  const findProject = (
    req: Request,
    res: Response,
  ): ObservabilityData | undefined => {
    const project = portfolio.project(req.params.projectId);
    if (!project) {
      res
        .status(404)
        .json(
          errorBody(
            'NotFoundError',
            `Could not find project with id "${req.params.projectId}".`,
          ),
        );
    }
    return project;
  };
  app.get('/api/admin/projects/:projectId/features', (req, res) => {
    const project = findProject(req, res);
    if (!project) return;
    res.json({ version: 1, features: project.flags.map(featureSummary) });
  });
  app.get(
    '/api/admin/projects/:projectId/features/:featureName',
    (req, res) => {
      const project = findProject(req, res);
      if (!project) return;
      const flag = project.flags.find(f => f.name === req.params.featureName);
      if (!flag) {
        res
          .status(404)
          .json(
            errorBody(
              'NotFoundError',
              `Could not find feature toggle with name ${req.params.featureName}`,
            ),
          );
        return;
      }
      res.json(feature(project.unleashProject, flag));
    },
  );
}

/** `GET /api/admin/search/events`: every project's change events, filtered, newest first. */
function registerEventSearch(app: express.Express, portfolio: Portfolio) {
  app.get('/api/admin/search/events', (req, res) => {
    const filters = {
      project: parseFilter(queryString(req, 'project')),
      feature: parseFilter(queryString(req, 'feature')),
      environment: parseFilter(queryString(req, 'environment')),
      type: parseFilter(queryString(req, 'type')),
      createdBy: parseFilter(queryString(req, 'createdBy')),
    };
    const from = parseDateFilter(queryString(req, 'from'), 'from');
    const to = parseDateFilter(queryString(req, 'to'), 'to');
    for (const [name, f] of Object.entries({ ...filters, from, to })) {
      if (typeof f === 'string') {
        res.status(400).json(errorBody('BadDataError', `${name}: ${f}`));
        return;
      }
    }
    const offset = Number(queryString(req, 'offset') ?? 0);
    const limit = Number(queryString(req, 'limit') ?? 50);
    if (!Number.isInteger(offset) || offset < 0) {
      res
        .status(400)
        .json(
          errorBody('BadDataError', 'offset must be a non-negative integer'),
        );
      return;
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      res
        .status(400)
        .json(errorBody('BadDataError', 'limit must be between 1 and 1000'));
      return;
    }
    const query = queryString(req, 'query')?.toLowerCase();
    const check = (f: Filter | string | undefined, v: string | null) =>
      typeof f !== 'function' || f(v);
    const matches = portfolio.flagEvents
      .filter(e => {
        const at = Date.parse(e.createdAt);
        return (
          check(filters.project, e.project) &&
          check(filters.feature, e.featureName) &&
          check(filters.environment, e.environment) &&
          check(filters.type, e.type) &&
          check(filters.createdBy, e.createdBy) &&
          (typeof from !== 'function' || from(at)) &&
          (typeof to !== 'function' || to(at)) &&
          (!query ||
            `${e.featureName} ${e.type} ${e.createdBy}`
              .toLowerCase()
              .includes(query))
        );
      })
      .reverse();
    res.json({
      events: matches.slice(offset, offset + limit).map(e => ({
        ...e,
        tags: [],
        label: null,
        summary: null,
        ip: '10.0.4.12',
        groupType: null,
        groupId: null,
      })),
      total: matches.length,
    });
  });
}

/** The Unleash Admin API (v6+ paths) for every service's project, read-only. */
export function createUnleashApp(ctx: UpstreamContext): express.Express {
  const app = upstreamApp(
    ctx,
    'unleash',
    {
      error: (_status, message) => ({
        body: errorBody('InternalError', message),
      }),
      malformed: '{"version":1,"features":[{"name":"enable_async_auth","env',
    },
    unleashWebPages(ctx.portfolio),
  );
  app.use(requireToken([UNLEASH_TOKEN]));
  registerFeatureRoutes(app, ctx.portfolio);
  registerEventSearch(app, ctx.portfolio);
  app.use((_req, res) => {
    res
      .status(404)
      .json(
        errorBody('NotFoundError', 'The requested resource could not be found'),
      );
  });
  return app;
}

export const unleashUpstream: UpstreamModule = {
  source: 'unleash',
  portOption: 'unleashPort',
  tls: false,
  createApp: createUnleashApp,
};
