import { DAY, HOUR, iso, MINUTE, Prng } from '../random';
import { DeliveryBuilder } from './delivery';
import { DeliveryPlan, planDeliveries, ProdPlan } from './deliveryPlan';
import { readinessFacts, seedReadiness } from './readiness';
import { markWaiting } from './releases';
import {
  emptyWorld,
  RepoSpec,
  seedCluster,
  seedEnvironments,
  seedWorkflows,
  WORKFLOW_FILES,
} from './skeleton';
import { fullTestJobs } from './steps';
import { SandboxWorld } from './types';
import { WorldWriter } from './writer';

const SECOND = 1000;

export { WORKFLOW_FILES } from './skeleton';
export const OWNER = 'lexecon-ai';
export const REPO = 'lexecon';
export const RELEASE_NAME = 'lexecon';
export const STAGING_NAMESPACE = 'lexecon-staging';
export const PRODUCTION_NAMESPACE = 'lexecon-production';
export const IMAGE_REPOSITORY = 'ghcr.io/lexecon-ai/lexecon';

/** The Lexecon API's repository, as GitHub and the cluster know it. */
export const LEXECON_REPO: RepoSpec = {
  owner: OWNER,
  repo: REPO,
  repoId: 712448391,
  ownerId: 139871220,
  releaseName: RELEASE_NAME,
  namespaces: { staging: STAGING_NAMESPACE, production: PRODUCTION_NAMESPACE },
  profile: {
    description:
      'Lexecon: enterprise-grade AI governance decision engine (policy engine, audit ledger, decision API)',
    language: 'Python',
    productName: 'Lexecon',
    chartDescription: 'Lexecon AI governance decision API',
    imageRepository: IMAGE_REPOSITORY,
  },
  ids: {
    run: 11482113000,
    checkSuite: 30512000000,
    job: 31904200000,
    deployment: 2041330000,
    deploymentStatus: 22310400000,
    resourceVersion: 4180000,
  },
  workflowIdBase: 61001001,
  environmentIds: { staging: 1621004470, production: 1621004912 },
  protectionRuleIds: { reviewers: 31337201, branchPolicy: 31337202 },
  externalUrls: {
    staging: 'https://staging.lexecon.ai',
    production: 'https://api.lexecon.ai',
  },
  otherNamespaces: ['default', 'kube-system'],
  replicas: { staging: 2, production: 3 },
  historyDays: 90,
  ageDays: 420,
};

const WAITING_RUN_TRIGGERED_BY = 'priya-nair';
const CHANGE_SET_MIN = 3;
const CHANGE_SET_AUTHORS = ['dev-patel', 'jordan-lee', 'maya-chen', 'tom-ruiz'];
/** The release approver who approves, in GitHub, a release with a commit of his own. */
const SELF_APPROVER = 'jordan-lee';

/** What Lexecon's story decides about its deliveries, instead of leaving it to chance. */
interface LexeconStory {
  plans: DeliveryPlan[];
  forcedFailures: Map<number, boolean>;
  authors: Map<number, string>;
  lastPushAt: number;
}

/**
 * The failed production upgrade about five weeks back and the manual rollback two weeks back;
 * the CI history the readiness score reads (9 of the last 10 test runs green before the waiting
 * release, 6 of 10 before the candidate that later failed); and the waiting release's change
 * set written by several people, including release approver jordan-lee but never alex-kim.
 */
function lexeconStory(plans: DeliveryPlan[], nowMs: number): LexeconStory {
  const prodPlans = plans.filter((p): p is ProdPlan => p.kind === 'prod');
  const closest = (target: number, exclude?: ProdPlan) =>
    prodPlans
      .filter(p => p !== exclude)
      .reduce((best, p) =>
        Math.abs(p.t - target) < Math.abs(best.t - target) ? p : best,
      );
  const failPlan = closest(nowMs - 35 * DAY);
  failPlan.fail = true;
  const manualPlan = closest(nowMs - 14 * DAY, failPlan);
  manualPlan.manualRollback = true;
  const pushTimes = plans.filter(p => p.kind === 'push').map(p => p.t);
  const selfApproval = selfApprovedRelease(prodPlans, pushTimes, nowMs, [
    failPlan,
    manualPlan,
  ]);
  // The self-approved release ships jordan-lee's commit: its tests pass, so it reaches staging.
  const forcedFailures = new Map<number, boolean>([[selfApproval[0], false]]);
  pushTimes.slice(-10).forEach((t, i) => forcedFailures.set(t, i === 4));
  pushTimes
    .filter(t => t < failPlan.t)
    .slice(-10)
    .forEach((t, i) => forcedFailures.set(t, [1, 3, 6, 8].includes(i)));
  const lastProdT = prodPlans[prodPlans.length - 1]?.t ?? -Infinity;
  const authors = new Map<number, string>([selfApproval]);
  pushTimes
    .filter(t => t > lastProdT)
    .forEach((t, i) =>
      authors.set(t, CHANGE_SET_AUTHORS[i % CHANGE_SET_AUTHORS.length]),
    );
  return {
    plans,
    forcedFailures,
    authors,
    lastPushAt: pushTimes[pushTimes.length - 1],
  };
}

/**
 * The release about three weeks back (neither the failed nor the rolled-back one) that
 * jordan-lee approves in GitHub although he wrote the first commit pushed after the release
 * before it: the push he authors, by time.
 */
function selfApprovedRelease(
  prodPlans: ProdPlan[],
  pushTimes: number[],
  nowMs: number,
  exclude: ProdPlan[],
): [number, string] {
  const candidates = prodPlans
    .map((plan, i) => ({ plan, previous: prodPlans[i - 1] }))
    .filter(({ plan, previous }) => previous && !exclude.includes(plan))
    .filter(({ plan, previous }) =>
      pushTimes.some(t => t > previous.t && t < plan.t - 8 * HOUR),
    );
  const { plan, previous } = candidates.reduce((best, c) =>
    Math.abs(c.plan.t - (nowMs - 21 * DAY)) <
    Math.abs(best.plan.t - (nowMs - 21 * DAY))
      ? c
      : best,
  );
  plan.approver = SELF_APPROVER;
  return [pushTimes.find(t => t > previous.t)!, SELF_APPROVER];
}

/** The production run waiting for approval now, its change set and readiness inputs. */
function seedWaitingRelease(
  w: WorldWriter,
  delivery: DeliveryBuilder,
  nowMs: number,
): void {
  const world = w.world;
  const latest = delivery.staged[delivery.staged.length - 1];
  world.facts.latestStagingSha = latest.sha;
  const P = nowMs - 40 * MINUTE;
  const tag = delivery.waitingReleaseTag();
  world.tags.push({
    name: tag,
    sha: latest.sha,
    createdAt: iso(P - 2 * MINUTE),
  });
  const waiting = delivery.run({
    file: WORKFLOW_FILES.deployProduction,
    t: P,
    event: 'workflow_dispatch',
    sha: latest.sha,
    displayTitle: `Deploy ${tag} to production`,
    actor: WAITING_RUN_TRIGGERED_BY,
  });
  markWaiting(w, waiting, tag, P);
  world.facts.waitingRunId = waiting.id;
  world.facts.waitingRunVersion = tag;
  world.facts.waitingRunTriggeredBy = WAITING_RUN_TRIGGERED_BY;
  const base = world.commits.findIndex(
    c => c.sha === world.facts.lastProductionSha,
  );
  const changeSet = world.commits.slice(
    base + 1,
    world.commits.findIndex(c => c.sha === latest.sha) + 1,
  );
  world.facts.waitingRunAuthors = [
    ...new Set(changeSet.map(c => c.authorLogin)),
  ].sort();
  world.facts.waitingRunPullRequests = changeSet
    .map(c => c.prNumber)
    .filter((n): n is number => n !== undefined);
  const poorRun = world.runs.find(
    r => r.id === world.facts.failedProductionRunId,
  );
  if (!poorRun) throw new Error('the failed production run is missing');
  seedReadiness(world, { waitingSha: latest.sha, poorSha: poorRun.headSha });
  world.facts.waitingRunReadiness = readinessFacts(world, waiting);
  world.facts.poorReadiness = readinessFacts(world, poorRun);
}

/** Builds the Lexecon API's deterministic world for a seed clock. */
export function buildWorld(now: Date): SandboxWorld {
  const nowMs = Math.floor(now.getTime() / SECOND) * SECOND;
  const rng = new Prng(`${OWNER}/${REPO}`);
  const world = emptyWorld(LEXECON_REPO, nowMs);
  const w = new WorldWriter(world, rng);
  seedWorkflows(world, LEXECON_REPO, nowMs);
  seedEnvironments(world, LEXECON_REPO, nowMs);
  seedCluster(w, LEXECON_REPO, nowMs);

  const story = lexeconStory(
    planDeliveries(rng, {
      nowMs,
      days: LEXECON_REPO.historyDays,
      changeSetMin: CHANGE_SET_MIN,
    }),
    nowMs,
  );
  const delivery = new DeliveryBuilder(w, rng, {
    runNumbers: {
      [WORKFLOW_FILES.test]: 412,
      [WORKFLOW_FILES.build]: 377,
      [WORKFLOW_FILES.deployStaging]: 361,
      [WORKFLOW_FILES.deployProduction]: 57,
    },
    lastPullRequest: 212,
    version: { major: 1, minor: 2 },
    chartVersion: '1.1.9',
    testJobs: fullTestJobs(),
    lastPushAt: story.lastPushAt,
    forcedFailures: story.forcedFailures,
    authors: story.authors,
  });
  for (const plan of story.plans) {
    if (plan.kind === 'push') delivery.push(plan.t);
    else delivery.productionDeploy(plan);
  }
  seedWaitingRelease(w, delivery, nowMs);
  return world;
}
