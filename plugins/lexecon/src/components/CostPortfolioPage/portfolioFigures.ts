import {
  CostPortfolioCell,
  CostPortfolioRow,
  CostProvider,
  toCsv,
} from '@internal/plugin-lexecon-common';

export interface PortfolioFilter {
  provider?: CostProvider;
  component?: string;
}

/** The figures a row shows: its Total, or the sum of the cells a filter keeps. */
export interface PortfolioFigures {
  monthToDate?: number;
  expectedToDate?: number;
  forecast?: number;
  delta?: number;
  deltaPercent?: number;
}

function sum(
  cells: CostPortfolioCell[],
  pick: (c: CostPortfolioCell) => number | undefined,
) {
  const values = cells.map(pick).filter((v): v is number => v !== undefined);
  return values.length ? values.reduce((t, v) => t + v, 0) : undefined;
}

/**
 * A row's figures under a filter. Without one they are the template's Total; with one they are
 * added up from the provider and component cells it keeps, an allocation (OpenCost beside a bill)
 * only when its provider is asked for, as the Total never counts it. Undefined: nothing matches.
 */
export function portfolioFigures(
  row: CostPortfolioRow,
  filter: PortfolioFilter,
): PortfolioFigures | undefined {
  if (!filter.provider && !filter.component) {
    if (!row.total) return undefined;
    const { monthToDate, expectedToDate, forecast, delta, deltaPercent } =
      row.total;
    return { monthToDate, expectedToDate, forecast, delta, deltaPercent };
  }
  const cells = row.cells.filter(
    c =>
      (filter.provider ? c.provider === filter.provider : c.inTotal) &&
      (!filter.component || c.component === filter.component),
  );
  if (!cells.length) return undefined;
  const forecast = sum(cells, c => c.forecast);
  const forecastBaseline = sum(cells, c => c.forecastBaseline);
  const delta =
    forecast !== undefined && forecastBaseline !== undefined
      ? forecast - forecastBaseline
      : undefined;
  return {
    monthToDate: sum(cells, c => c.monthToDate),
    expectedToDate: sum(cells, c => c.expectedToDate),
    forecast,
    delta,
    deltaPercent:
      delta !== undefined && forecastBaseline
        ? (delta / forecastBaseline) * 100
        : undefined,
  };
}

export const TABLE_CSV_FILENAME = 'lexecon-cost-portfolio.csv';

const round = (value: number | undefined) =>
  value === undefined ? undefined : Math.round(value * 100) / 100;

/** The table as shown (its rows, order and filtered figures) as CSV. */
export function portfolioTableCsv(
  shown: Array<{ row: CostPortfolioRow; figures?: PortfolioFigures }>,
  filter: PortfolioFilter,
) {
  return toCsv(
    [
      'service',
      'entity',
      'status',
      'message',
      'provider',
      'component',
      'currency',
      'month_to_date',
      'expected_to_date',
      'forecast_month_end',
      'delta',
      'delta_percent',
    ],
    shown.map(({ row, figures }) => [
      row.title,
      row.entityRef,
      row.status,
      row.message,
      filter.provider ?? 'all',
      filter.component ?? 'all',
      row.currency,
      round(figures?.monthToDate),
      round(figures?.expectedToDate),
      round(figures?.forecast),
      round(figures?.delta),
      figures?.deltaPercent === undefined
        ? undefined
        : Math.round(figures.deltaPercent * 10) / 10,
    ]),
  );
}
