import type { NextFunction, Request, Response } from 'express';

export type SourceName =
  | 'github'
  | 'kubernetes'
  | 'unleash'
  | 'datadog'
  | 'health'
  | 'oidc'
  | 'aws'
  | 'opencost'
  | 'bigquery'
  | 'slack';

export type FaultKind =
  | 'latency'
  | '5xx'
  | '429'
  | 'timeout'
  | 'malformed'
  | 'reset';

export interface FaultRule {
  source: SourceName;
  kind: FaultKind;
  /** For 'latency': added before responding, to every matching request. */
  latencyMs?: number;
  /** For '5xx'; default 502. */
  status?: number;
  /** For '429'; default 1. */
  retryAfterSeconds?: number;
  /** Optional substring or regular expression (as a string) the request path must match. */
  pathPattern?: string;
  /** Optional HTTP method the request must use (a read and a write can share a path). */
  method?: string;
  /** Apply to the next N matching requests only; default unlimited. */
  times?: number;
}

export interface RecordedRequest {
  source: SourceName;
  method: string;
  path: string;
  status: number;
  at: string;
  /** Set when a fault rule shaped the response ('timeout'/'reset' are logged with status 0). */
  fault?: FaultKind;
}

export const SOURCES: SourceName[] = [
  'github',
  'kubernetes',
  'unleash',
  'datadog',
  'health',
  'oidc',
  'aws',
  'opencost',
  'bigquery',
  'slack',
];
const KINDS: FaultKind[] = [
  'latency',
  '5xx',
  '429',
  'timeout',
  'malformed',
  'reset',
];
const FIELDS = [
  'source',
  'kind',
  'latencyMs',
  'status',
  'retryAfterSeconds',
  'pathPattern',
  'method',
  'times',
];

export class FaultValidationError extends Error {}

function isNonNegativeNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** Validates untrusted input (control endpoint or options); throws naming the bad field. */
export function validateFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) {
    throw new FaultValidationError('body must be a JSON array of fault rules');
  }
  return input.map((raw: unknown, i): FaultRule => {
    const at = `faults[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new FaultValidationError(`${at} must be an object`);
    }
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!FIELDS.includes(key)) {
        throw new FaultValidationError(`${at}.${key} is not a known field`);
      }
    }
    if (!SOURCES.includes(r.source as SourceName)) {
      throw new FaultValidationError(
        `${at}.source must be one of ${SOURCES.join(', ')}`,
      );
    }
    if (!KINDS.includes(r.kind as FaultKind)) {
      throw new FaultValidationError(
        `${at}.kind must be one of ${KINDS.join(', ')}`,
      );
    }
    const rule: FaultRule = {
      source: r.source as SourceName,
      kind: r.kind as FaultKind,
    };
    if (r.latencyMs !== undefined) {
      if (!isNonNegativeNumber(r.latencyMs) || r.latencyMs > 600_000) {
        throw new FaultValidationError(
          `${at}.latencyMs must be a number between 0 and 600000`,
        );
      }
      rule.latencyMs = r.latencyMs;
    } else if (rule.kind === 'latency') {
      throw new FaultValidationError(
        `${at}.latencyMs is required for kind latency`,
      );
    }
    if (r.status !== undefined) {
      if (
        typeof r.status !== 'number' ||
        !Number.isInteger(r.status) ||
        r.status < 500 ||
        r.status > 599
      ) {
        throw new FaultValidationError(
          `${at}.status must be an integer between 500 and 599`,
        );
      }
      rule.status = r.status;
    }
    if (r.retryAfterSeconds !== undefined) {
      if (
        !isNonNegativeNumber(r.retryAfterSeconds) ||
        !Number.isInteger(r.retryAfterSeconds)
      ) {
        throw new FaultValidationError(
          `${at}.retryAfterSeconds must be a non-negative integer`,
        );
      }
      rule.retryAfterSeconds = r.retryAfterSeconds;
    }
    if (r.pathPattern !== undefined) {
      if (typeof r.pathPattern !== 'string' || r.pathPattern.length === 0) {
        throw new FaultValidationError(
          `${at}.pathPattern must be a non-empty string`,
        );
      }
      rule.pathPattern = r.pathPattern;
    }
    if (r.method !== undefined) {
      if (typeof r.method !== 'string' || !/^[A-Za-z]+$/.test(r.method)) {
        throw new FaultValidationError(
          `${at}.method must be an HTTP method such as GET or POST`,
        );
      }
      rule.method = r.method.toUpperCase();
    }
    if (r.times !== undefined) {
      if (
        typeof r.times !== 'number' ||
        !Number.isInteger(r.times) ||
        r.times < 1
      ) {
        throw new FaultValidationError(
          `${at}.times must be a positive integer`,
        );
      }
      rule.times = r.times;
    }
    return rule;
  });
}

function pathMatches(pattern: string | undefined, path: string): boolean {
  if (!pattern) return true;
  if (path.includes(pattern)) return true;
  try {
    return new RegExp(pattern).test(path);
  } catch {
    return false;
  }
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultState {
  private active: ActiveRule[] = [];

  set(rules: FaultRule[]): void {
    this.active = validateFaultRules(rules).map(rule => ({
      rule,
      remaining: rule.times ?? Infinity,
    }));
  }

  clear(): void {
    this.active = [];
  }

  /** Current rules, with `times` showing what is left for limited rules. */
  list(): FaultRule[] {
    return this.active.map(a =>
      a.rule.times === undefined
        ? { ...a.rule }
        : { ...a.rule, times: a.remaining },
    );
  }

  /** Consumes matching rules: all latency rules add up; the first other rule wins. */
  take(
    source: SourceName,
    path: string,
    method = 'GET',
  ): { latencyMs: number; fault?: FaultRule } {
    let latencyMs = 0;
    let fault: FaultRule | undefined;
    for (const a of this.active) {
      if (a.rule.source !== source || a.remaining <= 0) continue;
      if (!pathMatches(a.rule.pathPattern, path)) continue;
      if (a.rule.method && a.rule.method !== method.toUpperCase()) continue;
      if (a.rule.kind === 'latency') {
        latencyMs += a.rule.latencyMs ?? 0;
        a.remaining -= 1;
      } else if (!fault) {
        fault = a.rule;
        a.remaining -= 1;
      }
    }
    this.active = this.active.filter(a => a.remaining > 0);
    return { latencyMs, fault };
  }
}

export class RequestLog {
  private entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > 50_000) this.entries.shift();
  }

  list(): RecordedRequest[] {
    return this.entries.map(e => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}

export interface FaultBodies {
  error(
    status: number,
    message: string,
    retryAfterSeconds?: number,
  ): {
    body: unknown;
    headers?: Record<string, string>;
    /** The status the upstream really answers with, when it is not the fault's own. */
    status?: number;
  };
  malformed: string;
}

/**
 * Express middleware: logs every request and applies fault rules before the real handlers.
 * Held ('timeout') responses are tracked in `held`, and requests waiting out a latency in
 * `delayed`, so the server can be stopped.
 *
 * A request held by 'timeout' is never handled: whoever sent it gave up (or died) without an
 * answer, and nothing it asked for happens. A request slowed by 'latency' is handled after the
 * delay even when its client has gone meanwhile, as a real server acts on a request it
 * received: a review sent by a replica that died while waiting still lands.
 */
export function faultMiddleware(opts: {
  source: SourceName;
  faults: FaultState;
  log: RequestLog;
  held: Set<Response>;
  delayed: Set<NodeJS.Timeout>;
  bodies: FaultBodies;
}) {
  const { source, faults, log, held, delayed, bodies } = opts;
  return (req: Request, res: Response, next: NextFunction): void => {
    const at = new Date().toISOString();
    const entry: RecordedRequest = {
      source,
      method: req.method,
      path: req.originalUrl,
      status: 0,
      at,
    };
    let logged = false;
    const record = (status: number) => {
      if (logged) return;
      logged = true;
      entry.status = status;
      log.add(entry);
    };
    res.on('finish', () => record(res.statusCode));
    res.on('close', () => record(res.writableFinished ? res.statusCode : 0));
    const { latencyMs, fault } = faults.take(
      source,
      req.originalUrl,
      req.method,
    );
    const apply = () => {
      if (!fault) {
        next();
        return;
      }
      if (res.destroyed || req.socket.destroyed) return;
      entry.fault = fault.kind;
      switch (fault.kind) {
        case 'reset':
          record(0);
          req.socket.destroy();
          return;
        case 'timeout':
          record(0);
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        case 'malformed':
          res.status(200);
          res.set('Content-Type', 'application/json; charset=utf-8');
          res.send(bodies.malformed);
          return;
        case '429': {
          const retry = fault.retryAfterSeconds ?? 1;
          const { body, headers, status } = bodies.error(
            429,
            'API rate limit exceeded. Please retry later.',
            retry,
          );
          res.status(status ?? 429);
          res.set({
            'Retry-After': String(retry),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + retry),
            ...headers,
          });
          res.json(body);
          return;
        }
        case '5xx':
        default: {
          const status = fault.status ?? 502;
          const { body, headers } = bodies.error(
            status,
            status === 503 ? 'Service Unavailable' : 'Server Error',
          );
          res.status(status);
          if (headers) res.set(headers);
          res.json(body);
          return;
        }
      }
    };
    if (latencyMs > 0) {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        apply();
      }, latencyMs);
      delayed.add(timer);
    } else {
      apply();
    }
  };
}
