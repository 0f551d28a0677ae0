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
  DowntimeWindow,
  FlagEventRecord,
  FlagRecord,
  HealthComponentRecord,
  MonitorRecord,
  ObservabilityData,
  SloRecord,
} from './types';

/**
 * How a service fares this month against its 99.9% availability SLO:
 * - `healthy`: no downtime this month, no monitor alerting, every health component healthy;
 * - `at-risk`: still above target, but this month's downtime burns the error budget at 0.95×
 *   the month's pace (the board shows it "At risk" once less than a quarter of the budget is
 *   left, in the month's last days), a latency monitor warning, one health component degraded;
 * - `breaching`: an outage that started 85 minutes ago and is still going on (below target at
 *   any point of the month), the error-rate monitor alerting, an active SEV-2, a health
 *   component unhealthy (`/health` answers 503).
 */
export type Reliability = 'healthy' | 'at-risk' | 'breaching';

export const SLO_TARGET = 99.9;
/** The at-risk service's downtime as a share of the month so far: 95% of what the budget allows. */
const AT_RISK_BURN = 0.95;

export interface FlagSeed {
  name: string;
  description: string;
  type: FlagRecord['type'];
  createdDaysAgo: number;
  /** Percent of production traffic it is on for; 0: off in production. */
  production: number;
  stale?: boolean;
  /** Switched on in production this many minutes before the outage (the change behind it). */
  minutesBeforeOutage?: number;
}

export interface ObservabilitySeed {
  /** The Datadog `service` tag. */
  service: string;
  unleashProject: string;
  /** Names the SLO: `<title> availability`. */
  title: string;
  reliability: Reliability;
  flags: FlagSeed[];
  /** Health components; the last one is the one that degrades or fails. */
  health: string[];
  /** Titles of past incidents; with none, the service has no incident history. */
  pastIncidents: string[];
  outageTitle: string;
  /** Where its Datadog monitor ids and Unleash event ids start. */
  monitorIdBase: number;
  eventIdBase: number;
}

/** The downtime behind the service's reliability this month, if any. */
function outageWindow(
  reliability: Reliability,
  now: number,
): DowntimeWindow | undefined {
  if (reliability === 'breaching') {
    // Still down when the seed clock stops: the SLO history counts it up to the clock.
    return { start: now - 85 * MINUTE, end: now + 2 * HOUR };
  }
  if (reliability === 'at-risk') {
    const elapsed = now - monthStart(now);
    const end = now - Math.min(30 * MINUTE, elapsed / 4);
    const length = Math.round(AT_RISK_BURN * (1 - SLO_TARGET / 100) * elapsed);
    return { start: end - length, end };
  }
  return undefined;
}

function flagEvents(
  seed: ObservabilitySeed,
  rng: Prng,
  now: number,
  outage: DowntimeWindow | undefined,
): FlagEventRecord[] {
  const log = new FlagEventLog(seed.unleashProject);
  const enabled = 'feature-environment-enabled';
  for (const flag of seed.flags) {
    const author = rng.pick(FLAG_AUTHORS);
    const created = now - flag.createdDaysAgo * DAY;
    const idSeed = `${seed.unleashProject}/${flag.name}`;
    log.add(created, 'feature-created', flag.name, null, author);
    log.add(created, enabled, flag.name, 'development', author);
    log.add(created + 2 * DAY, enabled, flag.name, 'staging', author);
    if (flag.production === 0) continue;
    const at =
      flag.minutesBeforeOutage && outage
        ? outage.start - flag.minutesBeforeOutage * MINUTE
        : created + Math.min(flag.createdDaysAgo - 1, 7) * DAY;
    const strategy =
      flag.production === 100
        ? standard(flag.name, 'production', idSeed)
        : rollout(flag.name, flag.production, {}, idSeed);
    log.add(
      at - 2 * MINUTE,
      'feature-strategy-add',
      flag.name,
      'production',
      author,
      strategy,
    );
    log.add(at, enabled, flag.name, 'production', author);
  }
  return log.finish(seed.eventIdBase);
}

function flagRecords(
  seed: ObservabilitySeed,
  rng: Prng,
  now: number,
): FlagRecord[] {
  return seed.flags.map(flag => {
    const idSeed = `${seed.unleashProject}/${flag.name}`;
    const production =
      flag.production === 100
        ? [standard(flag.name, 'production', idSeed)]
        : [rollout(flag.name, flag.production, {}, idSeed)];
    return {
      name: flag.name,
      description: flag.description,
      type: flag.type,
      createdAt: iso(now - flag.createdDaysAgo * DAY),
      stale: flag.stale ?? false,
      environments: FLAG_ENVIRONMENTS.map(env =>
        env === 'production'
          ? flagEnvironment(rng, now, env, flag.production > 0, production)
          : flagEnvironment(rng, now, env, true, [
              standard(flag.name, env, idSeed),
            ]),
      ),
    };
  });
}

/** How likely a past month had an incident, by how the service fares. */
const PAST_INCIDENT_CHANCE: Record<Reliability, number> = {
  healthy: 0.3,
  'at-risk': 0.6,
  breaching: 0.8,
};

function seedIncidents(
  seed: ObservabilitySeed,
  rng: Prng,
  now: number,
  outage: DowntimeWindow | undefined,
): IncidentLog {
  const log = new IncidentLog(seed.service, `${seed.service}:`);
  const declarer = () => rng.pick(FLAG_AUTHORS)[0];
  if (seed.pastIncidents.length > 0) {
    for (let offset = 12; offset >= 1; offset--) {
      if (!rng.chance(PAST_INCIDENT_CHANCE[seed.reliability])) continue;
      const start = monthStart(now, -offset);
      const length = monthStart(now, 1 - offset) - start;
      // A breaching service also breached two months back.
      const impact =
        seed.reliability === 'breaching' && offset === 2 ? 70 : rng.int(2, 9);
      log.add(
        rng.pick(seed.pastIncidents),
        impact > 30 ? 'SEV-1' : rng.pick(['SEV-2', 'SEV-3'] as const),
        start + Math.floor(rng.next() * (length - DAY)),
        impact,
        impact + rng.int(15, 60),
        declarer(),
      );
    }
  }
  if (outage && seed.reliability === 'breaching') {
    log.open(seed.outageTitle, 'SEV-2', outage.start, declarer(), outage.end);
  } else if (outage && seed.pastIncidents.length > 0) {
    log.add(
      seed.outageTitle,
      'SEV-3',
      outage.start,
      (outage.end - outage.start) / MINUTE,
      (outage.end - outage.start) / MINUTE + 20,
      declarer(),
    );
  } else if (outage) {
    log.downtime.push(outage);
  }
  log.finish();
  return log;
}

function seedMonitors(
  seed: ObservabilitySeed,
  world: SandboxWorld,
  now: number,
  outage: DowntimeWindow | undefined,
): MonitorRecord[] {
  const runbook = (file: string) =>
    `https://github.com/${world.owner}/${world.repo}/blob/${world.defaultBranch}/docs/runbooks/${file}`;
  const scope = `service:${seed.service},env:production`;
  const base = {
    type: 'query alert',
    tags: sloTags(seed),
    created: now - 200 * DAY,
  };
  const breaching = seed.reliability === 'breaching';
  const monitors: MonitorRecord[] = [
    {
      ...base,
      id: seed.monitorIdBase + 1,
      name: `${seed.service}_error_rate`,
      query: `sum(last_5m):sum:trace.http.request.errors{${scope}}.as_count() / sum:trace.http.request.hits{${scope}}.as_count() > 0.01`,
      message: `Error rate of ${seed.title} above 1%.\nRunbook: ${runbook(
        'high_errors.md',
      )}\n@pagerduty-lexecon-oncall`,
      priority: 1,
      overallState: breaching ? 'Alert' : 'OK',
      stateChangedAt:
        breaching && outage ? outage.start + 3 * MINUTE : now - 20 * DAY,
    },
  ];
  if (seed.pastIncidents.length > 0 || seed.reliability !== 'healthy') {
    monitors.push({
      ...base,
      id: seed.monitorIdBase + 2,
      name: `${seed.service}_latency_p95`,
      query: `avg(last_15m):p95:trace.http.request.duration{${scope}} > 0.5`,
      message: `p95 latency of ${seed.title} above 500 ms.\nRunbook: ${runbook(
        'high_latency.md',
      )}\n@slack-alerts`,
      priority: 3,
      overallState: seed.reliability === 'healthy' ? 'OK' : 'Warn',
      stateChangedAt: now - 2 * HOUR,
    });
  }
  return monitors;
}

function sloTags(seed: ObservabilitySeed): string[] {
  return [`service:${seed.service}`, 'env:production', 'team:lexecon'];
}

function availabilitySlo(
  seed: ObservabilitySeed,
  now: number,
  monitorId: number,
): SloRecord {
  return {
    id: sha1Hex(`slo:${seed.service}:availability`).slice(0, 32),
    name: `${seed.title} availability`,
    description: `Share of time ${seed.title} in production answers /health/ready (99.9% SLA).`,
    type: 'monitor',
    target: SLO_TARGET,
    warning: 99.95,
    timeframe: '30d',
    tags: sloTags(seed),
    monitorIds: [monitorId],
    created: now - 300 * DAY,
    service: seed.service,
  };
}

const HEALTH_BY_RELIABILITY: Record<
  Reliability,
  { last: HealthComponentRecord['status']; upFor: number }
> = {
  healthy: { last: 'healthy', upFor: 9 * DAY },
  'at-risk': { last: 'degraded', upFor: 2 * DAY },
  breaching: { last: 'unhealthy', upFor: 80 * MINUTE },
};

function seedHealth(
  seed: ObservabilitySeed,
  rng: Prng,
  now: number,
): ObservabilityData['health'] {
  const { last, upFor } = HEALTH_BY_RELIABILITY[seed.reliability];
  const components: Record<string, HealthComponentRecord> = {};
  seed.health.forEach((name, i) => {
    const status = i === seed.health.length - 1 ? last : 'healthy';
    components[name] =
      status === 'unhealthy'
        ? { status }
        : {
            status,
            latency_ms: rng.int(2, 12) * (status === 'degraded' ? 15 : 1),
          };
  });
  return { startedAt: now - upFor, components };
}

/**
 * A service's flags, availability SLO, monitors, incidents and health, all relative to the seed
 * clock, shaped by how it fares (`reliability`). Incidents are numbered by the portfolio.
 */
export function buildServiceObservability(
  seed: ObservabilitySeed,
  world: SandboxWorld,
): ObservabilityData {
  const now = Date.parse(world.now);
  const rng = new Prng(`observability:${seed.service}:${world.now}`);
  const outage = outageWindow(seed.reliability, now);
  const flagEventList = flagEvents(seed, rng, now, outage);
  const flags = flagRecords(seed, rng, now);
  const incidents = seedIncidents(seed, rng, now, outage);
  const monitors = seedMonitors(seed, world, now, outage);
  const slo = availabilitySlo(seed, now, monitors[0].id);
  return {
    now,
    unleashProject: seed.unleashProject,
    flags,
    flagEvents: flagEventList,
    slos: [slo],
    downtime: { [slo.id]: incidents.downtime },
    monitors,
    incidents: incidents.incidents,
    health: seedHealth(seed, rng, now),
  };
}
