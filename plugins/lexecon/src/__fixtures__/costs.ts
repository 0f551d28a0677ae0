import {
  CostAnalysis,
  CostTemplateRow,
  EntityCostAnalysis,
  MonthlyComponentCost,
} from '@internal/plugin-lexecon-common';

const ENTITY_REF = 'component:default/payments-api';
export const COST_NOW = '2026-11-20T15:00:00.000Z';

const rows: CostTemplateRow[] = [
  {
    component: 'database-backups',
    baseline: 300,
    band: { low: 280, high: 330 },
    monthToDate: 410.5,
    expectedToDate: 190,
    forecast: 530,
    forecastInterval: { low: 500, high: 560 },
    forecastMethod: 'portal',
    delta: 230,
    deltaPercent: 76.7,
  },
  {
    component: 'database-primary',
    baseline: 1200,
    band: { low: 1150, high: 1260 },
    monthToDate: 760,
    expectedToDate: 760,
    forecast: 1200,
    forecastInterval: { low: 1150, high: 1250 },
    forecastMethod: 'portal',
    delta: 0,
    deltaPercent: 0,
  },
  {
    component: 'kubernetes-compute',
    baseline: 2500.25,
    band: { low: 2400, high: 2650 },
    monthToDate: 1500,
    expectedToDate: 1583.5,
    forecast: 2400,
    forecastInterval: { low: 2300, high: 2500 },
    forecastMethod: 'portal',
    delta: -100.25,
    deltaPercent: -4,
  },
];

/** The Total row as analyseCosts builds it: each figure the sum of the components'. */
function totalOf(components: CostTemplateRow[]): CostTemplateRow {
  const sum = (pick: (r: CostTemplateRow) => number | undefined) =>
    components.reduce((t, r) => t + (pick(r) ?? 0), 0);
  return {
    component: 'Total',
    baseline: sum(r => r.baseline),
    band: { low: sum(r => r.band?.low), high: sum(r => r.band?.high) },
    monthToDate: sum(r => r.monthToDate),
    expectedToDate: sum(r => r.expectedToDate),
    forecast: sum(r => r.forecast),
    forecastInterval: {
      low: sum(r => r.forecastInterval?.low),
      high: sum(r => r.forecastInterval?.high),
    },
    delta: sum(r => r.delta),
  };
}

/** 13 months ending November 2026, the last still estimated. */
const MONTHS = Array.from({ length: 13 }, (_, i) => {
  const d = new Date(Date.UTC(2025, 10 + i, 1));
  return d.toISOString().slice(0, 7);
});
const monthly: MonthlyComponentCost[] = MONTHS.flatMap((month, i) =>
  rows.map(r => ({
    month,
    component: r.component,
    amount: i === 12 ? r.monthToDate : r.baseline! + i,
    estimated: i === 12,
  })),
);

export const SEEDED_ROOT_CAUSE = 'Amazon RDS · USE1-RDS:ChargedBackupUsage';

export const costAnalysis: CostAnalysis = {
  currency: 'USD',
  rows,
  total: totalOf(rows),
  baseline: { window: MONTHS.slice(6, 12), components: [], total: {} },
  monthToDate: {
    month: '2026-11',
    through: '2026-11-19',
    days: 19,
    daysInMonth: 30,
    components: [],
    total: { actual: 2670.5, estimatedDays: 3 },
  },
  forecast: {
    month: '2026-11',
    remainingDays: 11,
    components: [],
    total: {},
    methods: ['portal'],
  },
  monthly,
  anomalies: [
    {
      id: 'portal:aws:database-backups:2026-11-08',
      source: 'portal',
      detectedBy: ['portal'],
      provider: 'aws',
      component: 'database-backups',
      start: '2026-11-08',
      end: '2026-11-12',
      impact: 152.4,
      rootCauses: [
        {
          provider: 'aws',
          component: 'database-backups',
          service: 'Amazon RDS',
          usageType: 'USE1-RDS:ChargedBackupUsage',
        },
      ],
      estimated: false,
      status: 'open',
    },
    {
      id: 'portal:aws:storage:2026-09-01',
      source: 'portal',
      detectedBy: ['portal'],
      provider: 'aws',
      component: 'storage',
      start: '2026-09-01',
      end: '2026-09-02',
      impact: 40,
      rootCauses: [{ provider: 'aws', component: 'storage' }],
      estimated: false,
      status: 'acknowledged',
    },
  ],
  opportunities: ['a', 'b', 'c', 'd'].map((id, i) => ({
    id,
    kind: 'commitment' as const,
    component: rows[i % rows.length].component,
    provider: 'aws' as const,
    title: `Opportunity ${id.toUpperCase()}`,
    basis: 'Stable spend',
    monthlySavings: 100 - i * 10,
    risk: 'low' as const,
    effort: 'medium' as const,
  })),
  efficiency: [],
};

type View = NonNullable<EntityCostAnalysis['data']>;

export function costSection(
  overrides: Partial<EntityCostAnalysis> = {},
  data: Partial<View> = {},
): EntityCostAnalysis {
  return {
    entityRef: ENTITY_REF,
    status: 'ok',
    fetchedAt: COST_NOW,
    sources: [{ source: 'aws-cost', status: 'ok', fetchedAt: COST_NOW }],
    data: {
      from: '2025-11-01',
      today: '2026-11-20',
      lastCompleteDay: '2026-11-16',
      providers: [
        {
          provider: 'aws',
          lastCompleteDay: '2026-11-16',
          dataAsOf: COST_NOW,
          estimatedDays: ['2026-11-17', '2026-11-18', '2026-11-19'],
          requestBudget: { day: '2026-11-20', cap: 40, used: 3, remaining: 37 },
        },
      ],
      analysis: costAnalysis,
      notes: [
        {
          about: 'unit-cost',
          message:
            "The service's daily decision counts are not stored yet, so there is no cost per 1,000 decisions",
        },
      ],
      ...data,
    },
    ...overrides,
  };
}

export const notConfiguredCosts: EntityCostAnalysis = {
  entityRef: ENTITY_REF,
  status: 'not-configured',
  message:
    "Add the lexecon.io/aws-cost-tags annotation (the service cost allocation tag's value(s), e.g. lexecon-api) to show what the service costs on AWS by component",
  missingAnnotations: ['lexecon.io/aws-cost-tags'],
  sources: [{ source: 'aws-cost', status: 'not-configured' }],
};
