import { Approval, Person } from '@internal/plugin-lexecon-common';

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
  /** Commits each environment is behind the environment before it. */
  behind: Record<string, { of: string; commits: number }>;
}
