import {
  ChangePopulationRow,
  DeploymentRecord,
  GATE_EXCEPTION_LABELS,
} from '@internal/plugin-lexecon-common';

/**
 * What the portal saw of a run while it waited for production (from the approvals snapshot),
 * kept because the snapshot holds waiting runs only.
 */
export interface RunContext {
  runId: number;
  /** Logins with a hand in the change set; undefined when it was never read in full. */
  authors?: string[];
  commitCount?: number;
  ciConclusion?: string;
  readinessScore?: number;
  readinessGate?: number;
}

/** An approval the portal sent itself, from its audit trail (with its time). */
export interface PortalDecision {
  runId: number;
  environment: string;
  githubLogin?: string;
  actor: string;
  at: string;
}

/** One production deploy of the population, with what CC8.1 asks of it. */
export type ChangeRow = ChangePopulationRow;

const lower = (login?: string) => login?.toLowerCase();

function approvalOf(
  record: DeploymentRecord,
  decisions: readonly PortalDecision[],
) {
  const portal = decisions.find(
    d => d.runId === record.runId && d.environment === record.environment,
  );
  if (portal) {
    return {
      approver: portal.githubLogin ?? portal.actor,
      approvedAt: portal.at,
      approvalTimeSource: 'portal-audit' as const,
    };
  }
  if (record.approval?.state !== 'approved') return undefined;
  return {
    approver: record.approval.user.login,
    approvedAt: record.approval.at,
    approvalTimeSource: record.approval.at
      ? ('github-job-start' as const)
      : undefined,
  };
}

/**
 * The production change population of one service: every finished production deploy of its
 * merged history once, oldest first, each with its change set, CI result, readiness, approver and
 * approval time, and the exceptions CC8.1 counts: a successful deploy nobody approved, an
 * approval after the deploy finished, an approver who authored part of the change, and every
 * gate exception the audit trail recorded for its run (SoD, readiness override, ...).
 */
export function changePopulation(
  entityRef: string,
  production: readonly DeploymentRecord[],
  context: ReadonlyMap<number, RunContext>,
  decisions: readonly PortalDecision[],
): ChangeRow[] {
  const seen = new Set<string>();
  return (
    production
      // A run still waiting or running has changed nothing yet; it joins once it finishes.
      .filter(r => r.result !== 'waiting' && r.result !== 'in_progress')
      .filter(r => !seen.has(r.id) && Boolean(seen.add(r.id)))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      .map(record => {
        const run = record.runId ? context.get(record.runId) : undefined;
        const approval = approvalOf(record, decisions);
        const authors = run?.authors?.map(lower);
        const approverNotAuthor =
          approval && authors
            ? !authors.includes(lower(approval.approver))
            : null;
        const deployEnd = record.finishedAt;
        const approvedBeforeDeploy =
          approval?.approvedAt && deployEnd
            ? Date.parse(approval.approvedAt) <= Date.parse(deployEnd)
            : null;
        const exceptions: string[] = [];
        if (!approval && record.result === 'success') {
          exceptions.push('deployed to production without an approval');
        }
        if (approvedBeforeDeploy === false) {
          exceptions.push('approved after the deploy finished');
        }
        if (approverNotAuthor === false) {
          exceptions.push(
            `approved by ${approval?.approver}, who authored part of the change: SoD exception`,
          );
        }
        for (const e of record.exceptions ?? []) {
          const label = `${GATE_EXCEPTION_LABELS[e.kind]}: ${e.message}`;
          if (!exceptions.includes(label)) exceptions.push(label);
        }
        return {
          entityRef,
          deployId: record.id,
          runId: record.runId,
          version: record.version,
          sha: record.sha,
          startedAt: record.startedAt,
          finishedAt: record.finishedAt,
          result: record.result,
          runUrl: record.runUrl,
          triggeredBy: record.triggeredBy?.login,
          ...approval,
          approvedBeforeDeploy,
          approverNotAuthor,
          commitCount: run?.commitCount,
          ciConclusion: run?.ciConclusion,
          readinessScore: run?.readinessScore,
          readinessGate: run?.readinessGate,
          exceptions,
        };
      })
  );
}
