import { ConflictDetails } from '@internal/plugin-lexecon-common';
import type { DecisionRow } from './DecisionStore';
import type { GateReview } from './GithubReviewGateway';

/**
 * An error answered with a specific status and a message written for people. Used where
 * Backstage's error classes have no matching status (422, 502, 504) or a body needs details.
 */
export class ApprovalHttpError extends Error {
  constructor(
    readonly statusCode: number,
    name: string,
    message: string,
    readonly conflict?: ConflictDetails,
  ) {
    super(message);
    this.name = name;
  }
}

export const conflict = (message: string, details: ConflictDetails) =>
  new ApprovalHttpError(409, 'ConflictError', message, details);

/** The 409 for a run someone else is deciding, or has decided, through the portal. */
export function decisionConflict(other: DecisionRow): ApprovalHttpError {
  if (other.state === 'in-progress') {
    return conflict(
      `${other.actor} is deciding on this deploy right now (since ${other.startedAt})`,
      { reason: 'in-progress', decidedBy: other.actor },
    );
  }
  return conflict(
    `This deploy was already ${other.state} by ${other.actor} at ${other.decidedAt}`,
    {
      reason: 'already-decided',
      decision: other.state,
      decidedBy: other.actor,
      decidedAt: other.decidedAt,
    },
  );
}

/** The 409 for a run whose abandoned decision turned out to have reached GitHub. */
export function abandonedDecisionConflict(
  abandoned: DecisionRow,
  review: GateReview,
  decidedAt: string,
): ApprovalHttpError {
  return conflict(
    `This deploy was already ${review.state} by ${abandoned.actor}: their decision, started at ${abandoned.startedAt}, was interrupted before the portal recorded it, but GitHub has their review (by ${review.login}). Nothing was sent again`,
    {
      reason: 'already-decided',
      decision: review.state,
      decidedBy: abandoned.actor,
      decidedAt,
    },
  );
}
