import { Prng } from '../random';
import { CiProfile, DeliveryBuilder } from './delivery';
import {
  DeployProfile,
  planDeliveries,
  shapeProductionPlans,
} from './deliveryPlan';
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
