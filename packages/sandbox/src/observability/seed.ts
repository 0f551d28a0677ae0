import { DAY, HOUR, iso, MINUTE, Prng, sha1Hex } from '../random';
import { SandboxWorld } from '../world/types';
import {
  FLAG_AUTHORS,
  FLAG_ENVIRONMENTS,
  FlagEventLog,
  flagEnvironment,
  rollout,
  standard,
} from './flags';
import { IncidentLog, monthStart } from './incidents';
import {
  FlagRecord,
  IncidentRecord,
  MonitorRecord,
  ObservabilityWorld,
  SloRecord,
} from './types';

export type {
  DowntimeWindow,
  FlagEnvironmentRecord,
  FlagEventRecord,
  FlagRecord,
  FlagStrategyRecord,
  HealthComponentRecord,
  IncidentRecord,
  MonitorRecord,
  ObservabilityData,
  ObservabilityWorld,
  SloRecord,
} from './types';
export { FLAG_ENVIRONMENTS } from './flags';

/** The Unleash project, Datadog service tag and team the seeded Lexecon service uses. */
export const UNLEASH_PROJECT = 'lexecon';
export const DATADOG_SERVICE = 'lexecon';

const ASYNC_AUTH = 'enable_async_auth';
const EXPORT = 'enable_observability_export';
const STRICT = 'enable_strict_validation';
const LEGACY = 'enable_legacy_pdf_export';

/** When the story's turning points happen, relative to the seed clock. */
interface LexeconTimeline {
  now: number;
  rateLimiterStart: number;
  /** The production flag change 38 minutes before the rate-limiter incident. */
  flagChangeAt: number;
}

/**
 * enable_async_auth rolled out gradually in production (widened three days ago),
 * enable_observability_export on everywhere for a month, enable_strict_validation switched on
 * in production shortly before the rate-limiter incident, and a stale flag nobody touched for
 * half a year.
 */
function lexeconFlagEvents({ now, flagChangeAt }: LexeconTimeline) {
  const log = new FlagEventLog(UNLEASH_PROJECT);
  const [maya, dev, sam, priya] = FLAG_AUTHORS;
  const enabled = 'feature-environment-enabled';
  log.add(now - 74 * DAY, 'feature-created', ASYNC_AUTH, null, dev);
  log.add(now - 74 * DAY, enabled, ASYNC_AUTH, 'development', dev);
  log.add(now - 60 * DAY, enabled, ASYNC_AUTH, 'staging', dev);
  log.add(
    now - 21 * DAY,
    'feature-strategy-add',
    ASYNC_AUTH,
    'production',
    maya,
    rollout(ASYNC_AUTH, 10),
  );
  log.add(now - 21 * DAY, enabled, ASYNC_AUTH, 'production', maya);
  log.add(
    now - 3 * DAY - 2 * HOUR,
    'feature-strategy-update',
    ASYNC_AUTH,
    'production',
    maya,
    rollout(ASYNC_AUTH, 25),
    rollout(ASYNC_AUTH, 10),
  );

  log.add(now - 95 * DAY, 'feature-created', EXPORT, null, sam);
  log.add(now - 95 * DAY, enabled, EXPORT, 'development', sam);
  log.add(now - 52 * DAY, enabled, EXPORT, 'staging', sam);
  log.add(now - 31 * DAY, enabled, EXPORT, 'production', sam);

  log.add(now - 40 * DAY, 'feature-created', STRICT, null, priya);
  log.add(now - 40 * DAY, enabled, STRICT, 'development', priya);
  log.add(now - 9 * DAY, enabled, STRICT, 'staging', priya);
  log.add(
    flagChangeAt - 2 * MINUTE,
    'feature-strategy-add',
    STRICT,
    'production',
    priya,
    standard(STRICT, 'production'),
  );
  log.add(flagChangeAt, enabled, STRICT, 'production', priya);

  log.add(now - 260 * DAY, 'feature-created', LEGACY, null, dev);
  log.add(now - 260 * DAY, enabled, LEGACY, 'development', dev);
  log.add(
    now - 190 * DAY,
    'feature-environment-disabled',
    LEGACY,
    'staging',
    dev,
  );
  return log.finish(10_400);
}

/** The flags as they stand now (the end state of their events). */
function lexeconFlags(rng: Prng, now: number): FlagRecord[] {
  const env = (
    name: string,
    enabled: boolean,
    strategies: FlagRecord['environments'][number]['strategies'],
  ) => flagEnvironment(rng, now, name, enabled, strategies);
  return [
    {
      name: ASYNC_AUTH,
      description: 'Use the new async/await implementation of the auth service',
      type: 'release',
      createdAt: iso(now - 74 * DAY),
      stale: false,
      environments: [
        env('development', true, [standard(ASYNC_AUTH, 'development')]),
        env('staging', true, [rollout(ASYNC_AUTH, 100)]),
        env('production', true, [rollout(ASYNC_AUTH, 25)]),
      ],
    },
    {
      name: EXPORT,
      description: 'Export OTLP traces and metrics to Datadog',
      type: 'operational',
      createdAt: iso(now - 95 * DAY),
      stale: false,
      environments: FLAG_ENVIRONMENTS.map(e =>
        env(e, true, [standard(EXPORT, e)]),
      ),
    },
    {
      name: STRICT,
      description: 'Extended input validation on decision requests',
      type: 'kill-switch',
      createdAt: iso(now - 40 * DAY),
      stale: false,
      environments: [
        env('development', true, [standard(STRICT, 'development')]),
        env('staging', true, [
          {
            ...standard(STRICT, 'staging'),
            constraints: [
              {
                contextName: 'tenantId',
                operator: 'IN',
                values: ['acme', 'globex'],
              },
            ],
          },
        ]),
        env('production', true, [standard(STRICT, 'production')]),
      ],
    },
    {
      name: LEGACY,
      description:
        'Old PDF export of decision reports (replaced by the evidence export)',
      type: 'release',
      createdAt: iso(now - 260 * DAY),
      stale: true,
      environments: [
        env('development', true, [standard(LEGACY, 'development')]),
        env('staging', false, []),
        env('production', false, []),
      ],
    },
  ];
}

const BREACHED_OFFSET = 4;
const OLDER_TITLES = [
  'Elevated 5xx from the decision endpoint',
  'Ledger write latency above 2s',
  'Auth service token validation failures',
  'Kubernetes node drain dropped connections',
  'Expired TLS certificate on the internal ledger endpoint',
];

/** 12 months back, one or two short outages a month, and one bad month. */
function olderIncidents(log: IncidentLog, rng: Prng, now: number): void {
  for (let offset = 12; offset >= 1; offset--) {
    const start = monthStart(now, -offset);
    const length = monthStart(now, 1 - offset) - start;
    if (offset === BREACHED_OFFSET) {
      log.add(
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
      log.add(
        rng.pick(OLDER_TITLES),
        rng.pick(['SEV-2', 'SEV-3'] as const),
        start + Math.floor(rng.next() * (length - DAY)),
        rng.int(3, 14),
        rng.int(20, 70),
        rng.pick(FLAG_AUTHORS)[0],
      );
    }
  }
}

/** The newest production deploy more than four days old, and when it succeeded. */
function deployBeforePool(world: SandboxWorld, now: number) {
  const productionDeploys = world.deployments.filter(
    d =>
      d.environment === 'production' &&
      d.statuses.some(s => s.state === 'success') &&
      Date.parse(d.createdAt) < now - 4 * DAY,
  );
  const deploy = productionDeploys[productionDeploys.length - 1];
  if (!deploy) return undefined;
  const at = Date.parse(
    deploy.statuses.find(s => s.state === 'success')?.createdAt ??
      deploy.createdAt,
  );
  return { deploy, at };
}

interface LexeconIncidents {
  log: IncidentLog;
  pool: IncidentRecord;
  limiter: IncidentRecord;
  active: IncidentRecord;
  poolStart: number;
  deploy: ReturnType<typeof deployBeforePool>;
}

/**
 * Pool exhaustion about half an hour after a production deploy some eight days back, the
 * rate-limiter saturation six hours back, and decision latency above baseline now.
 */
function lexeconIncidents(
  world: SandboxWorld,
  rng: Prng,
  timeline: LexeconTimeline,
): LexeconIncidents {
  const { now, rateLimiterStart } = timeline;
  const log = new IncidentLog(DATADOG_SERVICE);
  olderIncidents(log, rng, now);
  const deploy = deployBeforePool(world, now);
  const poolStart = deploy ? deploy.at + 34 * MINUTE : now - 8 * DAY;
  const pool = log.add(
    'Database connection pool exhaustion',
    'SEV-2',
    poolStart,
    15,
    41,
    'sam.okafor@lexecon.io',
  );
  const limiter = log.add(
    'Rate limiter saturation attack',
    'SEV-2',
    rateLimiterStart,
    3.5,
    22,
    'priya.nair@lexecon.io',
  );
  const active = log.open(
    'Decision latency p95 above baseline',
    'SEV-3',
    now - 42 * MINUTE,
    'priya.nair@lexecon.io',
  );
  log.finish(1);
  return { log, pool, limiter, active, poolStart, deploy };
}

const ALERTING_MONITOR_ID = 148_200_101;

function lexeconMonitors(
  world: SandboxWorld,
  timeline: LexeconTimeline,
  poolStart: number,
): MonitorRecord[] {
  const { now, rateLimiterStart } = timeline;
  const runbook = (file: string) =>
    `https://github.com/${world.owner}/${world.repo}/blob/${world.defaultBranch}/docs/runbooks/${file}`;
  const tags = lexeconTags();
  const scope = `service:${DATADOG_SERVICE},env:production`;
  const monitor = (
    m: Omit<MonitorRecord, 'type' | 'tags' | 'created'>,
  ): MonitorRecord => ({
    id: m.id,
    name: m.name,
    type: 'query alert',
    query: m.query,
    message: m.message,
    tags,
    priority: m.priority,
    overallState: m.overallState,
    stateChangedAt: m.stateChangedAt,
    created: now - 200 * DAY,
  });
  return [
    monitor({
      id: ALERTING_MONITOR_ID,
      name: 'decision_latency_regression',
      query: `avg(last_15m):p95:trace.http.request.duration{${scope}} > 0.24`,
      message: `p95 decision latency is more than 10% above its baseline.\nRunbook: ${runbook(
        'high_latency.md',
      )}\n@slack-alerts`,
      priority: 3,
      overallState: 'Alert',
      stateChangedAt: now - 44 * MINUTE,
    }),
    monitor({
      id: 148_200_102,
      name: 'error_rate_spike',
      query: `sum(last_5m):sum:trace.http.request.errors{${scope}}.as_count() / sum:trace.http.request.hits{${scope}}.as_count() > 0.01`,
      message: `Error rate above 1%.\nRunbook: ${runbook(
        'high_errors.md',
      )}\n@slack-alerts @pagerduty-lexecon-oncall`,
      priority: 1,
      overallState: 'OK',
      stateChangedAt: rateLimiterStart + 4 * MINUTE,
    }),
    monitor({
      id: 148_200_103,
      name: 'database_connection_pool_saturation',
      query: `avg(last_5m):avg:lexecon.db.pool.utilization{${scope}} > 0.9`,
      message: `Database connection pool above its saturation threshold.\nRunbook: ${runbook(
        'db_pool.md',
      )}\n@slack-alerts`,
      priority: 2,
      overallState: 'OK',
      stateChangedAt: poolStart + 16 * MINUTE,
    }),
    monitor({
      id: 148_200_104,
      name: 'circuit_breaker_state_change',
      query: `max(last_1m):max:lexecon.circuit_breaker.open{${scope}} > 0`,
      message: `A circuit breaker opened.\nRunbook: ${runbook(
        'circuit_breaker.md',
      )}\n@pagerduty-lexecon-oncall`,
      priority: 1,
      overallState: 'OK',
      stateChangedAt: now - 30 * DAY,
    }),
  ];
}

function lexeconTags(): string[] {
  return [`service:${DATADOG_SERVICE}`, 'env:production', 'team:lexecon'];
}

function lexeconSlo(now: number): SloRecord {
  return {
    id: sha1Hex(`slo:${DATADOG_SERVICE}:availability`).slice(0, 32),
    name: 'Lexecon API availability',
    description:
      'Share of time the production decision API answers /health/ready (99.9% SLA).',
    type: 'monitor',
    target: 99.9,
    warning: 99.95,
    timeframe: '30d',
    tags: lexeconTags(),
    monitorIds: [148_200_102],
    created: now - 400 * DAY,
    service: DATADOG_SERVICE,
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
  const rateLimiterStart = now - 6 * HOUR;
  const timeline = {
    now,
    rateLimiterStart,
    flagChangeAt: rateLimiterStart - 38 * MINUTE,
  };
  const flagEvents = lexeconFlagEvents(timeline);
  const flags = lexeconFlags(rng, now);
  const incidents = lexeconIncidents(world, rng, timeline);
  const slo = lexeconSlo(now);
  return {
    now,
    unleashProject: UNLEASH_PROJECT,
    flags,
    flagEvents,
    slos: [slo],
    downtime: { [slo.id]: incidents.log.downtime },
    monitors: lexeconMonitors(world, timeline, incidents.poolStart),
    incidents: incidents.log.incidents,
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
        featureName: STRICT,
        at: iso(timeline.flagChangeAt),
      },
      rateLimiterIncidentId: incidents.limiter.id,
      poolIncidentId: incidents.pool.id,
      deployBeforePoolIncident: incidents.deploy
        ? { sha: incidents.deploy.deploy.sha, at: iso(incidents.deploy.at) }
        : undefined,
      breachedMonth: iso(monthStart(now, -BREACHED_OFFSET)).slice(0, 7),
      activeIncidentId: incidents.active.id,
      alertingMonitorId: ALERTING_MONITOR_ID,
    },
  };
}

/** Milliseconds of `windows` inside [from, to). */
export function downtimeBetween(
  windows: Array<{ start: number; end: number }>,
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
