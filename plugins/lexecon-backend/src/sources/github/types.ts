import {
  Approval,
  ChangeSet,
  CiJobFact,
  CiResult,
  Person,
  StagingContext,
} from '@internal/plugin-lexecon-common';
import type { ReadinessFacts } from '../../approvals/readiness';

/** A workflow run of a deploy workflow, reduced to what the history needs. */
export interface GithubRunInfo {
  id: number;
  runNumber: number;
  workflowName: string;
  displayTitle: string;
  event: string;
  status: string;
  conclusion: string | null;
  headSha: string;
  headBranch: string | null;
  commitTitle?: string;
  actor?: Person;
  triggeringActor?: Person;
  createdAt: string;
  runStartedAt?: string;
  updatedAt: string;
  htmlUrl: string;
  /** Reviews of the environment gate; only for protected environments. */
  approvals?: Approval[];
}

/** A completed CI run as listed: its latest attempt. */
export interface GithubRunAttempt {
  id: number;
  attempt: number;
  conclusion: string | null;
  headSha: string;
  /** The first attempt's creation; a re-run keeps it. */
  createdAt: string;
  /** When the latest attempt started. */
  runStartedAt: string;
  htmlUrl: string;
}

/** A job of one attempt of a run, with its steps. */
export interface GithubJobAttempt extends CiJobFact {
  attempt: number;
}

export interface GithubDeploymentInfo {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  creator?: Person;
  /** Run that created it, when the payload says so. */
  runId?: number;
  /** Newest status other than `inactive`: success, failure, error, in_progress, ... */
  state?: string;
  stateAt?: string;
  description?: string;
}

export interface GithubEnvironmentSnapshot {
  workflowFile?: string;
  htmlUrl?: string;
  /** Whether the environment requires reviewers (so runs carry approvals). */
  protected: boolean;
  runs: GithubRunInfo[];
  deployments: GithubDeploymentInfo[];
}

export interface GithubDeploySnapshot {
  repository: { slug: string; htmlUrl: string };
  environments: Record<string, GithubEnvironmentSnapshot>;
  /** Tag name by commit sha. */
  tags: Record<string, string>;
  /** Set when the repository has more tags than the reader's bound: older tags are missing. */
  tagsTruncated?: boolean;
  /** Commits each environment is behind the environment before it. */
  behind: Record<string, { of: string; commits: number }>;
}

/** A run waiting on a protected environment, with what an approver needs to decide. */
export interface GithubPendingRun {
  runId: number;
  runUrl: string;
  workflowName: string;
  headSha: string;
  headBranch: string | null;
  commitTitle?: string;
  /** Who started the run (or re-ran it); the actor when GitHub names no one else. */
  triggeringActor?: Person;
  /** Who started the run's first attempt. */
  actor?: Person;
  createdAt: string;
  environment: string;
  environmentId: number;
  environmentUrl?: string;
  /** When the run started waiting for the environment (wait timer start, else run creation). */
  waitingSince: string;
  waitTimerMinutes?: number;
  reviewers: Array<{ type: 'User' | 'Team'; name: string; htmlUrl?: string }>;
  preventSelfReview: boolean;
  /** Tag of the head commit when it has one. */
  tag?: string;
  changeSet?: ChangeSet;
  /** Why there is no change set: segregation of duties then refuses every decision. */
  changeSetUnknown?: string;
  ci?: CiResult;
  staging?: Omit<StagingContext, 'onStagingSeconds'>;
  readiness: ReadinessFacts;
  /** Parts of the context that could not be read. */
  warnings: string[];
}

export interface GithubApprovalsSnapshot {
  repository: { slug: string; htmlUrl: string };
  pending: GithubPendingRun[];
  /** Members of the reviewer teams, by team slug. */
  teams: Record<string, string[]>;
}
