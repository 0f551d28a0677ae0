import type {
  CodeScanningAlertRecord,
  CommitQualityRecord,
  DependabotAlertRecord,
  ReadinessFacts,
} from './readiness';

/**
 * The seeded state of the sandbox. Everything here is independent of the ports the sandbox
 * listens on (URLs are rendered per request), so two sandboxes with the same `now` have
 * deep-equal worlds.
 */

export interface Person {
  login: string;
  id: number;
  name: string;
  email: string;
  type: 'User' | 'Bot';
}

/** A git name and email that no GitHub account claims. */
export interface GitIdentity {
  name: string;
  email: string;
}

export interface CommitRecord {
  sha: string;
  treeSha: string;
  /** Full commit message (title, blank line, body; trailers such as `Co-authored-by` last). */
  message: string;
  authorLogin: string;
  /** `web-flow` for merges done in the GitHub UI, otherwise the author. */
  committerLogin: string;
  /**
   * Identities of the commit that map to no GitHub account: the API then answers `author` (or
   * `committer`) null and the commit names only this identity; `authorLogin` (or
   * `committerLogin`) is then not shown anywhere.
   */
  unlinked?: { author?: GitIdentity; committer?: GitIdentity };
  date: string;
  parents: string[];
  prNumber?: number;
  /** Head branch of the pull request. */
  branch?: string;
  /** Who opened the pull request, when not the commit's author. */
  prAuthor?: string;
  /** Who merged the pull request, when not whoever opened it. */
  mergedBy?: string;
  additions: number;
  deletions: number;
}

export interface TagRecord {
  name: string;
  sha: string;
  createdAt: string;
}

export interface WorkflowRecord {
  id: number;
  name: string;
  file: string;
  path: string;
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting';
export type RunConclusion = 'success' | 'failure' | 'cancelled' | null;

export interface StepRecord {
  name: string;
  number: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'skipped' | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface JobRecord {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting';
  conclusion: 'success' | 'failure' | 'skipped' | null;
  createdAt: string;
  startedAt: string;
  completedAt: string | null;
  steps: StepRecord[];
  runnerId: number | null;
  runnerName: string | null;
  environment?: string;
}

export interface ApprovalRecord {
  environment: string;
  state: 'approved' | 'rejected';
  user: string;
  comment: string;
  at: string;
}

/** An earlier attempt of a run, kept when the run was re-run (GitHub keeps each attempt's jobs). */
export interface RunAttemptRecord {
  runAttempt: number;
  conclusion: RunConclusion;
  runStartedAt: string;
  updatedAt: string;
  jobs: JobRecord[];
}

export interface RunRecord {
  id: number;
  checkSuiteId: number;
  workflowId: number;
  workflowFile: string;
  name: string;
  displayTitle: string;
  runNumber: number;
  runAttempt: number;
  event: 'push' | 'workflow_run' | 'workflow_dispatch';
  status: RunStatus;
  conclusion: RunConclusion;
  headBranch: string;
  headSha: string;
  actor: string;
  triggeringActor: string;
  createdAt: string;
  runStartedAt: string;
  updatedAt: string;
  /** The latest attempt's jobs. */
  jobs: JobRecord[];
  /** Attempts before `runAttempt`, oldest first; absent when the run never was re-run. */
  previousAttempts?: RunAttemptRecord[];
  /** Release tag for production runs, e.g. `v1.4.2`. */
  version?: string;
  /** Environment the run deploys to, if any. */
  environment?: string;
  /** Recorded reviews (GET .../approvals). */
  approvals: ApprovalRecord[];
  /** Environment currently waiting for review (GET .../pending_deployments). */
  pendingEnvironment?: string;
  waitTimerStartedAt?: string;
  deploymentIds: number[];
}

export type DeploymentState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'pending'
  | 'success'
  | 'queued'
  | 'in_progress';

export interface DeploymentStatusRecord {
  id: number;
  state: DeploymentState;
  description: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  creator: string;
  payload: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  productionEnvironment: boolean;
  runId: number;
  jobId: number;
  /** Chronological (oldest first); the API returns them newest first. */
  statuses: DeploymentStatusRecord[];
}

export interface TeamRecord {
  id: number;
  slug: string;
  name: string;
  description: string;
  members: string[];
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  externalUrl: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: Array<{ type: 'User' | 'Team'; name: string }>;
  protectionRuleIds: {
    waitTimer: number;
    reviewers: number;
    branchPolicy: number;
  };
  branchPolicy: {
    protected_branches: boolean;
    custom_branch_policies: boolean;
  } | null;
  /** Custom deployment protection rules (GitHub Apps) enabled on the environment. */
  customRules: Array<{ id: number; appSlug: string }>;
}

export type HelmStatus = 'deployed' | 'superseded' | 'failed';

export interface HelmRevisionRecord {
  name: string;
  namespace: string;
  revision: number;
  status: HelmStatus;
  description: string;
  chartVersion: string;
  appVersion: string;
  imageTag: string;
  firstDeployed: string;
  lastDeployed: string;
  createdAt: string;
  modifiedAt: string;
  /** GitHub run that produced the revision (none for manual rollbacks). */
  runId: number | null;
  uid: string;
  resourceVersion: number;
}

export interface ReplicaSetRecord {
  namespace: string;
  name: string;
  podTemplateHash: string;
  revision: number;
  revisionHistory: number[];
  imageTag: string;
  createdAt: string;
  replicas: number;
  uid: string;
  resourceVersion: number;
}

export interface KubeDeploymentRecord {
  namespace: string;
  name: string;
  uid: string;
  createdAt: string;
  revision: number;
  imageTag: string;
  chartVersion: string;
  replicas: number;
  generation: number;
  resourceVersion: number;
}

export interface OpaqueSecretRecord {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  data: Record<string, string>;
  createdAt: string;
  uid: string;
  resourceVersion: number;
}

export interface NamespaceRecord {
  name: string;
  uid: string;
  createdAt: string;
  labels: Record<string, string>;
  resourceVersion: number;
}

export interface WorldFacts {
  /** The `deploy-prod.yml` run waiting for approval at `now`. */
  waitingRunId: number;
  waitingRunVersion: string;
  /** Who triggered the waiting run (not a release approver). */
  waitingRunTriggeredBy: string;
  /** Authors of the commits between the production sha and the waiting run's head. */
  waitingRunAuthors: string[];
  /** Pull requests merged in that change set. */
  waitingRunPullRequests: number[];
  /** Readiness inputs of the waiting run (scores "good", above a gate of 90). */
  waitingRunReadiness: ReadinessFacts;
  /** An older release candidate that scores poorly (the one that later failed in production). */
  poorReadiness: ReadinessFacts;
  /** Sha of the newest commit deployed to staging (the waiting run deploys it). */
  latestStagingSha: string;
  /** Last sha successfully deployed to production through GitHub. */
  lastProductionSha: string;
  lastProductionVersion: string;
  failedProductionRunId: number;
  failedProductionDeploymentId: number;
  failedProductionVersion: string;
  /** Helm auto-rollback after the failed production upgrade (`--atomic`). */
  autoRollback: {
    namespace: string;
    failedRevision: number;
    rollbackRevision: number;
    rolledBackTo: number;
  };
  /**
   * A production release approved in GitHub by a release approver who wrote one of its commits
   * (segregation of duties broken outside the portal): the evidence population's SoD exception.
   */
  selfApproved: { runId: number; version: string; approver: string };
  /** `helm rollback` done by hand by the on-call engineer. */
  manualRollback: {
    namespace: string;
    revision: number;
    rolledBackTo: number;
    /** The successful production run whose release was rolled back. */
    afterRunId: number;
    by: string;
    at: string;
  };
}

export interface IdSequences {
  run: number;
  checkSuite: number;
  job: number;
  deployment: number;
  deploymentStatus: number;
  resourceVersion: number;
  kubeRevision: Record<string, number>;
}

/** What a repository builds and ships, for the descriptions and images the fake APIs show. */
export interface RepoProfile {
  /** The repository's description on GitHub. */
  description: string;
  language: string;
  /** The product name in Helm's release notes, e.g. `Lexecon`. */
  productName: string;
  /** The chart's description (Chart.yaml). */
  chartDescription: string;
  /** e.g. `ghcr.io/lexecon-ai/lexecon` */
  imageRepository: string;
}

export interface SandboxWorld {
  /** Seed clock (ISO). */
  now: string;
  owner: string;
  repo: string;
  profile: RepoProfile;
  repoId: number;
  ownerId: number;
  defaultBranch: string;
  releaseName: string;
  namespaces: { staging: string; production: string };
  people: Person[];
  engineers: string[];
  teams: TeamRecord[];
  /** Chronological, oldest first, linear history on `main`. */
  commits: CommitRecord[];
  tags: TagRecord[];
  workflows: WorkflowRecord[];
  /** Chronological, oldest first (ids increase). */
  runs: RunRecord[];
  /** Chronological, oldest first. */
  deployments: DeploymentRecord[];
  environments: EnvironmentRecord[];
  /** Helm revisions still stored as Secrets, by namespace, oldest first. */
  helm: Record<string, HelmRevisionRecord[]>;
  replicaSets: Record<string, ReplicaSetRecord[]>;
  kubeDeployments: Record<string, KubeDeploymentRecord>;
  otherSecrets: OpaqueSecretRecord[];
  kubeNamespaces: NamespaceRecord[];
  /** Coverage and code-quality results per commit sha. */
  commitQuality: Record<string, CommitQualityRecord>;
  codeScanningAlerts: CodeScanningAlertRecord[];
  dependabotAlerts: DependabotAlertRecord[];
  facts: WorldFacts;
  ids: IdSequences;
}
