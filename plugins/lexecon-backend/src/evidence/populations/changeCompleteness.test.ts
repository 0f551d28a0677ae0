import { ChangePopulationRow } from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../../EntityTarget';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { changeCompleteness } from './changeCompleteness';
import { PopulationReader } from './PopulationReader';

const DOCS = 'component:default/lexecon-docs-site';
const window = {
  from: '2026-09-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  historyDays: 90,
};
/** A service no source deploys through GitHub: no repository annotation. */
const docsSite = {
  entityRef: DOCS,
  environments: ['production'],
} as unknown as EntityTarget;

/** The population as stored: `rows` of the changes table, whatever the window. */
function populationOf(rows: Partial<ChangePopulationRow>[]) {
  return {
    async *rows() {
      yield* rows;
    },
  } as unknown as PopulationReader;
}

const noSnapshots = {
  get: async () => undefined,
} as unknown as SnapshotStore;

describe('changeCompleteness', () => {
  it('leaves out a service with no GitHub repository and no production deploy, saying so', async () => {
    const result = await changeCompleteness(
      { populations: populationOf([]), snapshots: noSnapshots },
      { ...window, services: [docsSite] },
    );
    expect(result).toMatchObject({
      complete: true,
      expected: 0,
      unreadable: [],
      notApplicable: [
        {
          entityRef: DOCS,
          reason: expect.stringContaining('no GitHub repository'),
        },
      ],
    });
  });

  it('fails closed for a service with production deploys but no GitHub list to check them against', async () => {
    const result = await changeCompleteness(
      {
        populations: populationOf([
          { entityRef: DOCS, deployId: 'production:helm:4' },
        ]),
        snapshots: noSnapshots,
      },
      { ...window, services: [docsSite] },
    );
    expect(result.complete).toBe(false);
    expect(result.notApplicable).toBeUndefined();
    expect(result.unreadable).toEqual([
      {
        entityRef: DOCS,
        reason: expect.stringContaining('names no GitHub repository'),
      },
    ]);
  });
});
