import {
  FeatureFlagsOverview,
  OnCallBoard,
  OnCallService,
  Section,
  ServiceHealth,
  SlaOverview,
  slaStatus,
} from '@internal/plugin-lexecon-common';

const fetchedAt = '2026-11-20T14:58:00Z';

export function slaSection(
  monthToDate: Partial<SlaOverview['monthToDate']> = {},
): Section<SlaOverview> {
  const mtd = {
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-20T15:00:00Z',
    uptimePercent: 99.95,
    downtimeSeconds: 1110,
    errorBudgetRemainingPercent: 57,
    burnRate: 0.65,
    ...monthToDate,
  };
  return {
    status: 'ok',
    fetchedAt,
    sources: [{ source: 'datadog', status: 'ok', fetchedAt }],
    data: {
      slo: {
        id: 'slo1',
        name: 'Lexecon API availability',
        targetPercent: 99.9,
      },
      monthToDate: {
        ...mtd,
        status:
          monthToDate.status ?? slaStatus({ ...mtd, targetPercent: 99.9 }),
      },
      months: [
        { month: '2026-09', uptimePercent: 99.86, met: false },
        { month: '2026-10', uptimePercent: 99.97, met: true },
      ],
      incidents: [
        {
          id: 'i1',
          publicId: 7,
          title: 'Rate limiter saturation attack',
          severity: 'SEV-2',
          state: 'resolved',
          startedAt: '2026-11-20T09:00:00Z',
          resolvedAt: '2026-11-20T09:22:00Z',
          timeToResolveSeconds: 1320,
          precededBy: {
            kind: 'flag',
            at: '2026-11-20T08:22:00Z',
            entityRef: 'component:default/lexecon-api',
            title: 'enable_strict_validation: enabled in production',
            by: 'priya.nair@lexecon.io',
            environment: 'production',
            url: 'https://unleash.example.com/projects/lexecon/features/enable_strict_validation',
          },
          url: 'https://app.datadoghq.eu/incidents/7',
        },
      ],
      monitors: [
        {
          id: 1,
          name: 'decision_latency_regression',
          state: 'Alert',
          alerting: true,
          since: '2026-11-20T14:16:00Z',
          runbookUrl: 'https://example.com/docs/runbooks/high_latency.md',
        },
        { id: 2, name: 'error_rate_spike', state: 'OK', alerting: false },
      ],
      changeWindowMinutes: 120,
    },
  };
}

export const healthSection: Section<ServiceHealth> = {
  status: 'ok',
  fetchedAt,
  sources: [{ source: 'health', status: 'ok', fetchedAt }],
  data: {
    url: 'http://lexecon/health',
    status: 'degraded',
    ready: true,
    live: true,
    checkedAt: fetchedAt,
    components: [
      { name: 'database', status: 'healthy', latencyMs: 3 },
      { name: 'rate_limiter', status: 'degraded', latencyMs: 41 },
    ],
  },
};

export const flagsSection: Section<FeatureFlagsOverview> = {
  status: 'ok',
  fetchedAt,
  sources: [{ source: 'unleash', status: 'ok', fetchedAt }],
  data: {
    project: 'lexecon',
    environments: ['development', 'staging', 'production'],
    flags: [
      {
        name: 'enable_async_auth',
        type: 'release',
        stale: false,
        environments: [
          {
            environment: 'development',
            enabled: true,
            strategies: [],
            summary: 'on for everyone',
          },
          {
            environment: 'staging',
            enabled: true,
            strategies: [],
            summary: 'gradual rollout 100%',
          },
          {
            environment: 'production',
            enabled: true,
            strategies: [],
            summary: 'gradual rollout 25%',
          },
        ],
        lastChange: {
          id: 2,
          featureName: 'enable_async_auth',
          type: 'feature-strategy-update',
          environment: 'production',
          createdBy: 'maya.chen@lexecon.io',
          createdAt: '2026-11-17T13:00:00Z',
          description:
            'gradual rollout 10% → gradual rollout 25% in production',
        },
        history: [
          {
            id: 2,
            featureName: 'enable_async_auth',
            type: 'feature-strategy-update',
            environment: 'production',
            createdBy: 'maya.chen@lexecon.io',
            createdAt: '2026-11-17T13:00:00Z',
            description:
              'gradual rollout 10% → gradual rollout 25% in production',
          },
          {
            id: 1,
            featureName: 'enable_async_auth',
            type: 'feature-environment-enabled',
            environment: 'production',
            createdBy: 'maya.chen@lexecon.io',
            createdAt: '2026-10-30T13:00:00Z',
            description: 'enabled in production',
          },
        ],
      },
      {
        name: 'enable_legacy_pdf_export',
        type: 'release',
        stale: true,
        environments: [
          {
            environment: 'development',
            enabled: true,
            strategies: [],
            summary: 'on for everyone',
          },
          {
            environment: 'staging',
            enabled: false,
            strategies: [],
            summary: 'off',
          },
          {
            environment: 'production',
            enabled: false,
            strategies: [],
            summary: 'off',
          },
        ],
        history: [],
      },
    ],
  },
};

/**
 * A row of the on-call board whose SLA status follows from its month-to-date figures, as the
 * backend derives it.
 */
export function onCallService(
  title: string,
  monthToDate?: Pick<
    SlaOverview['monthToDate'],
    'uptimePercent' | 'errorBudgetRemainingPercent' | 'burnRate'
  >,
  overrides: Partial<OnCallService> = {},
): OnCallService {
  const name = title.toLocaleLowerCase('en-US').replace(/\W+/g, '-');
  const targetPercent = 99.9;
  return {
    entityRef: `component:default/${name}`,
    title,
    sla: monthToDate
      ? {
          status: 'ok',
          fetchedAt,
          sources: [{ source: 'datadog', status: 'ok', fetchedAt }],
          data: {
            from: '2026-11-01T00:00:00Z',
            to: '2026-11-20T15:00:00Z',
            downtimeSeconds: 0,
            ...monthToDate,
            targetPercent,
            status: slaStatus({ ...monthToDate, targetPercent }),
          },
        }
      : {
          status: 'error',
          message: 'Datadog answered 502',
          sources: [{ source: 'datadog', status: 'error' }],
        },
    alertingMonitors: [],
    activeIncidents: 0,
    notices: [],
    ...overrides,
  };
}

export function onCallBoard(overrides: Partial<OnCallBoard> = {}): OnCallBoard {
  return {
    generatedAt: '2026-11-20T15:00:00Z',
    services: [],
    activeIncidents: [],
    timeline: [],
    ...overrides,
  };
}
