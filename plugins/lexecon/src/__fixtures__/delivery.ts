import {
  CI_RUNS_NOT_READ,
  DeliveryPortfolio,
  DoraKey,
  DoraKeyFigure,
  EntityDelivery,
  Figure,
  WeeklyPoint,
} from '@internal/plugin-lexecon-common';

const noCi = (unit: Figure['unit']): Figure => ({
  unit,
  noData: CI_RUNS_NOT_READ,
  samples: 0,
  factIds: [],
});

/** Twelve weeks ending 2026-W48, `values` oldest first (undefined: no data that week). */
export function weeks(values: Array<number | undefined>): WeeklyPoint[] {
  return values.map((value, i) => {
    const start = new Date(Date.UTC(2026, 8, 7) + i * 7 * 86_400_000);
    return {
      week: `2026-W${37 + i}`,
      weekStart: start.toISOString(),
      ...(value === undefined ? {} : { value }),
      factIds: [],
    };
  });
}

const twelve = (value: number | undefined) =>
  weeks(Array.from({ length: 12 }, () => value));

export const deliveryKeys: Record<DoraKey, DoraKeyFigure> = {
  deploymentFrequency: {
    figure: {
      value: 0.5,
      unit: 'deploys/day',
      band: 'high',
      samples: 2,
      factIds: ['production:run:11', 'production:run:12'],
    },
    weekly: twelve(0.5),
  },
  leadTime: {
    figure: {
      unit: 'seconds',
      noData:
        'No successful deploys with dated commits to production in the window',
      samples: 0,
      factIds: [],
    },
    weekly: twelve(undefined),
  },
  changeFailureRate: {
    figure: {
      value: 50,
      unit: 'percent',
      band: 'low',
      samples: 2,
      factIds: ['production:run:11', 'production:run:12'],
    },
    weekly: twelve(50),
  },
  timeToRestore: {
    figure: {
      value: 1800,
      unit: 'seconds',
      band: 'elite',
      samples: 1,
      factIds: ['incident-7'],
    },
    weekly: twelve(1800),
  },
};

export const entityDelivery: EntityDelivery = {
  entityRef: 'component:default/payments-api',
  window: '90d',
  environment: 'production',
  from: '2026-09-01T00:00:00.000Z',
  to: '2026-11-30T00:00:00.000Z',
  status: 'ok',
  sources: [],
  data: {
    keys: deliveryKeys,
    deploymentFrequency: {
      perDay: deliveryKeys.deploymentFrequency.figure,
      perWeek: { ...deliveryKeys.deploymentFrequency.figure, value: 3.5 },
      weekly: [],
    },
    leadTime: {
      median: deliveryKeys.leadTime.figure,
      p90: deliveryKeys.leadTime.figure,
      weekly: [],
      excluded: [],
    },
    changeFailureRate: {
      rate: deliveryKeys.changeFailureRate.figure,
      failures: [
        {
          deployId: 'production:run:12',
          version: 'v1.5.0',
          causes: ['rolled-back', 'incident'],
          incidentIds: ['incident-7'],
        },
      ],
      weekly: [],
    },
    timeToRestore: {
      incidents: deliveryKeys.timeToRestore.figure,
      failedDeploys: deliveryKeys.timeToRestore.figure,
      open: [],
    },
    rollbacks: {
      count: {
        value: 1,
        unit: 'count',
        samples: 2,
        factIds: ['production:run:12'],
      },
      perWeek: noCi('deploys/week'),
      weekly: [],
    },
    ci: {
      passRate: noCi('percent'),
      buildDuration: noCi('seconds'),
      durations: [],
      flaky: { count: noCi('count'), jobs: [], weekly: [] },
    },
    readiness: {
      latest: {
        value: 72,
        unit: 'score',
        samples: 1,
        factIds: ['abc1234'],
      },
      gate: 80,
      weekly: weeks([...Array.from({ length: 11 }, () => undefined), 72]),
    },
    coverage: { latest: noCi('percent'), weekly: [] },
    facts: {
      'production:run:11': {
        id: 'production:run:11',
        kind: 'deploy',
        at: '2026-11-20T10:00:00.000Z',
        title: 'v1.4.0 to production',
        detail: 'success',
        url: 'https://github.com/acme/payments/actions/runs/11',
      },
      'production:run:12': {
        id: 'production:run:12',
        kind: 'deploy',
        at: '2026-11-27T10:00:00.000Z',
        title: 'v1.5.0 to production',
        detail: 'rolled_back',
        url: 'https://github.com/acme/payments/actions/runs/12',
      },
      'incident-7': {
        id: 'incident-7',
        kind: 'incident',
        at: '2026-11-27T10:05:00.000Z',
        title: 'SEV-2 Payments failing',
        detail: 'resolved 2026-11-27T10:35:00.000Z',
        url: 'https://app.datadoghq.com/incidents/7',
      },
    },
  },
};

export const deliveryPortfolio: DeliveryPortfolio = {
  window: '90d',
  environment: 'production',
  from: entityDelivery.from,
  to: entityDelivery.to,
  generatedAt: entityDelivery.to,
  services: [
    {
      entityRef: 'component:default/payments-api',
      name: 'payments-api',
      title: 'Payments API',
      status: 'ok',
      keys: deliveryKeys,
      rank: 1,
    },
    {
      entityRef: 'component:default/ledger',
      name: 'ledger',
      title: 'Ledger',
      status: 'stale',
      message: 'GitHub: rate limited',
      rank: 2,
    },
  ],
};

/** An entity with no deploy source: what the fake answers unless a test gives a delivery. */
export const notConfiguredDelivery: EntityDelivery = {
  ...entityDelivery,
  status: 'not-configured',
  message: 'GitHub: add github.com/project-slug',
  missingAnnotations: ['github.com/project-slug'],
  data: undefined,
};
