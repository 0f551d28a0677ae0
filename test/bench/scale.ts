/* eslint-disable no-console */
/**
 * The scale phase of `npm run bench` (`--entities N`, default 500): a sandbox serving N generated
 * services, and a backend whose catalog holds exactly those it is measuring, started twice:
 *
 * 1. Steady state, 100 services: a first cycle fills the snapshots and the conditional-request
 *    cache, then a cycle with nothing changed upstream: the GitHub requests that count against
 *    the rate limit (not 304) and those that do not (304), for an hour at a 5-minute cadence.
 * 2. N services: one full refresh cycle of every source with SCALE_INJECTED_MS on every upstream
 *    call (wall time, upstream requests per source, the backend's peak resident memory), then the
 *    warm overview of one service against the catalog's own by-name lookup in the same backend,
 *    at concurrency 10 and 50.
 *
 * Each backend's first cycle is its scheduled one, started after the catalog has ingested every
 * entity (checked); later cycles are triggered through the scheduler's own endpoint.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  catalogYaml,
  serviceEntities,
  type Sandbox,
  type SandboxService,
  type SourceName,
} from '@internal/sandbox';
import {
  BACKEND_URL,
  BenchBackend,
  startBenchSandbox,
  withBackend,
} from './backend';
import {
  Check,
  Distribution,
  loop,
  REQUEST_TIMEOUT_MS,
  sleep,
} from './measure';

const root = path.resolve(__dirname, '../..');
const SOURCES: SourceName[] = [
  'github',
  'kubernetes',
  'unleash',
  'datadog',
  'health',
];
/** Latency added to every upstream call of the measured cycle. */
export const SCALE_INJECTED_MS = 100;
const CYCLE_LIMIT_MS = 15 * 60_000;
/** Long enough for the catalog to ingest N entities; the bench fails if it has not. */
const FIRST_CYCLE_DELAY_S = 60;
const TASKS_URL = `${BACKEND_URL}/api/lexecon/.backstage/scheduler/v1/tasks`;

export interface CycleFigures {
  entities: number;
  wallMs: number;
  /** Upstream requests by source during the cycle. */
  requests: Record<string, number>;
  /** Per source task: how long its cycle took, and how many entities it refreshed. */
  taskMs: Record<string, number>;
  covered: Record<string, number>;
  peakRssMb: number;
  /** Just after start-up, before the catalog has ingested the services and before any cycle. */
  idleRssMb: number;
}

export interface SteadyFigures {
  entities: number;
  githubRequests: number;
  githubNotModified: number;
  /** Requests that count against GitHub's rate limit, one cycle. */
  githubCounted: number;
  /** The same for 100 services refreshed every 5 minutes, per hour. */
  countedPerHourFor100: number;
}

export interface LatencyPair {
  concurrency: number;
  overview: Distribution;
  catalog: Distribution;
  overviewErrors: number;
  catalogErrors: number;
}

export interface ScaleFigures {
  /** How long the sandbox took to generate and serve the N services. */
  sandboxStartMs: number;
  cycle: CycleFigures;
  steady: SteadyFigures;
  latency: LatencyPair[];
}

interface TaskState {
  taskId: string;
  taskState: { lastRunEndedAt?: string; lastRunError?: string } | null;
}

async function tasks(headers: Record<string, string>): Promise<TaskState[]> {
  const response = await fetch(TASKS_URL, {
    headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(`The scheduler endpoint answered ${response.status}`);
  }
  const body = (await response.json()) as { tasks: TaskState[] };
  return body.tasks.filter(t => t.taskId.startsWith('lexecon-refresh-'));
}

/**
 * Waits until every source's task has finished a run that ended after `since` (triggering them
 * first when asked), sampling the backend's memory meanwhile. Each task's duration and entity
 * count come from its own log line ("Refreshed <id> for <n> entities in <ms>ms").
 */
async function runCycle(
  backend: BenchBackend,
  options: { trigger: boolean; since: number },
): Promise<Omit<CycleFigures, 'entities' | 'requests' | 'idleRssMb'>> {
  const { headers } = backend;
  const names = (await tasks(headers)).map(t => t.taskId);
  if (options.trigger) {
    for (const taskId of names) {
      const response = await fetch(`${TASKS_URL}/${taskId}/trigger`, {
        method: 'POST',
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (!response.ok) {
        throw new Error(`Triggering ${taskId} answered ${response.status}`);
      }
    }
  }
  let peakRss = 0;
  const ended: Record<string, number> = {};
  const deadline = Date.now() + CYCLE_LIMIT_MS;
  while (Date.now() < deadline) {
    peakRss = Math.max(peakRss, processGroupRss(backend.pid));
    for (const task of await tasks(headers)) {
      if (task.taskState?.lastRunError) {
        throw new Error(
          `${task.taskId} failed: ${task.taskState.lastRunError}`,
        );
      }
      const at = Date.parse(task.taskState?.lastRunEndedAt ?? '');
      if (at >= options.since) ended[task.taskId] = at;
    }
    if (names.every(name => name in ended)) {
      const logged = cycleLog(backend.logFile);
      const taskMs: Record<string, number> = {};
      const covered: Record<string, number> = {};
      let start = Infinity;
      for (const name of names) {
        const line = logged[name.replace('lexecon-refresh-', '')];
        if (!line) throw new Error(`No cycle line for ${name} in the log`);
        taskMs[name] = line.ms;
        covered[name] = line.entities;
        start = Math.min(start, ended[name] - line.ms);
      }
      return {
        wallMs: Math.max(...Object.values(ended)) - start,
        taskMs,
        covered,
        peakRssMb: Math.round(peakRss / 1024),
      };
    }
    await sleep(250);
  }
  throw new Error(`The cycle did not finish within ${CYCLE_LIMIT_MS / 1000} s`);
}

/** The last "Refreshed <id> for <n> entities in <ms>ms" line of each source in the log. */
function cycleLog(logFile: string) {
  const lines: Record<string, { entities: number; ms: number }> = {};
  const pattern = /Refreshed (\S+) for (\d+) entities in (\d+)ms/g;
  for (const match of readFileSync(logFile, 'utf8').matchAll(pattern)) {
    lines[match[1]] = { entities: Number(match[2]), ms: Number(match[3]) };
  }
  return lines;
}

/** Waits until the catalog holds `count` components (it ingests the file after start-up). */
async function waitForCatalog(headers: Record<string, string>, count: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(
      `${BACKEND_URL}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
      { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
    );
    const body = (await response.json()) as { totalItems?: number };
    if ((body.totalItems ?? 0) >= count) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog holds ${body.totalItems} of ${count} components after 120 s`,
      );
    }
    await sleep(1000);
  }
}

/** Resident memory (KiB) of every process in the backend's process group. */
function processGroupRss(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces): state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+)/.exec(status);
      if (rss) total += Number(rss[1]);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

function countBySource(sandbox: Sandbox, afterSeq: number) {
  const counts: Record<string, number> = {};
  for (const r of sandbox.requestsStarted(afterSeq)) {
    counts[r.source] = (counts[r.source] ?? 0) + 1;
  }
  return counts;
}

function deploymentsOk(entityRef: string): Check {
  return (status, body) => {
    const overview = body as {
      entityRef?: string;
      sections?: { deployments?: { status?: string; data?: unknown } };
    };
    if (status !== 200) return { error: `HTTP ${status}` };
    if (overview.entityRef !== entityRef) return { error: 'another entity' };
    const section = overview.sections?.deployments;
    if (section?.status !== 'ok' || !section.data) {
      return { error: `deployments ${section?.status}` };
    }
    return {};
  };
}

function catalogOk(name: string): Check {
  return (status, body) =>
    status === 200 &&
    (body as { metadata?: { name?: string } }).metadata?.name === name
      ? {}
      : { error: `HTTP ${status}` };
}

/** A backend whose catalog holds exactly `services`; its first cycle starts on its own. */
function withScaleBackend<T>(
  sandbox: Sandbox,
  services: SandboxService[],
  body: (backend: BenchBackend & { startedRssMb: number }) => Promise<T>,
): Promise<T> {
  const dir = path.join(root, 'test-results');
  mkdirSync(dir, { recursive: true });
  const suffix = `scale-${services.length}`;
  const catalogFile = path.join(dir, `bench-${suffix}-catalog.yaml`);
  writeFileSync(
    catalogFile,
    catalogYaml(serviceEntities(services, sandbox.healthUrl)),
  );
  const configFile = path.join(dir, `app-config.bench-${suffix}.yaml`);
  writeFileSync(
    configFile,
    [
      '# Written by test/bench/scale.ts: only the generated services, cycles on demand.',
      'lexecon:',
      '  refresh:',
      // The first cycle starts once the catalog is in (checked); later ones on trigger.
      `    initialDelay: { seconds: ${FIRST_CYCLE_DELAY_S} }`,
      '    frequency: { hours: 1 }',
      '    timeout: { minutes: 15 }',
      'catalog:',
      '  locations:',
      '    - type: file',
      `      target: ${catalogFile}`,
      '',
    ].join('\n'),
  );
  return withBackend(
    {
      configs: ['app-config.bench.yaml', configFile],
      logName: `bench-backend-${suffix}.log`,
      entities: [services[0].name, services[services.length - 1].name],
    },
    async backend => {
      const startedRssMb = Math.round(processGroupRss(backend.pid) / 1024);
      await waitForCatalog(backend.headers, services.length);
      return body({ ...backend, startedRssMb });
    },
  );
}

/**
 * Steady state: a first cycle fills the snapshots and the conditional-request cache, then a
 * cycle with nothing changed upstream is counted.
 */
async function steadyState(
  sandbox: Sandbox,
  services: SandboxService[],
): Promise<SteadyFigures> {
  console.log(
    `Scale phase: ${services.length} services, two cycles, the second with nothing changed`,
  );
  return withScaleBackend(sandbox, services, async backend => {
    await runCycle(backend, { trigger: false, since: 0 });
    sandbox.clearRequests();
    await runCycle(backend, { trigger: true, since: Date.now() });
    const github = sandbox.requests().filter(r => r.source === 'github');
    const notModified = github.filter(r => r.status === 304).length;
    const counted = github.length - notModified;
    return {
      entities: services.length,
      githubRequests: github.length,
      githubNotModified: notModified,
      githubCounted: counted,
      countedPerHourFor100: Math.round((counted / services.length) * 100 * 12),
    };
  });
}

async function fullCycle(sandbox: Sandbox, services: SandboxService[]) {
  console.log(
    `Scale phase: ${services.length} services, one cycle with ${SCALE_INJECTED_MS} ms on every upstream call`,
  );
  return withScaleBackend(sandbox, services, async backend => {
    sandbox.setFaults(
      SOURCES.map(source => ({
        source,
        kind: 'latency' as const,
        latencyMs: SCALE_INJECTED_MS,
      })),
    );
    const mark = sandbox.lastRequestSeq();
    const idleRssMb = backend.startedRssMb;
    const cycle = await runCycle(backend, { trigger: false, since: 0 });
    const figures: CycleFigures = {
      entities: services.length,
      idleRssMb,
      ...cycle,
      requests: countBySource(sandbox, mark),
    };
    sandbox.clearFaults();
    console.log('Scale phase: warm overview against the catalog lookup');
    const latency = await overviewAgainstCatalog(
      sandbox,
      backend,
      services[0].name,
    );
    return { cycle: figures, latency };
  });
}

async function overviewAgainstCatalog(
  sandbox: Sandbox,
  backend: BenchBackend,
  name: string,
): Promise<LatencyPair[]> {
  const overviewUrl = `${BACKEND_URL}/api/lexecon/v1/entities/default/component/${name}/overview`;
  const catalogUrl = `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${name}`;
  const latency: LatencyPair[] = [];
  for (const concurrency of [10, 50]) {
    const run = (url: string, check: Check) =>
      loop({
        url,
        headers: backend.headers,
        check,
        sandbox,
        maxRequests: 2000,
        maxSeconds: 20,
        concurrency,
      });
    // Warm-up for the JIT and the connection pool; dropped.
    await run(overviewUrl, deploymentsOk(`component:default/${name}`));
    await run(catalogUrl, catalogOk(name));
    const overview = await run(
      overviewUrl,
      deploymentsOk(`component:default/${name}`),
    );
    const catalog = await run(catalogUrl, catalogOk(name));
    latency.push({
      concurrency,
      overview: overview.latency,
      catalog: catalog.latency,
      overviewErrors: overview.errors,
      catalogErrors: catalog.errors,
    });
  }
  return latency;
}

export async function benchScale(
  entities: number,
  steadyEntities = 100,
): Promise<ScaleFigures> {
  const startedAt = performance.now();
  const sandbox = await startBenchSandbox({ services: entities });
  const sandboxStartMs = Math.round(performance.now() - startedAt);
  try {
    const generated = sandbox.services.filter(s => s.generated);
    const steady = await steadyState(
      sandbox,
      generated.slice(0, Math.min(steadyEntities, entities)),
    );
    const { cycle, latency } = await fullCycle(sandbox, generated);
    return { sandboxStartMs, cycle, steady, latency };
  } finally {
    await sandbox.stop();
  }
}

export function printScale(figures: ScaleFigures) {
  const { cycle, steady, latency } = figures;
  const total = Object.values(cycle.requests).reduce((a, b) => a + b, 0);
  console.log('');
  console.log(
    `Scale: ${cycle.entities} services, every source, ${SCALE_INJECTED_MS} ms injected on every upstream call`,
  );
  console.log(
    `  sandbox generating and serving them: ${(
      figures.sandboxStartMs / 1000
    ).toFixed(1)} s`,
  );
  console.log(
    `  full refresh cycle: ${(cycle.wallMs / 1000).toFixed(
      1,
    )} s wall (goal < 120 s), peak backend RSS ${
      cycle.peakRssMb
    } MB (goal < 400 MB; ${cycle.idleRssMb} MB just after start-up)`,
  );
  for (const [task, ms] of Object.entries(cycle.taskMs)) {
    console.log(
      `    ${task}: ${(ms / 1000).toFixed(1)} s for ${
        cycle.covered[task]
      } entities`,
    );
  }
  console.log(
    `  upstream requests: ${total} (${Object.entries(cycle.requests)
      .map(([source, n]) => `${source} ${n}`)
      .join(', ')})`,
  );
  console.log(
    `  steady state, ${steady.entities} services, nothing changed: ${steady.githubRequests} GitHub requests, ${steady.githubNotModified} answered 304, ${steady.githubCounted} counted against the rate limit`,
  );
  console.log(
    `    = ${steady.countedPerHourFor100} counted requests an hour for 100 services every 5 minutes (goal < 50, 1% of 5,000)`,
  );
  for (const pair of latency) {
    const ratio = pair.overview.p95 / pair.catalog.p95;
    console.log(
      `  concurrency ${
        pair.concurrency
      }: overview p95 ${pair.overview.p95.toFixed(
        1,
      )} ms vs catalog by-name p95 ${pair.catalog.p95.toFixed(
        1,
      )} ms = ${ratio.toFixed(2)}x (goal <= 1.5x; n ${pair.overview.n}/${
        pair.catalog.n
      }, errors ${pair.overviewErrors}/${pair.catalogErrors})`,
    );
  }
}
