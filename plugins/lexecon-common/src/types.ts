import type { GateException } from './approvals';
import type { SectionId, SourceId } from './sources';

/** The status every section of the Release & Compliance tab carries. */
export type SectionStatus = 'ok' | 'stale' | 'error' | 'not-configured';

/** The state of one source's snapshot for one entity. */
export interface SourceState {
  source: SourceId;
  status: SectionStatus;
  /** When the data shown was fetched from upstream (ISO 8601); absent when never fetched. */
  fetchedAt?: string;
  /** When the last fetch was attempted, successful or not (ISO 8601). */
  attemptedAt?: string;
  /** A message a person can act on: the error, or which annotation/config is missing. */
  message?: string;
  /** With `not-configured`: the catalog annotations to add, when annotations are what is missing. */
  missingAnnotations?: string[];
}

/** One section of the overview, with its own status so one failing source never blanks the page. */
export interface Section<T> {
  status: SectionStatus;
  /** Oldest fetch time among the sources the data came from. */
  fetchedAt?: string;
  message?: string;
  /** With `not-configured`: the catalog annotations that would make the section work. */
  missingAnnotations?: string[];
  sources: SourceState[];
  data?: T;
}

export interface Person {
  login: string;
  name?: string;
  avatarUrl?: string;
  htmlUrl?: string;
}

export type DeploymentResult =
  | 'success'
  | 'failed'
  | 'cancelled'
  | 'rolled_back'
  | 'in_progress'
  | 'waiting';

export interface Approval {
  state: 'approved' | 'rejected';
  user: Person;
  comment?: string;
  /** When the review happened, where known (GitHub's approvals endpoint has no timestamps). */
  at?: string;
}

export interface HelmRevisionInfo {
  revision: number;
  /** Helm release status: deployed, superseded, failed, ... */
  status: string;
  /** Helm's `info.description`, e.g. `Upgrade complete` or `Rollback to 41`. */
  description: string;
  chartVersion?: string;
  appVersion?: string;
  namespace: string;
  deployedAt?: string;
  /** Revision this one rolled back to, when it is a rollback. */
  rollbackTo?: number;
}

/** How a deploy relates to rollbacks. */
export interface RollbackInfo {
  /** `automatic`: the deploy failed and Helm rolled it back; `manual`: someone rolled back by hand. */
  kind: 'automatic' | 'manual';
  /** Helm revision the release went back to. */
  toRevision?: number;
  /** Version (tag or short sha) the release went back to, when known. */
  toVersion?: string;
  at?: string;
}

export interface DeploymentRecord {
  /** Stable id: `<environment>:run:<runId>` or `<environment>:helm:<revision>`. */
  id: string;
  environment: string;
  sha: string;
  shortSha: string;
  tag?: string;
  /** What people call this version: the tag when there is one, else the short sha. */
  version: string;
  commitTitle?: string;
  triggeredBy?: Person;
  approval?: Approval;
  startedAt: string;
  finishedAt?: string;
  durationSeconds?: number;
  result: DeploymentResult;
  /** Set when this deploy was undone (automatic) or is itself a manual rollback. */
  rollback?: RollbackInfo;
  helm?: HelmRevisionInfo;
  workflowName?: string;
  runId?: number;
  runUrl?: string;
  deploymentId?: number;
  /** Where the record came from: `github`, `kubernetes` or both. */
  sources: SourceId[];
  /** Approvals of this deploy that went past SoD or the readiness gate, from the audit trail. */
  exceptions?: GateException[];
}

export interface LiveVersion {
  version: string;
  sha: string;
  since: string;
  result: DeploymentResult;
  deploymentId: string;
  helmRevision?: number;
  triggeredBy?: Person;
}

export interface EnvironmentSummary {
  environment: string;
  live?: LiveVersion;
  /** For environments after the first: commits on the previous environment not yet here. */
  commitsBehind?: number;
  /** The environment `commitsBehind` is measured against. */
  behindOf?: string;
  /** Link to the environment on GitHub. */
  htmlUrl?: string;
}

export interface DeploymentsOverview {
  repository?: { slug: string; htmlUrl: string };
  environments: EnvironmentSummary[];
  /** Newest first; the first page of the history. */
  recent: DeploymentRecord[];
  totalCount: number;
}

/** A section's status without its data: what the overview says of sections it does not carry. */
export type SectionSummary = Omit<Section<never>, 'data'>;

/**
 * The entity's overview: the deploy history with its data, and every other section the portal
 * has (approvals, flags, sla, health, later cost and evidence) with its status, so a client
 * knows at once which sections have data, which are stale or failing and which are not set up.
 */
export interface Overview {
  entityRef: string;
  sections: {
    deployments: Section<DeploymentsOverview>;
  } & Partial<Record<Exclude<SectionId, 'deployments'>, SectionSummary>>;
}

export interface DeploymentsPage {
  entityRef: string;
  section: Omit<Section<never>, 'data'>;
  items: DeploymentRecord[];
  totalCount: number;
  /** Opaque cursor for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Someone a commit names by git name and email. */
export interface CommitIdentity {
  /** The free-text git name; never a login. */
  name: string;
  /** The GitHub account the identity maps to, when one does. */
  account?: Person;
}

export interface ChangelogCommit {
  sha: string;
  shortSha: string;
  title: string;
  /** The author's GitHub account; absent when the commit's email maps to none. */
  author?: Person;
  /** The author's free-text git name, for display; never a login. */
  authorName?: string;
  /** The committer, when not the author and not GitHub's own `web-flow`. */
  committer?: CommitIdentity;
  /** People named by `Co-authored-by` trailers. */
  coAuthors?: CommitIdentity[];
  authoredAt?: string;
  htmlUrl?: string;
}

export interface Changelog {
  deploymentId: string;
  environment: string;
  /** The previous deploy to the same environment; absent for the first known deploy. */
  base?: { sha: string; version: string; deploymentId: string };
  head: { sha: string; version: string };
  commits: ChangelogCommit[];
  /** Commits between base and head upstream (may exceed `commits.length` for huge ranges). */
  totalCommits: number;
  compareUrl?: string;
  fetchedAt: string;
}

/** Body of every error response: Backstage's serialized error shape. */
export interface ErrorBody {
  error: { name: string; message: string };
  request?: { method: string; url: string };
  response: { statusCode: number };
}
