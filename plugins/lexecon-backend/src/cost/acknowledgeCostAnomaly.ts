import {
  AwsAnomalyFeedback,
  CostAcknowledgement,
  CostAcknowledgementForwarding,
  CostAcknowledgementReason,
  CostAcknowledgementResult,
} from '@internal/plugin-lexecon-common';
import { NotFoundError } from '@backstage/errors';
import { AuditLog } from '../audit/AuditLog';
import { costAnomalyAcknowledged } from '../audit/auditEvents';
import { costAnomalies } from './anomalies';
import { AwsCostInsightStore } from './AwsCostInsightStore';
import { CostAcknowledgementStore } from './CostAcknowledgementStore';
import { CostFactStore } from './CostFactStore';
import { costWindow, dayOf } from './planCostFetch';

/** What AWS's feedback calls each reason: a real problem (YES), none (NO), or planned. */
export const AWS_FEEDBACK: Record<
  CostAcknowledgementReason,
  AwsAnomalyFeedback
> = {
  expected: 'PLANNED_ACTIVITY',
  seasonal: 'PLANNED_ACTIVITY',
  migration: 'PLANNED_ACTIVITY',
  resolved: 'YES',
  'not-applicable': 'NO',
};

/** Sends AWS's anomaly feedback (Cost Explorer's `ProvideAnomalyFeedback`). */
export type AwsFeedbackSender = (
  anomalyId: string,
  feedback: AwsAnomalyFeedback,
) => Promise<void>;

export interface CostAcknowledgementDeps {
  facts: CostFactStore;
  insights: AwsCostInsightStore;
  acknowledgements: CostAcknowledgementStore;
  audit: AuditLog;
  /** Absent when Cost Explorer is not configured. */
  sendAwsFeedback?: AwsFeedbackSender;
  now?: () => Date;
}

/**
 * A person acknowledges one of the entity's anomalies (AWS's or the portal's own): stored first,
 * so nothing is lost if AWS fails; then, for AWS's, the feedback is sent; then audited with what
 * AWS answered. 404 for an anomaly the entity's stored costs do not show.
 */
export async function acknowledgeCostAnomaly(
  deps: CostAcknowledgementDeps,
  request: {
    entityRef: string;
    anomalyId: string;
    reason: CostAcknowledgementReason;
    comment?: string;
    actor: string;
  },
): Promise<CostAcknowledgementResult> {
  const { entityRef, anomalyId } = request;
  const now = deps.now?.() ?? new Date();
  const [awsAnomalies, facts] = await Promise.all([
    deps.insights.anomalies(entityRef),
    deps.facts.facts(entityRef, costWindow(dayOf(now.getTime())).from),
  ]);
  const anomaly = costAnomalies(facts, { awsAnomalies }).find(
    a => a.id === anomalyId,
  );
  if (!anomaly) {
    throw new NotFoundError(
      `No cost anomaly ${anomalyId} among the stored costs of ${entityRef}`,
    );
  }
  const acknowledgement: CostAcknowledgement = {
    anomalyId,
    reason: request.reason,
    ...(request.comment && { comment: request.comment }),
    by: request.actor,
    at: now.toISOString(),
  };
  const feedback = AWS_FEEDBACK[request.reason];
  const stored = await deps.acknowledgements.add(
    entityRef,
    acknowledgement,
    anomaly.source === 'aws'
      ? { to: 'aws', feedback, outcome: 'pending' }
      : { to: 'none' },
  );
  let forwarding: CostAcknowledgementForwarding = stored.forwarding;
  if (forwarding.to === 'aws') {
    forwarding = await forward(deps, entityRef, anomalyId, feedback);
    await deps.acknowledgements.setForwarding(stored.id, forwarding);
  }
  await deps.audit.append(
    costAnomalyAcknowledged({
      entityRef,
      anomaly,
      acknowledgement,
      forwarding,
    }),
  );
  return { acknowledgement, forwarding };
}

async function forward(
  deps: CostAcknowledgementDeps,
  entityRef: string,
  anomalyId: string,
  feedback: AwsAnomalyFeedback,
): Promise<CostAcknowledgementForwarding> {
  if (!deps.sendAwsFeedback) {
    return {
      to: 'aws',
      feedback,
      outcome: 'failed',
      message:
        'AWS Cost Explorer is not configured (lexecon.aws.costExplorer): the feedback was not sent',
    };
  }
  try {
    await deps.sendAwsFeedback(anomalyId, feedback);
  } catch (error) {
    return {
      to: 'aws',
      feedback,
      outcome: 'failed',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  await deps.insights.setFeedback(entityRef, anomalyId, feedback);
  return { to: 'aws', feedback, outcome: 'sent' };
}
