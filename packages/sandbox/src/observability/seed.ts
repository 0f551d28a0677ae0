import { DAY, HOUR, iso, MINUTE, Prng, sha1Hex, uuidFrom } from '../random';
import { SandboxWorld } from '../world/types';

/** The Unleash project, Datadog service tag and team the seeded Lexecon service uses. */
export const UNLEASH_PROJECT = 'lexecon';
export const DATADOG_SERVICE = 'lexecon';
export const FLAG_ENVIRONMENTS = ['development', 'staging', 'production'];

export interface FlagStrategyRecord {
  id: string;
  name: 'default' | 'flexibleRollout' | 'userWithId' | 'remoteAddress';
  parameters: Record<string, string>;
  constraints: Array<{
    contextName: string;
    operator: string;
    values: string[];
  }>;
  disabled: boolean;
}

export interface FlagEnvironmentRecord {
  name: string;
  type: 'development' | 'test' | 'production';
  enabled: boolean;
  strategies: FlagStrategyRecord[];
  lastSeenAt?: string;
}

export interface FlagRecord {
  name: string;
  description: string;
  type: 'release' | 'operational' | 'kill-switch' | 'experiment';
  createdAt: string;
  stale: boolean;
  environments: FlagEnvironmentRecord[];
}

export interface FlagEventRecord {
  id: number;
  type: string;
  createdAt: string;
  createdBy: string;
  createdByUserId: number;
  environment: string | null;
  project: string;
  featureName: string;
  data: unknown;
  preData: unknown;
}

/** A period of customer-visible unavailability, which the availability SLO counts. */
export interface DowntimeWindow {
  start: number;
  end: number;
}

export interface IncidentRecord {
  id: string;
  publicId: number;
  title: string;
  severity: 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4';
  state: 'active' | 'stable' | 'resolved';
  service: string;
  /** Epoch ms. */
  created: number;
  detected: number;
  resolved?: number;
  customerImpactStart?: number;
  customerImpactEnd?: number;
  declaredBy: string;
}

export interface MonitorRecord {
  id: number;
  name: string;
  type: string;
  query: string;
  message: string;
  tags: string[];
  priority: number;
  overallState: 'OK' | 'Alert' | 'Warn' | 'No Data';
  /** Epoch ms of the last state change. */
  stateChangedAt: number;
  created: number;
}

export interface SloRecord {
  id: string;
  name: string;
  description: string;
  type: 'monitor';
  target: number;
  warning: number;
  timeframe: '30d';
  tags: string[];
  monitorIds: number[];
  created: number;
  service: string;
}

export interface HealthComponentRecord {
  status: 'healthy' | 'degraded' | 'unhealthy';
  latency_ms?: number;
}

export interface ObservabilityWorld {
  now: number;
  unleashProject: string;
  flags: FlagRecord[];
  /** Oldest first; ids increase. */
  flagEvents: FlagEventRecord[];
  slos: SloRecord[];
  downtime: Record<string, DowntimeWindow[]>;
  monitors: MonitorRecord[];
  /** Oldest first. */
  incidents: IncidentRecord[];
  health: {
    startedAt: number;
    components: Record<string, HealthComponentRecord>;
  };
  facts: {
    /** The production flag change shortly before the rate-limiter incident. */
    flagChangeBeforeIncident: { featureName: string; at: string };
    rateLimiterIncidentId: string;
    poolIncidentId: string;
    /** The production deploy shortly before the pool-exhaustion incident, when the world has one. */
    deployBeforePoolIncident?: { sha: string; at: string };
    breachedMonth: string;
    activeIncidentId: string;
    alertingMonitorId: number;
  };
}

const FLAG_AUTHORS: Array<[string, number]> = [
  ['maya.chen@lexecon.io', 3],
  ['dev.patel@lexecon.io', 4],
  ['sam.okafor@lexecon.io', 5],
  ['priya.nair@lexecon.io', 8],
];

function rollout(
  flag: string,
  percent: number,
  extra: Partial<FlagStrategyRecord> = {},
): FlagStrategyRecord {
  return {
    id: uuidFrom(`${flag}:rollout:${percent}`),
    name: 'flexibleRollout',
    parameters: {
      rollout: String(percent),
      stickiness: 'default',
      groupId: flag,
    },
    constraints: [],
    disabled: false,
    ...extra,
  };
}

function standard(flag: string, env: string): FlagStrategyRecord {
  return {
    id: uuidFrom(`${flag}:default:${env}`),
    name: 'default',
    parameters: {},
    constraints: [],
    disabled: false,
  };
}

/**
 * Flags, SLOs, monitors, incidents and health for the seeded Lexecon world, all relative to the
 * seed clock: the story is a pool-exhaustion incident shortly after a production deploy, a
 * rate-limiter incident shortly after a production flag change, one breached month a few months
 * back and a latency monitor alerting now.
 */
export function buildObservability(world: SandboxWorld): ObservabilityWorld {
  const now = Date.parse(world.now);
  const rng = new Prng(`observability:${world.now}`);
  const events: FlagEventRecord[] = [];
  let nextEventId = 10_400;
  const event = (
    at: number,
    type: string,
    featureName: string,
    environment: string | null,
    author: [string, number],
    data: unknown = null,
    preData: unknown = null,
  ) => {
    events.push({
      id: 0,
      type,
      createdAt: iso(at),
      createdBy: author[0],
      createdByUserId: author[1],
      environment,
      project: UNLEASH_PROJECT,
      featureName,
      data,
      preData,
    });
  };
  const [maya, dev, sam, priya] = FLAG_AUTHORS;

  const rateLimiterStart = now - 6 * HOUR;
  const flagChangeAt = rateLimiterStart - 38 * MINUTE;

  // enable_async_auth: gradual production rollout, widened three days ago.
  const asyncAuth = 'enable_async_auth';
  event(now - 74 * DAY, 'feature-created', asyncAuth, null, dev);
  event(
    now - 74 * DAY,
    'feature-environment-enabled',
    asyncAuth,
    'development',
    dev,
  );
  event(
    now - 60 * DAY,
    'feature-environment-enabled',
    asyncAuth,
    'staging',
    dev,
  );
  event(
    now - 21 * DAY,
    'feature-strategy-add',
    asyncAuth,
    'production',
    maya,
    rollout(asyncAuth, 10),
  );
  event(
    now - 21 * DAY,
    'feature-environment-enabled',
    asyncAuth,
    'production',
    maya,
  );
  event(
    now - 3 * DAY - 2 * HOUR,
    'feature-strategy-update',
    asyncAuth,
    'production',
    maya,
    rollout(asyncAuth, 25),
    rollout(asyncAuth, 10),
  );

  // enable_observability_export: on everywhere for a month.
  const export_ = 'enable_observability_export';
  event(now - 95 * DAY, 'feature-created', export_, null, sam);
  event(
    now - 95 * DAY,
    'feature-environment-enabled',
    export_,
    'development',
    sam,
  );
  event(now - 52 * DAY, 'feature-environment-enabled', export_, 'staging', sam);
  event(
    now - 31 * DAY,
    'feature-environment-enabled',
    export_,
    'production',
    sam,
  );

  // enable_strict_validation: switched on in production 38 minutes before the rate-limiter incident.
  const strict = 'enable_strict_validation';
  event(now - 40 * DAY, 'feature-created', strict, null, priya);
  event(
    now - 40 * DAY,
    'feature-environment-enabled',
    strict,
    'development',
    priya,
  );
  event(now - 9 * DAY, 'feature-environment-enabled', strict, 'staging', priya);
  event(
    flagChangeAt - 2 * MINUTE,
    'feature-strategy-add',
    strict,
    'production',
    priya,
    standard(strict, 'production'),
  );
  event(
    flagChangeAt,
    'feature-environment-enabled',
    strict,
    'production',
    priya,
  );

  // A stale flag nobody has touched for half a year.
  const legacy = 'enable_legacy_pdf_export';
  event(now - 260 * DAY, 'feature-created', legacy, null, dev);
  event(
    now - 260 * DAY,
    'feature-environment-enabled',
    legacy,
    'development',
    dev,
  );
  event(
    now - 190 * DAY,
    'feature-environment-disabled',
    legacy,
    'staging',
    dev,
  );

  events.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const e of events) e.id = nextEventId++;

  const env = (
    name: string,
    enabled: boolean,
    strategies: FlagStrategyRecord[],
  ): FlagEnvironmentRecord => ({
    name,
    type: name === 'production' ? 'production' : 'development',
    enabled,
    strategies,
    lastSeenAt: enabled ? iso(now - rng.int(1, 50) * MINUTE) : undefined,
  });
  const flags: FlagRecord[] = [
    {
      name: asyncAuth,
      description: 'Use the new async/await implementation of the auth service',
      type: 'release',
      createdAt: iso(now - 74 * DAY),
      stale: false,
      environments: [
        env('development', true, [standard(asyncAuth, 'development')]),
        env('staging', true, [rollout(asyncAuth, 100)]),
        env('production', true, [rollout(asyncAuth, 25)]),
      ],
    },
    {
      name: export_,
      description: 'Export OTLP traces and metrics to Datadog',
      type: 'operational',
      createdAt: iso(now - 95 * DAY),
      stale: false,
      environments: FLAG_ENVIRONMENTS.map(e =>
        env(e, true, [standard(export_, e)]),
      ),
    },
    {
      name: strict,
      description: 'Extended input validation on decision requests',
      type: 'kill-switch',
      createdAt: iso(now - 40 * DAY),
      stale: false,
      environments: [
        env('development', true, [standard(strict, 'development')]),
        env('staging', true, [
          {
            ...standard(strict, 'staging'),
            constraints: [
              {
                contextName: 'tenantId',
                operator: 'IN',
                values: ['acme', 'globex'],
              },
            ],
          },
        ]),
        env('production', true, [standard(strict, 'production')]),
      ],
    },
    {
      name: legacy,
      description:
        'Old PDF export of decision reports (replaced by the evidence export)',
      type: 'release',
      createdAt: iso(now - 260 * DAY),
      stale: true,
      environments: [
        env('development', true, [standard(legacy, 'development')]),
        env('staging', false, []),
        env('production', false, []),
      ],
    },
  ];

  // Incidents and the downtime the availability SLO counts.
  const incidents: IncidentRecord[] = [];
  const downtime: DowntimeWindow[] = [];
  let publicId = 1;
  const incident = (
    title: string,
    severity: IncidentRecord['severity'],
    start: number,
    impactMinutes: number,
    resolveMinutes: number,
    declaredBy: string,
  ): IncidentRecord => {
    const record: IncidentRecord = {
      id: uuidFrom(`incident:${title}:${start}`),
      publicId: 0,
      title,
      severity,
      state: 'resolved',
      service: DATADOG_SERVICE,
      created: start + 2 * MINUTE,
      detected: start + MINUTE,
      resolved: start + resolveMinutes * MINUTE,
      customerImpactStart: impactMinutes > 0 ? start : undefined,
      customerImpactEnd:
        impactMinutes > 0 ? start + impactMinutes * MINUTE : undefined,
      declaredBy,
    };
    incidents.push(record);
    if (impactMinutes > 0) {
      downtime.push({ start, end: start + impactMinutes * MINUTE });
    }
    return record;
  };

  // Older history: 12 months back, one or two short outages a month; one bad month.
  const monthStart = (offset: number) => {
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - offset, 1);
  };
  const olderTitles = [
    'Elevated 5xx from the decision endpoint',
    'Ledger write latency above 2s',
    'Auth service token validation failures',
    'Kubernetes node drain dropped connections',
    'Expired TLS certificate on the internal ledger endpoint',
  ];
  const breachedOffset = 4;
  for (let offset = 12; offset >= 1; offset--) {
    const start = monthStart(offset);
    const length = monthStart(offset - 1) - start;
    if (offset === breachedOffset) {
      incident(
        'Ledger database failover stalled decision writes',
        'SEV-1',
        start + 11 * DAY + 14 * HOUR,
        62,
        95,
        'sam.okafor@lexecon.io',
      );
      continue;
    }
    const count = rng.int(1, 2);
    for (let i = 0; i < count; i++) {
      incident(
        rng.pick(olderTitles),
        rng.pick(['SEV-2', 'SEV-3'] as const),
        start + Math.floor(rng.next() * (length - DAY)),
        rng.int(3, 14),
        rng.int(20, 70),
        rng.pick(FLAG_AUTHORS)[0],
      );
    }
  }

  // Pool exhaustion: about half an hour after a production deploy, eight days or so back.
  const productionDeploys = world.deployments.filter(
    d =>
      d.environment === 'production' &&
      d.statuses.some(s => s.state === 'success') &&
      Date.parse(d.createdAt) < now - 4 * DAY,
  );
  const deploy = productionDeploys[productionDeploys.length - 1];
  const deployAt = deploy
    ? Date.parse(
        deploy.statuses.find(s => s.state === 'success')?.createdAt ??
          deploy.createdAt,
      )
    : undefined;
  const poolStart =
    deployAt !== undefined ? deployAt + 34 * MINUTE : now - 8 * DAY;
  const pool = incident(
    'Database connection pool exhaustion',
    'SEV-2',
    poolStart,
    15,
    41,
    'sam.okafor@lexecon.io',
  );
  const limiter = incident(
    'Rate limiter saturation attack',
    'SEV-2',
    rateLimiterStart,
    3.5,
    22,
    'priya.nair@lexecon.io',
  );
  const active = incident(
    'Decision latency p95 above baseline',
    'SEV-3',
    now - 42 * MINUTE,
    0,
    0,
    'priya.nair@lexecon.io',
  );
  active.state = 'active';
  delete active.resolved;

  incidents.sort((a, b) => a.created - b.created);
  for (const i of incidents) i.publicId = publicId++;
  downtime.sort((a, b) => a.start - b.start);

  const runbook = (file: string) =>
    `https://github.com/${world.owner}/${world.repo}/blob/${world.defaultBranch}/docs/runbooks/${file}`;
  const tags = [`service:${DATADOG_SERVICE}`, 'env:production', 'team:lexecon'];
  const monitors: MonitorRecord[] = [
    {
      id: 148_200_101,
      name: 'decision_latency_regression',
      type: 'query alert',
      query: `avg(last_15m):p95:trace.http.request.duration{service:${DATADOG_SERVICE},env:production} > 0.24`,
      message: `p95 decision latency is more than 10% above its baseline.\nRunbook: ${runbook(
        'high_latency.md',
      )}\n@slack-alerts`,
      tags,
      priority: 3,
      overallState: 'Alert',
      stateChangedAt: now - 44 * MINUTE,
      created: now - 200 * DAY,
    },
    {
      id: 148_200_102,
      name: 'error_rate_spike',
      type: 'query alert',
      query: `sum(last_5m):sum:trace.http.request.errors{service:${DATADOG_SERVICE},env:production}.as_count() / sum:trace.http.request.hits{service:${DATADOG_SERVICE},env:production}.as_count() > 0.01`,
      message: `Error rate above 1%.\nRunbook: ${runbook(
        'high_errors.md',
      )}\n@slack-alerts @pagerduty-lexecon-oncall`,
      tags,
      priority: 1,
      overallState: 'OK',
      stateChangedAt: rateLimiterStart + 4 * MINUTE,
      created: now - 200 * DAY,
    },
    {
      id: 148_200_103,
      name: 'database_connection_pool_saturation',
      type: 'query alert',
      query: `avg(last_5m):avg:lexecon.db.pool.utilization{service:${DATADOG_SERVICE},env:production} > 0.9`,
      message: `Database connection pool above its saturation threshold.\nRunbook: ${runbook(
        'db_pool.md',
      )}\n@slack-alerts`,
      tags,
      priority: 2,
      overallState: 'OK',
      stateChangedAt: poolStart + 16 * MINUTE,
      created: now - 200 * DAY,
    },
    {
      id: 148_200_104,
      name: 'circuit_breaker_state_change',
      type: 'query alert',
      query: `max(last_1m):max:lexecon.circuit_breaker.open{service:${DATADOG_SERVICE},env:production} > 0`,
      message: `A circuit breaker opened.\nRunbook: ${runbook(
        'circuit_breaker.md',
      )}\n@pagerduty-lexecon-oncall`,
      tags,
      priority: 1,
      overallState: 'OK',
      stateChangedAt: now - 30 * DAY,
      created: now - 200 * DAY,
    },
  ];

  const slo: SloRecord = {
    id: sha1Hex(`slo:${DATADOG_SERVICE}:availability`).slice(0, 32),
    name: 'Lexecon API availability',
    description:
      'Share of time the production decision API answers /health/ready (99.9% SLA).',
    type: 'monitor',
    target: 99.9,
    warning: 99.95,
    timeframe: '30d',
    tags,
    monitorIds: [148_200_102],
    created: now - 400 * DAY,
    service: DATADOG_SERVICE,
  };

  return {
    now,
    unleashProject: UNLEASH_PROJECT,
    flags,
    flagEvents: events,
    slos: [slo],
    downtime: { [slo.id]: downtime },
    monitors,
    incidents,
    health: {
      startedAt: now - 4 * DAY - 3 * HOUR,
      components: {
        database: { status: 'healthy', latency_ms: 3 },
        ledger: { status: 'healthy', latency_ms: 5 },
        auth_service: { status: 'healthy' },
        rate_limiter: { status: 'degraded', latency_ms: 41 },
      },
    },
    facts: {
      flagChangeBeforeIncident: {
        featureName: strict,
        at: iso(flagChangeAt),
      },
      rateLimiterIncidentId: limiter.id,
      poolIncidentId: pool.id,
      deployBeforePoolIncident:
        deploy && deployAt !== undefined
          ? { sha: deploy.sha, at: iso(deployAt) }
          : undefined,
      breachedMonth: iso(monthStart(breachedOffset)).slice(0, 7),
      activeIncidentId: active.id,
      alertingMonitorId: 148_200_101,
    },
  };
}

/** Milliseconds of `windows` inside [from, to). */
export function downtimeBetween(
  windows: DowntimeWindow[],
  from: number,
  to: number,
): number {
  let total = 0;
  for (const w of windows) {
    const start = Math.max(w.start, from);
    const end = Math.min(w.end, to);
    if (end > start) total += end - start;
  }
  return total;
}
