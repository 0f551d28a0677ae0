import {
  ChangePopulationRow,
  FeatureFlagsOverview,
  FlagChangePopulationRow,
  IncidentPopulationRow,
  PopulationKind,
  PopulationRowOf,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import { EntityTarget } from '../../EntityTarget';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { DatadogSnapshot } from '../../sources/datadog/types';

/** Rows read from the change population at once: a large window never sits in memory whole. */
const PAGE = 500;

export interface PopulationWindow {
  from: string;
  to: string;
  /** The services the population covers (those the caller can read). */
  services: readonly EntityTarget[];
}

/** How a row's unique key, which the sample ranks, is formed. */
export const POPULATION_KEYS: { [K in PopulationKind]: string } = {
  changes: 'service + " " + deploy_id',
  'flag-changes': 'service + " " + event_id',
  incidents: 'incident_id',
};

export function populationKey<K extends PopulationKind>(
  kind: K,
  row: PopulationRowOf[K],
): string {
  if (kind === 'changes') {
    const change = row as ChangePopulationRow;
    return `${change.entityRef} ${change.deployId}`;
  }
  if (kind === 'flag-changes') {
    const flag = row as FlagChangePopulationRow;
    return `${flag.entityRef} ${flag.id}`;
  }
  return (row as IncidentPopulationRow).id;
}

/** The query behind each population, in words an auditor can re-run against the source. */
export const POPULATION_QUERIES: { [K in PopulationKind]: string } = {
  changes:
    'Every deploy to the production environment (the last of each service’s lexecon.io/environments) in the merged GitHub Actions and Helm history, started at or after `from` and before `to`, of every service listed, ordered by start, service and deploy id',
  'flag-changes':
    'Every Unleash event of each service’s flags in its production environment (the last of its lexecon.io/environments), created at or after `from` and before `to`, as the portal’s last Unleash read holds them, ordered by time, service and event id',
  incidents:
    'Every Datadog incident naming one of the services listed, started at or after `from` and before `to`, as the portal’s last Datadog read holds them, once per incident, ordered by start and id',
};

/** Rows after the last of the previous page, in (start, service, deploy id) order. */
function keysetAfter(q: Knex.QueryBuilder, after?: [string, string, string]) {
  if (after)
    q.whereRaw('(started_at, entity_ref, deploy_id) > (?, ?, ?)', after);
}

const inWindow = (at: string | undefined, w: PopulationWindow) =>
  Boolean(at) && at! >= w.from && at! < w.to;

/** Every time in one format, so that a window compares as strings. */
const instant = (at: string) => new Date(at).toISOString();

/**
 * Reads the populations an auditor samples. The change population comes from the evidence store's
 * table page by page (keyset on start, service, deploy id), so a package of any window streams;
 * flag changes and incidents come from the stored Unleash and Datadog snapshots, which are read
 * whole anyway (their size is bounded by what those sources keep).
 */
export class PopulationReader {
  constructor(
    private readonly knex: Knex,
    private readonly snapshots: SnapshotStore,
  ) {}

  rows<K extends PopulationKind>(
    kind: K,
    window: PopulationWindow,
  ): AsyncIterable<PopulationRowOf[K]> {
    if (kind === 'changes') {
      return this.changes(window) as AsyncIterable<PopulationRowOf[K]>;
    }
    if (kind === 'flag-changes') {
      return this.flagChanges(window) as AsyncIterable<PopulationRowOf[K]>;
    }
    return this.incidents(window) as AsyncIterable<PopulationRowOf[K]>;
  }

  private async *changes(
    window: PopulationWindow,
  ): AsyncIterable<ChangePopulationRow> {
    const services = window.services.map(s => s.entityRef);
    if (!services.length) return;
    let after: [string, string, string] | undefined;
    for (;;) {
      const rows: Array<{
        started_at: string;
        entity_ref: string;
        deploy_id: string;
        row: string;
      }> = await this.knex('lexecon_evidence_changes')
        .whereIn('entity_ref', services)
        .where('started_at', '>=', window.from)
        .where('started_at', '<', window.to)
        .modify(keysetAfter, after)
        .orderBy([
          { column: 'started_at' },
          { column: 'entity_ref' },
          { column: 'deploy_id' },
        ])
        .limit(PAGE);
      for (const row of rows) yield JSON.parse(row.row);
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1];
      after = [last.started_at, last.entity_ref, last.deploy_id];
    }
  }

  private async *flagChanges(
    window: PopulationWindow,
  ): AsyncIterable<FlagChangePopulationRow> {
    const rows: FlagChangePopulationRow[] = [];
    for (const service of window.services) {
      const production = service.environments[service.environments.length - 1];
      const flags = (
        await this.snapshots.get<FeatureFlagsOverview>(
          service.entityRef,
          'unleash',
        )
      )?.data;
      for (const change of flags?.flags.flatMap(f => f.history) ?? []) {
        if (change.environment !== production) continue;
        if (!inWindow(instant(change.createdAt), window)) continue;
        rows.push({
          entityRef: service.entityRef,
          id: change.id,
          flag: change.featureName,
          type: change.type,
          environment: change.environment,
          by: change.createdBy,
          at: instant(change.createdAt),
          what: change.description,
        });
      }
    }
    const seen = new Set<string>();
    yield* rows
      .filter(r => {
        const key = populationKey('flag-changes', r);
        return !seen.has(key) && Boolean(seen.add(key));
      })
      .sort(
        (a, b) =>
          a.at.localeCompare(b.at) ||
          a.entityRef.localeCompare(b.entityRef) ||
          a.id - b.id,
      );
  }

  private async *incidents(
    window: PopulationWindow,
  ): AsyncIterable<IncidentPopulationRow> {
    const byId = new Map<string, IncidentPopulationRow>();
    for (const service of window.services) {
      const datadog = (
        await this.snapshots.get<DatadogSnapshot>(service.entityRef, 'datadog')
      )?.data;
      for (const incident of datadog?.incidents ?? []) {
        const startedAt = instant(incident.startedAt);
        if (!inWindow(startedAt, window)) continue;
        const known = byId.get(incident.id);
        if (known) {
          known.services.push(service.entityRef);
          continue;
        }
        byId.set(incident.id, {
          id: incident.id,
          publicId: incident.publicId,
          title: incident.title,
          severity: incident.severity,
          state: incident.state,
          startedAt,
          ...(incident.resolvedAt
            ? { resolvedAt: instant(incident.resolvedAt) }
            : {}),
          ...(incident.timeToResolveSeconds !== undefined
            ? { timeToResolveSeconds: incident.timeToResolveSeconds }
            : {}),
          ...(incident.url ? { url: incident.url } : {}),
          services: [service.entityRef],
        });
      }
    }
    yield* [...byId.values()].sort(
      (a, b) =>
        a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
    );
  }
}
