/* eslint-disable no-console */
/**
 * The scale phase of `npm run bench` (`--entities N`, default 500): a sandbox serving N generated
 * services and a backend whose catalog holds exactly those N, then
 *
 * 1. one full refresh cycle of every source for all N with INJECTED_MS on every upstream call:
 *    wall time, upstream requests per source and the backend's peak resident memory;
 * 2. a second cycle with nothing changed: the GitHub requests that count against the rate limit
 *    (not 304) and those that do not (304), scaled to 100 services refreshed every 5 minutes for
 *    an hour;
 * 3. the warm overview of one service against the catalog's own by-name lookup in the same
 *    backend, at concurrency 10 and 50.
 *
 * Scheduled cycles are triggered through the scheduler's own endpoint once the catalog holds
 * every entity, so a cycle never starts on a half-ingested catalog.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  catalogYaml,
  serviceEntities,
  type Sandbox,
  type SourceName,
} from '@internal/sandbox';
import { BACKEND_URL, startBenchSandbox, withBackend } from './backend';
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
const TASKS_URL = `${BACKEND_URL}/api/lexecon/.backstage/scheduler/v1/tasks`;

export interface CycleFigures {
  entities: number;
  wallMs: number;
  /** Upstream requests by source during the cycle. */
  requests: Record<string, number>;
  /** Per source task: how long its cycle took. */
  taskMs: Record<string, number>;
  peakRssMb: number;
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

/** Triggers every source's task and waits until each has finished a run started after now. */
async function runCycle(
  headers: Record<string, string>,
  pid: number,
): Promise<{
  wallMs: number;
  taskMs: Record<string, number>;
  peakRssMb: number;
}> {
  const before = await tasks(headers);
  const started = Date.now();
  for (const task of before) {
    const response = await fetch(`${TASKS_URL}/${task.taskId}/trigger`, {
      method: 'POST',
      headers,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    if (!response.ok) {
      throw new Error(`Triggering ${task.taskId} answered ${response.status}`);
    }
  }
  let peakRss = 0;
  const taskMs: Record<string, number> = {};
  const deadline = started + CYCLE_LIMIT_MS;
  while (Date.now() < deadline) {
    peakRss = Math.max(peakRss, processGroupRss(pid));
    const now = await tasks(headers);
    for (const task of now) {
      const ended = task.taskState?.lastRunEndedAt;
      if (task.taskState?.lastRunError) {
        throw new Error(
          `${task.taskId} failed: ${task.taskState.lastRunError}`,
        );
      }
      if (ended && Date.parse(ended) >= started && !(task.taskId in taskMs)) {
        taskMs[task.taskId] = Date.parse(ended) - started;
      }
    }
    if (Object.keys(taskMs).length === now.length) {
      return {
        wallMs: Math.max(...Object.values(taskMs)),
        taskMs,
        peakRssMb: Math.round(peakRss / 1024),
      };
    }
    await sleep(250);
  }
  throw new Error(`The cycle did not finish within ${CYCLE_LIMIT_MS / 1000} s`);
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

export async function benchScale(entities: number): Promise<ScaleFigures> {
  const sandbox = await startBenchSandbox({ services: entities });
  try {
    const generated = sandbox.services.filter(s => s.generated);
    const dir = path.join(root, 'test-results');
    mkdirSync(dir, { recursive: true });
    const catalogFile = path.join(dir, 'bench-scale-catalog.yaml');
    writeFileSync(
      catalogFile,
      catalogYaml(serviceEntities(generated, sandbox.healthUrl)),
    );
    const configFile = path.join(dir, 'app-config.bench-scale.yaml');
    writeFileSync(
      configFile,
      [
        '# Written by test/bench/scale.ts: only the generated services, cycles on demand.',
        'lexecon:',
        '  refresh:',
        '    initialDelay: { hours: 1 }',
        '    frequency: { hours: 1 }',
        '    timeout: { minutes: 15 }',
        'catalog:',
        '  locations:',
        '    - type: file',
        `      target: ${catalogFile}`,
        '',
      ].join('\n'),
    );
    const names = generated.map(s => s.name);
    return await withBackend(
      {
        configs: ['app-config.bench.yaml', configFile],
        logName: 'bench-backend-scale.log',
        entities: [names[0], names[names.length - 1]],
      },
      async backend => {
        const { headers } = backend;
        console.log(
          `Scale phase: ${entities} services; one cycle with ${SCALE_INJECTED_MS} ms on every upstream call`,
        );
        sandbox.setFaults(
          SOURCES.map(source => ({
            source,
            kind: 'latency' as const,
            latencyMs: SCALE_INJECTED_MS,
          })),
        );
        const mark = sandbox.lastRequestSeq();
        const cycle = await runCycle(headers, backend.pid);
        const cycleFigures: CycleFigures = {
          entities,
          ...cycle,
          requests: countBySource(sandbox, mark),
        };
        sandbox.clearFaults();

        console.log('Scale phase: a second cycle with nothing changed');
        sandbox.clearRequests();
        await runCycle(headers, backend.pid);
        const github = sandbox.requests().filter(r => r.source === 'github');
        const notModified = github.filter(r => r.status === 304).length;
        const counted = github.length - notModified;
        const steady: SteadyFigures = {
          entities,
          githubRequests: github.length,
          githubNotModified: notModified,
          githubCounted: counted,
          countedPerHourFor100: Math.round((counted / entities) * 100 * 12),
        };

        console.log('Scale phase: warm overview against the catalog lookup');
        const name = names[0];
        const overviewUrl = `${BACKEND_URL}/api/lexecon/v1/entities/default/component/${name}/overview`;
        const catalogUrl = `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${name}`;
        const latency: LatencyPair[] = [];
        for (const concurrency of [10, 50]) {
          const run = (url: string, check: Check) =>
            loop({
              url,
              headers,
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
        return { cycle: cycleFigures, steady, latency };
      },
    );
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
    `  full refresh cycle: ${(cycle.wallMs / 1000).toFixed(
      1,
    )} s wall (goal < 120 s), peak backend RSS ${
      cycle.peakRssMb
    } MB (goal < 400 MB)`,
  );
  for (const [task, ms] of Object.entries(cycle.taskMs)) {
    console.log(`    ${task}: ${(ms / 1000).toFixed(1)} s`);
  }
  console.log(
    `  upstream requests: ${total} (${Object.entries(cycle.requests)
      .map(([source, n]) => `${source} ${n}`)
      .join(', ')})`,
  );
  console.log(
    `  steady state, nothing changed: ${steady.githubRequests} GitHub requests for ${steady.entities} services, ${steady.githubNotModified} answered 304, ${steady.githubCounted} counted against the rate limit`,
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
