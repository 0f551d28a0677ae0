import {
  DeploymentRecord,
  FeatureFlagsOverview,
  MonitorState,
  OnCallService,
  SlaIncident,
  SlaOverview,
} from '@internal/plugin-lexecon-common';
import { DatadogSnapshot } from '../sources/datadog/types';
import {
  byRisk,
  changeEvents,
  linkIncidents,
  monthToDate,
} from './reliabilityMath';

const DAY = 86_400_000;

function snapshot(
  from: string,
  to: string,
  uptimePercent: number,
  targetPercent = 99.9,
): DatadogSnapshot {
  return {
    slo: { id: 'slo-1', name: 'API availability', targetPercent },
    monthToDate: { from, to, uptimePercent },
    months: [],
    monitors: [],
    incidents: [],
  };
}

describe('monthToDate', () => {
  // April has 30 days: the month's budget at 99.9% is 0.1% of 30 days = 43.2 minutes = 2592 s.
  const april = '2026-04-01T00:00:00.000Z';
  const midApril = '2026-04-16T00:00:00.000Z';

  it('measures downtime and budget against the whole month, and burn against the time gone', () => {
    // Half the month gone at 99.95%: 0.05% of 15 days = 648 s down, a quarter of 2592 s.
    const mtd = monthToDate(snapshot(april, midApril, 99.95));
    expect(mtd).toEqual({
      from: april,
      to: midApril,
      uptimePercent: 99.95,
      downtimeSeconds: 648,
      errorBudgetRemainingPercent: expect.any(Number),
      burnRate: expect.any(Number),
      status: 'exceeding',
    });
    expect(mtd.errorBudgetRemainingPercent).toBeCloseTo(75, 9);
    // A quarter of the budget used in half the month: burning at half the sustainable rate.
    expect(mtd.burnRate).toBeCloseTo(0.5, 9);
  });

  it('is exceeding exactly at the target: the budget runs out exactly at month end (burn 1)', () => {
    // 0.1% of 15 days = 1296 s, half the month's 2592 s, in half the month.
    const mtd = monthToDate(snapshot(april, midApril, 99.9));
    expect(mtd.downtimeSeconds).toBe(1296);
    expect(mtd.errorBudgetRemainingPercent).toBeCloseTo(50, 9);
    expect(mtd.burnRate).toBeCloseTo(1, 9);
    expect(mtd.status).toBe('exceeding');
  });

  it('keeps the whole budget with no downtime', () => {
    const mtd = monthToDate(snapshot(april, midApril, 100));
    expect(mtd).toMatchObject({
      downtimeSeconds: 0,
      errorBudgetRemainingPercent: 100,
      burnRate: 0,
      status: 'exceeding',
    });
  });

  it('is breached below the target, with the budget gone and then overdrawn', () => {
    // 0.2% of 15 days = 2592 s: the whole month's budget, in half the month.
    const exhausted = monthToDate(snapshot(april, midApril, 99.8));
    expect(exhausted.downtimeSeconds).toBe(2592);
    expect(exhausted.errorBudgetRemainingPercent).toBeCloseTo(0, 9);
    expect(exhausted.burnRate).toBeCloseTo(2, 9);
    expect(exhausted.status).toBe('breached');

    // The whole of April at 99.7%: 0.3% of 30 days = 7776 s, three budgets.
    const overdrawn = monthToDate(
      snapshot(april, '2026-05-01T00:00:00.000Z', 99.7),
    );
    expect(overdrawn.downtimeSeconds).toBe(7776);
    expect(overdrawn.errorBudgetRemainingPercent).toBeCloseTo(-200, 9);
    expect(overdrawn.burnRate).toBeCloseTo(3, 9);
    expect(overdrawn.status).toBe('breached');
  });

  it('is at risk late in the month with under a quarter of the budget left, though still met', () => {
    // The whole of April at 99.91%: 0.09% of 30 days = 2332.8 s, 90% of the budget.
    const mtd = monthToDate(snapshot(april, '2026-05-01T00:00:00.000Z', 99.91));
    expect(mtd.downtimeSeconds).toBe(2333);
    expect(mtd.errorBudgetRemainingPercent).toBeCloseTo(10, 9);
    expect(mtd.burnRate).toBeCloseTo(0.9, 9);
    expect(mtd.status).toBe('at-risk');
    // The same uptime at mid-month leaves 55% and is not at risk.
    expect(monthToDate(snapshot(april, midApril, 99.91)).status).toBe(
      'exceeding',
    );
  });

  it('reports a full budget and no burn at the first instant of the month, or with a clock behind', () => {
    const start = monthToDate(snapshot(april, april, 100));
    expect(start).toMatchObject({
      downtimeSeconds: 0,
      errorBudgetRemainingPercent: 100,
      burnRate: 0,
      status: 'exceeding',
    });
    const behind = monthToDate(
      snapshot(april, '2026-03-31T23:00:00.000Z', 99.95),
    );
    expect(behind).toMatchObject({
      downtimeSeconds: 0,
      errorBudgetRemainingPercent: 100,
      burnRate: 0,
    });
  });

  it('burns fast one hour into the month', () => {
    // 0.5% of an hour = 18 s of 2592 s; 1/720 of the month gone: burn 18 / 2592 * 720 = 5.
    const mtd = monthToDate(snapshot(april, '2026-04-01T01:00:00.000Z', 99.5));
    expect(mtd.downtimeSeconds).toBe(18);
    expect(mtd.errorBudgetRemainingPercent).toBeCloseTo(
      100 * (1 - 18 / 2592),
      9,
    );
    expect(mtd.burnRate).toBeCloseTo(5, 9);
    expect(mtd.status).toBe('breached');
  });

  it('takes the length of the month the figures start in: February, a leap February, December', () => {
    // The same 7 days at 99.95% (302.4 s down) against budgets of 28, 29 and 31 days.
    const week = (from: string) =>
      monthToDate(
        snapshot(
          from,
          new Date(Date.parse(from) + 7 * DAY).toISOString(),
          99.95,
        ),
      );
    const february = week('2026-02-01T00:00:00.000Z');
    expect(february.downtimeSeconds).toBe(302);
    // 302.4 s of a 2419.2 s budget (0.1% of 28 days).
    expect(february.errorBudgetRemainingPercent).toBeCloseTo(87.5, 9);
    const leap = week('2028-02-01T00:00:00.000Z');
    // 302.4 s of 2505.6 s.
    expect(leap.errorBudgetRemainingPercent).toBeCloseTo(
      100 * (1 - 302.4 / 2505.6),
      9,
    );
    const december = week('2026-12-01T00:00:00.000Z');
    // 302.4 s of 2678.4 s: the month ends on 1 January of the next year.
    expect(december.errorBudgetRemainingPercent).toBeCloseTo(
      100 * (1 - 302.4 / 2678.4),
      9,
    );
    // Burn depends only on uptime against target: 0.05 / 0.1, whatever the month's length.
    for (const mtd of [february, leap, december]) {
      expect(mtd.burnRate).toBeCloseTo(0.5, 9);
    }
  });

  it('has no budget at a 100% target: none left after any downtime, all of it without', () => {
    const down = monthToDate(snapshot(april, midApril, 99.99, 100));
    expect(down.status).toBe('breached');
    expect(down.errorBudgetRemainingPercent).toBe(0);
    // The whole (empty) budget used in half the month.
    expect(down.burnRate).toBe(2);
    expect(down.downtimeSeconds).toBe(130);
    const clean = monthToDate(snapshot(april, midApril, 100, 100));
    expect(clean).toMatchObject({
      status: 'exceeding',
      errorBudgetRemainingPercent: 100,
      burnRate: 0,
    });
  });
});

function deploy(
  overrides: Partial<DeploymentRecord> & { startedAt: string },
): DeploymentRecord {
  return {
    id: `production:run:${Date.parse(overrides.startedAt)}`,
    environment: 'production',
    sha: 'a'.repeat(40),
    shortSha: 'aaaaaaa',
    version: 'v1.0.0',
    result: 'success',
    sources: ['github'],
    ...overrides,
  };
}

const flags: FeatureFlagsOverview = {
  project: 'lexecon',
  environments: ['staging', 'production'],
  flags: [
    {
      name: 'enable_strict_validation',
      type: 'release',
      stale: false,
      environments: [],
      url: 'https://unleash.example.com/projects/lexecon/features/enable_strict_validation',
      history: [
        {
          id: 2,
          featureName: 'enable_strict_validation',
          type: 'feature-environment-enabled',
          environment: 'production',
          createdBy: 'maya',
          createdAt: '2026-04-10T09:30:00.000Z',
          description: 'enabled in production',
        },
        {
          id: 1,
          featureName: 'enable_strict_validation',
          type: 'feature-environment-enabled',
          environment: 'staging',
          createdBy: 'maya',
          createdAt: '2026-04-10T09:40:00.000Z',
          description: 'enabled in staging',
        },
      ],
    },
  ],
};

describe('changeEvents', () => {
  const ref = 'component:default/lexecon-api';

  it('lists finished deploys and production flag changes, newest first', () => {
    const events = changeEvents(
      ref,
      [
        deploy({
          startedAt: '2026-04-10T08:00:00.000Z',
          finishedAt: '2026-04-10T08:06:00.000Z',
          version: 'v1.4.0',
          commitTitle: 'feat: faster decisions',
          triggeredBy: { login: 'jordan-lee' },
          runUrl: 'https://github.com/o/r/actions/runs/1',
        }),
        deploy({
          startedAt: '2026-04-10T10:00:00.000Z',
          version: 'v1.4.1',
          commitTitle: 'fix: pool size',
          result: 'failed',
        }),
        deploy({ startedAt: '2026-04-10T11:00:00.000Z', result: 'waiting' }),
      ],
      flags,
    );
    expect(events).toEqual([
      {
        kind: 'deploy',
        at: '2026-04-10T10:00:00.000Z',
        entityRef: ref,
        title: 'Deployed v1.4.1 to production',
        detail: 'fix: pool size · failed',
        by: undefined,
        environment: 'production',
        url: undefined,
      },
      {
        kind: 'flag',
        at: '2026-04-10T09:30:00.000Z',
        entityRef: ref,
        title: 'enable_strict_validation: enabled in production',
        by: 'maya',
        environment: 'production',
        url: flags.flags[0].url,
      },
      {
        kind: 'deploy',
        at: '2026-04-10T08:06:00.000Z',
        entityRef: ref,
        title: 'Deployed v1.4.0 to production',
        detail: 'feat: faster decisions',
        by: 'jordan-lee',
        environment: 'production',
        url: 'https://github.com/o/r/actions/runs/1',
      },
    ]);
  });

  it('has nothing without deploys or flags', () => {
    expect(changeEvents(ref, [], undefined)).toEqual([]);
  });
});

describe('linkIncidents', () => {
  const incident = (id: string, startedAt: string): SlaIncident => ({
    id,
    publicId: 1,
    title: id,
    severity: 'SEV-2',
    state: 'resolved',
    startedAt,
  });
  const change = (at: string, environment = 'production') => ({
    kind: 'deploy' as const,
    at,
    entityRef: 'component:default/lexecon-api',
    title: `change at ${at}`,
    environment,
  });
  // Newest first, as changeEvents gives them.
  const changes = [
    change('2026-04-10T12:00:00.000Z', 'staging'),
    change('2026-04-10T11:00:00.000Z'),
    change('2026-04-10T10:00:00.000Z'),
  ];

  it('links the newest production change within the window before the start', () => {
    const [linked] = linkIncidents(
      [incident('i', '2026-04-10T12:30:00.000Z')],
      changes,
      120,
    );
    expect(linked.precededBy?.at).toBe('2026-04-10T11:00:00.000Z');
  });

  it('counts a change exactly at the start and exactly at the window edge, not one after either', () => {
    const at = (startedAt: string, windowMinutes: number) =>
      linkIncidents([incident('i', startedAt)], changes, windowMinutes)[0]
        .precededBy?.at;
    expect(at('2026-04-10T11:00:00.000Z', 1)).toBe('2026-04-10T11:00:00.000Z');
    expect(at('2026-04-10T10:59:59.999Z', 120)).toBe(
      '2026-04-10T10:00:00.000Z',
    );
    expect(at('2026-04-10T12:00:00.000Z', 60)).toBe('2026-04-10T11:00:00.000Z');
    expect(at('2026-04-10T12:00:00.001Z', 60)).toBeUndefined();
    // The staging change is newest but never counts.
    expect(at('2026-04-10T12:00:00.000Z', 1)).toBeUndefined();
  });

  it('leaves incidents without a preceding change as they were', () => {
    const alone = incident('early', '2026-04-10T09:00:00.000Z');
    expect(linkIncidents([alone], changes, 600)).toEqual([alone]);
  });
});

describe('byRisk', () => {
  const monitor: MonitorState = {
    id: 1,
    name: 'latency',
    state: 'Alert',
    alerting: true,
  };
  function service(
    title: string,
    sla?: Pick<SlaOverview['monthToDate'], 'status' | 'burnRate'>,
    alerting = 0,
  ): OnCallService {
    return {
      entityRef: `component:default/${title.toLowerCase()}`,
      title,
      sla: {
        status: sla ? 'ok' : 'error',
        sources: [],
        data: sla
          ? {
              from: '2026-04-01T00:00:00.000Z',
              to: '2026-04-16T00:00:00.000Z',
              uptimePercent: 99.9,
              downtimeSeconds: 0,
              errorBudgetRemainingPercent: 50,
              targetPercent: 99.9,
              ...sla,
            }
          : undefined,
      },
      alertingMonitors: Array.from({ length: alerting }, () => monitor),
      activeIncidents: 0,
      notices: [],
    };
  }

  it('puts breached first, then at risk by burn (fastest first), then exceeding, then services without SLA data', () => {
    const services = [
      service('Alpha'),
      service('Bravo', { status: 'exceeding', burnRate: 0.99 }, 3),
      service('Charlie', { status: 'at-risk', burnRate: 0.8 }),
      service('Delta', { status: 'at-risk', burnRate: 0.95 }),
      service('Echo', { status: 'breached', burnRate: 1.2 }),
    ];
    expect(
      [...services]
        .sort(byRisk)
        .map(s => [s.title, s.sla.data?.status ?? 'no data']),
    ).toEqual([
      ['Echo', 'breached'],
      ['Delta', 'at-risk'],
      ['Charlie', 'at-risk'],
      ['Bravo', 'exceeding'],
      ['Alpha', 'no data'],
    ]);
  });

  it('ranks a faster burn first, however fast, then more alerting monitors, then the title', () => {
    const services = [
      service('Alpha', { status: 'breached', burnRate: 2 }),
      service('Bravo', { status: 'breached', burnRate: 2 }, 1),
      service('Charlie', { status: 'breached', burnRate: 2 }, 2),
      service('Delta', { status: 'breached', burnRate: 5000 }),
      service('Echo', { status: 'breached', burnRate: 2.5 }),
      service('Aardvark', { status: 'breached', burnRate: 2 }),
    ];
    expect([...services].sort(byRisk).map(s => s.title)).toEqual([
      'Delta',
      'Echo',
      'Charlie',
      'Bravo',
      'Aardvark',
      'Alpha',
    ]);
  });

  it('orders services without SLA data by their alerting monitors, then the title', () => {
    const services = [
      service('Alpha'),
      service('Charlie', undefined, 1),
      service('Bravo', undefined, 1),
    ];
    expect([...services].sort(byRisk).map(s => s.title)).toEqual([
      'Bravo',
      'Charlie',
      'Alpha',
    ]);
  });
});
