/* eslint-disable no-console */
/**
 * The cost phase of `npm run bench` (`--costs-only` runs it alone):
 *
 * 1. Cost Explorer requests a day for 100 services (and the portfolio's four): the aws-cost
 *    source as the backend builds it, run once for every service on a first day (13 months to
 *    read) and once on the next day (the sandbox restarted one day later, over the same
 *    database), each request counted by the sandbox. Printed against the configured daily caps.
 * 2. Cost page views (in the warm phase, against the running backend): the Cost card's analysis
 *    and the portfolio page, with the Cost Explorer, BigQuery and OpenCost requests the loops
 *    caused (none expected: only the daily schedule calls them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type {
  CostPortfolio,
  EntityCostAnalysis,
} from '@internal/plugin-lexecon-common';
import { serviceEntities, startSandbox, type Sandbox } from '@internal/sandbox';
import knexFactory, { type Knex } from 'knex';
import { AwsCostInsightStore } from '../../plugins/lexecon-backend/src/cost/AwsCostInsightStore';
import { CostFactStore } from '../../plugins/lexecon-backend/src/cost/CostFactStore';
import { RequestBudget } from '../../plugins/lexecon-backend/src/cost/RequestBudget';
import { CostExplorerSource } from '../../plugins/lexecon-backend/src/sources/aws/CostExplorerSource';
import { resolveEntityTarget } from '../../plugins/lexecon-backend/src/EntityTarget';

import { Check, REQUEST_TIMEOUT_MS, sleep } from './measure';

const root = path.resolve(__dirname, '../..');
/** Services measured: the portfolio's four and generated ones. */
export const COST_BENCH_SERVICES = 100;
const PORTFOLIO_SERVICES = 4;

/** `lexecon.aws.costExplorer.maxRequestsPerDay` as a configuration file sets it. */
function configuredCap(file: string): number {
  const config = parse(readFileSync(path.join(root, file), 'utf8'));
  const cap = config?.lexecon?.aws?.costExplorer?.maxRequestsPerDay;
  if (typeof cap !== 'number') throw new Error(`${file} sets no daily cap`);
  return cap;
}
const DAY_MS = 86_400_000;

export interface CostRequestFigures {
  services: number;
  firstDay: { requests: number; perService: number; wallMs: number };
  nextDay: { requests: number; perService: number; wallMs: number };
  caps: Record<string, number>;
}

export async function migrated(): Promise<Knex> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await knex.migrate.latest({
    directory: path.join(root, 'plugins/lexecon-backend/migrations'),
    loadExtensions: ['.js'],
  });
  return knex;
}

/** One day of the aws-cost source over every service, uncapped, counted by the sandbox. */
async function costDay(knex: Knex, now: Date, services: number) {
  const sandbox: Sandbox = await startSandbox({ now, quiet: true, services });
  const source = new CostExplorerSource({
    config: {
      maxRequestsPerDay: 1_000_000,
      client: {
        endpoint: sandbox.awsUrl,
        credentials: {
          accessKeyId: sandbox.awsAccessKeyId,
          secretAccessKey: sandbox.awsSecretAccessKey,
        },
      },
    },
    facts: new CostFactStore(knex),
    insights: new AwsCostInsightStore(knex),
    budget: new RequestBudget(knex),
    now: () => now,
  });
  const entities = serviceEntities(sandbox.services, sandbox.healthUrl).filter(
    e => e.metadata.annotations?.['lexecon.io/aws-cost-tags'],
  );
  const started = performance.now();
  try {
    for (const entity of entities) {
      await source.fetch(resolveEntityTarget(entity));
    }
    const requests = sandbox.requests().filter(r => r.source === 'aws').length;
    return {
      entities: entities.length,
      requests,
      perService: requests / entities.length,
      wallMs: performance.now() - started,
    };
  } finally {
    source.destroy();
    await sandbox.stop();
  }
}

export async function benchCostRequests(
  services = COST_BENCH_SERVICES,
): Promise<CostRequestFigures> {
  const knex = await migrated();
  try {
    const first = new Date(
      Math.floor(Date.now() / DAY_MS) * DAY_MS + 15 * 3_600_000,
    );
    const generated = services - PORTFOLIO_SERVICES;
    const firstDay = await costDay(knex, first, generated);
    const nextDay = await costDay(
      knex,
      new Date(first.getTime() + DAY_MS),
      generated,
    );
    return {
      services: firstDay.entities,
      firstDay,
      nextDay,
      caps: {
        'app-config.production.yaml': configuredCap(
          'app-config.production.yaml',
        ),
        'app-config.sandbox.yaml': configuredCap('app-config.sandbox.yaml'),
      },
    };
  } finally {
    await knex.destroy();
  }
}

export function printCostRequests(f: CostRequestFigures) {
  const covered = (cap: number) => Math.floor(cap / f.nextDay.perService);
  console.log(`\nCost Explorer requests a day, ${f.services} services:`);
  console.log(
    `  first day (13 months to read): ${
      f.firstDay.requests
    } requests (${f.firstDay.perService.toFixed(2)} a service) in ${(
      f.firstDay.wallMs / 1000
    ).toFixed(1)} s`,
  );
  console.log(
    `  every later day: ${
      f.nextDay.requests
    } requests (${f.nextDay.perService.toFixed(2)} a service, $${(
      f.nextDay.requests * 0.01
    ).toFixed(2)} a day)`,
  );
  for (const [name, cap] of Object.entries(f.caps)) {
    console.log(
      `  against the cap of ${cap} a day in ${name}: ${
        f.nextDay.requests <= cap ? 'under' : 'OVER'
      } (the cap covers ${covered(
        cap,
      )} services a day; a capped run stops and the rest wait for the next day)`,
    );
  }
}

/** The Cost card's answer with its analysis (the template's total), as of its data. */
export function costAnalysisCheck(entityRef: string): Check {
  return (status, body) => {
    const card = body as EntityCostAnalysis;
    if (status !== 200) return { error: `HTTP ${status}` };
    if (card.entityRef !== entityRef)
      return { error: `costs of ${card.entityRef}` };
    const analysis = card.data?.analysis;
    if (!analysis?.rows.length || analysis.total.monthToDate === undefined) {
      return { error: `no analysis (${card.status}: ${card.message})` };
    }
    return { asOf: card.fetchedAt };
  };
}

/** The portfolio with the service's row. */
export function costPortfolioCheck(entityRef: string): Check {
  return (status, body) => {
    const portfolio = body as CostPortfolio;
    if (status !== 200) return { error: `HTTP ${status}` };
    if (!portfolio.rows?.some(r => r.entityRef === entityRef)) {
      return { error: `${entityRef} is not in the portfolio` };
    }
    return {};
  };
}

/** Until the cost sources' first scheduled read is stored: at most 3 minutes. */
export async function waitForCostAnalysis(
  url: string,
  headers: Record<string, string>,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as EntityCostAnalysis;
    if (body.data?.analysis) return;
    if (Date.now() > deadline) {
      throw new Error(`The cost analysis never arrived: ${body.message}`);
    }
    await sleep(2_000);
  }
}
