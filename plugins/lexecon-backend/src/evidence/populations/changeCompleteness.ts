import {
  ChangePopulationCompleteness,
  ChangePopulationRow,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { checkChangeCompleteness } from './checkCompleteness';
import { PopulationReader } from './PopulationReader';
import { readDeploymentLists } from './readDeploymentLists';

/** How far beyond the window rows are matched (a deployment is created after its run starts). */
const MATCH_MARGIN_MS = 86_400_000;

/**
 * The change population of [from, to) against GitHub's deployment list, a service at a time so
 * that only one service's rows are in memory.
 */
export async function changeCompleteness(
  deps: { populations: PopulationReader; snapshots: SnapshotStore },
  window: {
    from: string;
    to: string;
    services: readonly EntityTarget[];
    historyDays: number;
  },
): Promise<Omit<ChangePopulationCompleteness, 'generatedAt'>> {
  const lists = await readDeploymentLists(
    deps.snapshots,
    window.services,
    window,
  );
  const result: Omit<ChangePopulationCompleteness, 'generatedAt'> = {
    from: window.from,
    to: window.to,
    complete: true,
    expected: 0,
    found: 0,
    missing: [],
    extra: [],
    unreadable: [],
  };
  for (const [index, list] of lists.entries()) {
    const service = window.services[index];
    if (
      !service.github &&
      !(await hasRows(deps.populations, { ...window, services: [service] }))
    ) {
      (result.notApplicable ??= []).push({
        entityRef: service.entityRef,
        reason:
          'no GitHub repository and no production deploy in the window: nothing to check',
      });
      continue;
    }
    const rows: ChangePopulationRow[] = [];
    if (list.deployments) {
      const wide = {
        from: new Date(Date.parse(window.from) - MATCH_MARGIN_MS).toISOString(),
        to: new Date(Date.parse(window.to) + MATCH_MARGIN_MS).toISOString(),
        services: [service],
      };
      for await (const row of deps.populations.rows('changes', wide)) {
        rows.push(row);
      }
    }
    const one = checkChangeCompleteness({ ...window, lists: [list], rows });
    result.complete &&= one.complete;
    result.expected += one.expected;
    result.found += one.found;
    result.missing.push(...one.missing);
    result.extra.push(...one.extra);
    result.unreadable.push(...one.unreadable);
  }
  return result;
}

/** Whether the population has any row of the services in the window. */
async function hasRows(
  populations: PopulationReader,
  query: { from: string; to: string; services: readonly EntityTarget[] },
): Promise<boolean> {
  for await (const _row of populations.rows('changes', query)) return true;
  return false;
}
