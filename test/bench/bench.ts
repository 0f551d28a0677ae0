/* eslint-disable no-console */
/**
 * `npm run bench`: starts the sandbox, then the real backend twice.
 *
 * Cold phase (app-config.bench-cold.yaml: no scheduled refresh, five annotated services): the
 * first view of each service with INJECTED_MS on every upstream call, its median, every
 * upstream request counted, and those requests replayed one after another for the serial sum.
 *
 * Warm phase (app-config.bench.yaml: the scheduled refresh running every 15 s): the overview,
 * the catalog's own lookup, the flags/SLA/health view and the on-call board in loops while
 * scheduled refreshes land; approval round trips; and one overview loop while the bench
 * triggers refreshes (unchanged data, and new runs through webhooks).
 *
 * Every response is parsed and checked; failures are counted apart from the latencies. Every
 * loop is bounded in count and time; every server listens on 127.0.0.1.
 */
import { execSync } from 'node:child_process';
import { type Sandbox, type SourceName } from '@internal/sandbox';
import { benchApprovals } from './approvals';
import { benchEvidencePackage } from './evidence';
import {
  BenchBackend,
  BACKEND_URL,
  startBenchSandbox,
  withBackend,
} from './backend';
import {
  catalogCheck,
  onCallCheck,
  overviewCheck,
  reliabilityCheck,
} from './checks';
import { benchCold, INJECTED_MS } from './cold';
import { Check, loop, REQUEST_TIMEOUT_MS, sleep } from './measure';
import { BenchFigures, printReport, WarmFigure } from './report';
import { benchScale, printScale } from './scale';
import {
  benchCostRequests,
  costAnalysisCheck,
  costPortfolioCheck,
  printCostRequests,
  waitForCostAnalysis,
} from './costs';
import { deliveryCheck, deliveryPortfolioCheck } from './delivery';
import {
  benchDeliveryRequests,
  printDeliveryRequests,
} from './deliveryRequests';
import {
  scheduledTask,
  waitForScheduledRun,
  watchScheduledRuns,
} from './scheduler';

const WARM_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARM_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
/** The "during" run: a manual refresh (nothing new upstream) this often ... */
const MANUAL_REFRESH_EVERY_MS = 1000;
/** ... and a new run waiting on production (new data, sent by webhooks) every this many. */
const NEW_RUN_EVERY = 5;

const MAIN = 'lexecon-api';
const COLD_ENTITIES = [
  MAIN,
  'lexecon-api-cold-2',
  'lexecon-api-cold-3',
  'lexecon-api-cold-4',
  'lexecon-api-cold-5',
];

const entityUrl = (name: string) =>
  `${BACKEND_URL}/api/lexecon/v1/entities/default/component/${name}`;
const entityRef = (name: string) => `component:default/${name}`;
const loadAverage = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/.*load average: /, '');

/** A loop over one view, with the scheduled runs that finished while it ran. */
async function timed(
  backend: BenchBackend,
  sandbox: Sandbox,
  url: string,
  check: Check,
  alongside?: (signal: AbortSignal) => Promise<void>,
): Promise<WarmFigure> {
  const { headers } = backend;
  // A short loop first, for the JIT and the connection pool; its figures are dropped.
  await loop({
    url,
    headers,
    check,
    sandbox,
    maxRequests: 200,
    maxSeconds: 10,
    concurrency: CONCURRENCY,
  });
  const watch = watchScheduledRuns(backend.url, headers);
  const result = await loop({
    url,
    headers,
    check,
    sandbox,
    maxRequests: WARM_REQUESTS,
    maxSeconds: WARM_SECONDS,
    concurrency: CONCURRENCY,
    alongside,
  });
  return { loop: result, scheduledRuns: await watch.stop() };
}

async function coldPhase(backend: BenchBackend, sandbox: Sandbox) {
  const cold = (
    view: string,
    check: (ref: string) => Check,
    sources: SourceName[],
  ) =>
    benchCold({
      backend,
      sandbox,
      entities: COLD_ENTITIES,
      view: name => ({
        url: `${entityUrl(name)}/${view}`,
        check: check(entityRef(name)),
      }),
      sources,
    });
  const coldOverview = await cold('overview', overviewCheck, [
    'github',
    'kubernetes',
  ]);
  // The overview's first view reads every section, so this finds nothing cold (0 calls): what a
  // second view of a tab costs. Measured first, it reads the deploy history too (incidents are
  // linked to the deploy before them), and the overview after it finds nothing cold instead.
  const coldReliability = await cold('reliability', reliabilityCheck, [
    'unleash',
    'datadog',
    'health',
  ]);
  // The old bench's warm figure (nothing refreshes), for comparison with the same machine load.
  const warmOverviewNoRefresh = await timed(
    backend,
    sandbox,
    `${entityUrl(MAIN)}/overview`,
    overviewCheck(entityRef(MAIN)),
  );
  return { coldOverview, coldReliability, warmOverviewNoRefresh };
}

async function warmPhase(backend: BenchBackend, sandbox: Sandbox) {
  const { headers } = backend;
  const { cadence } = await scheduledTask(backend.url, headers);
  await waitForScheduledRun(backend.url, headers);

  const overviewUrl = `${entityUrl(MAIN)}/overview`;
  const reliabilityUrl = `${entityUrl(MAIN)}/reliability`;
  const onCallUrl = `${BACKEND_URL}/api/lexecon/v1/oncall`;
  const catalogUrl = `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${MAIN}`;
  const overviewOk = overviewCheck(entityRef(MAIN));

  const view = (url: string, check: Check) =>
    timed(backend, sandbox, url, check);
  const warmOverview = await view(overviewUrl, overviewOk);
  const catalog = await view(catalogUrl, catalogCheck(MAIN));
  const warmReliability = await view(
    reliabilityUrl,
    reliabilityCheck(entityRef(MAIN)),
  );
  const warmOnCall = await view(onCallUrl, onCallCheck(entityRef(MAIN)));
  // The cost sources run once a day (first shortly after start-up): their first read is awaited.
  const costAnalysisUrl = `${entityUrl(MAIN)}/cost-analysis`;
  await waitForCostAnalysis(costAnalysisUrl, headers);
  const warmCostAnalysis = await view(
    costAnalysisUrl,
    costAnalysisCheck(entityRef(MAIN)),
  );
  const warmCostPortfolio = await view(
    `${BACKEND_URL}/api/lexecon/v1/costs/portfolio`,
    costPortfolioCheck(entityRef(MAIN)),
  );

  const warmDelivery = await view(
    `${entityUrl(MAIN)}/delivery?window=90d`,
    deliveryCheck(entityRef(MAIN)),
  );
  const warmDeliveryPortfolio = await view(
    `${BACKEND_URL}/api/lexecon/v1/delivery/portfolio?window=90d`,
    deliveryPortfolioCheck(entityRef(MAIN)),
  );

  // The guest session is a release approver, who reads evidence.
  const evidencePackage = await benchEvidencePackage(headers);

  // The bench signs in as a release approver (app-config.bench.yaml) to approve.
  const approvals = await benchApprovals({
    sandbox,
    backendUrl: backend.url,
    headers,
    githubToken: 'sandbox-token-for-alex-kim',
  });

  // Last, as its new runs stay waiting on production.
  const triggered = { unchanged: 0, changed: 0, refused: 0 };
  const duringRefreshes = await timed(
    backend,
    sandbox,
    overviewUrl,
    overviewOk,
    async signal => {
      for (let i = 1; !signal.aborted; i++) {
        if (i % NEW_RUN_EVERY === 0) {
          sandbox.createWaitingRun();
          triggered.changed++;
        } else {
          const response = await fetch(`${entityUrl(MAIN)}/refresh`, {
            method: 'POST',
            headers,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          // Over ten a minute, a person's refreshes are refused (429): counted, not an error.
          if (response.status === 429) triggered.refused++;
          else if (response.status !== 202) {
            throw new Error(`Manual refresh answered ${response.status}`);
          } else triggered.unchanged++;
        }
        await sleep(MANUAL_REFRESH_EVERY_MS);
      }
    },
  );
  duringRefreshes.triggered = triggered;

  return {
    cadence,
    warmOverview,
    catalog,
    warmReliability,
    warmOnCall,
    warmCostAnalysis,
    warmCostPortfolio,
    warmDelivery,
    warmDeliveryPortfolio,
    evidencePackage,
    duringRefreshes,
    approvals,
  };
}

/**
 * `--entities N` (default 500): the scale phase's service count; `--scale-only` skips the rest;
 * `--costs-only` runs only the Cost Explorer requests-a-day measurement; `--delivery-only` only the
 * GitHub requests the delivery figures add to a refresh cycle; `--no-scale` leaves the
 * scale phase out.
 */
function scaleOptions() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--entities');
  const entities = at >= 0 ? Number(args[at + 1]) : 500;
  if (!Number.isInteger(entities) || entities < 1 || entities > 500) {
    throw new Error('--entities must be a whole number from 1 to 500');
  }
  return {
    entities,
    only: args.includes('--scale-only'),
    costsOnly: args.includes('--costs-only'),
    deliveryOnly: args.includes('--delivery-only'),
    skipScale: args.includes('--no-scale'),
  };
}

async function main() {
  const scale = scaleOptions();
  if (scale.deliveryOnly) {
    printDeliveryRequests(await benchDeliveryRequests());
    return;
  }
  if (scale.costsOnly) {
    printCostRequests(await benchCostRequests());
    return;
  }
  if (scale.only) {
    printScale(await benchScale(scale.entities));
    return;
  }
  const loadBefore = loadAverage();
  const sandbox = await startBenchSandbox({
    webhooks: {
      url: `${BACKEND_URL}/api/events/http/github`,
      secret: 'sandbox-webhook-secret',
    },
  });
  try {
    console.log('Cold phase: starting a backend without scheduled refresh');
    const cold = await withBackend(
      {
        configs: ['app-config.bench.yaml', 'app-config.bench-cold.yaml'],
        logName: 'bench-backend-cold.log',
        entities: COLD_ENTITIES,
      },
      backend => coldPhase(backend, sandbox),
    );
    console.log('Warm phase: starting a backend with the scheduled refresh');
    const warm = await withBackend(
      {
        configs: ['app-config.bench.yaml'],
        logName: 'bench-backend.log',
        entities: [MAIN],
      },
      backend => warmPhase(backend, sandbox),
    );
    const figures: BenchFigures = {
      loadBefore,
      loadAfter: loadAverage(),
      injectedMs: INJECTED_MS,
      ...cold,
      ...warm,
    };
    printReport(figures);
    console.log(JSON.stringify(figures));
  } finally {
    await sandbox.stop();
  }
  // Its own sandboxes (on free ports) and an in-memory database: the aws-cost source alone.
  const costFigures = await benchCostRequests();
  printCostRequests(costFigures);
  console.log(JSON.stringify(costFigures));
  const deliveryFigures = await benchDeliveryRequests();
  printDeliveryRequests(deliveryFigures);
  console.log(JSON.stringify(deliveryFigures));
  if (scale.skipScale) return;
  // Its own sandbox (N generated services) on the same ports, after the first one stopped.
  const scaleFigures = await benchScale(scale.entities);
  printScale(scaleFigures);
  console.log(JSON.stringify(scaleFigures));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
