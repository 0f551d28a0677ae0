import {
  ChangePopulationCompleteness,
  ChangePopulationRow,
} from '@internal/plugin-lexecon-common';
import { GithubDeploymentInfo } from '../../sources/github/types';

/** A deployment GitHub still runs: the population takes a deploy in once it has finished. */
const UNFINISHED = new Set(['queued', 'pending', 'in_progress', 'waiting']);

/** What GitHub listed for one service's production environment, or why it cannot be used. */
export interface GithubDeploymentList {
  entityRef: string;
  /** Every production deployment GitHub listed (any time); absent when `unreadable` is set. */
  deployments?: readonly GithubDeploymentInfo[];
  unreadable?: string;
}

const instant = (at: string) => new Date(at).toISOString();

/**
 * The change population against GitHub's own deployment list. Expected: GitHub's finished
 * production deployments created in [from, to). A deployment is found when a population row of
 * its service is its run (the deployment's `run_id`), or, without a run id, deployed its commit.
 * Rows are matched from a window wider than [from, to) (`rows` may hold neighbours), because a
 * deployment is created a little after its run starts and the two may sit either side of a bound.
 * Extra: rows in [from, to) matching no deployment GitHub listed at any time. Complete only when
 * nothing is missing and every service's list was read: fails closed.
 */
export function checkChangeCompleteness(input: {
  from: string;
  to: string;
  lists: readonly GithubDeploymentList[];
  rows: readonly ChangePopulationRow[];
}): Omit<ChangePopulationCompleteness, 'generatedAt'> {
  const { from, to } = input;
  const inWindow = (at: string) => instant(at) >= from && instant(at) < to;
  const missing: ChangePopulationCompleteness['missing'] = [];
  const extra: ChangePopulationCompleteness['extra'] = [];
  const unreadable: ChangePopulationCompleteness['unreadable'] = [];
  let expected = 0;
  for (const list of input.lists) {
    const rows = input.rows.filter(r => r.entityRef === list.entityRef);
    if (!list.deployments) {
      unreadable.push({
        entityRef: list.entityRef,
        reason: list.unreadable ?? 'GitHub’s deployment list was not read',
      });
      continue;
    }
    const matched = new Set<ChangePopulationRow>();
    const matchOf = (d: GithubDeploymentInfo) =>
      rows.find(r =>
        d.runId !== undefined ? r.runId === d.runId : r.sha === d.sha,
      );
    for (const d of list.deployments) {
      const row = matchOf(d);
      if (row) matched.add(row);
      if (!inWindow(d.createdAt) || UNFINISHED.has(d.state ?? '')) continue;
      expected++;
      if (row) continue;
      missing.push({
        entityRef: list.entityRef,
        deploymentId: d.id,
        sha: d.sha,
        createdAt: d.createdAt,
        ...(d.runId !== undefined ? { runId: d.runId } : {}),
        ...(d.state ? { state: d.state } : {}),
      });
    }
    for (const row of rows) {
      if (matched.has(row) || !inWindow(row.startedAt)) continue;
      extra.push({
        entityRef: row.entityRef,
        deployId: row.deployId,
        reason:
          row.runId === undefined
            ? 'a Helm release revision with no GitHub deployment of its commit'
            : `GitHub lists no production deployment of run ${row.runId}`,
      });
    }
  }
  return {
    from,
    to,
    complete: missing.length === 0 && unreadable.length === 0,
    expected,
    found: expected - missing.length,
    missing,
    extra,
    unreadable,
  };
}
