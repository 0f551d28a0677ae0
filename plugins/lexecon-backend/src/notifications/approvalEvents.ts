import { ApprovalDecision } from '@internal/plugin-lexecon-common';
import { computeReadiness } from '../approvals/readiness';
import {
  GithubApprovalsSnapshot,
  GithubPendingRun,
} from '../sources/github/types';
import { DetectedEvent, entityName, links } from './detectedEvent';

/** GitHub fails a job that waits for a review longer than this. */
const REVIEW_EXPIRY_MS = 30 * 86_400_000;

const runId = (run: GithubPendingRun) => `${run.runId}:${run.environment}`;

export const waitingKey = (slug: string, run: GithubPendingRun) =>
  `run-waiting:${slug}:${runId(run)}`;

/** Runs waiting in the previous snapshot that no longer wait: decided, or expired. */
export function runsNoLongerWaiting(
  previous: GithubApprovalsSnapshot | undefined,
  current: GithubApprovalsSnapshot,
): GithubPendingRun[] {
  const still = new Set(current.pending.map(runId));
  return (previous?.pending ?? []).filter(run => !still.has(runId(run)));
}

/** A decision the portal recorded, by `runId:environment`. */
export interface RecordedDecision {
  state: ApprovalDecision | 'in-progress';
  actor: string;
}

/**
 * Approval events of a new approvals snapshot: each waiting run (for its approvers, and for the
 * owning team when its readiness is below the gate), and each run that stopped waiting (for
 * whoever was told it waited). A waiting run is an event whether or not the previous snapshot
 * had it: its key makes it sent once, and a run first seen after a restart still reaches people.
 */
export function approvalEvents(input: {
  entityRef: string;
  previous?: GithubApprovalsSnapshot;
  current: GithubApprovalsSnapshot;
  readinessGate: number;
  decisions: Record<string, RecordedDecision>;
  now: Date;
}): DetectedEvent[] {
  const { entityRef, current } = input;
  const slug = current.repository.slug;
  const service = entityName(entityRef);
  const events: DetectedEvent[] = [];
  for (const run of current.pending) {
    const version = run.tag ?? run.headSha.slice(0, 7);
    const scope = `run:${slug}:${runId(run)}`;
    events.push({
      kind: 'run-waiting',
      key: waitingKey(slug, run),
      audience: { type: 'approvers', run, teams: current.teams },
      payload: {
        title: `${service} ${version} waits for your approval to ${run.environment}`,
        description: `${run.workflowName} run ${run.runId}${
          run.commitTitle ? ` (${run.commitTitle})` : ''
        }, requested by ${run.triggeringActor?.login ?? 'unknown'}.`,
        link: links.inboxEntry(run),
        scope,
      },
    });
    const readiness = computeReadiness(run.readiness, input.readinessGate);
    if (!readiness.passesGate) {
      events.push({
        kind: 'readiness-below-gate',
        key: `readiness-below-gate:${slug}:${runId(run)}`,
        audience: { type: 'owner' },
        payload: {
          title: `${service} ${version}: readiness ${readiness.score} is below the gate of ${readiness.gate}`,
          description: `Keeping it from the gate: ${readiness.failing.join(
            ', ',
          )}. It waits for approval to ${run.environment}.`,
          link: links.entityTab(entityRef),
        },
      });
    }
  }
  for (const run of runsNoLongerWaiting(input.previous, current)) {
    const version = run.tag ?? run.headSha.slice(0, 7);
    const decision = input.decisions[runId(run)];
    const expired =
      input.now.getTime() - Date.parse(run.waitingSince) >= REVIEW_EXPIRY_MS;
    let outcome = 'was decided in GitHub';
    if (decision && decision.state !== 'in-progress') {
      outcome = `was ${decision.state} by ${decision.actor}`;
    } else if (expired) {
      outcome = 'expired: nobody decided within 30 days';
    }
    events.push({
      kind: 'run-decided',
      key: `run-decided:${slug}:${runId(run)}`,
      audience: { type: 'told-of', key: waitingKey(slug, run) },
      payload: {
        title: `${service} ${version} to ${run.environment} ${outcome}`,
        description: `${run.workflowName} run ${run.runId} no longer waits for approval.`,
        link: links.inboxEntry(run),
        scope: `run:${slug}:${runId(run)}`,
      },
    });
  }
  return events;
}
