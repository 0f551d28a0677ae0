import { z } from 'zod';
import type { ChangelogCommit, Person, SourceState } from './types';

/**
 * How a protected environment's approval reaches GitHub.
 * - `github-reviewers`: the signed-in user's own GitHub token reviews the pending deployment;
 *   GitHub checks that the user is a required reviewer.
 * - `portal-gate`: the portal's GitHub App is a custom deployment protection rule; the portal's
 *   permission policy decides and the App answers GitHub.
 */
export type ApprovalMode = 'github-reviewers' | 'portal-gate';

export type ApprovalDecision = 'approved' | 'rejected';

/** Header carrying the signed-in user's GitHub token for one decision; never stored or logged. */
export const GITHUB_TOKEN_HEADER = 'x-lexecon-github-token';

/** Release readiness bands from the CI pipeline architecture (score out of 100). */
export type ReadinessBand = 'excellent' | 'good' | 'fair' | 'poor';

export const READINESS_BANDS: Array<{ band: ReadinessBand; min: number }> = [
  { band: 'excellent', min: 95 },
  { band: 'good', min: 90 },
  { band: 'fair', min: 80 },
  { band: 'poor', min: 0 },
];

export const DEFAULT_READINESS_GATE = 90;

export type ReadinessInputKey = 'ci' | 'coverage' | 'security' | 'quality';

/** Weights of the release readiness score; they add up to 1. */
export const READINESS_WEIGHTS: Record<ReadinessInputKey, number> = {
  ci: 0.4,
  coverage: 0.3,
  security: 0.2,
  quality: 0.1,
};

export function readinessBand(score: number): ReadinessBand {
  return READINESS_BANDS.find(b => score >= b.min)?.band ?? 'poor';
}

export interface ReadinessInput {
  key: ReadinessInputKey;
  label: string;
  /** 0–1. */
  weight: number;
  /** 0–100; absent when the input could not be read (it then counts as 0). */
  score?: number;
  /** What the score is based on, e.g. "9 of the last 10 runs passed". */
  detail: string;
  url?: string;
}

export interface ReadinessScore {
  /** Weighted score 0–100, one decimal. */
  score: number;
  band: ReadinessBand;
  /** The minimum score to ship (config `lexecon.approvals.readinessGate`). */
  gate: number;
  /** At or above the gate with every input read: a missing input never passes. */
  passesGate: boolean;
  inputs: ReadinessInput[];
  /** The inputs that keep the release from the gate: missing, or scoring below it. */
  failing: ReadinessInputKey[];
}

/** Shortest written reason accepted for approving a release that does not pass the readiness gate. */
export const OVERRIDE_REASON_MIN_LENGTH = 20;

/** A waiting run against the readiness gate, and whether the viewer may approve past it. */
export interface ReadinessGateStatus {
  passes: boolean;
  /** Approving needs `override: { reason }` in the decision body. */
  overrideRequired: boolean;
  /** The viewer is a member of one of `lexecon.approvals.overrideGroups`. */
  viewerCanOverride: boolean;
  /** The groups whose members may override, as entity refs. */
  overrideGroups: string[];
}

/**
 * Why an approval went past a rule of the gate:
 * - `sod`: approved (in GitHub) by someone segregation of duties excludes;
 * - `change-set-unknown`: approved (in GitHub) while the portal could not tell who changed what;
 * - `readiness`: approved (in GitHub) below the readiness gate, with no reason given;
 * - `readiness-override`: approved through the portal below the gate, with a written reason.
 */
export type GateExceptionKind =
  | 'sod'
  | 'change-set-unknown'
  | 'readiness'
  | 'readiness-override';

export const GATE_EXCEPTION_LABELS: Record<GateExceptionKind, string> = {
  sod: 'SoD exception',
  'change-set-unknown': 'change set unknown',
  readiness: 'below the readiness gate',
  'readiness-override': 'readiness gate overridden',
};

/** One approval that went past the gate, as the audit trail recorded it. */
export interface GateException {
  kind: GateExceptionKind;
  /** Who approved: an entity ref, or `github:<login>` for a review made in GitHub. */
  by: string;
  at: string;
  /** In words, e.g. "approved in GitHub by jordan-lee, who authored a commit in it: SoD exception". */
  message: string;
  /** The audit record that holds it. */
  auditId: number;
  /** With `readiness-override`: the reason the approver wrote. */
  reason?: string;
  score?: number;
  gate?: number;
  failingInputs?: ReadinessInputKey[];
}

export interface CheckSummary {
  name: string;
  /** success, failure, neutral, cancelled, skipped, timed_out, action_required, or pending. */
  conclusion: string;
  url?: string;
  summary?: string;
}

export interface CiResult {
  /** Overall result for the commit: success only when every check succeeded. */
  conclusion: 'success' | 'failure' | 'pending' | 'unknown';
  checks: CheckSummary[];
}

export interface StagingContext {
  /** True when the version waiting for production is the one live on staging. */
  isLiveOnStaging: boolean;
  /** The version live on staging. */
  liveVersion?: string;
  /** When the waiting commit was deployed to staging. */
  deployedAt?: string;
  /** Seconds the waiting commit has been on staging. */
  onStagingSeconds?: number;
  /** Result of the staging deploy of this commit. */
  result?: string;
  health: 'healthy' | 'failing' | 'unknown';
  detail: string;
}

export interface PullRequestSummary {
  number: number;
  title: string;
  author?: Person;
  /** Who merged it, for a merged pull request. */
  mergedBy?: Person;
  htmlUrl?: string;
}

export interface ChangeSet {
  /** What is live in the environment now; absent for a first deploy. */
  base?: { sha: string; version: string };
  commits: ChangelogCommit[];
  totalCommits: number;
  pullRequests: PullRequestSummary[];
  /**
   * Logins of everyone who had a hand in the change set: commit authors, committers and
   * co-authors, and the authors and mergers of its pull requests.
   */
  authors: string[];
  compareUrl?: string;
  /**
   * Why the portal could not read all of it (a paging bound, a failed lookup); segregation of
   * duties then refuses every decision.
   */
  incomplete?: string;
}

export interface RequiredReviewer {
  type: 'User' | 'Team';
  /** Login for users, slug for teams. */
  name: string;
  htmlUrl?: string;
}

export type IneligibilityCode =
  | 'missing-permission'
  | 'not-reviewer'
  | 'triggered-run'
  | 'own-change'
  | 'no-github-identity'
  /** The change set could not be read, so segregation of duties cannot be checked. */
  | 'change-set-unknown'
  /** Part of the change set could not be read. */
  | 'change-set-truncated'
  /** A commit names an author, committer or co-author with no linked GitHub account. */
  | 'unlinked-author';

export interface Ineligibility {
  code: IneligibilityCode;
  message: string;
  /** With `missing-permission`: the permission's name. */
  permission?: string;
}

/** Whether the person looking may decide, and if not, every reason why not. */
export interface ViewerEligibility {
  canDecide: boolean;
  /** The viewer's GitHub login, from the catalog user's `github.com/user-login` annotation. */
  githubLogin?: string;
  reasons: Ineligibility[];
  /** In `github-reviewers` mode the frontend must send the user's GitHub token. */
  needsGithubToken: boolean;
}

export interface PendingApproval {
  /** `<runId>:<environment>`. */
  id: string;
  entityRef: string;
  entityTitle?: string;
  repository: { slug: string; htmlUrl?: string };
  runId: number;
  runUrl?: string;
  workflowName?: string;
  environment: string;
  environmentId?: number;
  environmentUrl?: string;
  mode: ApprovalMode;
  version: string;
  sha: string;
  shortSha: string;
  commitTitle?: string;
  requestedBy?: Person;
  waitingSince: string;
  /** Minutes of the environment's wait timer, when it has one. */
  waitTimerMinutes?: number;
  /** When the wait timer lets the deploy proceed (after approval). */
  waitTimerEndsAt?: string;
  /** GitHub fails jobs that wait for a review longer than 30 days. */
  expiresAt: string;
  requiredReviewers: RequiredReviewer[];
  /** Segregation of duties applies: whoever triggered the run or authored a change may not decide. */
  segregationOfDuties: boolean;
  changeSet?: ChangeSet;
  ci?: CiResult;
  staging?: StagingContext;
  readiness?: ReadinessScore;
  /** The readiness gate as it applies to this run and this viewer. */
  gate: ReadinessGateStatus;
  viewer: ViewerEligibility;
  /** Problems reading part of the context; the rest is still shown. */
  warnings: string[];
}

export interface ApprovalsInbox {
  items: PendingApproval[];
  /** State of the snapshots the inbox was built from, per entity and source. */
  sources: Array<SourceState & { entityRef: string }>;
  generatedAt: string;
}

export const decisionBodySchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    comment: z
      .string()
      .trim()
      .min(1, 'is required: say why you approve or reject')
      .max(1000),
    /** The version the person saw in the confirmation; a mismatch means the run changed. */
    expectedSha: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/, 'must be a commit sha')
      .optional(),
    /** Approving a release that does not pass the readiness gate, with why. */
    override: z
      .object({
        reason: z
          .string()
          .trim()
          .min(
            OVERRIDE_REASON_MIN_LENGTH,
            `must be at least ${OVERRIDE_REASON_MIN_LENGTH} characters: say why this release ships below the readiness gate`,
          )
          .max(1000),
      })
      .strict()
      .optional(),
  })
  .strict();

export type DecisionBody = z.infer<typeof decisionBodySchema>;

/**
 * A whole number from `min` up to 2^53 - 1, the largest JavaScript (and so JSON) holds exactly:
 * anything larger (`1e21`) is a 400 naming the field, not a database error.
 */
const safeWholeNumber = (min: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(Number.MAX_SAFE_INTEGER, `must be at most ${Number.MAX_SAFE_INTEGER}`);

export const approvalParamsSchema = z.object({
  runId: safeWholeNumber(1),
  environment: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[A-Za-z0-9._-]+$/, 'must be an environment name'),
});

/** The answer to a decision GitHub accepted. */
export interface DecisionResult {
  decision: ApprovalDecision;
  runId: number;
  environment: string;
  version: string;
  decidedBy: string;
  githubLogin?: string;
  decidedAt: string;
  mode: ApprovalMode;
  auditId: number;
}

/** Body of a 409: the decision someone else already took, or what happened to the run. */
export interface ConflictDetails {
  reason:
    | 'already-decided'
    | 'in-progress'
    | 'no-longer-waiting'
    | 'below-readiness-gate';
  decision?: ApprovalDecision;
  decidedBy?: string;
  decidedAt?: string;
  runStatus?: string;
  /** With `below-readiness-gate`: the score, the gate and the inputs that fail it. */
  readiness?: { score: number; gate: number; failing: ReadinessInputKey[] };
}

export type AuditAction =
  | 'decision'
  | 'refused'
  | 'upstream-error'
  | 'github-review'
  | 'protection-rule-requested'
  | 'run-completed'
  /** Someone asked the portal to refresh an entity's data from upstream now. */
  | 'refresh-requested'
  /** An approval went past SoD or the readiness gate (details.exception: a GateException). */
  | 'gate-exception'
  /**
   * A decision took over the claim of one left unfinished past `claimExpiry` (its replica stopped
   * mid-request), before anything went to GitHub; details.abandonedClaim names the holder.
   */
  | 'claim-recovered'
  /**
   * The review of an abandoned decision had reached GitHub: recorded as its holder's decision
   * (the record's actor), with nothing sent again.
   */
  | 'decision-reconciled'
  /**
   * Someone acknowledged a cost anomaly (details: anomaly, reason, comment, and `forwarding`:
   * whether AWS's anomaly feedback was sent or failed).
   */
  | 'cost-anomaly-acknowledged'
  /** An owner attached a document or record to an evidence item (details: file, SHA-256, date). */
  | 'evidence-attached'
  /** An owner marked an evidence item not applicable (details.reason). */
  | 'evidence-marked-not-applicable'
  /** An owner withdrew an item's not-applicable mark (details: the reason withdrawn). */
  | 'evidence-not-applicable-withdrawn'
  /** An owner added to a GDPR register (details: register, id and the fields entered). */
  | 'gdpr-register-created'
  /** An owner changed an entry of a GDPR register (details: register, id, before and after). */
  | 'gdpr-register-updated'
  /**
   * Someone took an evidence package (details: window, seed, services, External-Identifier,
   * Payload-Oxum, the tag manifest's SHA-256 and signing key, and whether it was written whole).
   */
  | 'evidence-package-generated';

/** A decision claim whose holder never finished: who held it, and since when. */
export type AbandonedClaim = {
  actor: string;
  githubLogin?: string;
  startedAt: string;
};

/**
 * One row of the append-only, hash-chained audit trail: `{action, actor, subject, details, at}`.
 * The fields after `actor` up to `mode` are lifted from `details` for approval records, so the
 * trail's columns read the same for every version of the record.
 */
export interface AuditRecord {
  id: number;
  at: string;
  action: AuditAction;
  /** Backstage entity ref of the person, or `github:<login>` for reviews made in GitHub. */
  actor: string;
  /** What the record is about: `owner/repo#runId/environment` for approvals, else an entity ref. */
  subject: string;
  /** The record's content as it was hashed (JSON object). */
  details: Record<string, unknown>;
  githubLogin?: string;
  entityRef?: string;
  repository?: string;
  runId?: number;
  environment?: string;
  version?: string;
  decision?: ApprovalDecision;
  comment?: string;
  /** What upstream answered, or why the portal refused. */
  outcome: string;
  upstreamStatus?: number;
  mode?: ApprovalMode;
  /** With `gate-exception`: what went past the gate. */
  exception?: GateException;
  /** With `claim-recovered` and `decision-reconciled`: the claim left unfinished. */
  abandonedClaim?: AbandonedClaim;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  items: AuditRecord[];
  nextCursor?: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /**
   * The first record whose hash or link does not match; without `id` when records the pinned
   * head counts are missing at the end of the trail.
   */
  firstBroken?: { id?: number; reason: string };
  headHash?: string;
}

/** The latest record of the trail, for an operator to pin outside the portal's database. */
export interface AuditHead {
  /** The latest record's hash; 64 zeros when the trail is empty. */
  hash: string;
  /** How many records the chain holds up to and including that one. */
  count: number;
  /** When the latest record was made; absent when the trail is empty. */
  at?: string;
}

/** A pinned head given to verify (`?hash=&count=` or the POST body): both or neither. */
export const auditPinSchema = z
  .object({
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be a hash from /audit/head')
      .optional(),
    count: safeWholeNumber(0).optional(),
  })
  .strict()
  .refine(pin => (pin.hash === undefined) === (pin.count === undefined), {
    message: 'must be given together with hash',
    path: ['count'],
  });

export type AuditPin = z.infer<typeof auditPinSchema>;

export const auditQuerySchema = z
  .object({
    entityRef: z.string().min(1).max(400).optional(),
    from: z
      .string()
      .datetime({ message: 'must be an ISO 8601 time' })
      .optional(),
    to: z.string().datetime({ message: 'must be an ISO 8601 time' }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'is not a cursor this API returned')
      .optional(),
  })
  .strict();

export type AuditQuery = z.infer<typeof auditQuerySchema>;
