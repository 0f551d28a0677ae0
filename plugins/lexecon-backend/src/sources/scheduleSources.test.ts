import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SOURCE_IDS, SourceId } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { SOURCE_REGISTRATIONS } from '.';
import {
  refreshSource,
  refreshTaskId,
  sourceSchedule,
} from './scheduleSources';
import { SourceRegistration } from './registry';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const helmOnly = component('helm-only', {
  'lexecon.io/helm-release': 'billing',
});
const datadogOnly = component('datadog-only', {
  'lexecon.io/datadog-slo-tags': 'service:ledger',
});
const unannotated = component('docs', {});

function registration(id: SourceId): SourceRegistration {
  return SOURCE_REGISTRATIONS.find(r => r.id === id)!;
}

/** Runs one scheduled cycle of the source; returns the entities it refreshed. */
async function cycle(id: SourceId) {
  const refreshed: string[] = [];
  const refresher = {
    notConfiguredReason: (target: EntityTarget) =>
      (id === 'kubernetes' && !target.kubernetes) ||
      (id === 'datadog' && !target.datadog) ||
      (id === 'github' && !target.github)
        ? { message: 'no', missingAnnotations: [] }
        : undefined,
    refresh: async (target: EntityTarget, source: SourceId) => {
      refreshed.push(`${source} ${target.entityRef}`);
    },
  } as unknown as SnapshotRefresher;
  const store = {
    deleteNotAttemptedSince: async () => 0,
  } as unknown as SnapshotStore;
  await refreshSource(
    registration(id),
    { frequency: { minutes: 5 }, timeout: { minutes: 1 }, initialDelay: {} },
    {
      refresher,
      store,
      catalog: catalogServiceMock({
        entities: [helmOnly, datadogOnly, unannotated],
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      concurrency: 2,
    },
  );
  return refreshed;
}

describe('scheduled refresh per source', () => {
  it('registers every declared source exactly once', () => {
    expect(SOURCE_REGISTRATIONS.map(r => r.id).sort()).toEqual(
      [...SOURCE_IDS].sort(),
    );
  });

  it('refreshes an entity that has only lexecon.io/helm-release from Kubernetes', async () => {
    expect(await cycle('kubernetes')).toEqual([
      'kubernetes component:default/helm-only',
    ]);
  });

  it('refreshes each entity only from the sources whose annotations it has', async () => {
    expect(await cycle('datadog')).toEqual([
      'datadog component:default/datadog-only',
    ]);
    expect(await cycle('github')).toEqual([]);
  });

  it('takes the schedule from config first, then the registration, then the defaults', () => {
    const defaults = {
      frequency: { minutes: 5 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 10 },
    };
    const daily: SourceRegistration = {
      id: 'datadog',
      schedule: { frequency: { hours: 24 } },
      create: () => {
        throw new Error('not built in this test');
      },
    };
    expect(sourceSchedule(daily, new ConfigReader({}), defaults)).toEqual({
      ...defaults,
      frequency: { hours: 24 },
    });
    const config = new ConfigReader({
      lexecon: {
        sources: { datadog: { schedule: { frequency: { hours: 6 } } } },
      },
    });
    expect(sourceSchedule(daily, config, defaults).frequency).toEqual({
      hours: 6,
    });
    expect(refreshTaskId('datadog')).toBe('lexecon-refresh-datadog');
  });
});
