import {
  EvidenceItem,
  EvidenceObservation,
  EvidenceStatus,
} from '@internal/plugin-lexecon-common';
import { dueSoonLeadMs, freshnessAt } from './freshness';
import { RULE_CHECKS, RuleCheck } from './ruleChecks';

export interface ItemEvaluation {
  status: EvidenceStatus;
  reason: string;
  /** The observation judged: the newest collected at or before the evaluation time. */
  observation?: EvidenceObservation;
}

export interface EvaluationOptions {
  /** The instant the evidence is judged at: never read from a clock here. */
  now: Date;
  /** `lexecon.evidence.dueSoonLead`, capped per item by dueSoonLeadMs. */
  dueSoonLeadMs: number;
  /** Rule checks by id; the portal's own by default. */
  rules?: Record<string, RuleCheck>;
}

const validDate = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
};

/**
 * One item's status at `now` from its observations (of one entity, or org-wide):
 * - none collected by then: missing;
 * - a rule nobody implements, or dates that do not parse: failing, with why;
 * - otherwise the rule's verdict on the newest observation; a passing verdict is then held to
 *   its freshness: due soon within the lead before it expires, overdue once it has expired.
 *   A failing verdict stays failing (an expiry must not hide a failure).
 */
export function evaluateItem(
  item: EvidenceItem,
  observations: readonly EvidenceObservation[],
  options: EvaluationOptions,
): ItemEvaluation {
  const { now } = options;
  const newest = observations
    .filter(o => o.itemId === item.id)
    .filter(o => (validDate(o.collected)?.getTime() ?? 0) <= now.getTime())
    .sort((a, b) => Date.parse(b.collected) - Date.parse(a.collected))[0];
  if (!newest) {
    return {
      status: 'missing',
      reason: `Never collected (${item.source}, ${item.cadence})`,
    };
  }
  const check = (options.rules ?? RULE_CHECKS)[item.rule];
  if (!check) {
    return {
      status: 'failing',
      reason: `No rule '${item.rule}' is known to the portal, so this evidence cannot be evaluated`,
      observation: newest,
    };
  }
  const collected = validDate(newest.collected);
  const expires = validDate(newest.expires);
  if (!collected || !expires || expires < collected) {
    return {
      status: 'failing',
      reason: `The observation's collected (${newest.collected}) or expiry (${newest.expires}) date is not valid`,
      observation: newest,
    };
  }
  const verdict = check(newest);
  if (verdict.status !== 'passing') return { ...verdict, observation: newest };
  const lead = dueSoonLeadMs(item.cadence, options.dueSoonLeadMs, collected);
  switch (freshnessAt(now, expires, lead)) {
    case 'overdue':
      return {
        status: 'overdue',
        reason: `Expired ${newest.expires}; collect it again (${item.cadence})`,
        observation: newest,
      };
    case 'due-soon':
      return {
        status: 'due-soon',
        reason: `${verdict.reason}; expires ${newest.expires}`,
        observation: newest,
      };
    default:
      return { ...verdict, observation: newest };
  }
}

/** Worst first: what a control with several items shows. */
const SEVERITY: EvidenceStatus[] = [
  'failing',
  'overdue',
  'missing',
  'due-soon',
  'passing',
  'not-applicable',
];

/**
 * A control's status from its items' statuses: the worst of them, so that one failing item fails
 * the control; not applicable only when every item is.
 */
export function controlStatus(
  statuses: readonly EvidenceStatus[],
): EvidenceStatus {
  if (!statuses.length) return 'missing';
  return SEVERITY.find(s => statuses.includes(s)) ?? 'failing';
}
