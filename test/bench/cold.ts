/**
 * Cold views: an entity the backend has never fetched, every upstream call delayed by
 * INJECTED_MS. For each entity the view is timed, every request the sandbox received while it
 * ran is counted, and those requests are then replayed one after another for the serial sum.
 */
import type { Sandbox, SourceName, StartedRequest } from '@internal/sandbox';
import type { BenchBackend } from './backend';
import type { Check } from './measure';
import { countBySource, median } from './measure';
import { replaySerially } from './replay';

export const INJECTED_MS = 200;
/** Above the backend's on-demand wait (2 min in app-config.bench.yaml). */
const COLD_VIEW_TIMEOUT_MS = 180_000;

export interface ColdSample {
  entity: string;
  ms: number;
  calls: number;
  bySource: Record<string, number>;
  /** Requests still unanswered when the view answered (0: the view waited for all). */
  inFlightAtEnd: number;
  serialMs: number;
  replayStatusMismatches: number;
}

export interface ColdResult {
  samples: ColdSample[];
  medianMs: number;
  medianCalls: number;
  medianSerialMs: number;
  /** Median over entities of serial sum / view time. */
  medianSpeedup: number;
}

async function coldView(
  backend: BenchBackend,
  sandbox: Sandbox,
  url: string,
  sources: SourceName[],
  check: Check,
): Promise<{ ms: number; requests: StartedRequest[]; inFlight: number }> {
  sandbox.setFaults(
    sources.map(source => ({
      source,
      kind: 'latency' as const,
      latencyMs: INJECTED_MS,
    })),
  );
  try {
    const mark = sandbox.lastRequestSeq();
    const started = performance.now();
    const response = await fetch(url, {
      headers: backend.headers,
      signal: AbortSignal.timeout(COLD_VIEW_TIMEOUT_MS),
    });
    const body = await response.json();
    const ms = performance.now() - started;
    // The view's reads: the Slack posts of the notifications its refresh sends are not a read.
    const requests = sandbox
      .requestsStarted(mark)
      .filter(r => r.source !== 'slack');
    const inFlight = requests.filter(r => !r.done).length;
    const result = check(response.status, body);
    if (result.error !== undefined) {
      throw new Error(`Cold ${url}: ${result.error}`);
    }
    return { ms, requests, inFlight };
  } finally {
    sandbox.clearFaults();
  }
}

/** One cold view per entity, one after another, then each one's requests replayed. */
export async function benchCold(options: {
  backend: BenchBackend;
  sandbox: Sandbox;
  entities: string[];
  view: (entity: string) => { url: string; check: Check };
  sources: SourceName[];
}): Promise<ColdResult> {
  const { backend, sandbox, sources } = options;
  const views = [];
  for (const entity of options.entities) {
    const { url, check } = options.view(entity);
    views.push({
      entity,
      ...(await coldView(backend, sandbox, url, sources, check)),
    });
  }
  // Same latency as the views had; the replays of different entities run side by side, each
  // one strictly serial.
  sandbox.setFaults(
    sources.map(source => ({
      source,
      kind: 'latency' as const,
      latencyMs: INJECTED_MS,
    })),
  );
  let replays;
  try {
    replays = await Promise.all(
      views.map(v => replaySerially(sandbox, v.requests)),
    );
  } finally {
    sandbox.clearFaults();
  }
  const samples = views.map(
    (v, i): ColdSample => ({
      entity: v.entity,
      ms: v.ms,
      calls: v.requests.length,
      bySource: countBySource(v.requests),
      inFlightAtEnd: v.inFlight,
      serialMs: replays[i].ms,
      replayStatusMismatches: replays[i].statusMismatches,
    }),
  );
  return {
    samples,
    medianMs: median(samples.map(s => s.ms)),
    medianCalls: median(samples.map(s => s.calls)),
    medianSerialMs: median(samples.map(s => s.serialMs)),
    medianSpeedup: median(samples.map(s => s.serialMs / s.ms)),
  };
}
