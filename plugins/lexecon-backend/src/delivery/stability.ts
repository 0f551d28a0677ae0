// Stability: how often changes fail, and how fast the environment recovers.
import {
  ChangeFailure,
  ChangeFailureRate,
  DeployFact,
  DORA_SCALES,
  Figure,
  IncidentFact,
  RollbackFrequency,
  TimeToRestore,
} from '@internal/plugin-lexecon-common';
import {
  ChangeFailureOptions,
  DeliveryScope,
  deployedAt,
  history,
  isChange,
  noDeploys,
} from './deployHistory';
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
 * rolled-back deploys in it (the deploy finishing to the next successful deploy finishing, or its
 * start to Helm's automatic rollback, which puts the previous version back within the run).
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
      // Helm's rollback lands inside the deploy's own run, before it finishes: the bad version
      // could be live from the deploy's start, so that is where the outage is counted from.
      deployRestores.push({
        ids: [deploy.id],
        seconds: seconds(deploy.startedAt, deploy.rolledBackAt),
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
