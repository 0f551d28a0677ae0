import { Prng } from '../random';
import {
  CiProfile,
  DeliveryBuilder,
  DeliveryPlan,
  planDeliveries,
} from './delivery';
import { seedOpenAlerts } from './governance';
import { seedCommitQuality } from './readiness';
import {
  emptyWorld,
  RepoSpec,
  seedCluster,
  seedEnvironments,
  seedWorkflows,
  WORKFLOW_FILES,
} from './skeleton';
import { TestJobPlan } from './steps';
import { SandboxWorld } from './types';
import { WorldWriter } from './writer';

/** How a service delivers: its test jobs and where its numbering stood before the window. */
export interface DeliveryShape {
  testJobs: TestJobPlan[];
  version: { major: number; minor: number };
  chartVersion: string;
  lastPullRequest: number;
  /** The run number of every workflow before the window. */
  runNumber: number;
  ci?: CiProfile;
  /** How its production releases go; unset, every release ships and none fails. */
  deploys?: DeployProfile;
}

/**
 * How a service's production releases go, decided by position (every Nth release) rather than
 * drawn, so the rest of its history keeps its draws.
 */
export interface DeployProfile {
  /** Only one production slot in this many is used (1: both of every week). */
  slotEvery: number;
  /** Every Nth release's Helm upgrade fails and `--atomic` rolls it back (0: none). */
  failEvery: number;
  /** Every Nth release is rolled back by hand by the on-call engineer hours later (0: none). */
  rollbackEvery: number;
}

/** The production slots a profile keeps, with the failures and rollbacks it asks for marked. */
function shapeProductionPlans(
  plans: DeliveryPlan[],
  profile: DeployProfile | undefined,
): DeliveryPlan[] {
  if (!profile) return plans;
  let slot = 0;
  let release = 0;
  return plans.filter(plan => {
    if (plan.kind !== 'prod') return true;
    if (slot++ % profile.slotEvery !== 0) return false;
    release++;
    // The first release has nothing to roll back to.
    if (release > 1 && profile.failEvery && release % profile.failEvery === 0) {
      plan.fail = true;
    } else if (
      release > 1 &&
      profile.rollbackEvery &&
      release % profile.rollbackEvery === 0
    ) {
      plan.manualRollback = true;
    }
    return true;
  });
}

/**
 * A service's repository and deployments with a delivery history of `repo.historyDays` days:
 * every push tested, built and deployed to staging, releases approved into production twice a
 * week (or as its deploy profile says, with the failed upgrades and rollbacks it asks for). No
 * release is waiting.
 */
export function buildServiceWorld(
  repo: RepoSpec,
  shape: DeliveryShape,
  now: Date,
): SandboxWorld {
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const rng = new Prng(`${repo.owner}/${repo.repo}`);
  const world = emptyWorld(repo, nowMs);
  const w = new WorldWriter(world, rng);
  seedWorkflows(world, repo, nowMs);
  seedEnvironments(world, repo, nowMs);
  seedCluster(w, repo, nowMs);
  const plans = shapeProductionPlans(
    planDeliveries(rng, {
      nowMs,
      days: repo.historyDays,
      changeSetMin: 0,
    }),
    shape.deploys,
  );
  const pushes = plans.filter(p => p.kind === 'push');
  const delivery = new DeliveryBuilder(w, rng, {
    runNumbers: Object.fromEntries(
      Object.values(WORKFLOW_FILES).map(file => [file, shape.runNumber]),
    ),
    lastPullRequest: shape.lastPullRequest,
    version: shape.version,
    chartVersion: shape.chartVersion,
    testJobs: shape.testJobs,
    ci: shape.ci,
    lastPushAt: pushes[pushes.length - 1]?.t ?? 0,
  });
  for (const plan of plans) {
    if (plan.kind === 'push') delivery.push(plan.t);
    else delivery.productionDeploy(plan);
  }
  world.facts.latestStagingSha =
    delivery.staged[delivery.staged.length - 1]?.sha ?? '';
  seedCommitQuality(world);
  seedOpenAlerts(world);
  return world;
}
