import {
  CostPortfolio,
  CostPortfolioAnomaly,
  CostPortfolioCell,
  CostPortfolioRow,
} from '@internal/plugin-lexecon-common';

function cell(
  provider: CostPortfolioCell['provider'],
  component: string,
  monthToDate: number,
  expectedToDate: number,
  forecast: number,
  forecastBaseline: number,
  inTotal = true,
): CostPortfolioCell {
  return {
    provider,
    component,
    monthToDate,
    expectedToDate,
    baseline: forecastBaseline,
    forecast,
    forecastBaseline,
    inTotal,
  };
}

/** A service whose cells add up to its Total, as the backend builds both from the same facts. */
export function portfolioRow(
  name: string,
  title: string,
  cells: CostPortfolioCell[],
  extra: Partial<CostPortfolioRow> = {},
): CostPortfolioRow {
  const counted = cells.filter(c => c.inTotal);
  const sum = (pick: (c: CostPortfolioCell) => number | undefined) =>
    counted.reduce((t, c) => t + (pick(c) ?? 0), 0);
  const forecastBaseline = sum(c => c.forecastBaseline);
  const delta = sum(c => c.forecast) - forecastBaseline;
  return {
    entityRef: `component:default/${name}`,
    name,
    title,
    status: 'ok',
    currency: 'USD',
    total: {
      component: 'Total',
      baseline: forecastBaseline,
      monthToDate: sum(c => c.monthToDate),
      expectedToDate: sum(c => c.expectedToDate),
      forecast: sum(c => c.forecast),
      delta,
      deltaPercent: (delta / forecastBaseline) * 100,
    },
    cells,
    ...extra,
  };
}

export const paymentsAnomaly: CostPortfolioAnomaly = {
  id: 'portal:aws:database-backups:2026-11-09',
  source: 'portal',
  detectedBy: ['portal'],
  provider: 'aws',
  component: 'database-backups',
  start: '2026-11-09',
  impact: 215.5,
  rootCauses: [
    {
      provider: 'aws',
      component: 'database-backups',
      service: 'Amazon Relational Database Service',
      usageType: 'RDS:ChargedBackupUsage',
    },
  ],
  estimated: false,
  status: 'open',
  entityRef: 'component:default/payments-api',
  title: 'Payments API',
  currency: 'USD',
};

/** Payments API over its baseline, Ledger under it (stale), Search failing. */
export function costPortfolio(): CostPortfolio {
  return {
    rows: [
      portfolioRow('payments-api', 'Payments API', [
        cell('aws', 'database-backups', 410, 190, 530, 300),
        cell('aws', 'kubernetes-compute', 1500, 1600, 2500, 2500),
        cell('gcp', 'storage', 100, 95, 160, 150),
        cell('opencost', 'kubernetes-compute', 900, 950, 1400, 1500, false),
      ]),
      portfolioRow(
        'ledger',
        'Ledger',
        [
          cell('aws', 'kubernetes-compute', 700, 760, 1100, 1200),
          cell('gcp', 'storage', 40, 38, 62, 60),
        ],
        {
          status: 'stale',
          message:
            'AWS Cost Explorer costs have not been read since 2026-11-16',
        },
      ),
      {
        entityRef: 'component:default/search',
        name: 'search',
        title: 'Search',
        status: 'error',
        message:
          'Its costs could not be analysed just now; the other services are shown',
        cells: [],
      },
    ],
    anomalies: [paymentsAnomaly],
    providers: ['aws', 'gcp', 'opencost'],
    components: ['database-backups', 'kubernetes-compute', 'storage'],
  };
}
