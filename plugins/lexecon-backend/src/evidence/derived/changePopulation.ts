import {
  ChangePopulationRow,
  DeploymentRecord,
  GATE_EXCEPTION_LABELS,
} from '@internal/plugin-lexecon-common';
import { StoredChangeSet } from '../../delivery/DeployChangeSetStore';

/**
 * What the portal saw of a run while it waited for production (from the approvals snapshot),
 * kept because the snapshot holds waiting runs only.
 */
export interface RunContext {
  runId: number;
  /** Logins with a hand in the change set; undefined when it was never read in full. */
  authors?: string[];
  /** Why `authors` is undefined (a truncated read, a commit whose author has no account...). */
  authorsUnknown?: string;
  /** Where `authors` came from; see ChangePopulationRow. */
  authorsSource?: ChangePopulationRow['authorsSource'];
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

/** People or commits named in a reason at most; the rest are counted. */
const LISTED = 3;

function listed(items: readonly string[]) {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED
    ? `${shown} and ${items.length - LISTED} more`
    : shown;
}

/**
 * Who had a hand in a deploy's change set as the github source stored it (commit authors,
 * committers and co-authors from GitHub's compare), or why that is not known in full: the
 * change set was not read, it was longer than what was read, or someone in it has no GitHub
 * account (they could be the approver).
 */
export function authorsOfStoredChangeSet(
  stored: StoredChangeSet,
): Pick<RunContext, 'authors' | 'authorsUnknown' | 'commitCount'> {
  if ('unknown' in stored) {
    return { authorsUnknown: `its change set is unknown: ${stored.unknown}` };
  }
  const { commits, totalCommits } = stored;
  if (commits.length < totalCommits) {
    return {
      commitCount: totalCommits,
      authorsUnknown: `its change set has ${totalCommits} commits and the portal read ${commits.length}`,
    };
  }
  if (commits.some(c => !c.logins)) {
    return {
      commitCount: totalCommits,
      authorsUnknown:
        'its change set was read before the portal kept the people of each commit; it is read again on the next GitHub refresh',
    };
  }
  const unlinked = commits.flatMap(c =>
    (c.unlinked ?? []).map(who => `${who} of ${c.sha.slice(0, 7)}`),
  );
  if (unlinked.length) {
    return {
      commitCount: totalCommits,
      authorsUnknown: `no GitHub account is linked to ${listed(unlinked)}`,
    };
  }
  return {
    commitCount: totalCommits,
    authors: [...new Set(commits.flatMap(c => c.logins ?? []))],
  };
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
        const approverTriggered =
          approval !== undefined &&
          lower(approval.approver) === lower(record.triggeredBy?.login);
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
        if (approverTriggered) {
          exceptions.push(
            `approved by ${approval?.approver}, who triggered the deploy: SoD exception`,
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
          ...(run?.authorsSource && authors
            ? { authorsSource: run.authorsSource }
            : {}),
          ...(approverNotAuthor === null && approval
            ? {
                authorsUnknown:
                  run?.authorsUnknown ?? 'the portal never read its change set',
              }
            : {}),
          commitCount: run?.commitCount,
          ciConclusion: run?.ciConclusion,
          readinessScore: run?.readinessScore,
          readinessGate: run?.readinessGate,
          exceptions,
        };
      })
  );
}
