import { iso } from '../random';
import { RunRecord } from './types';
import { WorldWriter } from './writer';

const SECOND = 1000;

/** Puts a production run into `waiting` on its environment with a waiting `deploy` job. */
export function markWaiting(
  writer: WorldWriter,
  run: RunRecord,
  version: string,
  at: number,
): void {
  // GitHub matches environment names case-insensitively and shows the name as it was created.
  const environment =
    writer.world.environments.find(e => e.name.toLowerCase() === 'production')
      ?.name ?? 'production';
  run.version = version;
  run.environment = environment;
  run.status = 'waiting';
  run.updatedAt = iso(at + 5 * SECOND);
  run.pendingEnvironment = environment;
  run.waitTimerStartedAt = iso(at + 3 * SECOND);
  run.jobs.push({
    id: writer.nextJobId(),
    name: 'deploy',
    status: 'waiting',
    conclusion: null,
    createdAt: iso(at + 3 * SECOND),
    startedAt: iso(at + 3 * SECOND),
    completedAt: null,
    steps: [],
    runnerId: null,
    runnerName: null,
    environment,
  });
}

function nextVersion(tags: string[]): string {
  const versions = tags
    .map(t => /^v(\d+)\.(\d+)\.(\d+)$/.exec(t))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(m => [Number(m[1]), Number(m[2]), Number(m[3])])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const last = versions[versions.length - 1] ?? [1, 0, -1];
  return `v${last[0]}.${last[1]}.${last[2] + 1}`;
}

/**
 * A new `deploy-prod.yml` run for the next version of the head of `main`, waiting on production
 * (what a release manager's workflow_dispatch does).
 */
export function createWaitingRun(
  writer: WorldWriter,
  opts: { at: number; actor?: string; sha?: string },
): RunRecord {
  const world = writer.world;
  const sha = opts.sha ?? world.commits[world.commits.length - 1].sha;
  const actor = opts.actor ?? 'priya-nair';
  const version = nextVersion(world.tags.map(t => t.name));
  const workflow = world.workflows.find(w => w.file === 'deploy-prod.yml');
  if (!workflow) throw new Error('deploy-prod.yml is missing');
  const runNumber =
    Math.max(
      0,
      ...world.runs
        .filter(r => r.workflowId === workflow.id)
        .map(r => r.runNumber),
    ) + 1;
  world.tags.push({ name: version, sha, createdAt: iso(opts.at - SECOND) });
  const run: RunRecord = {
    id: writer.nextRunId(),
    checkSuiteId: writer.nextCheckSuiteId(),
    workflowId: workflow.id,
    workflowFile: workflow.file,
    name: workflow.name,
    displayTitle: `Deploy ${version} to production`,
    runNumber,
    runAttempt: 1,
    event: 'workflow_dispatch',
    status: 'queued',
    conclusion: null,
    headBranch: world.defaultBranch,
    headSha: sha,
    actor,
    triggeringActor: actor,
    createdAt: iso(opts.at),
    runStartedAt: iso(opts.at),
    updatedAt: iso(opts.at),
    jobs: [],
    approvals: [],
    deploymentIds: [],
  };
  world.runs.push(run);
  markWaiting(writer, run, version, opts.at);
  return run;
}
