import {
  ChangeFailure,
  ChangeFailureRate,
  DeployFact,
  DeploymentFrequency,
  DORA_SCALES,
  Figure,
  IncidentFact,
  LeadTimeForChanges,
  MetricWindow,
  RollbackFrequency,
  TimeToRestore,
} from '@internal/plugin-lexecon-common';
import {
  doraBand,
  inWindow,
  ms,
  noData,
  percentile,
  seconds,
  weekly,
  windowDays,
} from './statistics';

/** Which deploys the four keys are about, and over which time. */
export interface DeliveryScope {
  environment: string;
  window: MetricWindow;
}

export interface ChangeFailureOptions extends DeliveryScope {
  /** An incident starting this long after a deploy counts the deploy as failed. */
  incidentWindowMinutes: number;
}

/** When a deploy took effect: when it finished, else when it started. */
const deployedAt = (deploy: DeployFact) =>
  deploy.finishedAt ?? deploy.startedAt;

const isChange = (deploy: DeployFact) => deploy.kind !== 'rollback';

/** The environment's deploys, oldest first, in and around the window. */
function history(deploys: DeployFact[], environment: string) {
  return deploys
    .filter(d => d.environment === environment)
    .sort((a, b) => ms(deployedAt(a)) - ms(deployedAt(b)));
}

const noDeploys = (scope: DeliveryScope, what = 'deploys') =>
  `No ${what} to ${scope.environment} in the window`;

export function deploymentFrequency(
  deploys: DeployFact[],
  scope: DeliveryScope,
): DeploymentFrequency {
  const shipped = history(deploys, scope.environment).filter(
    d =>
      isChange(d) &&
      d.result === 'success' &&
      inWindow(deployedAt(d), scope.window),
  );
  const factIds = shipped.map(d => d.id);
  const days = windowDays(scope.window);
  const weeklyCounts = weekly(scope.window, shipped, deployedAt, week => ({
    value: shipped.length > 0 ? week.length : undefined,
    factIds: week.map(d => d.id),
  }));
  if (shipped.length === 0) {
    const reason = noDeploys(scope, 'successful deploys');
    return {
      perDay: noData('deploys/day', reason),
      perWeek: noData('deploys/week', reason),
      weekly: weeklyCounts,
    };
  }
  const perDay = shipped.length / days;
  return {
    perDay: {
      value: perDay,
      unit: 'deploys/day',
      band: doraBand(perDay, DORA_SCALES.deploymentFrequency),
      samples: shipped.length,
      factIds,
    },
    perWeek: {
      value: perDay * 7,
      unit: 'deploys/week',
      samples: shipped.length,
      factIds,
    },
    weekly: weeklyCounts,
  };
}

/** Lead time of one deploy: its change set's earliest commit to the deploy finishing. */
function leadTimeOf(deploy: DeployFact): number | string {
  if (!deploy.finishedAt) return 'The deploy has no finish time';
  if (deploy.commits.length === 0) return 'The deploy shipped no commits';
  const dates = deploy.commits.flatMap(c =>
    c.authoredAt ? [ms(c.authoredAt)] : [],
  );
  if (dates.length === 0) return 'No commit of the change set has a date';
  return (ms(deploy.finishedAt) - Math.min(...dates)) / 1000;
}

export function leadTimeForChanges(
  deploys: DeployFact[],
  scope: DeliveryScope,
): LeadTimeForChanges {
  const measured: Array<{ deploy: DeployFact; seconds: number }> = [];
  const excluded: LeadTimeForChanges['excluded'] = [];
  for (const deploy of history(deploys, scope.environment)) {
    if (!isChange(deploy) || deploy.result !== 'success') continue;
    if (!inWindow(deployedAt(deploy), scope.window)) continue;
    const lead = leadTimeOf(deploy);
    if (typeof lead === 'string')
      excluded.push({ deployId: deploy.id, reason: lead });
    else measured.push({ deploy, seconds: lead });
  }
  const factIds = measured.map(m => m.deploy.id);
  const figure = (p: number, banded: boolean): Figure => {
    const value = percentile(
      measured.map(m => m.seconds),
      p,
    );
    if (value === undefined) {
      return noData(
        'seconds',
        noDeploys(scope, 'successful deploys with dated commits'),
      );
    }
    return {
      value,
      unit: 'seconds',
      ...(banded ? { band: doraBand(value, DORA_SCALES.leadTime) } : {}),
      samples: measured.length,
      factIds,
    };
  };
  return {
    median: figure(50, true),
    p90: figure(90, false),
    weekly: weekly(
      scope.window,
      measured,
      m => deployedAt(m.deploy),
      week => ({
        value: percentile(
          week.map(m => m.seconds),
          50,
        ),
        factIds: week.map(m => m.deploy.id),
      }),
    ),
    excluded,
  };
}

/**
 * The change deploys of the window and why each failed one counts as failed: it failed, it was
 * rolled back (by Helm, or by hand with a rollback deploy after it), or an incident started
 * within the configured minutes after it while it was the newest deploy.
 */
function changeFailures(
  deploys: DeployFact[],
  incidents: IncidentFact[],
  options: ChangeFailureOptions,
) {
  const all = history(deploys, options.environment);
  const failures = new Map<string, ChangeFailure>();
  const fail = (deploy: DeployFact) => {
    const failure = failures.get(deploy.id) ?? {
      deployId: deploy.id,
      version: deploy.version,
      causes: [],
      incidentIds: [],
    };
    failures.set(deploy.id, failure);
    return failure;
  };
  let lastChange: DeployFact | undefined;
  for (const deploy of all) {
    if (!isChange(deploy)) {
      if (lastChange) {
        const failure = fail(lastChange);
        if (!failure.causes.includes('rolled-back'))
          failure.causes.push('rolled-back');
        failure.rollbackDeployId = deploy.id;
      }
      lastChange = undefined;
      continue;
    }
    lastChange = deploy;
    if (deploy.result === 'failure') fail(deploy).causes.push('failed');
    if (deploy.result === 'rolled-back')
      fail(deploy).causes.push('rolled-back');
  }
  const windowMs = options.incidentWindowMinutes * 60 * 1000;
  for (const incident of incidents) {
    const start = ms(incident.startedAt);
    const before = all.filter(d => ms(deployedAt(d)) <= start);
    const newest = before[before.length - 1];
    if (!newest || !isChange(newest)) continue;
    if (start - ms(deployedAt(newest)) > windowMs) continue;
    const failure = fail(newest);
    if (!failure.causes.includes('incident')) failure.causes.push('incident');
    failure.incidentIds.push(incident.id);
  }
  const changes = all.filter(
    d => isChange(d) && inWindow(deployedAt(d), options.window),
  );
  return { changes, failures };
}

export function changeFailureRate(
  deploys: DeployFact[],
  incidents: IncidentFact[],
  options: ChangeFailureOptions,
): ChangeFailureRate {
  const { changes, failures } = changeFailures(deploys, incidents, options);
  const failed = changes.flatMap(d => {
    const failure = failures.get(d.id);
    return failure ? [failure] : [];
  });
  const rate = (of: DeployFact[]) => {
    const count = of.filter(d => failures.has(d.id)).length;
    return of.length > 0 ? (count / of.length) * 100 : undefined;
  };
  const value = rate(changes);
  return {
    rate:
      value === undefined
        ? noData('percent', noDeploys(options))
        : {
            value,
            unit: 'percent',
            band: doraBand(value, DORA_SCALES.changeFailureRate),
            samples: changes.length,
            factIds: changes.map(d => d.id),
          },
    failures: failed,
    weekly: weekly(options.window, changes, deployedAt, week => ({
      value: rate(week),
      factIds: week.map(d => d.id),
    })),
  };
}

function medianRestore(
  restores: Array<{ ids: string[]; seconds: number }>,
  reason: string,
): Figure {
  const value = percentile(
    restores.map(r => r.seconds),
    50,
  );
  if (value === undefined) return noData('seconds', reason);
  return {
    value,
    unit: 'seconds',
    band: doraBand(value, DORA_SCALES.timeToRestore),
    samples: restores.length,
    factIds: restores.flatMap(r => r.ids),
  };
}

/**
 * Restores of the window: incidents that started in it (start to resolution), and failed or
 * rolled-back deploys in it (the deploy finishing to the next successful deploy finishing, or to
 * Helm's automatic rollback, which puts the previous version back at once).
 */
export function timeToRestore(
  deploys: DeployFact[],
  incidents: IncidentFact[],
  scope: DeliveryScope,
): TimeToRestore {
  const open: string[] = [];
  const incidentRestores: Array<{ ids: string[]; seconds: number }> = [];
  for (const incident of incidents) {
    if (!inWindow(incident.startedAt, scope.window)) continue;
    if (incident.resolvedAt) {
      incidentRestores.push({
        ids: [incident.id],
        seconds: seconds(incident.startedAt, incident.resolvedAt),
      });
    } else open.push(incident.id);
  }
  const all = history(deploys, scope.environment);
  const deployRestores: Array<{ ids: string[]; seconds: number }> = [];
  all.forEach((deploy, index) => {
    if (
      deploy.result === 'success' ||
      !inWindow(deployedAt(deploy), scope.window)
    ) {
      return;
    }
    if (deploy.rolledBackAt) {
      deployRestores.push({
        ids: [deploy.id],
        seconds: seconds(deployedAt(deploy), deploy.rolledBackAt),
      });
      return;
    }
    const next = all.slice(index + 1).find(d => d.result === 'success');
    if (!next) {
      open.push(deploy.id);
      return;
    }
    deployRestores.push({
      ids: [deploy.id, next.id],
      seconds: seconds(deployedAt(deploy), deployedAt(next)),
    });
  });
  return {
    incidents: medianRestore(
      incidentRestores,
      'No resolved incidents in the window',
    ),
    failedDeploys: medianRestore(
      deployRestores,
      noDeploys(scope, 'restored failed deploys'),
    ),
    open,
  };
}

/** Helm's automatic rollbacks (the deploy rolled back) and manual rollback deploys. */
export function rollbackFrequency(
  deploys: DeployFact[],
  scope: DeliveryScope,
): RollbackFrequency {
  const inScope = history(deploys, scope.environment).filter(d =>
    inWindow(deployedAt(d), scope.window),
  );
  const rollbacks = inScope.filter(
    d => !isChange(d) || d.result === 'rolled-back',
  );
  const factIds = rollbacks.map(d => d.id);
  const weeks = weekly(scope.window, rollbacks, deployedAt, week => ({
    value: inScope.length > 0 ? week.length : undefined,
    factIds: week.map(d => d.id),
  }));
  if (inScope.length === 0) {
    const reason = noDeploys(scope);
    return {
      count: noData('count', reason),
      perWeek: noData('deploys/week', reason),
      weekly: weeks,
    };
  }
  return {
    count: {
      value: rollbacks.length,
      unit: 'count',
      samples: inScope.length,
      factIds,
    },
    perWeek: {
      value: (rollbacks.length / windowDays(scope.window)) * 7,
      unit: 'deploys/week',
      samples: inScope.length,
      factIds,
    },
    weekly: weeks,
  };
}
