/**
 * What the `github-evidence` source reads of a service's repository for SOC 2 / GDPR evidence
 * (issue 16): change-control settings, who administers it, open security alerts against the patch
 * SLA, and its policy documents. The evidence rules turn these facts into item statuses.
 */

/**
 * A part GitHub would not show (the credentials lack a permission). Never read as "none": an
 * unreadable alert list is not zero alerts.
 */
export interface NotReadable {
  readable: false;
  /** GitHub's status and why, e.g. "403: the credentials lack security_events". */
  why: string;
}

export type Readable<T> = ({ readable: true } & T) | NotReadable;

export type AlertSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * Hours an open alert of each severity may stay open (the readiness plan's patch SLA); `low`
 * has none.
 */
export const PATCH_SLA_HOURS: Readonly<
  Record<Exclude<AlertSeverity, 'low'>, number>
> = {
  critical: 24,
  high: 7 * 24,
  medium: 30 * 24,
};

export interface SecurityAlertFact {
  tool: 'dependabot' | 'code-scanning';
  number: number;
  severity: AlertSeverity;
  /** ISO 8601: when GitHub opened the alert. */
  createdAt: string;
  /** Whole hours open at collection. */
  ageHours: number;
  /** The SLA of its severity; null when it has none. */
  slaHours: number | null;
  /** ISO 8601: when the SLA runs out; null without an SLA. */
  dueAt: string | null;
  /** Open longer than its SLA at collection. */
  breached: boolean;
  summary: string;
  url: string;
}

export interface BranchProtectionFacts {
  branch: string;
  /** Classic branch protection; null when GitHub says the branch is not protected. */
  classic: {
    requiredApprovingReviews: number;
    dismissStaleReviews: boolean;
    requireCodeOwnerReviews: boolean;
    requireLastPushApproval: boolean;
    enforceAdmins: boolean;
    requiredStatusChecks: string[];
  } | null;
  /** Rules of active rulesets (repository and organisation) applying to the branch. */
  rules: Array<{ type: string; rulesetId: number; source: string }>;
  /** Approvals a pull request needs, the stricter of classic protection and rulesets; 0 if none. */
  requiredApprovingReviews: number;
  /** True when classic protection or a ruleset requires reviewed pull requests. */
  reviewRequired: boolean;
  url: string;
}

export interface EnvironmentReviewFacts {
  environment: string;
  /** False when the repository has no such environment (GitHub answered 404). */
  exists: boolean;
  reviewers: Array<{ type: 'User' | 'Team'; name: string }>;
  preventSelfReview: boolean;
  url: string;
}

export interface PolicyDocumentFact {
  path: string;
  /** ISO 8601: the newest commit touching the file; null when GitHub lists none. */
  lastReviewed: string | null;
  url: string;
  /** The commit of the last review. */
  commitUrl?: string;
}

/** One read of a repository's evidence. */
export interface GithubEvidenceFacts {
  /** `owner/repo`. */
  repository: string;
  repositoryUrl: string;
  defaultBranch: string;
  branchProtection: Readable<BranchProtectionFacts>;
  productionReviewers: Readable<EnvironmentReviewFacts>;
  /** Direct collaborators with admin permission. */
  repositoryAdmins: Readable<{ logins: string[]; url: string }>;
  /** Organisation owners (admins of every repository of it besides). */
  organizationAdmins: Readable<{ organization: string; logins: string[] }>;
  dependabotAlerts: Readable<{ open: SecurityAlertFact[]; url: string }>;
  codeScanningAlerts: Readable<{ open: SecurityAlertFact[]; url: string }>;
  /** `docs/policies/*.md`; `found` is false when the repository has no such folder. */
  policies: Readable<{
    found: boolean;
    documents: PolicyDocumentFact[];
    url: string;
  }>;
}

/** A stored read, with when it was made and until when it counts as evidence. */
export interface GithubEvidenceObservation {
  entityRef: string;
  /** ISO 8601. */
  collected: string;
  /** ISO 8601. */
  expires: string;
  facts: GithubEvidenceFacts;
}

/** What the store knows of a service: its latest observation and a later read's failure. */
export interface GithubEvidenceState {
  /** Absent until a read succeeded. */
  latest?: GithubEvidenceObservation;
  /**
   * The last read, when it failed after `latest` was collected: nothing of it was stored, and
   * the items it feeds fail with this reason.
   */
  failure?: { at: string; reason: string };
}

/**
 * The observation the evidence rules may use at `now`, or why there is none: never read, the
 * last read failed (the previous observation no longer counts), or it expired. Fails closed.
 */
export function usableGithubEvidence(
  state: GithubEvidenceState,
  now: Date,
):
  | { usable: true; observation: GithubEvidenceObservation }
  | { usable: false; reason: string } {
  const { latest, failure } = state;
  if (failure) {
    return {
      usable: false,
      reason: `GitHub could not be read at ${failure.at}: ${failure.reason}`,
    };
  }
  if (!latest) {
    return { usable: false, reason: 'GitHub has not been read for it yet' };
  }
  if (Date.parse(latest.expires) <= now.getTime()) {
    return {
      usable: false,
      reason: `the last read of GitHub (${latest.collected}) expired at ${latest.expires}`,
    };
  }
  return { usable: true, observation: latest };
}
