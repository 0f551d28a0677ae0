/* eslint-disable no-console */
/**
 * `npm run bench`: starts the sandbox and the real backend, then prints
 *  - warm overview latency (p50/p95) and throughput next to the catalog's own by-name lookup,
 *  - upstream requests per warm page view (from the sandbox's request log),
 *  - cold overview latency with 200 ms injected on every upstream call, against the serial sum,
 *  - the same for the flags/SLA/health view and the on-call board (Unleash, Datadog, /health),
 *  - approval round trips (approvals.ts).
 * Every loop is bounded in count and time.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type SourceName } from '@internal/sandbox';
import { waitForPortFree } from '../../scripts/ports';
import { benchApprovals, printApprovals } from './approvals';

const root = path.resolve(__dirname, '../..');
const backendUrl = 'http://127.0.0.1:7007';
const INJECTED_MS = 200;
const WARM_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARM_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

interface LoopResult {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  rps: number;
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function loop(
  url: string,
  headers: Record<string, string>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const deadline = Date.now() + WARM_SECONDS * 1000;
  const started = performance.now();
  async function worker() {
    while (issued < WARM_REQUESTS && Date.now() < deadline) {
      issued++;
      const t0 = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (!response.ok) errors++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    rps: latencies.length / seconds,
  };
}

async function waitForBackend(child: ChildProcess) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error('The backend exited during start-up');
    try {
      const response = await fetch(
        `${backendUrl}/.backstage/health/v1/readiness`,
      );
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    'The backend did not become ready within 300 s (see test-results/bench-backend.log)',
  );
}

async function main() {
  await waitForPortFree(7007);
  const sandbox = await startSandbox({
    githubPort: 7100,
    kubernetesPort: 7101,
    controlPort: 7199,
    // app-config.yaml points the Unleash, Datadog and health sources at these ports.
    unleashPort: 7102,
    datadogPort: 7103,
    healthPort: 7104,
    stateDir: path.join(root, '.sandbox'),
    quiet: true,
    webhooks: {
      url: `${backendUrl}/api/events/http/github`,
      secret: 'sandbox-webhook-secret',
    },
  });
  mkdirSync(path.join(root, 'test-results'), { recursive: true });
  const backendLog = openSync(
    path.join(root, 'test-results', 'bench-backend.log'),
    'w',
  );
  const backend = spawn(
    path.join(root, 'node_modules/.bin/backstage-cli'),
    [
      'package',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../test/bench/app-config.bench.yaml',
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      // The backend's own log, for when it does not come up.
      stdio: ['ignore', backendLog, backendLog],
      detached: true,
    },
  );
  const stop = async () => {
    try {
      process.kill(-backend.pid!, 'SIGTERM');
    } catch {
      // already stopped
    }
    await sandbox.stop();
  };

  try {
    await waitForBackend(backend);
    const session = await fetch(`${backendUrl}/api/auth/guest/refresh`).then(
      r => r.json(),
    );
    const headers = {
      Authorization: `Bearer ${session.backstageIdentity.token}`,
    };
    const overviewUrl = `${backendUrl}/api/lexecon/v1/entities/default/component/lexecon-api/overview`;
    const catalogUrl = `${backendUrl}/api/catalog/entities/by-name/component/default/lexecon-api`;

    // The catalog ingests catalog-info.yaml shortly after start-up.
    for (let i = 0; i < 240; i++) {
      const response = await fetch(catalogUrl, { headers });
      await response.arrayBuffer();
      if (response.ok) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }

    /**
     * One view with nothing fetched yet and every call to `sources` delayed by 200 ms; fails
     * unless each of `sections` is ok. Returns its time and how many upstream calls it made.
     */
    const coldView = async (
      url: string,
      sources: SourceName[],
      sections: string[],
    ) => {
      sandbox.setFaults(
        sources.map(source => ({
          source,
          kind: 'latency' as const,
          latencyMs: INJECTED_MS,
        })),
      );
      sandbox.clearRequests();
      const started = performance.now();
      const response = await fetch(url, { headers });
      const body = await response.json();
      const ms = performance.now() - started;
      const calls = sandbox.requests().length;
      sandbox.clearFaults();
      for (const name of sections) {
        if (body.sections?.[name]?.status !== 'ok') {
          throw new Error(
            `Cold ${url} section ${name} was not ok (HTTP ${
              response.status
            }): ${JSON.stringify(body.sections?.[name] ?? body).slice(0, 500)}`,
          );
        }
      }
      return { ms, calls };
    };
    /** The same view again and again, and the upstream requests made meanwhile. */
    const warmView = async (url: string) => {
      sandbox.clearRequests();
      const result = await loop(url, headers);
      return { result, upstream: sandbox.requests().length };
    };

    // Cold: nothing fetched yet, every upstream call delayed by 200 ms.
    const { ms: coldMs, calls: coldCalls } = await coldView(
      overviewUrl,
      ['github', 'kubernetes'],
      ['deployments'],
    );
    const serialMs = coldCalls * INJECTED_MS;

    // Warm: the same page view again and again, next to the catalog's own lookup.
    await loop(overviewUrl, headers); // warm-up of the JIT and connection pool
    const { result: overview, upstream: upstreamDuringWarm } = await warmView(
      overviewUrl,
    );
    const catalog = await loop(catalogUrl, headers);

    const fmt = (r: LoopResult) =>
      `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.rps.toFixed(
        0,
      )} req/s (${r.count} requests, ${
        r.errors
      } errors, concurrency ${CONCURRENCY})`;
    console.log('Lexecon overview benchmark');
    console.log(`  warm overview        ${fmt(overview)}`);
    console.log(`  catalog by-name      ${fmt(catalog)}`);
    console.log(
      `  ratio overview/catalog  p50 ×${(overview.p50 / catalog.p50).toFixed(
        2,
      )}, throughput ×${(overview.rps / catalog.rps).toFixed(2)}`,
    );
    console.log(
      `  upstream requests per warm page view: ${(
        upstreamDuringWarm / overview.count
      ).toFixed(3)} (${upstreamDuringWarm} in ${overview.count} views)`,
    );
    console.log(
      `  cold overview with ${INJECTED_MS} ms per upstream call: ${(
        coldMs / 1000
      ).toFixed(2)} s for ${coldCalls} upstream calls; serial sum ≥ ${(
        serialMs / 1000
      ).toFixed(1)} s (×${(serialMs / coldMs).toFixed(1)} faster)`,
    );
    // Flags, SLA and health: cold with 200 ms on every Unleash/Datadog/health call, then warm.
    const reliabilityUrl = `${backendUrl}/api/lexecon/v1/entities/default/component/lexecon-api/reliability`;
    const onCallUrl = `${backendUrl}/api/lexecon/v1/oncall`;
    const { ms: coldReliabilityMs, calls: coldReliabilityCalls } =
      await coldView(
        reliabilityUrl,
        ['unleash', 'datadog', 'health'],
        ['flags', 'sla', 'health'],
      );
    await loop(reliabilityUrl, headers); // warm-up
    const { result: reliability, upstream: upstreamDuringReliability } =
      await warmView(reliabilityUrl);
    const { result: onCall, upstream: upstreamDuringOnCall } = await warmView(
      onCallUrl,
    );
    console.log(`  warm flags/SLA/health ${fmt(reliability)}`);
    console.log(`  warm on-call board   ${fmt(onCall)}`);
    console.log(
      `  upstream requests per warm flags/SLA view: ${(
        upstreamDuringReliability / reliability.count
      ).toFixed(3)} (${upstreamDuringReliability} in ${
        reliability.count
      }); per warm on-call view: ${(
        upstreamDuringOnCall / onCall.count
      ).toFixed(3)} (${upstreamDuringOnCall} in ${onCall.count})`,
    );
    console.log(
      `  cold flags/SLA/health with ${INJECTED_MS} ms per upstream call: ${(
        coldReliabilityMs / 1000
      ).toFixed(
        2,
      )} s for ${coldReliabilityCalls} upstream calls; serial sum ≥ ${(
        (coldReliabilityCalls * INJECTED_MS) /
        1000
      ).toFixed(1)} s`,
    );

    // The bench signs in as a release approver (app-config.bench.yaml) to approve.
    const approvals = await benchApprovals({
      sandbox,
      backendUrl,
      headers,
      githubToken: 'sandbox-token-for-alex-kim',
    });
    printApprovals(approvals);
    console.log(
      JSON.stringify({
        approvals,
        warmOverview: overview,
        catalogByName: catalog,
        upstreamPerWarmView: upstreamDuringWarm / overview.count,
        cold: { ms: coldMs, upstreamCalls: coldCalls, serialSumMs: serialMs },
        warmReliability: reliability,
        warmOnCall: onCall,
        upstreamPerWarmReliabilityView:
          upstreamDuringReliability / reliability.count,
        upstreamPerWarmOnCallView: upstreamDuringOnCall / onCall.count,
        coldReliability: {
          ms: coldReliabilityMs,
          upstreamCalls: coldReliabilityCalls,
        },
      }),
    );
  } finally {
    await stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
