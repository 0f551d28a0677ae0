// Throughput: how often changes reach the environment, and how long they take to.
import {
  DeployFact,
  DeploymentFrequency,
  DORA_SCALES,
  Figure,
  LeadTimeForChanges,
} from '@internal/plugin-lexecon-common';
import {
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
  weekly,
  windowDays,
} from './statistics';

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
  if (!deploy.commits) {
    return deploy.changeSetUnknown
      ? `The change set of the deploy could not be read, so its lead time is unknown: ${deploy.changeSetUnknown}`
      : 'The change set of the deploy was not read, so its lead time is unknown';
  }
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
