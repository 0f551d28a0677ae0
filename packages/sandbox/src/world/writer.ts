import { iso, Prng, sha256Hex, uuidFrom } from '../random';
import {
  DeploymentRecord,
  DeploymentState,
  HelmRevisionRecord,
  HelmStatus,
  JobRecord,
  SandboxWorld,
  StepRecord,
} from './types';

export const STAGING_HISTORY_MAX = 20;
export const REVISION_HISTORY_LIMIT = 10;

export interface StepPlan {
  name: string;
  /** Relative weight of the step's duration. */
  weight: number;
}

/**
 * Mutations shared by the seeding code and the runtime endpoints (approvals), so both keep
 * ids, statuses, Helm revisions and ReplicaSets consistent.
 */
export class WorldWriter {
  constructor(readonly world: SandboxWorld, private readonly rng: Prng) {}

  nextRunId(): number {
    this.world.ids.run += this.rng.int(3, 60);
    return this.world.ids.run;
  }

  nextCheckSuiteId(): number {
    this.world.ids.checkSuite += this.rng.int(20, 400);
    return this.world.ids.checkSuite;
  }

  nextJobId(): number {
    this.world.ids.job += this.rng.int(2, 90);
    return this.world.ids.job;
  }

  nextDeploymentId(): number {
    this.world.ids.deployment += this.rng.int(50, 2000);
    return this.world.ids.deployment;
  }

  nextStatusId(): number {
    this.world.ids.deploymentStatus += this.rng.int(100, 5000);
    return this.world.ids.deploymentStatus;
  }

  nextResourceVersion(): number {
    this.world.ids.resourceVersion += this.rng.int(1, 40);
    return this.world.ids.resourceVersion;
  }

  /** Builds a job whose steps split [start, end] by weight; `failStep` makes that step fail. */
  job(opts: {
    name: string;
    createdAt: number;
    startedAt: number;
    completedAt: number;
    steps: StepPlan[];
    failStep?: string;
    environment?: string;
  }): JobRecord {
    const total = opts.steps.reduce((sum, s) => sum + s.weight, 0);
    const span = opts.completedAt - opts.startedAt;
    let cursor = opts.startedAt;
    let failed = false;
    const steps: StepRecord[] = opts.steps.map((s, i) => {
      const last = i === opts.steps.length - 1;
      const end = last
        ? opts.completedAt
        : cursor + Math.round((span * s.weight) / total / 1000) * 1000;
      let conclusion: StepRecord['conclusion'] = 'success';
      if (failed && !last) conclusion = 'skipped';
      if (!failed && s.name === opts.failStep) {
        conclusion = 'failure';
        failed = true;
      }
      const step: StepRecord = {
        name: s.name,
        number: i + 1,
        status: 'completed',
        conclusion,
        startedAt: iso(cursor),
        completedAt: iso(conclusion === 'skipped' ? cursor : end),
      };
      if (conclusion !== 'skipped') cursor = end;
      return step;
    });
    const runnerId = this.rng.int(2, 40);
    return {
      id: this.nextJobId(),
      name: opts.name,
      status: 'completed',
      conclusion: failed ? 'failure' : 'success',
      createdAt: iso(opts.createdAt),
      startedAt: iso(opts.startedAt),
      completedAt: iso(opts.completedAt),
      steps,
      runnerId,
      runnerName: `GitHub Actions ${runnerId}`,
      environment: opts.environment,
    };
  }

  createDeployment(opts: {
    sha: string;
    environment: string;
    payload: Record<string, unknown>;
    at: number;
    runId: number;
    jobId: number;
  }): DeploymentRecord {
    const deployment: DeploymentRecord = {
      id: this.nextDeploymentId(),
      sha: opts.sha,
      ref: this.world.defaultBranch,
      task: 'deploy',
      environment: opts.environment,
      description: null,
      creator: 'github-actions[bot]',
      payload: opts.payload,
      createdAt: iso(opts.at),
      updatedAt: iso(opts.at),
      productionEnvironment: opts.environment === 'production',
      runId: opts.runId,
      jobId: opts.jobId,
      statuses: [],
    };
    this.world.deployments.push(deployment);
    const run = this.world.runs.find(r => r.id === opts.runId);
    run?.deploymentIds.push(deployment.id);
    return deployment;
  }

  addStatus(
    deployment: DeploymentRecord,
    state: DeploymentState,
    at: number,
    description = '',
  ): void {
    deployment.statuses.push({
      id: this.nextStatusId(),
      state,
      description,
      createdAt: iso(at),
    });
    deployment.updatedAt = iso(at);
    if (state !== 'success') return;
    // auto_inactive: earlier successful deployments to the same environment become inactive.
    for (const other of this.world.deployments) {
      if (other === deployment || other.environment !== deployment.environment)
        continue;
      const latest = other.statuses[other.statuses.length - 1];
      if (latest?.state === 'success') {
        other.statuses.push({
          id: this.nextStatusId(),
          state: 'inactive',
          description: '',
          createdAt: iso(at),
        });
        other.updatedAt = iso(at);
      }
    }
  }

  private helmList(namespace: string): HelmRevisionRecord[] {
    if (!this.world.helm[namespace]) this.world.helm[namespace] = [];
    return this.world.helm[namespace];
  }

  currentHelm(namespace: string): HelmRevisionRecord | undefined {
    return this.helmList(namespace).find(r => r.status === 'deployed');
  }

  helmRevision(namespace: string, revision: number): HelmRevisionRecord {
    const found = this.helmList(namespace).find(r => r.revision === revision);
    if (!found) {
      throw new Error(`No Helm revision ${revision} in ${namespace}`);
    }
    return found;
  }

  /** Records a new Helm revision; a `deployed` one supersedes the current release. */
  helmRecord(
    namespace: string,
    opts: {
      at: number;
      status: HelmStatus;
      description: string;
      chartVersion: string;
      appVersion: string;
      imageTag: string;
      runId: number | null;
    },
  ): HelmRevisionRecord {
    const list = this.helmList(namespace);
    const last = list[list.length - 1];
    const revision = last ? last.revision + 1 : 1;
    if (opts.status === 'deployed') {
      for (const r of list) {
        if (r.status === 'deployed') {
          r.status = 'superseded';
          r.modifiedAt = iso(opts.at);
          r.resourceVersion = this.nextResourceVersion();
        }
      }
    }
    const record: HelmRevisionRecord = {
      name: this.world.releaseName,
      namespace,
      revision,
      status: opts.status,
      description: opts.description,
      chartVersion: opts.chartVersion,
      appVersion: opts.appVersion,
      imageTag: opts.imageTag,
      firstDeployed: last ? last.firstDeployed : iso(opts.at),
      lastDeployed: iso(opts.at),
      createdAt: iso(opts.at),
      modifiedAt: iso(opts.at),
      runId: opts.runId,
      uid: uuidFrom(`${namespace}/helm/${revision}/${opts.at}`),
      resourceVersion: this.nextResourceVersion(),
    };
    list.push(record);
    if (namespace === this.world.namespaces.staging) {
      while (list.length > STAGING_HISTORY_MAX) list.shift();
    }
    return record;
  }

  helmRollback(
    namespace: string,
    toRevision: number,
    at: number,
    runId: number | null,
  ): HelmRevisionRecord {
    const target = this.helmRevision(namespace, toRevision);
    const record = this.helmRecord(namespace, {
      at,
      status: 'deployed',
      description: `Rollback to ${toRevision}`,
      chartVersion: target.chartVersion,
      appVersion: target.appVersion,
      imageTag: target.imageTag,
      runId,
    });
    this.rollout(namespace, target.imageTag, at, target.chartVersion);
    return record;
  }

  /** Rolls the apps/v1 Deployment to an image: reuses a ReplicaSet for a known image. */
  rollout(
    namespace: string,
    imageTag: string,
    at: number,
    chartVersion: string,
  ): void {
    const world = this.world;
    const deployment = world.kubeDeployments[namespace];
    if (!world.replicaSets[namespace]) world.replicaSets[namespace] = [];
    const sets = world.replicaSets[namespace];
    const revision = (world.ids.kubeRevision[namespace] ?? 0) + 1;
    world.ids.kubeRevision[namespace] = revision;
    let rs = sets.find(s => s.imageTag === imageTag);
    if (rs) {
      rs.revisionHistory = [...rs.revisionHistory, rs.revision];
      rs.revision = revision;
      rs.resourceVersion = this.nextResourceVersion();
    } else {
      const hash = podTemplateHash(`${namespace}:${imageTag}`);
      rs = {
        namespace,
        name: `${world.releaseName}-${hash}`,
        podTemplateHash: hash,
        revision,
        revisionHistory: [],
        imageTag,
        createdAt: iso(at),
        replicas: 0,
        uid: uuidFrom(`${namespace}/rs/${hash}`),
        resourceVersion: this.nextResourceVersion(),
      };
      sets.push(rs);
    }
    for (const s of sets) {
      const wanted = s === rs ? deployment.replicas : 0;
      if (s.replicas !== wanted) {
        s.replicas = wanted;
        s.resourceVersion = this.nextResourceVersion();
      }
    }
    // revisionHistoryLimit: keep the newest old ReplicaSets only.
    const old = sets
      .filter(s => s !== rs)
      .sort((a, b) => b.revision - a.revision);
    for (const s of old.slice(REVISION_HISTORY_LIMIT)) {
      sets.splice(sets.indexOf(s), 1);
    }
    sets.sort((a, b) => a.revision - b.revision);
    deployment.revision = revision;
    deployment.imageTag = imageTag;
    deployment.chartVersion = chartVersion;
    deployment.generation += 1;
    deployment.resourceVersion = this.nextResourceVersion();
  }
}

const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes-style pod-template-hash (10 chars from its safe alphabet). */
export function podTemplateHash(input: string): string {
  const hex = sha256Hex(input);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += HASH_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 27];
  }
  return out;
}
