import { ApprovalDecision } from './approvals';
import { sectionSources, SourceId } from './sources';

/**
 * Live updates: the backend publishes a Backstage signal when data it stores changed, and open
 * pages load that data again through their usual, permission-checked routes. A message only says
 * what changed (kind, entity ref, run), never the data itself: anyone signed in can subscribe to
 * any channel.
 */

/** The approvals inbox: runs started or stopped waiting, or were decided in the portal. */
export const LIVE_APPROVALS_CHANNEL = 'lexecon:approvals';
/** The on-call board: a snapshot it is built from changed. */
export const LIVE_ONCALL_CHANNEL = 'lexecon:oncall';

/** One entity's Release & Compliance tab: any of its snapshots changed. */
export function liveEntityChannel(entityRef: string): string {
  return `lexecon:entity:${entityRef}`;
}

/** The sources the on-call board reads: deploys and flags for its timeline, SLA and health. */
export const ONCALL_SOURCES: readonly SourceId[] = sectionSources([
  'deployments',
  'flags',
  'sla',
  'health',
]);

/** A refresh stored data of `source` for the entity that differs from what was stored. */
export type SnapshotChangedMessage = {
  kind: 'snapshot-changed';
  entityRef: string;
  source: SourceId;
};

/** The entity's waiting runs changed; `stoppedWaiting` left the list (decided, expired, cancelled). */
export type WaitingRunsChangedMessage = {
  kind: 'waiting-runs-changed';
  entityRef: string;
  stoppedWaiting: Array<{ runId: number; environment: string }>;
};

/** Someone decided a run through the portal. */
export type RunDecidedMessage = {
  kind: 'run-decided';
  entityRef: string;
  runId: number;
  environment: string;
  decision: ApprovalDecision;
};

export type LiveApprovalsMessage =
  | WaitingRunsChangedMessage
  | RunDecidedMessage;

/** Anything published on a Lexecon channel. */
export type LiveMessage = SnapshotChangedMessage | LiveApprovalsMessage;

/**
 * How the run stopped waiting for `environment`, if the message tells it did: the decision when
 * it was made in the portal, 'no-longer-waiting' when GitHub stopped listing it.
 */
export function runStoppedWaiting(
  message: LiveApprovalsMessage,
  run: { entityRef: string; runId: number; environment: string },
): ApprovalDecision | 'no-longer-waiting' | undefined {
  if (message.entityRef !== run.entityRef) return undefined;
  if (message.kind === 'run-decided') {
    return message.runId === run.runId &&
      message.environment === run.environment
      ? message.decision
      : undefined;
  }
  return message.stoppedWaiting.some(
    s => s.runId === run.runId && s.environment === run.environment,
  )
    ? 'no-longer-waiting'
    : undefined;
}
