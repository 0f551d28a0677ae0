import express, { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FaultState, RequestLog, faultMiddleware } from '../faults';
import { FlagRecord, ObservabilityWorld } from '../observability/seed';
import { unleashWebPages } from '../observability/web';

export interface UnleashServerOptions {
  observability: ObservabilityWorld;
  /** Accepted admin tokens (sent raw in `Authorization`, as Unleash expects). */
  tokens: string[];
  faults: FaultState;
  log: RequestLog;
  held: Set<Response>;
}

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

/** The Unleash Admin API (v6+ paths) for one project, read-only. */
export function createUnleashApp(opts: UnleashServerOptions): express.Express {
  const { observability: obs } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Web pages people open from the portal's links; not part of the API (no key, no faults).
  app.use(unleashWebPages(obs));
  app.use(
    faultMiddleware({
      source: 'unleash',
      faults: opts.faults,
      log: opts.log,
      held: opts.held,
      bodies: {
        error: (_status, message) => ({
          body: errorBody('InternalError', message),
        }),
        malformed: '{"version":1,"features":[{"name":"enable_async_auth","env',
      },
    }),
  );
  app.use((req, res, next) => {
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
    if (!opts.tokens.includes(token)) {
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
  });

  const findProject = (req: Request, res: Response): boolean => {
    if (req.params.projectId !== obs.unleashProject) {
      res
        .status(404)
        .json(
          errorBody(
            'NotFoundError',
            `Could not find project with id "${req.params.projectId}".`,
          ),
        );
      return false;
    }
    return true;
  };
  const lastSeen = (f: FlagRecord) =>
    f.environments
      .map(e => e.lastSeenAt)
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop() ?? null;

  app.get('/api/admin/projects/:projectId/features', (req, res) => {
    if (!findProject(req, res)) return;
    res.json({
      version: 1,
      features: obs.flags.map(f => ({
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
      })),
    });
  });

  app.get(
    '/api/admin/projects/:projectId/features/:featureName',
    (req, res) => {
      if (!findProject(req, res)) return;
      const flag = obs.flags.find(f => f.name === req.params.featureName);
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
      res.json({
        name: flag.name,
        type: flag.type,
        project: obs.unleashProject,
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
      });
    },
  );

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
    const matches = obs.flagEvents
      .filter(e => {
        const at = Date.parse(e.createdAt);
        const check = (f: Filter | string | undefined, v: string | null) =>
          typeof f !== 'function' || f(v);
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
      .slice()
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

  app.use((_req, res) => {
    res
      .status(404)
      .json(
        errorBody('NotFoundError', 'The requested resource could not be found'),
      );
  });
  return app;
}
