import {
  DeploymentRecord,
  DeploymentResult,
  EnvironmentSummary,
  GateException,
  LiveVersion,
} from '@internal/plugin-lexecon-common';
import { GithubDeploySnapshot, GithubRunInfo } from '../sources/github/types';
import {
  HelmHistorySnapshot,
  HelmRevisionSnapshot,
} from '../sources/kubernetes/types';

/** A failed revision followed within this window by a rollback was rolled back automatically. */
const AUTOMATIC_ROLLBACK_WINDOW_MS = 15 * 60_000;
/** How far a Helm revision's deploy time may lie outside its workflow run and still match it. */
const MATCH_SLACK_MS = 10 * 60_000;

export interface MergedHistory {
  records: DeploymentRecord[];
  environments: EnvironmentSummary[];
}

function runResult(run: GithubRunInfo): DeploymentResult {
  if (run.status === 'waiting' || run.status === 'action_required')
    return 'waiting';
  if (run.status !== 'completed') return 'in_progress';
  switch (run.conclusion) {
    case 'success':
      return 'success';
    case 'cancelled':
    case 'skipped':
      return 'cancelled';
    case 'action_required':
      return 'waiting';
    default:
      return 'failed';
  }
}

function shortSha(sha: string) {
  return sha.slice(0, 7);
}

function ms(iso: string | undefined) {
  return iso ? new Date(iso).getTime() : NaN;
}

function versionOf(sha: string, tags: Record<string, string>) {
  return tags[sha] ?? shortSha(sha);
}

/**
 * Joins GitHub's view (runs, deployments, approvals) with Helm's (revisions, rollbacks) into one
 * history per environment. Either side may be missing: the history then shows what the other has.
 */
export function mergeDeploymentHistory(
  environments: string[],
  github: GithubDeploySnapshot | undefined,
  helm: HelmHistorySnapshot | undefined,
): MergedHistory {
  const tags = github?.tags ?? {};
  const records: DeploymentRecord[] = [];
  const summaries: EnvironmentSummary[] = [];

  for (const env of environments) {
    const gh = github?.environments[env];
    const revisions = helm?.environments[env]?.revisions ?? [];
    const envRecords: DeploymentRecord[] = [];
    const byRunId = new Map<number, DeploymentRecord>();

    for (const run of gh?.runs ?? []) {
      const approval = run.approvals?.[run.approvals.length - 1];
      const deployment =
        gh?.deployments.find(d => d.runId === run.id) ??
        gh?.deployments.find(
          d =>
            d.sha === run.headSha &&
            ms(d.createdAt) >= ms(run.createdAt) - MATCH_SLACK_MS &&
            ms(d.createdAt) <= ms(run.updatedAt) + MATCH_SLACK_MS,
        );
      const startedAt = run.runStartedAt ?? run.createdAt;
      const finished = run.status === 'completed';
      const record: DeploymentRecord = {
        id: `${env}:run:${run.id}`,
        environment: env,
        sha: run.headSha,
        shortSha: shortSha(run.headSha),
        tag: tags[run.headSha],
        version: versionOf(run.headSha, tags),
        commitTitle: run.commitTitle,
        triggeredBy: run.triggeringActor ?? run.actor,
        approval: approval ? { ...approval } : undefined,
        startedAt,
        finishedAt: finished ? run.updatedAt : undefined,
        durationSeconds: finished
          ? Math.max(0, Math.round((ms(run.updatedAt) - ms(startedAt)) / 1000))
          : undefined,
        result: runResult(run),
        workflowName: run.workflowName,
        runId: run.id,
        runUrl: run.htmlUrl,
        deploymentId: deployment?.id,
        sources: ['github'],
      };
      envRecords.push(record);
      byRunId.set(run.id, record);
    }

    const matched = new Set<number>();
    const revisionByNumber = new Map(revisions.map(r => [r.revision, r]));
    for (const rev of revisions) {
      if (rev.rollbackTo !== undefined) continue;
      const candidate = envRecords
        .filter(
          r =>
            r.sources.length === 1 &&
            rev.sha !== undefined &&
            r.sha === rev.sha &&
            ms(rev.deployedAt) >= ms(r.startedAt) - MATCH_SLACK_MS &&
            ms(rev.deployedAt) <=
              ms(r.finishedAt ?? r.startedAt) + MATCH_SLACK_MS,
        )
        .sort(
          (a, b) =>
            Math.abs(ms(a.startedAt) - ms(rev.deployedAt)) -
            Math.abs(ms(b.startedAt) - ms(rev.deployedAt)),
        )[0];
      if (candidate) {
        candidate.helm = helmInfo(rev);
        candidate.sources = ['github', 'kubernetes'];
        matched.add(rev.revision);
      }
    }

    for (const rev of revisions) {
      if (rev.rollbackTo !== undefined) {
        const failed = revisionByNumber.get(rev.revision - 1);
        const target = revisionByNumber.get(rev.rollbackTo);
        const toVersion = target?.sha ? versionOf(target.sha, tags) : undefined;
        const automatic =
          failed?.status === 'failed' &&
          ms(rev.deployedAt) - ms(failed.deployedAt) <=
            AUTOMATIC_ROLLBACK_WINDOW_MS;
        if (automatic && failed) {
          const undone = envRecords.find(
            r => r.helm?.revision === failed.revision,
          );
          const rollback = {
            kind: 'automatic' as const,
            toRevision: rev.rollbackTo,
            toVersion,
            at: rev.deployedAt,
          };
          if (undone) {
            undone.result = 'rolled_back';
            undone.rollback = rollback;
          } else {
            const record = helmOnlyRecord(env, failed, tags);
            record.result = 'rolled_back';
            record.rollback = rollback;
            envRecords.push(record);
          }
          matched.add(failed.revision);
          continue;
        }
        const record = helmOnlyRecord(env, rev, tags);
        record.rollback = {
          kind: 'manual',
          toRevision: rev.rollbackTo,
          toVersion,
          at: rev.deployedAt,
        };
        envRecords.push(record);
        continue;
      }
      if (!matched.has(rev.revision)) {
        envRecords.push(helmOnlyRecord(env, rev, tags));
      }
    }

    envRecords.sort((a, b) => ms(b.startedAt) - ms(a.startedAt));
    records.push(...envRecords);
    summaries.push({
      environment: env,
      live: liveVersion(envRecords, revisions, tags),
      htmlUrl: gh?.htmlUrl,
      ...(github?.behind[env]
        ? {
            commitsBehind: github.behind[env].commits,
            behindOf: github.behind[env].of,
          }
        : {}),
    });
  }

  records.sort((a, b) => ms(b.startedAt) - ms(a.startedAt));
  return { records, environments: summaries };
}

function helmInfo(rev: HelmRevisionSnapshot) {
  return {
    revision: rev.revision,
    status: rev.status,
    description: rev.description,
    chartVersion: rev.chartVersion,
    appVersion: rev.appVersion,
    namespace: rev.namespace,
    deployedAt: rev.deployedAt,
    rollbackTo: rev.rollbackTo,
  };
}

function helmResult(status: string): DeploymentResult {
  if (status === 'failed') return 'failed';
  if (status.startsWith('pending')) return 'in_progress';
  return 'success';
}

function helmOnlyRecord(
  env: string,
  rev: HelmRevisionSnapshot,
  tags: Record<string, string>,
): DeploymentRecord {
  const sha = rev.sha ?? '';
  const version = sha
    ? versionOf(sha, tags)
    : rev.appVersion ?? `revision ${rev.revision}`;
  const startedAt =
    rev.deployedAt ?? rev.firstDeployedAt ?? new Date(0).toISOString();
  return {
    id: `${env}:helm:${rev.revision}`,
    environment: env,
    sha,
    shortSha: shortSha(sha),
    tag: sha ? tags[sha] : undefined,
    version,
    startedAt,
    finishedAt: startedAt,
    result: helmResult(rev.status),
    helm: helmInfo(rev),
    sources: ['kubernetes'],
  };
}

function liveVersion(
  records: DeploymentRecord[],
  revisions: HelmRevisionSnapshot[],
  tags: Record<string, string>,
): LiveVersion | undefined {
  // Helm knows what is actually running; GitHub is the fallback when the cluster is unreadable.
  const deployed = [...revisions].reverse().find(r => r.status === 'deployed');
  if (deployed) {
    const record =
      records.find(r => r.helm?.revision === deployed.revision) ??
      records.find(r => r.id.endsWith(`:helm:${deployed.revision}`));
    const sha = deployed.sha ?? record?.sha ?? '';
    return {
      version: sha
        ? versionOf(sha, tags)
        : deployed.appVersion ?? `revision ${deployed.revision}`,
      sha,
      since: deployed.deployedAt ?? record?.startedAt ?? '',
      result: record?.result === 'rolled_back' ? 'rolled_back' : 'success',
      deploymentId: record?.id ?? '',
      helmRevision: deployed.revision,
      triggeredBy: record?.triggeredBy,
    };
  }
  const latest = records.find(r => r.result === 'success');
  if (!latest) return undefined;
  return {
    version: latest.version,
    sha: latest.sha,
    since: latest.finishedAt ?? latest.startedAt,
    result: latest.result,
    deploymentId: latest.id,
    helmRevision: latest.helm?.revision,
    triggeredBy: latest.triggeredBy,
  };
}

/** An exception from the audit trail, with the run and environment it concerns. */
export interface RunException {
  runId?: number;
  environment?: string;
  exception: GateException;
}

/** Marks each deploy with the approvals of its run that went past the gate. */
export function withExceptions(
  records: DeploymentRecord[],
  exceptions: RunException[],
): DeploymentRecord[] {
  if (!exceptions.length) return records;
  return records.map(record => {
    const own = exceptions
      .filter(
        e =>
          e.runId !== undefined &&
          e.runId === record.runId &&
          e.environment?.toLowerCase() === record.environment.toLowerCase(),
      )
      .map(e => e.exception);
    return own.length ? { ...record, exceptions: own } : record;
  });
}
