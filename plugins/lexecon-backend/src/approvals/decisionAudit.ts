import { AuditorService } from '@backstage/backend-plugin-api';
import {
  AbandonedClaim,
  ApprovalMode,
  DecisionBody,
} from '@internal/plugin-lexecon-common';
import type { Request } from 'express';
import { NotAllowedError } from '@backstage/errors';
import { AuditEntry, AuditLog } from '../audit/AuditLog';
import {
  describeGithubWriteError,
  githubStatusOf,
} from '../sources/github/describeGithubError';
import type { DecisionRow } from './DecisionStore';
import { ApprovalHttpError } from './errors';
import type { GateReview } from './GithubReviewGateway';
import { GateExceptionDetails } from './readinessGate';

/**
 * The audit of one decision attempt: Backstage's auditor event and a record in the portal's
 * hash-chained trail, written whatever the outcome and before the answer goes out.
 */
export interface DecisionAudit {
  /** The version the run deploys, once known: every later record carries it. */
  version?: string;
  /**
   * Records a refusal (the default) or a failure of GitHub, and returns the error to throw.
   */
  fail(
    error: Error,
    options?: {
      action?: 'refused' | 'upstream-error';
      upstreamStatus?: number;
    },
  ): Promise<Error>;
  /** Records a failed GitHub call as GitHub's failure, and returns the error worded for the person. */
  failUpstream(error: unknown): Promise<Error>;
  /** Records the decision GitHub accepted; resolves to the trail record's id. */
  succeed(args: {
    at: Date;
    outcome: string;
    upstreamStatus: number;
  }): Promise<number>;
  /** Records that the accepted decision went past the gate; resolves to the record's id. */
  exception(at: Date, exception: GateExceptionDetails): Promise<number>;
  /** Records that this attempt took over a claim left unfinished, before any GitHub call. */
  recovered(abandoned: DecisionRow): Promise<void>;
  /** Records the abandoned attempt's review found in GitHub as its holder's decision. */
  reconciled(
    abandoned: DecisionRow,
    review: GateReview,
    at: Date,
  ): Promise<void>;
}

/** `user:default/jordan-lee (@jordan-lee)`: the person and the account GitHub knows them by. */
export const holderOf = (row: { actor: string; githubLogin?: string }) =>
  row.githubLogin ? `${row.actor} (@${row.githubLogin})` : row.actor;

const abandonedClaimOf = (row: DecisionRow): AbandonedClaim => ({
  actor: row.actor,
  githubLogin: row.githubLogin,
  startedAt: row.startedAt,
});

export async function openDecisionAudit(
  services: { audit: AuditLog; auditor: AuditorService },
  attempt: {
    request: Request;
    actor?: string;
    githubLogin?: string;
    entityRef: string;
    repository: string;
    runId: number;
    environment: string;
    body: DecisionBody;
    mode: ApprovalMode;
    timeoutMs: number;
  },
): Promise<DecisionAudit> {
  const { entityRef, repository, runId, environment, body, mode } = attempt;
  const base: AuditEntry = {
    action: 'refused',
    actor: attempt.actor ?? 'unknown',
    githubLogin: attempt.githubLogin,
    entityRef,
    repository,
    runId,
    environment,
    decision: body.decision,
    comment: body.comment,
    outcome: '',
    mode,
  };
  const event = await services.auditor.createEvent({
    eventId: 'deployment-decision',
    severityLevel: 'high',
    request: attempt.request,
    meta: {
      entityRef,
      repository,
      runId,
      environment,
      decision: body.decision,
      mode,
    },
  });
  const audit: DecisionAudit = {
    async fail(error, options = {}) {
      const action = options.action ?? 'refused';
      await services.audit.append({
        ...base,
        // A refusal holds the portal's words only: whoever is refused cannot write into the trail.
        comment: action === 'refused' ? undefined : base.comment,
        action,
        version: audit.version,
        outcome: error.message,
        upstreamStatus: options.upstreamStatus,
      });
      await event.fail({ error });
      return error;
    },
    failUpstream(error) {
      const worded =
        error instanceof ApprovalHttpError || error instanceof NotAllowedError
          ? error
          : describeGithubWriteError(error, {
              runId,
              environment,
              timeoutMs: attempt.timeoutMs,
            });
      return audit.fail(worded, {
        action: 'upstream-error',
        upstreamStatus: githubStatusOf(error),
      });
    },
    async succeed({ at, outcome, upstreamStatus }) {
      const record = await services.audit.append({
        ...base,
        action: 'decision',
        at: at.toISOString(),
        version: audit.version,
        outcome,
        upstreamStatus,
      });
      await event.success({ meta: { auditId: record?.id ?? null } });
      return record?.id ?? 0;
    },
    async exception(at, exception) {
      const record = await services.audit.append({
        ...base,
        action: 'gate-exception',
        at: at.toISOString(),
        version: audit.version,
        outcome: exception.message,
        exception,
      });
      return record?.id ?? 0;
    },
    async recovered(abandoned) {
      await services.audit.append({
        ...base,
        action: 'claim-recovered',
        version: audit.version,
        outcome: `Took over the decision ${holderOf(abandoned)} started at ${
          abandoned.startedAt
        } and never finished (its claim expired), before anything was sent to GitHub`,
        abandonedClaim: abandonedClaimOf(abandoned),
      });
    },
    async reconciled(abandoned, review, at) {
      await services.audit.append({
        ...base,
        action: 'decision-reconciled',
        actor: abandoned.actor,
        githubLogin: abandoned.githubLogin,
        decision: review.state,
        comment: undefined,
        at: at.toISOString(),
        version: audit.version,
        outcome: `The decision ${holderOf(abandoned)} started at ${
          abandoned.startedAt
        } was interrupted, but its review reached GitHub: ${review.state} by ${
          review.login
        }. Recorded as theirs; nothing was sent again`,
        abandonedClaim: abandonedClaimOf(abandoned),
      });
    },
  };
  return audit;
}
