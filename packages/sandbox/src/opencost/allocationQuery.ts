import { DAY } from '../random';

/** A query OpenCost refuses, answered as its handler does: `http.Error` with status 400. */
export class OpenCostError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

export interface AllocationQuery {
  start: number;
  end: number;
  /** Length of one allocation set; the whole window when `step` is absent. */
  stepMs: number;
  /** Allocation properties to aggregate by, in order; empty: one allocation per container. */
  aggregate: string[];
  idle: boolean;
  shareIdle: boolean;
  accumulate: boolean;
  /** `filter`'s clauses, all of which an allocation must meet: a property and the values it may have. */
  filter: Array<{ property: 'namespace' | 'cluster'; values: string[] }>;
}

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: DAY,
  w: 7 * DAY,
};

const MAX_SETS = 5000;

const AGGREGATES = new Set([
  'cluster',
  'node',
  'namespace',
  'controllerKind',
  'controller',
  'service',
  'pod',
  'container',
]);

function duration(raw: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(raw);
  return match ? Number(match[1]) * UNITS[match[2]] : undefined;
}

const midnight = (ms: number) => ms - (ms % DAY);

function namedWindow(word: string, now: number): [number, number] | undefined {
  const today = midnight(now);
  const d = new Date(today);
  const weekStart = today - d.getUTCDay() * DAY;
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  switch (word) {
    case 'today':
      return [today, now];
    case 'yesterday':
      return [today - DAY, today];
    case 'week':
      return [weekStart, now];
    case 'lastweek':
      return [weekStart - 7 * DAY, weekStart];
    case 'month':
      return [monthStart, now];
    case 'lastmonth':
      return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), monthStart];
    default:
      return undefined;
  }
}

/** A unix timestamp in seconds or an RFC3339 time, in ms; NaN otherwise. */
function instant(raw: string): number {
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(raw)) {
    return Date.parse(raw);
  }
  return NaN;
}

function pair(raw: string): [number, number] | undefined {
  const parts = raw.split(',');
  if (parts.length !== 2) return undefined;
  const [a, b] = parts.map(instant);
  return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : undefined;
}

/** `window`: a word (`today`, `lastweek` …), a duration ending now (`7d`), or an RFC3339 or unix pair. */
export function parseWindow(raw: string, now: number): [number, number] {
  const span = duration(raw);
  const window =
    span !== undefined ? [now - span, now] : namedWindow(raw, now) ?? pair(raw);
  if (!window) {
    throw new OpenCostError(
      `Invalid 'window' parameter: illegal window: ${raw}`,
    );
  }
  if (window[1] < window[0]) {
    throw new OpenCostError(
      `Invalid 'window' parameter: illegal window: ${raw}: end is before start`,
    );
  }
  return window as [number, number];
}

function bool(name: string, raw: string | undefined, fallback: boolean) {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new OpenCostError(
    `Invalid '${name}' parameter: strconv.ParseBool: parsing "${raw}": invalid syntax`,
  );
}

/**
 * OpenCost's v2 filter, as far as the sandbox speaks it: `namespace:"a","b"` and `cluster:"c"`
 * clauses joined by `+` (and). OpenCost knows more properties; the sandbox refuses them.
 */
function parseFilter(raw: string): AllocationQuery['filter'] {
  if (!raw.trim()) return [];
  return raw.split('+').map(clause => {
    const match = /^\s*(namespace|cluster):((?:"[^"]*",?)+)\s*$/.exec(clause);
    if (!match) {
      throw new OpenCostError(
        `Invalid 'filter' parameter: the sandbox reads namespace:"…" and cluster:"…" clauses only, got ${clause}`,
      );
    }
    return {
      property: match[1] as 'namespace' | 'cluster',
      values: [...match[2].matchAll(/"([^"]*)"/g)].map(m => m[1]),
    };
  });
}

/** Reads the query string as OpenCost's allocation handler does, refusing what it refuses. */
export function parseAllocationQuery(
  query: Record<string, string | undefined>,
  now: number,
): AllocationQuery {
  if (!query.window) {
    throw new OpenCostError("Missing 'window' parameter");
  }
  const [start, end] = parseWindow(query.window, now);
  let stepMs = end - start;
  if (query.step) {
    const step = duration(query.step);
    if (!step) {
      throw new OpenCostError(
        `Invalid 'step' parameter: illegal duration: ${query.step}`,
      );
    }
    stepMs = step;
  }
  const aggregate = query.aggregate ? query.aggregate.split(',') : [];
  for (const property of aggregate) {
    if (
      !AGGREGATES.has(property) &&
      !/^(label|annotation):.+$/.test(property)
    ) {
      throw new OpenCostError(
        `Invalid 'aggregate' parameter: unrecognized allocation property: ${property}`,
      );
    }
  }
  return {
    start,
    end,
    stepMs,
    aggregate,
    idle: bool('idle', query.includeIdle ?? query.idle, false),
    shareIdle: bool('shareIdle', query.shareIdle, false),
    accumulate: bool('accumulate', query.accumulate, false),
    filter: parseFilter(query.filter ?? ''),
  };
}

/** The sets' windows: `step` long, worked backwards from the end, the earliest cut at the start. */
export function stepWindows(q: AllocationQuery): Array<[number, number]> {
  if (q.accumulate || q.end === q.start) return [[q.start, q.end]];
  if ((q.end - q.start) / q.stepMs > MAX_SETS) {
    // The sandbox's own limit, so a one-minute step over a year cannot stall it.
    throw new OpenCostError(
      `Invalid 'step' parameter: more than ${MAX_SETS} allocation sets`,
    );
  }
  const windows: Array<[number, number]> = [];
  for (let end = q.end; end > q.start; end -= q.stepMs) {
    windows.unshift([Math.max(q.start, end - q.stepMs), end]);
  }
  return windows;
}
