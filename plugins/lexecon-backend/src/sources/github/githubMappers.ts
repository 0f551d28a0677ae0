import type { RestEndpointMethodTypes } from '@octokit/rest';
import {
  Approval,
  ChangelogCommit,
  CommitIdentity,
  Person,
  PullRequestSummary,
  RequiredReviewer,
} from '@internal/plugin-lexecon-common';
import { GithubDeploymentInfo, GithubRunInfo } from './types';

type Data<
  Scope extends keyof RestEndpointMethodTypes,
  Method extends keyof RestEndpointMethodTypes[Scope],
> = RestEndpointMethodTypes[Scope][Method] extends {
  response: { data: infer D };
}
  ? D
  : never;

export type WorkflowRun = Data<
  'actions',
  'listWorkflowRuns'
>['workflow_runs'][number];
export type Deployment = Data<'repos', 'listDeployments'>[number];
export type DeploymentStatus = Data<'repos', 'listDeploymentStatuses'>[number];
export type Environment = Data<'repos', 'getEnvironment'>;
export type PendingDeployment = Data<
  'actions',
  'getPendingDeploymentsForRun'
>[number];
export type CompareCommit = Data<
  'repos',
  'compareCommitsWithBasehead'
>['commits'][number];
export type RunReview = Data<'actions', 'getReviewsForRun'>[number];
type AssociatedPull = Data<
  'repos',
  'listPullRequestsAssociatedWithCommit'
>[number];
type PullRequest = Data<'pulls', 'get'>;

type UserLike =
  | {
      login: string;
      avatar_url?: string;
      html_url?: string;
      name?: string | null;
    }
  | null
  | undefined;

export function toPerson(value: UserLike | object): Person | undefined {
  const user = value as UserLike;
  if (typeof user?.login !== 'string' || !user.login) return undefined;
  return {
    login: user.login,
    name: user.name ?? undefined,
    avatarUrl: user.avatar_url,
    htmlUrl: user.html_url,
  };
}

export function toRunInfo(
  run: WorkflowRun,
  workflowFile: string,
): GithubRunInfo {
  return {
    id: run.id,
    runNumber: run.run_number,
    workflowName: run.name ?? workflowFile,
    displayTitle: run.display_title,
    event: run.event,
    status: run.status ?? 'unknown',
    conclusion: run.conclusion,
    headSha: run.head_sha,
    headBranch: run.head_branch,
    commitTitle: run.head_commit?.message?.split('\n')[0],
    actor: toPerson(run.actor),
    triggeringActor: toPerson(run.triggering_actor),
    createdAt: run.created_at,
    runStartedAt: run.run_started_at,
    updatedAt: run.updated_at,
    htmlUrl: run.html_url,
  };
}

/** A deployment without its state, which takes one more request (see deploymentState). */
export function toDeploymentInfo(d: Deployment): GithubDeploymentInfo {
  const payload =
    typeof d.payload === 'object' && d.payload
      ? (d.payload as Record<string, unknown>)
      : {};
  return {
    id: d.id,
    sha: d.sha,
    environment: d.environment,
    createdAt: d.created_at,
    creator: toPerson(d.creator),
    runId: typeof payload.run_id === 'number' ? payload.run_id : undefined,
  };
}

/**
 * What a deployment came to, from its statuses (newest first): the newest that is not
 * `inactive`; with only `inactive` left, it was live once and has been superseded since, so it
 * succeeded.
 */
export function deploymentState(
  statuses: DeploymentStatus[],
): { state: string; at: string; description?: string } | undefined {
  const latest = statuses.find(s => s.state !== 'inactive');
  if (latest) {
    return {
      state: latest.state,
      at: latest.created_at,
      description: latest.description || undefined,
    };
  }
  if (!statuses.length) return undefined;
  return { state: 'success', at: statuses[statuses.length - 1].created_at };
}

/** What an environment's protection rules ask of a deploy. */
export function environmentProtection(
  env: Pick<Environment, 'protection_rules'> | undefined,
) {
  const rule = env?.protection_rules?.find(
    r => (r as { type?: string }).type === 'required_reviewers',
  ) as { prevent_self_review?: boolean } | undefined;
  return {
    requiresReviewers: Boolean(rule),
    preventSelfReview: Boolean(rule?.prevent_self_review),
  };
}

export function toRequiredReviewers(
  reviewers: PendingDeployment['reviewers'] | undefined,
): RequiredReviewer[] {
  return (reviewers ?? []).flatMap((r): RequiredReviewer[] => {
    const reviewer = r.reviewer as
      | { login?: string; slug?: string; html_url?: string }
      | undefined;
    if (r.type === 'User' && reviewer?.login) {
      return [
        { type: 'User', name: reviewer.login, htmlUrl: reviewer.html_url },
      ];
    }
    if (r.type === 'Team' && reviewer?.slug) {
      return [
        { type: 'Team', name: reviewer.slug, htmlUrl: reviewer.html_url },
      ];
    }
    return [];
  });
}

/** A review of an environment gate; comments-only entries are not decisions. */
export function toReview(r: RunReview): Omit<Approval, 'at'> | undefined {
  if (r.state !== 'approved' && r.state !== 'rejected') return undefined;
  return {
    state: r.state,
    user: toPerson(r.user) ?? { login: 'unknown' },
    comment: r.comment || undefined,
  };
}

/** GitHub's own committer of merges and edits made in its web UI; it is nobody's change. */
const WEB_FLOW = { login: 'web-flow', email: 'noreply@github.com' };
/** `ID+login@users.noreply.github.com` (or `login@...`): the only email that names a login. */
const NOREPLY_EMAIL =
  /^(?:\d+\+)?([a-z\d](?:[a-z\d-]{0,38}))@users\.noreply\.github\.com$/i;
const CO_AUTHOR_TRAILER = /^co-authored-by:\s*(.*?)\s*<([^<>\s]*)>\s*$/gim;

/** The people a commit's `Co-authored-by` trailers name; a login only from a noreply email. */
export function coAuthorsOf(message: string): CommitIdentity[] {
  return [...message.matchAll(CO_AUTHOR_TRAILER)].map(([, name, email]) => {
    const login = NOREPLY_EMAIL.exec(email)?.[1];
    return {
      name: name || email,
      ...(login ? { account: { login } } : {}),
    };
  });
}

type GitPerson = { name?: string; email?: string } | null | undefined;

/**
 * The committer, unless it is the author or GitHub's web-flow: web-flow commits what a person
 * merged or edited in GitHub's UI, and that person is the pull request's merger or the author.
 */
function committerOf(c: CompareCommit): CommitIdentity | undefined {
  const git = c.commit.committer as GitPerson;
  const author = c.commit.author as GitPerson;
  const account = toPerson(c.committer);
  if (account?.login === WEB_FLOW.login) return undefined;
  if (!account && git?.email === WEB_FLOW.email) return undefined;
  const authorLogin = toPerson(c.author)?.login;
  if (account && authorLogin === account.login) return undefined;
  if (!account && !authorLogin && git?.email === author?.email) {
    return undefined;
  }
  return { name: git?.name || git?.email || 'unknown', account };
}

/**
 * A commit: its author is the GitHub account GitHub maps the commit's email to; without one
 * only the git name is kept, and it is never taken for a login.
 */
export function toChangeCommit(c: CompareCommit): ChangelogCommit {
  const name = c.commit.author?.name || c.commit.author?.email || undefined;
  const account = toPerson(c.author);
  const committer = committerOf(c);
  const coAuthors = coAuthorsOf(c.commit.message);
  return {
    sha: c.sha,
    shortSha: c.sha.slice(0, 7),
    title: c.commit.message.split('\n')[0],
    author: account && { ...account, name: account.name ?? name },
    authorName: name,
    ...(committer ? { committer } : {}),
    ...(coAuthors.length ? { coAuthors } : {}),
    authoredAt: c.commit.author?.date,
    htmlUrl: c.html_url,
  };
}

export function toPullRequest(
  pr: AssociatedPull | PullRequest,
): PullRequestSummary {
  const mergedBy = 'merged_by' in pr ? toPerson(pr.merged_by) : undefined;
  return {
    number: pr.number,
    title: pr.title,
    author: toPerson(pr.user),
    ...(mergedBy ? { mergedBy } : {}),
    htmlUrl: pr.html_url,
  };
}
