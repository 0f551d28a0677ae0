import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { SourceId } from '@internal/plugin-lexecon-common';
import { resolveEntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { catalogFilterFor } from './catalogFilter';
import { mapLimited } from './mapLimited';
import { SourceRegistration, SourceSchedule } from './registry';

/** The fields of a catalog entity a target is resolved from. */
const TARGET_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
];

export interface SourceRefreshDeps {
  refresher: SnapshotRefresher;
  store: SnapshotStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Entities refreshed in parallel within one source's cycle. */
  concurrency: number;
}

/** The task id of a source's scheduled refresh, e.g. `lexecon-refresh-datadog`. */
export function refreshTaskId(id: SourceId) {
  return `lexecon-refresh-${id}`;
}

/**
 * One scheduled task per source (global scope: one replica runs each cycle), each on its own
 * cadence, refreshing exactly the entities that carry the source's annotation, as the
 * tech-insights fact retriever engine schedules its retrievers.
 */
export async function scheduleSourceRefreshes(
  registrations: readonly SourceRegistration[],
  options: SourceRefreshDeps & {
    scheduler: SchedulerService;
    config: RootConfigService;
    defaults: SourceSchedule;
  },
) {
  for (const registration of registrations) {
    const schedule = sourceSchedule(
      registration,
      options.config,
      options.defaults,
    );
    await options.scheduler.scheduleTask({
      id: refreshTaskId(registration.id),
      ...schedule,
      scope: 'global',
      fn: () => refreshSource(registration, schedule, options),
    });
  }
}

/** The schedule of a source: config override, then the registration, then the defaults. */
export function sourceSchedule(
  registration: SourceRegistration,
  config: RootConfigService,
  defaults: SourceSchedule,
): SourceSchedule {
  const key = `lexecon.sources.${registration.id}.schedule`;
  const configured = (field: keyof SourceSchedule) => {
    const fullKey = `${key}.${field}`;
    if (!config.has(fullKey)) return undefined;
    const value = readDurationFromConfig(config, { key: fullKey });
    if (durationToMilliseconds(value) < (field === 'initialDelay' ? 0 : 1)) {
      throw new Error(`${fullKey} must be a positive duration`);
    }
    return value;
  };
  const pick = (field: keyof SourceSchedule): HumanDuration =>
    configured(field) ?? registration.schedule?.[field] ?? defaults[field];
  return {
    frequency: pick('frequency'),
    timeout: pick('timeout'),
    initialDelay: pick('initialDelay'),
  };
}

/** One cycle of one source: every entity it covers, then the retention sweep. */
export async function refreshSource(
  registration: SourceRegistration,
  schedule: SourceSchedule,
  deps: SourceRefreshDeps,
) {
  const { refresher, store, catalog, auth, logger, concurrency } = deps;
  const { id } = registration;
  const startedAt = new Date();
  const { items } = await catalog.getEntities(
    {
      filter: catalogFilterFor([id]),
      fields: TARGET_FIELDS,
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const targets = items
    .map(resolveEntityTarget)
    .filter(target => !refresher.notConfiguredReason(target, id));
  await mapLimited(targets, registration.concurrency ?? concurrency, target =>
    refresher.refresh(target, id),
  );
  // Covered entities were attempted just now; older snapshots belong to entities gone from the
  // catalog (or that lost the annotation) and are kept for the retention period only.
  const retentionMs = durationToMilliseconds(
    registration.retention ?? { days: 30 },
  );
  const keepFor = Math.max(
    retentionMs,
    2 * durationToMilliseconds(schedule.frequency),
  );
  const deleted = await store.deleteNotAttemptedSince(
    id,
    new Date(startedAt.getTime() - keepFor),
  );
  logger.info(
    `Refreshed ${id} for ${targets.length} entities in ${
      Date.now() - startedAt.getTime()
    }ms${deleted ? `; deleted ${deleted} snapshots past retention` : ''}`,
  );
}
