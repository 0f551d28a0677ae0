import {
  COST_DAILY_FACTS_CSV_COLUMNS,
  CostDailyFactsQuery,
  CostPortfolio,
  toCsv,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { mapLimited } from '../sources/mapLimited';
import {
  costPortfolio,
  failedPortfolioRow,
  PortfolioService,
  portfolioRow,
} from './costPortfolio';
import { costWindow, dayOf } from './planCostFetch';
import {
  CostAnalysisDeps,
  readEntityCostAnalysis,
} from './readEntityCostAnalysis';
import { COST_SOURCES } from './readEntityCosts';

/** Services analysed at once: each analysis is a handful of database reads. */
const CONCURRENCY = 4;

export interface PortfolioTarget extends PortfolioService {
  target: EntityTarget;
}

/** True when any cost source reads the entity (its annotation and the backend's config). */
export function hasCostSource(deps: CostAnalysisDeps, target: EntityTarget) {
  return COST_SOURCES.some(
    s => !deps.refresher.notConfiguredReason(target, s.source),
  );
}

/**
 * Every service's Cost card reduced to the portfolio's row, from the stored facts only (no
 * provider is called). A service whose analysis throws is an error row, never a failed page.
 */
export async function readCostPortfolio(
  deps: CostAnalysisDeps,
  services: readonly PortfolioTarget[],
): Promise<CostPortfolio> {
  const entries = await mapLimited(
    services,
    CONCURRENCY,
    async ({ target, ...service }) => {
      try {
        const section = await readEntityCostAnalysis(deps, target);
        const facts = section.data
          ? await deps.facts.facts(target.entityRef, section.data.from)
          : [];
        return { row: portfolioRow(service, section, facts), section };
      } catch {
        return { row: failedPortfolioRow(service) };
      }
    },
  );
  return costPortfolio(entries);
}

/**
 * The stored daily facts of the services as CSV, one line per entity, provider, component and
 * day; only the providers configured for each entity, as its card shows them.
 */
export async function dailyCostFactsCsv(
  deps: CostAnalysisDeps,
  targets: readonly EntityTarget[],
  query: CostDailyFactsQuery,
): Promise<string> {
  const now = deps.now?.() ?? new Date();
  const from = query.from ?? costWindow(dayOf(now.getTime())).from;
  const sorted = [...targets].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  const lines = await mapLimited(sorted, CONCURRENCY, async target => {
    const providers = COST_SOURCES.filter(
      s => !deps.refresher.notConfiguredReason(target, s.source),
    ).map(s => s.provider);
    const facts = await deps.facts.facts(target.entityRef, from);
    return facts
      .filter(
        f =>
          providers.includes(f.provider) &&
          (!query.provider || f.provider === query.provider) &&
          (!query.component || f.component === query.component),
      )
      .map(f => [
        target.entityRef,
        f.provider,
        f.component,
        f.day,
        f.amount,
        f.currency,
        f.estimated,
      ]);
  });
  return toCsv(COST_DAILY_FACTS_CSV_COLUMNS, lines.flat());
}
