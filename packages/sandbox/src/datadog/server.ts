import express, { NextFunction, Request, Response } from 'express';
import { DAY } from '../random';
import { downtimeBetween } from '../observability/seed';
import {
  DowntimeWindow,
  IncidentRecord,
  MonitorRecord,
  SloRecord,
} from '../observability/types';
import { datadogWebPages } from '../observability/web';
import type { Portfolio } from '../portfolio/portfolio';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';

export const DATADOG_API_KEY = 'sandbox-datadog-api-key';
export const DATADOG_APPLICATION_KEY = 'sandbox-datadog-application-key';

const errors = (...messages: string[]) => ({ errors: messages });

/** Reads `name` or `group[key]` (which Express's parser nests as `{ group: { key } }`). */
function queryString(req: Request, name: string): string | undefined {
  const nested = /^(\w+)\[(\w+)\]$/.exec(name);
  const v = nested
    ? (req.query[nested[1]] as Record<string, unknown> | undefined)?.[nested[2]]
    : req.query[name];
  return typeof v === 'string' ? v : undefined;
}

/** Fixed-window counters per rate-limit name, as Datadog reports them in `X-RateLimit-*`. */
class RateLimits {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly limit: number,
    private readonly period: number,
  ) {}

  take(name: string): { allowed: boolean; headers: Record<string, string> } {
    const nowSec = Math.floor(Date.now() / 1000);
    const windowStart = nowSec - (nowSec % this.period);
    let w = this.windows.get(name);
    if (!w || w.start !== windowStart) {
      w = { start: windowStart, used: 0 };
      this.windows.set(name, w);
    }
    const allowed = w.used < this.limit;
    if (allowed) w.used += 1;
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(this.limit),
        'X-RateLimit-Period': String(this.period),
        'X-RateLimit-Remaining': String(Math.max(0, this.limit - w.used)),
        'X-RateLimit-Reset': String(windowStart + this.period - nowSec),
        'X-RateLimit-Name': name,
      },
    };
  }
}

function renderSlo(slo: SloRecord) {
  const threshold = {
    timeframe: slo.timeframe,
    target: slo.target,
    target_display: slo.target.toFixed(1),
    warning: slo.warning,
    warning_display: slo.warning.toFixed(2),
  };
  return {
    id: slo.id,
    name: slo.name,
    description: slo.description,
    type: slo.type,
    type_id: 0,
    tags: slo.tags,
    monitor_ids: slo.monitorIds,
    monitor_tags: [],
    thresholds: [threshold],
    target_threshold: slo.target,
    warning_threshold: slo.warning,
    timeframe: slo.timeframe,
    created_at: Math.floor(slo.created / 1000),
    modified_at: Math.floor(slo.created / 1000),
    creator: {
      email: 'sam.okafor@lexecon.io',
      handle: 'sam.okafor@lexecon.io',
      name: 'Sam Okafor',
    },
  };
}

function renderMonitor(m: MonitorRecord) {
  return {
    id: m.id,
    name: m.name,
    type: m.type,
    query: m.query,
    message: m.message,
    tags: m.tags,
    priority: m.priority,
    overall_state: m.overallState,
    overall_state_modified: new Date(m.stateChangedAt).toISOString(),
    created: new Date(m.created).toISOString(),
    modified: new Date(m.created).toISOString(),
    options: { notify_no_data: false, thresholds: { critical: 1 } },
    multi: false,
    restricted_roles: null,
    deleted: null,
  };
}

function renderIncident(i: IncidentRecord, now: number) {
  const secondsBetween = (a?: number, b?: number) =>
    a !== undefined && b !== undefined ? Math.round((b - a) / 1000) : null;
  const isoOrNull = (ms?: number) =>
    ms === undefined ? null : new Date(ms).toISOString();
  return {
    id: i.id,
    type: 'incidents',
    attributes: {
      public_id: i.publicId,
      title: i.title,
      severity: i.severity,
      state: i.state,
      created: isoOrNull(i.created),
      modified: isoOrNull(i.resolved ?? now),
      detected: isoOrNull(i.detected),
      declared: isoOrNull(i.created),
      resolved: isoOrNull(i.resolved),
      customer_impacted: i.customerImpactStart !== undefined,
      customer_impact_start: isoOrNull(i.customerImpactStart),
      customer_impact_end: isoOrNull(i.customerImpactEnd),
      customer_impact_duration: secondsBetween(
        i.customerImpactStart,
        i.customerImpactEnd,
      ),
      customer_impact_scope: i.customerImpactStart
        ? 'Decision API requests failed'
        : null,
      time_to_detect: secondsBetween(i.created - 2 * 60_000, i.detected),
      time_to_internal_response: 60,
      time_to_repair: secondsBetween(i.detected, i.resolved),
      time_to_resolve: secondsBetween(i.created, i.resolved),
      fields: {
        severity: { type: 'dropdown', value: i.severity },
        state: { type: 'dropdown', value: i.state },
        services: { type: 'autocomplete', value: [i.service] },
        teams: { type: 'autocomplete', value: ['lexecon'] },
      },
      is_test: false,
      archived: null,
    },
    relationships: {
      commander_user: { data: null },
      created_by_user: {
        data: { type: 'users', id: i.declaredBy },
      },
    },
  };
}

/** Tags like `service:lexecon`; every one asked for must be on the monitor or SLO. */
function hasTags(tags: string[], wanted: string | undefined): boolean {
  if (!wanted) return true;
  return wanted
    .split(',')
    .map(t => t.trim())
    .filter(Boolean)
    .every(t => tags.includes(t));
}

function seconds(req: Request, name: string): number | string {
  const raw = queryString(req, name);
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(value)) {
    return `Invalid value for ${name}: expected an epoch timestamp in seconds`;
  }
  return value;
}

type Limited = (
  name: string,
) => (req: Request, res: Response, next: NextFunction) => void;

/** Datadog's answer to an SLO history request: the SLI and error budget from the downtime. */
function sloHistory(
  slo: SloRecord,
  windows: DowntimeWindow[],
  range: { from: number; to: number; target?: number },
) {
  const { from, to, target } = range;
  const down = downtimeBetween(windows, from, to);
  const sli = 100 * (1 - down / (to - from));
  const budget = (t: number) =>
    100 * (1 - down / ((1 - t / 100) * (to - from)));
  const history: Array<[number, number]> = [[Math.floor(from / 1000), 1]];
  for (const w of windows) {
    if (w.end <= from || w.start >= to) continue;
    history.push([Math.floor(Math.max(w.start, from) / 1000), 0]);
    history.push([Math.floor(Math.min(w.end, to) / 1000), 1]);
  }
  const errorBudget: Record<string, number> = {
    [slo.timeframe]: budget(slo.target),
  };
  if (target !== undefined && Number.isFinite(target)) {
    errorBudget.custom = budget(target);
  }
  return {
    data: {
      from_ts: Math.floor(from / 1000),
      to_ts: Math.floor(to / 1000),
      type: 'monitor',
      type_id: 0,
      slo: renderSlo(slo),
      thresholds: { [slo.timeframe]: renderSlo(slo).thresholds[0] },
      overall: {
        name: slo.name,
        sli_value: sli,
        span_precision: 2,
        precision: { [slo.timeframe]: 2, custom: 2 },
        error_budget_remaining: errorBudget,
        history,
        monitor_type: 'query alert',
        monitor_modified: Math.floor(slo.created / 1000),
        preview: false,
        errors: null,
      },
    },
    errors: null,
  };
}

/** SLOs by id or tag, one SLO, and its history over a range of up to 90 days. */
function registerSloRoutes(
  app: express.Express,
  portfolio: Portfolio,
  limited: Limited,
  clock: () => number,
) {
  const findSlo = (req: Request, res: Response): SloRecord | undefined => {
    const slo = portfolio.slos.find(s => s.id === req.params.sloId);
    if (!slo) {
      res.status(404).json(errors('SLO not found'));
    }
    return slo;
  };
  app.get('/api/v1/slo', limited('slo_list'), (req, res) => {
    const ids = queryString(req, 'ids')?.split(',');
    const limit = Number(queryString(req, 'limit') ?? 1000);
    const offset = Number(queryString(req, 'offset') ?? 0);
    const tagsQuery = queryString(req, 'tags_query');
    const query = queryString(req, 'query')?.toLowerCase();
    const matches = portfolio.slos.filter(
      s =>
        (!ids || ids.includes(s.id)) &&
        hasTags(s.tags, tagsQuery) &&
        (!query || s.name.toLowerCase().includes(query)),
    );
    res.json({
      data: matches.slice(offset, offset + limit).map(renderSlo),
      errors: [],
      metadata: {
        page: {
          total_count: matches.length,
          total_filtered_count: matches.length,
        },
      },
    });
  });
  app.get('/api/v1/slo/:sloId', limited('slo_get'), (req, res) => {
    const slo = findSlo(req, res);
    if (slo) res.json({ data: renderSlo(slo), errors: [] });
  });
  app.get('/api/v1/slo/:sloId/history', limited('slo_history'), (req, res) => {
    const slo = findSlo(req, res);
    if (!slo) return;
    const fromTs = seconds(req, 'from_ts');
    const toTs = seconds(req, 'to_ts');
    for (const v of [fromTs, toTs]) {
      if (typeof v === 'string') {
        res.status(400).json(errors(v));
        return;
      }
    }
    const from = (fromTs as number) * 1000;
    const to = Math.min((toTs as number) * 1000, clock());
    if (to <= from) {
      res.status(400).json(errors('from_ts must be before to_ts'));
      return;
    }
    if (to - from > 90 * DAY + 1000) {
      res.status(400).json(errors('The time range must be 90 days or less'));
      return;
    }
    const targetRaw = queryString(req, 'target');
    res.json(
      sloHistory(slo, portfolio.downtime[slo.id] ?? [], {
        from,
        to,
        target: targetRaw !== undefined ? Number(targetRaw) : undefined,
      }),
    );
  });
}

/** Monitors by tag, and incidents newest first, paged. */
function registerMonitorAndIncidentRoutes(
  app: express.Express,
  portfolio: Portfolio,
  limited: Limited,
  clock: () => number,
) {
  app.get('/api/v1/monitor', limited('monitor_list'), (req, res) => {
    const monitorTags = queryString(req, 'monitor_tags');
    const tags = queryString(req, 'tags');
    const pageSize = Number(queryString(req, 'page_size') ?? 100);
    const page = Number(queryString(req, 'page') ?? 0);
    const matches = portfolio.monitors.filter(
      m => hasTags(m.tags, monitorTags) && hasTags(m.tags, tags),
    );
    res.json(
      matches.slice(page * pageSize, (page + 1) * pageSize).map(renderMonitor),
    );
  });
  app.get('/api/v2/incidents', limited('incidents'), (req, res) => {
    const size = Number(queryString(req, 'page[size]') ?? 10);
    const offset = Number(queryString(req, 'page[offset]') ?? 0);
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      res.status(400).json(errors('page[size] must be between 1 and 100'));
      return;
    }
    if (!Number.isInteger(offset) || offset < 0) {
      res.status(400).json(errors('page[offset] must be 0 or more'));
      return;
    }
    const newestFirst = portfolio.incidents.slice().reverse();
    const data = newestFirst
      .slice(offset, offset + size)
      .map(i => renderIncident(i, clock()));
    res.json({
      data,
      included: [],
      meta: {
        pagination: {
          offset,
          next_offset: offset + size,
          size: data.length,
          total_count: newestFirst.length,
        },
      },
    });
  });
}

/** A metric time series with a daily traffic curve, so charts and per-unit costs look real. */
function metricSeries(query: string, from: number, to: number) {
  // `.rollup(sum, 86400)` asks for one point per interval, as Datadog aligns them (to the epoch).
  const rollup = /\.rollup\(\s*\w+\s*,\s*(\d+)\s*\)/.exec(query);
  const interval = rollup
    ? Math.max(60, Number(rollup[1]))
    : Math.max(60, Math.ceil((to - from) / 300 / 60) * 60);
  const perSecond = (t: number) =>
    38 +
    22 * Math.sin(((new Date(t * 1000).getUTCHours() - 8) / 24) * 2 * Math.PI);
  const pointlist: Array<[number, number]> = [];
  for (let t = from - (from % interval); t < to; t += interval) {
    // Longer intervals add up their hours, so a daily point is a day's count.
    const step = Math.min(interval, 3600);
    let value = 0;
    for (let s = t; s < t + interval; s += step) value += step * perSecond(s);
    pointlist.push([t * 1000, Math.round(value)]);
  }
  const scope = /\{([^}]*)\}/.exec(query)?.[1] ?? '*';
  return {
    status: 'ok',
    res_type: 'time_series',
    from_date: from * 1000,
    to_date: to * 1000,
    query,
    message: '',
    group_by: [],
    series: [
      {
        metric: query.replace(/^\w+:/, '').replace(/\{.*$/, ''),
        display_name: query,
        scope,
        expression: query,
        pointlist,
        interval,
        length: pointlist.length,
        start: pointlist[0]?.[0] ?? from * 1000,
        end: pointlist[pointlist.length - 1]?.[0] ?? to * 1000,
        aggr: null,
        unit: null,
        tag_set: [],
      },
    ],
  };
}

function registerMetricQuery(app: express.Express, limited: Limited) {
  app.get('/api/v1/query', limited('metrics_query'), (req, res) => {
    const from = seconds(req, 'from');
    const to = seconds(req, 'to');
    const query = queryString(req, 'query');
    if (typeof from === 'string' || typeof to === 'string' || !query) {
      res
        .status(400)
        .json(
          errors(
            [from, to].find((e): e is string => typeof e === 'string') ??
              'query is required',
          ),
        );
      return;
    }
    res.json(metricSeries(query, from, to));
  });
}

/** Both keys, as Datadog wants them; 403 otherwise. */
function requireKeys(req: Request, res: Response, next: NextFunction) {
  const apiKey = req.get('dd-api-key');
  const appKey = req.get('dd-application-key');
  if (apiKey !== DATADOG_API_KEY || appKey !== DATADOG_APPLICATION_KEY) {
    res.status(403).json(errors('Forbidden'));
    return;
  }
  next();
}

/** Datadog's rate limits per endpoint family, with its `X-RateLimit-*` headers and 429s. */
function rateLimited(options: {
  limit: number;
  periodSeconds: number;
}): Limited {
  const limits = new RateLimits(options.limit, options.periodSeconds);
  return name => (_req, res, next) => {
    const { allowed, headers } = limits.take(name);
    res.set(headers);
    if (!allowed) {
      res
        .status(429)
        .json(
          errors(
            `Rate limit of ${headers['X-RateLimit-Limit']} requests in ${headers['X-RateLimit-Period']} seconds reached. Please try again later.`,
          ),
        );
      return;
    }
    next();
  };
}

/** The Datadog REST API endpoints the portal reads: SLOs, monitors, incidents, metric queries. */
export function createDatadogApp(ctx: UpstreamContext): express.Express {
  const rateLimit = ctx.options.datadogRateLimit ?? {
    limit: 1000,
    periodSeconds: 60,
  };
  const app = upstreamApp(
    ctx,
    'datadog',
    {
      error: (status, message, retryAfterSeconds) => ({
        body: errors(status === 429 ? 'Rate limit exceeded' : message),
        headers:
          status === 429
            ? {
                'X-RateLimit-Limit': String(rateLimit.limit),
                'X-RateLimit-Period': String(rateLimit.periodSeconds),
                'X-RateLimit-Remaining': '0',
                // Datadog sends the seconds left in the period, not an epoch time.
                'x-ratelimit-reset': String(retryAfterSeconds ?? 1),
                'X-RateLimit-Name': 'sandbox_fault',
              }
            : undefined,
      }),
      malformed: '{"data":[{"id":"c5a1e0","name":"Lexecon API availab',
    },
    datadogWebPages(ctx.portfolio),
  );
  app.use(requireKeys);
  const limited = rateLimited(rateLimit);
  registerSloRoutes(app, ctx.portfolio, limited, ctx.clock);
  registerMonitorAndIncidentRoutes(app, ctx.portfolio, limited, ctx.clock);
  registerMetricQuery(app, limited);
  app.use((_req, res) => {
    res.status(404).json(errors('Not found'));
  });
  return app;
}

export const datadogUpstream: UpstreamModule = {
  source: 'datadog',
  portOption: 'datadogPort',
  tls: false,
  createApp: createDatadogApp,
};
