import { iso } from '../random';
import { productionDeploySteps } from './steps';
import {
  DeploymentRecord,
  EnvironmentRecord,
  RunRecord,
  SandboxWorld,
} from './types';
import { WorldWriter } from './writer';

const SECOND = 1000;

/** Whether `login` is a required reviewer of the environment (directly or via a team). */
export function isReviewer(
  world: SandboxWorld,
  env: EnvironmentRecord,
  login: string,
): boolean {
  return env.reviewers.some(r =>
    r.type === 'User'
      ? r.name === login
      : world.teams.find(t => t.slug === r.name)?.members.includes(login) ??
        false,
  );
}

/** Why `login` may not review the run's deployment to `env`, or undefined when they may. */
export function reviewRefusal(
  world: SandboxWorld,
  run: RunRecord,
  env: EnvironmentRecord,
  login: string,
): string | undefined {
  if (env.reviewers.length === 0) {
    return `Unable to review: environment ${env.name} has no required reviewers; its deployments wait for a custom deployment protection rule.`;
  }
  if (!isReviewer(world, env, login)) {
    return `Unable to review: ${login} is not a required reviewer for environment ${env.name}.`;
  }
  if (env.preventSelfReview && run.triggeringActor === login) {
    return `Unable to review: ${login} triggered this workflow run and environment ${env.name} prevents self-review.`;
  }
  return undefined;
}

export function canApprove(
  world: SandboxWorld,
  run: RunRecord,
  env: EnvironmentRecord,
  login: string,
): boolean {
  return reviewRefusal(world, run, env, login) === undefined;
}

/**
 * Applies a review to a waiting run: records it, then either completes the deploy (new
 * GitHub Deployment + statuses, new Helm revision, rollout) or fails the run.
 */
export function reviewRun(
  writer: WorldWriter,
  run: RunRecord,
  review: {
    state: 'approved' | 'rejected';
    comment: string;
    user: string;
    at: number;
  },
): DeploymentRecord[] {
  const world = writer.world;
  const envName = run.pendingEnvironment;
  if (!envName) return [];
  const { at } = review;
  run.approvals.push({
    environment: envName,
    state: review.state,
    user: review.user,
    comment: review.comment,
    at: iso(at),
  });
  run.pendingEnvironment = undefined;
  const job = run.jobs.find(j => j.status === 'waiting');
  if (review.state === 'rejected') {
    if (job) {
      job.status = 'completed';
      job.conclusion = 'failure';
      job.completedAt = iso(at);
    }
    run.status = 'completed';
    run.conclusion = 'failure';
    run.updatedAt = iso(at + SECOND);
    return [];
  }

  const version = run.version ?? `sha-${run.headSha.slice(0, 7)}`;
  const jobStart = at + SECOND;
  const finished = writer.job({
    name: job?.name ?? 'deploy',
    createdAt: job ? Date.parse(job.createdAt) : at,
    startedAt: jobStart,
    completedAt: jobStart + 10 * SECOND,
    steps: productionDeploySteps(world, version),
    environment: envName,
  });
  if (job) {
    Object.assign(job, { ...finished, id: job.id });
  } else {
    run.jobs.push(finished);
  }
  const jobId = job?.id ?? finished.id;
  run.status = 'in_progress';
  const deployment = writer.createDeployment({
    sha: run.headSha,
    environment: envName,
    payload: { version, run_id: run.id },
    at: jobStart + 2 * SECOND,
    runId: run.id,
    jobId,
  });
  writer.addStatus(deployment, 'in_progress', jobStart + 3 * SECOND);
  const namespace =
    envName === 'production'
      ? world.namespaces.production
      : world.namespaces.staging;
  const semver = version.replace(/^v/, '');
  const helmAt = jobStart + 6 * SECOND;
  writer.helmRecord(namespace, {
    at: helmAt,
    status: 'deployed',
    description: 'Upgrade complete',
    chartVersion: semver,
    appVersion: version,
    imageTag: run.headSha,
    runId: run.id,
  });
  writer.rollout(namespace, run.headSha, helmAt + SECOND, semver);
  writer.addStatus(deployment, 'success', jobStart + 9 * SECOND);
  run.status = 'completed';
  run.conclusion = 'success';
  run.updatedAt = iso(jobStart + 11 * SECOND);
  if (envName === 'production') {
    world.facts.lastProductionSha = run.headSha;
    world.facts.lastProductionVersion = version;
  }
  return [deployment];
}
