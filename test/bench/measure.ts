/**
 * Timing loops and their statistics. A response counts as a success only when its body parses
 * and passes the caller's check; failures are counted apart and never enter the percentiles.
 */
import type { Sandbox, StartedRequest } from '@internal/sandbox';

/** No request of the bench waits longer than this (cold views have their own). */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface Distribution {
  /** How many values the percentiles are taken over. */
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles; with fewer than 20 values p95 is the maximum, so say n. */
export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    n: sorted.length,
    p50: rank(50),
    p95: rank(95),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function median(values: number[]): number {
  return distribution(values).p50;
}

/** What a check makes of one response: an error message, or what the view showed. */
export type CheckResult =
  | { error: string }
  | {
      error?: undefined;
      /** When the view says its data was fetched ("data as of"); a new value = a refresh landed. */
      asOf?: string;
      /** A fingerprint of the data shown; a new value = the data changed. */
      content?: string;
    };

export type Check = (status: number, body: unknown) => CheckResult;

export interface LoopResult {
  latency: Distribution;
  /** Successful responses per second over the loop's wall time. */
  rps: number;
  seconds: number;
  concurrency: number;
  errors: number;
  /** The first few error messages. */
  errorSamples: string[];
  /** Refreshes that landed while the loop ran, as the responses showed them. */
  refreshesSeen: number;
  dataChangesSeen: number;
  /** Every request the upstream servers received during the loop, by source. */
  upstream: Record<string, number>;
  upstreamTotal: number;
}

export interface LoopOptions {
  url: string;
  headers: Record<string, string>;
  check: Check;
  sandbox: Sandbox;
  maxRequests: number;
  maxSeconds: number;
  concurrency: number;
  /** Runs alongside the loop until it ends (e.g. triggering refreshes); gets a stop signal. */
  alongside?: (signal: AbortSignal) => Promise<void>;
}

export async function loop(options: LoopOptions): Promise<LoopResult> {
  const { url, headers, check, sandbox, concurrency } = options;
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  const asOf = new Set<string>();
  const contents = new Set<string>();
  let errors = 0;
  let issued = 0;
  const fail = (message: string) => {
    errors++;
    if (errorSamples.length < 3) errorSamples.push(message.slice(0, 300));
  };
  const mark = sandbox.lastRequestSeq();
  const deadline = Date.now() + options.maxSeconds * 1000;
  const started = performance.now();
  const stop = new AbortController();
  const side = options.alongside?.(stop.signal);

  async function worker() {
    while (issued < options.maxRequests && Date.now() < deadline) {
      issued++;
      const t0 = performance.now();
      let result: CheckResult;
      try {
        const response = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        result =
          body === undefined
            ? {
                error: `HTTP ${response.status}, not JSON: ${text.slice(
                  0,
                  100,
                )}`,
              }
            : check(response.status, body);
      } catch (error) {
        result = { error: `request failed: ${(error as Error).message}` };
      }
      const ms = performance.now() - t0;
      if (result.error !== undefined) {
        fail(result.error);
        continue;
      }
      latencies.push(ms);
      if (result.asOf) asOf.add(result.asOf);
      if (result.content) contents.add(result.content);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  stop.abort();
  await side;
  const upstream = countBySource(sandbox.requestsStarted(mark));
  return {
    latency: distribution(latencies),
    rps: latencies.length / seconds,
    seconds,
    concurrency,
    errors,
    errorSamples,
    refreshesSeen: Math.max(0, asOf.size - 1),
    dataChangesSeen: Math.max(0, contents.size - 1),
    upstream,
    upstreamTotal: Object.values(upstream).reduce((a, b) => a + b, 0),
  };
}

export function countBySource(requests: StartedRequest[]) {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.source] = (counts[r.source] ?? 0) + 1;
  return counts;
}

/** `promise`, or a rejection after `ms`: nothing the bench awaits may hang. */
export function within<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took more than ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Resolves once the upstream servers have had nothing in flight and no new request for
 * `quietMs` (a refresh in progress pauses far less between its calls), or after `maxMs`;
 * says which.
 */
export async function waitForUpstreamQuiet(
  sandbox: Sandbox,
  quietMs = 400,
  maxMs = 20_000,
): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  let seq = sandbox.lastRequestSeq();
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const now = sandbox.lastRequestSeq();
    if (now !== seq || sandbox.requestsInFlight() > 0) {
      seq = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return true;
    }
  }
  return false;
}
