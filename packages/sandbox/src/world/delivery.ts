import { HOUR, iso, MINUTE, Prng, sha1Hex } from '../random';
import { ProdPlan } from './deliveryPlan';
import { CommitIdea, COMMIT_IDEAS } from './messages';
import { APPROVAL_COMMENTS, APPROVERS, ENGINEERS, ON_CALL } from './people';
import { WORKFLOW_FILES } from './skeleton';
import {
  dockerSteps,
  helmUpgradeProductionStep,
  productionDeploySteps,
  stagingDeploySteps,
  TestJobPlan,
} from './steps';
import { CommitRecord, DeploymentRecord, RunRecord } from './types';
import { WorldWriter } from './writer';

const SECOND = 1000;

/**
 * How a service's CI behaves, when it differs from the Lexecon API's (9% red pushes, test jobs
 * as long as their plans say, no re-runs).
 */
export interface CiProfile {
  /** Chance that a push's tests fail. */
  failureChance: number;
  /** Multiplies every test job's drawn duration. */
  durationScale: number;
  /**
   * Chance that a green push first failed in one job and passed when re-run on the same commit
   * (drawn from a generator of its own, so the rest of the history keeps its draws).
   */
  flakyChance: number;
}

export interface DeliveryOptions {
  /** Run numbers of the workflows before the window, by workflow file. */
  runNumbers: Record<string, number>;
  /** The last pull request number before the window. */
  lastPullRequest: number;
  /** The release line: tags are `v<major>.<minor>.<patch>`, starting after `<minor>.0`. */
  version: { major: number; minor: number };
  /** The chart version staging deploys with until the first production release. */
  chartVersion: string;
  testJobs: TestJobPlan[];
  /** The push whose commit must reach staging (it never fails by chance). */
  lastPushAt: number;
  /** Pushes the story decides the test result of (true: red), by push time. */
  forcedFailures?: Map<number, boolean>;
  /** Pushes the story decides the author of, by push time; they come through pull requests. */
  authors?: Map<number, string>;
  ci?: CiProfile;
}

interface PushedCommit {
  commit: CommitRecord;
  title: string;
}

/**
 * Seeds a repository's delivery history push by push and release by release, the way its
 * workflows would have produced it: commits, runs with jobs, deployments with statuses, Helm
 * revisions and rollouts. The random draws happen in a fixed order, so a seed gives one history.
 */
export class DeliveryBuilder {
  /** Commits deployed to staging, with when they got there. */
  readonly staged: Array<{ sha: string; at: number }> = [];
  private readonly runNumbers: Record<string, number>;
  private readonly ideas: CommitIdea[];
  private parentSha: string;
  private prNumber: number;
  private commitIndex = 0;
  private readonly version: { minor: number; patch: number };
  private chartVersion: string;
  private lastProdSha = '';
  private readonly flakyRng?: Prng;

  constructor(
    private readonly w: WorldWriter,
    private readonly rng: Prng,
    private readonly opts: DeliveryOptions,
  ) {
    const world = w.world;
    this.runNumbers = { ...opts.runNumbers };
    this.ideas = [...COMMIT_IDEAS];
    for (let i = this.ideas.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [this.ideas[i], this.ideas[j]] = [this.ideas[j], this.ideas[i]];
    }
    this.parentSha = sha1Hex(`${world.owner}/${world.repo}:pre-window-head`);
    this.prNumber = opts.lastPullRequest;
    this.version = { minor: opts.version.minor, patch: -1 };
    this.chartVersion = opts.chartVersion;
    if (opts.ci) {
      this.flakyRng = new Prng(`${world.owner}/${world.repo}:flaky`);
    }
  }

  private get world() {
    return this.w.world;
  }

  run(opts: {
    file: string;
    t: number;
    event: RunRecord['event'];
    sha: string;
    displayTitle: string;
    actor: string;
  }): RunRecord {
    const wf = this.world.workflows.find(x => x.file === opts.file);
    if (!wf) throw new Error(`unknown workflow ${opts.file}`);
    this.runNumbers[opts.file] += 1;
    const record: RunRecord = {
      id: this.w.nextRunId(),
      checkSuiteId: this.w.nextCheckSuiteId(),
      workflowId: wf.id,
      workflowFile: wf.file,
      name: wf.name,
      displayTitle: opts.displayTitle,
      runNumber: this.runNumbers[opts.file],
      runAttempt: 1,
      event: opts.event,
      status: 'queued',
      conclusion: null,
      headBranch: this.world.defaultBranch,
      headSha: opts.sha,
      actor: opts.actor,
      triggeringActor: opts.actor,
      createdAt: iso(opts.t),
      runStartedAt: iso(opts.t),
      updatedAt: iso(opts.t),
      jobs: [],
      approvals: [],
      deploymentIds: [],
    };
    this.world.runs.push(record);
    return record;
  }

  private finish(r: RunRecord, at: number) {
    r.status = 'completed';
    r.conclusion = r.jobs.every(j => j.conclusion === 'success')
      ? 'success'
      : 'failure';
    r.updatedAt = iso(at);
  }

  /** A commit on `main`, then Test, and when green Build and Deploy to staging. */
  push(t: number): void {
    const pushed = this.commit(t);
    const testRun = this.testRun(t, pushed);
    if (testRun.conclusion !== 'success') return;
    const buildRun = this.buildRun(pushed, testRun);
    this.stagingDeploy(pushed, buildRun);
  }

  private commit(t: number): PushedCommit {
    const { rng } = this;
    const idea = this.ideas[this.commitIndex % this.ideas.length];
    const cycle = Math.floor(this.commitIndex / this.ideas.length);
    this.commitIndex++;
    const title =
      cycle === 0
        ? idea.title
        : `${idea.title.replace(/^(\w+)(\([^)]*\))?:/, 'fix$2:')} (follow-up)`;
    const storyAuthor = this.opts.authors?.get(t);
    const author = storyAuthor ?? rng.pick(ENGINEERS);
    const drawnStyle = rng.next();
    // the story's commits all come through squash-merged pull requests
    const style = storyAuthor ? drawnStyle * 0.6 : drawnStyle;
    let message: string;
    let pr: number | undefined;
    if (style < 0.6) {
      pr = ++this.prNumber;
      message = `${title} (#${pr})\n\n${idea.body}`;
    } else if (style < 0.8) {
      pr = ++this.prNumber;
      message = `Merge pull request #${pr} from ${this.world.owner}/${idea.branch}\n\n${title}`;
    } else {
      message = `${title}\n\n${idea.body}`;
    }
    const sha = sha1Hex(`commit:${this.parentSha}:${message}:${t}`);
    const commit: CommitRecord = {
      sha,
      treeSha: sha1Hex(`tree:${sha}`),
      message,
      authorLogin: author,
      committerLogin: pr ? 'web-flow' : author,
      date: iso(t),
      parents: [this.parentSha],
      prNumber: pr,
      branch: pr ? idea.branch : undefined,
      additions: rng.int(4, 420),
      deletions: rng.int(0, 160),
    };
    this.world.commits.push(commit);
    this.parentSha = sha;
    return { commit, title: message.split('\n')[0] };
  }

  private testRun(t: number, { commit, title }: PushedCommit): RunRecord {
    const { rng, opts } = this;
    const testRun = this.run({
      file: WORKFLOW_FILES.test,
      t: t + rng.int(3, 9) * SECOND,
      event: 'push',
      sha: commit.sha,
      displayTitle: title,
      actor: commit.authorLogin,
    });
    const created = Date.parse(testRun.createdAt);
    const drawnFail =
      t !== opts.lastPushAt && rng.chance(opts.ci?.failureChance ?? 0.09);
    const fails = opts.forcedFailures?.get(t) ?? drawnFail;
    const failing = rng.pick(opts.testJobs.filter(j => j.failStep));
    const jobs = opts.testJobs.map((plan): [TestJobPlan, number] => [
      plan,
      Math.round(rng.int(...plan.seconds) * (opts.ci?.durationScale ?? 1)),
    ]);
    const flaky =
      !fails && Boolean(this.flakyRng?.chance(opts.ci!.flakyChance));
    let testEnd = this.testJobs(
      testRun,
      created,
      jobs,
      fails || flaky ? failing : undefined,
    );
    if (flaky) {
      // The first attempt fails in one job; the person re-runs it on the same commit and it passes.
      const firstJobs = testRun.jobs;
      const firstEnd = testEnd + rng.int(2, 6) * SECOND;
      testRun.previousAttempts = [
        {
          runAttempt: 1,
          conclusion: 'failure',
          runStartedAt: testRun.runStartedAt,
          updatedAt: iso(firstEnd),
          jobs: firstJobs,
        },
      ];
      const rerunAt = firstEnd + this.flakyRng!.int(3, 40) * MINUTE;
      testRun.jobs = [];
      testRun.runAttempt = 2;
      testRun.runStartedAt = iso(rerunAt);
      testEnd = this.testJobs(testRun, rerunAt, jobs, undefined);
    }
    this.finish(testRun, testEnd + rng.int(2, 6) * SECOND);
    return testRun;
  }

  /** Runs the test jobs of one attempt from `created`; returns when the last one ended. */
  private testJobs(
    testRun: RunRecord,
    created: number,
    jobs: Array<[TestJobPlan, number]>,
    failing: TestJobPlan | undefined,
  ) {
    const { rng, w } = this;
    let testEnd = created;
    for (const [plan, duration] of jobs) {
      const start = created + rng.int(8, 30) * SECOND;
      const end = start + duration * SECOND;
      testEnd = Math.max(testEnd, end);
      testRun.jobs.push(
        w.job({
          name: plan.name,
          createdAt: created + 2 * SECOND,
          startedAt: start,
          completedAt: end,
          steps: plan.steps,
          failStep: plan === failing ? plan.failStep : undefined,
        }),
      );
    }
    return testEnd;
  }

  private buildRun({ commit, title }: PushedCommit, after: RunRecord) {
    const { rng } = this;
    const created = Date.parse(after.updatedAt) + rng.int(2, 8) * SECOND;
    const buildRun = this.run({
      file: WORKFLOW_FILES.build,
      t: created,
      event: 'workflow_run',
      sha: commit.sha,
      displayTitle: title,
      actor: commit.authorLogin,
    });
    const start = created + rng.int(10, 30) * SECOND;
    const end = start + rng.int(200, 320) * SECOND;
    buildRun.jobs.push(
      this.w.job({
        name: 'docker-build',
        createdAt: created + 2 * SECOND,
        startedAt: start,
        completedAt: end,
        steps: dockerSteps(this.world, commit.sha),
      }),
    );
    this.finish(buildRun, end + rng.int(2, 6) * SECOND);
    return buildRun;
  }

  private stagingDeploy({ commit, title }: PushedCommit, after: RunRecord) {
    const { rng, w, world } = this;
    const sha = commit.sha;
    const namespace = world.namespaces.staging;
    const created = Date.parse(after.updatedAt) + rng.int(2, 8) * SECOND;
    const deployRun = this.run({
      file: WORKFLOW_FILES.deployStaging,
      t: created,
      event: 'workflow_run',
      sha,
      displayTitle: title,
      actor: commit.authorLogin,
    });
    deployRun.environment = 'staging';
    const jobStart = created + rng.int(8, 20) * SECOND;
    const jobEnd = jobStart + rng.int(140, 160) * SECOND;
    const job = w.job({
      name: 'deploy',
      createdAt: created + 2 * SECOND,
      startedAt: jobStart,
      completedAt: jobEnd,
      steps: stagingDeploySteps(world),
      environment: 'staging',
    });
    deployRun.jobs.push(job);
    const deployment = w.createDeployment({
      sha,
      environment: 'staging',
      payload: {},
      at: jobStart + 25 * SECOND,
      runId: deployRun.id,
      jobId: job.id,
    });
    w.addStatus(deployment, 'in_progress', jobStart + 27 * SECOND);
    const helmAt = jobStart + 100 * SECOND;
    const first = world.helm[namespace].length === 0;
    w.helmRecord(namespace, {
      at: helmAt,
      status: 'deployed',
      description: first ? 'Install complete' : 'Upgrade complete',
      chartVersion: this.chartVersion,
      appVersion: sha,
      imageTag: sha,
      runId: deployRun.id,
    });
    if (!world.kubeDeployments[namespace].createdAt) {
      world.kubeDeployments[namespace].createdAt = iso(helmAt);
    }
    w.rollout(namespace, sha, helmAt + 2 * SECOND, this.chartVersion);
    w.addStatus(deployment, 'success', jobStart + 130 * SECOND);
    this.finish(deployRun, jobEnd + rng.int(2, 6) * SECOND);
    this.staged.push({ sha, at: jobStart + 130 * SECOND });
  }

  private tag(): string {
    return `v${this.opts.version.major}.${this.version.minor}.${this.version.patch}`;
  }

  /** The next release's tag: a new minor now and then, else the next patch. */
  private nextReleaseTag(): string {
    if (this.version.patch >= 0 && this.rng.chance(0.25)) {
      this.version.minor += 1;
      this.version.patch = 0;
    } else {
      this.version.patch += 1;
    }
    return this.tag();
  }

  /** The tag of the release waiting now (drawn like the others, but always drawn). */
  waitingReleaseTag(): string {
    if (this.rng.chance(0.25)) {
      this.version.minor += 1;
      this.version.patch = 0;
    } else {
      this.version.patch += 1;
    }
    return this.tag();
  }

  /**
   * A `deploy-prod.yml` run of the newest staged commit, approved by a release approver,
   * then the Helm upgrade (which may fail and roll back, or be rolled back by hand later).
   */
  productionDeploy(plan: ProdPlan): void {
    const candidate = this.staged.filter(s => s.at < plan.t).slice(-1)[0];
    if (!candidate) return;
    if (
      candidate.sha === this.lastProdSha &&
      !plan.fail &&
      !plan.manualRollback
    ) {
      return;
    }
    const release = this.releaseRun(plan, candidate.sha);
    if (plan.fail) {
      this.failedUpgrade(release);
      return;
    }
    this.successfulUpgrade(release, plan);
  }

  private releaseRun(plan: ProdPlan, sha: string): Release {
    const { rng, w, world } = this;
    const P = plan.t;
    const tag = this.nextReleaseTag();
    world.tags.push({ name: tag, sha, createdAt: iso(P - 2 * MINUTE) });
    const actor = rng.pick(ENGINEERS);
    // Drawn even when the plan names the approver, so the rest of the history keeps its draws.
    const drawn = rng.pick(APPROVERS.filter(a => a !== actor));
    const approver = plan.approver ?? drawn;
    const run = this.run({
      file: WORKFLOW_FILES.deployProduction,
      t: P,
      event: 'workflow_dispatch',
      sha,
      displayTitle: `Deploy ${tag} to production`,
      actor,
    });
    run.version = tag;
    run.environment = 'production';
    if (plan.approver) {
      world.facts.selfApproved = { runId: run.id, version: tag, approver };
    }
    const approvedAt = P + rng.int(4, 55) * MINUTE + rng.int(0, 59) * SECOND;
    run.approvals.push({
      environment: 'production',
      state: 'approved',
      user: approver,
      comment: rng.pick(APPROVAL_COMMENTS),
      at: iso(approvedAt),
    });
    const jobStart = approvedAt + rng.int(3, 8) * SECOND;
    const helmAt = jobStart + 60 * SECOND;
    const jobEnd = plan.fail ? helmAt + 75 * SECOND : jobStart + 165 * SECOND;
    const job = w.job({
      name: 'deploy',
      createdAt: P + 3 * SECOND,
      startedAt: jobStart,
      completedAt: jobEnd,
      steps: productionDeploySteps(world, tag),
      environment: 'production',
      failStep: plan.fail ? helmUpgradeProductionStep(world) : undefined,
    });
    run.jobs.push(job);
    const deployment = w.createDeployment({
      sha,
      environment: 'production',
      payload: { version: tag, run_id: run.id },
      at: jobStart + 20 * SECOND,
      runId: run.id,
      jobId: job.id,
    });
    w.addStatus(deployment, 'in_progress', jobStart + 22 * SECOND);
    const namespace = world.namespaces.production;
    if (!world.kubeDeployments[namespace].createdAt) {
      world.kubeDeployments[namespace].createdAt = iso(helmAt);
    }
    return { run, deployment, tag, sha, jobStart, jobEnd, helmAt };
  }

  /** `helm upgrade --atomic` times out: Helm records the failure and rolls back at once. */
  private failedUpgrade(release: Release): void {
    const { w, world } = this;
    const { run, deployment, tag, sha, jobEnd, helmAt } = release;
    const namespace = world.namespaces.production;
    const semver = tag.slice(1);
    const previous = w.currentHelm(namespace);
    if (!previous) throw new Error('failed deploy needs a previous release');
    const failed = w.helmRecord(namespace, {
      at: helmAt,
      status: 'failed',
      description: `Upgrade "${world.releaseName}" failed: context deadline exceeded`,
      chartVersion: semver,
      appVersion: tag,
      imageTag: sha,
      runId: run.id,
    });
    w.rollout(namespace, sha, helmAt + 2 * SECOND, semver);
    const rollback = w.helmRollback(
      namespace,
      previous.revision,
      helmAt + 60 * SECOND,
      run.id,
    );
    w.addStatus(
      deployment,
      'failure',
      helmAt + 70 * SECOND,
      'Helm upgrade failed: readiness probe failed; rolled back',
    );
    this.finish(run, jobEnd + 4 * SECOND);
    world.facts.failedProductionRunId = run.id;
    world.facts.failedProductionDeploymentId = deployment.id;
    world.facts.failedProductionVersion = tag;
    world.facts.autoRollback = {
      namespace,
      failedRevision: failed.revision,
      rollbackRevision: rollback.revision,
      rolledBackTo: previous.revision,
    };
  }

  private successfulUpgrade(release: Release, plan: ProdPlan): void {
    const { rng, w, world } = this;
    const { run, deployment, tag, sha, jobStart, jobEnd, helmAt } = release;
    const namespace = world.namespaces.production;
    const semver = tag.slice(1);
    const previous = w.currentHelm(namespace);
    w.helmRecord(namespace, {
      at: helmAt,
      status: 'deployed',
      description:
        world.helm[namespace].length === 0
          ? 'Install complete'
          : 'Upgrade complete',
      chartVersion: semver,
      appVersion: tag,
      imageTag: sha,
      runId: run.id,
    });
    w.rollout(namespace, sha, helmAt + 2 * SECOND, semver);
    w.addStatus(deployment, 'success', jobStart + 150 * SECOND);
    this.finish(run, jobEnd + 4 * SECOND);
    this.chartVersion = semver;
    this.lastProdSha = sha;
    world.facts.lastProductionSha = sha;
    world.facts.lastProductionVersion = tag;
    if (!plan.manualRollback || !previous) return;
    const at = jobEnd + 3 * HOUR + rng.int(0, 50) * MINUTE;
    const rollback = w.helmRollback(namespace, previous.revision, at, null);
    world.facts.manualRollback = {
      namespace,
      revision: rollback.revision,
      rolledBackTo: previous.revision,
      afterRunId: run.id,
      by: ON_CALL,
      at: iso(at),
    };
  }
}

interface Release {
  run: RunRecord;
  deployment: DeploymentRecord;
  tag: string;
  sha: string;
  jobStart: number;
  jobEnd: number;
  helmAt: number;
}
