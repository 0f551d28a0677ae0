import {
  EVIDENCE_STATUSES,
  EvidenceObservation,
  EvidenceStatus,
} from '@internal/plugin-lexecon-common';

export interface RuleVerdict {
  status: EvidenceStatus;
  reason: string;
}

/** Re-judges a stored observation when it is read: what it says, held to the rule's facts. */
export type RuleCheck = (observation: EvidenceObservation) => RuleVerdict;

/**
 * The status the source recorded, failing closed: a status the portal does not know, a
 * not-applicable without a reason, or a verdict without a reason is failing.
 */
export const observed: RuleCheck = ({ status, reason }) => {
  if (!EVIDENCE_STATUSES.includes(status)) {
    return {
      status: 'failing',
      reason: `The source recorded an unknown status '${status}'`,
    };
  }
  if (!reason?.trim()) {
    return {
      status: 'failing',
      reason:
        status === 'not-applicable'
          ? 'Marked not applicable without a reason'
          : 'The source recorded no reason for its verdict',
    };
  }
  return { status, reason };
};

const count = (facts: Record<string, unknown>, key: string) => {
  const value = facts[key];
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
};

/**
 * CC8.1's change population: a deploy approved by an author of its change, after it started, or
 * not at all, or any gate exception, fails the control whatever the stored status says; so does
 * a population whose counts are missing.
 */
const changePopulation: RuleCheck = observation => {
  const { facts } = observation;
  const unread = facts.unread;
  if (Array.isArray(unread) && unread.length) {
    return {
      status: 'failing',
      reason: `The change population is unknown: ${unread.join(
        ' and ',
      )} not read yet`,
    };
  }
  const exceptions = count(facts, 'exceptionCount');
  const deploys = count(facts, 'deployCount');
  if (exceptions === undefined || deploys === undefined) {
    return {
      status: 'failing',
      reason: 'The change population has no deploy or exception count',
    };
  }
  if (exceptions > 0 && observation.status !== 'failing') {
    return {
      status: 'failing',
      reason: `${exceptions} of ${deploys} production deploys are exceptions`,
    };
  }
  return observed(observation);
};

/** The audit chain passes only when its verification said ok. */
const auditChain: RuleCheck = observation => {
  if (observation.facts.ok !== true && observation.status !== 'failing') {
    return {
      status: 'failing',
      reason: 'The audit chain verification did not report ok',
    };
  }
  return observed(observation);
};

/**
 * Every rule the catalog may name. A rule not listed here cannot be evaluated, so its items
 * fail (see evaluateItem); sources that judge their own evidence use `observed`.
 */
export const RULE_CHECKS: Record<string, RuleCheck> = {
  'change-population': changePopulation,
  'audit-chain': auditChain,
  'flag-changes': observed,
  'incident-resolution': observed,
  'sla-availability': observed,
  'document-current': observed,
  'github-branch-protection': observed,
  'github-environment-reviewers': observed,
  'github-admin-count': observed,
  'github-vulnerability-sla': observed,
  'github-policy-review': observed,
  'dsr-deadlines': observed,
  'records-of-processing': observed,
  'breach-notification': observed,
};
