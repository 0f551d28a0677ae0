// The portfolio page's rows: one service's Cost card reduced to what the page compares.
import {
  CostAnalysisView,
  CostPortfolio,
  CostPortfolioAnomaly,
  CostPortfolioCell,
  CostPortfolioRow,
  CostPortfolioStatus,
  CostProvider,
  DailyCostFact,
  EntityCostAnalysis,
} from '@internal/plugin-lexecon-common';
import { costBaseline } from './baseline';
import { costForecast } from './forecast';
import { monthToDate } from './monthToDate';

/** The provider that allocates a cluster's bill rather than billing it. */
const ALLOCATING: CostProvider = 'opencost';

export interface PortfolioService {
  entityRef: string;
  name: string;
  title: string;
}

/** The card's status, with `partial` when one provider failed and another still has data. */
export function portfolioStatus(
  section: Pick<EntityCostAnalysis, 'status' | 'sources'>,
): CostPortfolioStatus {
  if (section.status === 'ok') return 'ok';
  if (section.status !== 'stale') return 'error';
  return section.sources.some(s => s.status === 'error') ? 'partial' : 'stale';
}

/**
 * Each provider's month of each component, from that provider's facts alone, so the page can add
 * up the providers and components a person filters on.
 */
export function portfolioCells(
  facts: DailyCostFact[],
  view: Pick<CostAnalysisView, 'today' | 'lastCompleteDay' | 'providers'>,
): CostPortfolioCell[] {
  const { today, lastCompleteDay } = view;
  if (!lastCompleteDay) return [];
  const read = view.providers.map(p => p.provider);
  const billRead = read.some(p => p !== ALLOCATING);
  return read.flatMap(provider => {
    const own = facts.filter(f => f.provider === provider);
    if (!own.length) return [];
    const baseline = costBaseline(own, { lastCompleteDay });
    const toDate = monthToDate(own, baseline, today);
    const forecast = costForecast(own, baseline, toDate, {
      today,
      lastCompleteDay,
    });
    return toDate.components.map(c => {
      const f = forecast.components.find(x => x.component === c.component);
      return {
        provider,
        component: c.component,
        monthToDate: c.actual,
        expectedToDate: c.expected,
        baseline: baseline.components.find(b => b.component === c.component)
          ?.monthly,
        forecast: f?.monthEnd,
        forecastBaseline: f?.baseline,
        inTotal: provider !== ALLOCATING || !billRead,
      };
    });
  });
}

/** One service's row from its card's analysis and the facts the analysis rests on. */
export function portfolioRow(
  service: PortfolioService,
  section: EntityCostAnalysis,
  facts: DailyCostFact[],
): CostPortfolioRow {
  const analysis = section.data?.analysis;
  return {
    ...service,
    status: portfolioStatus(section),
    message: section.message,
    fetchedAt: section.fetchedAt,
    currency: analysis?.currency,
    total: analysis?.total,
    cells: section.data ? portfolioCells(facts, section.data) : [],
  };
}

/** The row of a service whose analysis failed: the page still lists every other service. */
export function failedPortfolioRow(
  service: PortfolioService,
): CostPortfolioRow {
  return {
    ...service,
    status: 'error',
    message:
      'Its costs could not be analysed just now; the other services are shown',
    cells: [],
  };
}

/** Highest forecast against baseline first; rows without one last, then by title. */
function compareRows(a: CostPortfolioRow, b: CostPortfolioRow) {
  const da = a.total?.delta;
  const db = b.total?.delta;
  if (da !== undefined && db !== undefined && da !== db) return db - da;
  if (da === undefined && db !== undefined) return 1;
  if (db === undefined && da !== undefined) return -1;
  return a.title.localeCompare(b.title);
}

/** The page's data from each service's row and its open anomalies. */
export function costPortfolio(
  entries: Array<{ row: CostPortfolioRow; section?: EntityCostAnalysis }>,
): CostPortfolio {
  const rows = entries.map(e => e.row).sort(compareRows);
  const anomalies: CostPortfolioAnomaly[] = entries
    .flatMap(({ row, section }) =>
      (section?.data?.analysis?.anomalies ?? [])
        .filter(a => a.status === 'open')
        .map(a => ({
          ...a,
          entityRef: row.entityRef,
          title: row.title,
          currency: row.currency,
        })),
    )
    .sort((a, b) => b.impact - a.impact);
  const cells = rows.flatMap(r => r.cells);
  return {
    rows,
    anomalies,
    providers: [...new Set(cells.map(c => c.provider))].sort(),
    components: [...new Set(cells.map(c => c.component))].sort(),
  };
}
