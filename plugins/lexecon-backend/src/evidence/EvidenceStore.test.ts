import { TestDatabases } from '@backstage/backend-test-utils';
import { EvidenceObservation } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { ChangeRow } from './derived/changePopulation';
import { EvidenceStore } from './EvidenceStore';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const API = 'component:default/lexecon-api';
const LEDGER = 'component:default/decision-ledger';

const observation = (
  collected: string,
  overrides: Partial<EvidenceObservation> = {},
): EvidenceObservation => ({
  itemId: 'a1.2-sla',
  entityRef: API,
  status: 'passing',
  reason: 'Uptime 99.95% month to date against a 99.9% SLO',
  collected,
  expires: new Date(Date.parse(collected) + 86_400_000).toISOString(),
  facts: { uptimePercent: 99.95 },
  ...overrides,
});

const change = (
  entityRef: string,
  id: number,
  startedAt: string,
): ChangeRow => ({
  entityRef,
  deployId: `production:run:${id}`,
  runId: id,
  version: `v1.${id}.0`,
  sha: 'abc',
  startedAt,
  result: 'success',
  approvedBeforeDeploy: true,
  approverNotAuthor: true,
  exceptions: [],
});

describe.each(databases.eachSupportedId())('EvidenceStore on %s', id => {
  let knex: Knex;
  let store: EvidenceStore;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
    store = new EvidenceStore(knex);
  });
  beforeEach(async () => {
    await knex('lexecon_evidence_observations').delete();
    await knex('lexecon_evidence_changes').delete();
  });

  it('moves collected and expires of an unchanged verdict, and keeps a changed one as a new observation', async () => {
    await store.record([observation('2026-03-01T10:00:00.000Z')]);
    await store.record([observation('2026-03-01T11:00:00.000Z')]);
    await store.record([
      observation('2026-03-01T12:00:00.000Z', {
        status: 'failing',
        reason: 'Uptime 99.5% month to date against a 99.9% SLO: breached',
      }),
    ]);
    expect(
      (await store.observations({})).map(o => [
        o.status,
        o.firstCollected,
        o.collected,
        o.expires,
      ]),
    ).toEqual([
      [
        'failing',
        '2026-03-01T12:00:00.000Z',
        '2026-03-01T12:00:00.000Z',
        '2026-03-02T12:00:00.000Z',
      ],
      [
        'passing',
        '2026-03-01T10:00:00.000Z',
        '2026-03-01T11:00:00.000Z',
        '2026-03-02T11:00:00.000Z',
      ],
    ]);
  });

  it('tells its listeners of each observation that changed an item’s status, once stored', async () => {
    const told: Array<[string, string | undefined]> = [];
    const listening = new EvidenceStore(knex);
    listening.onVerdictChanged(async changes => {
      for (const c of changes) {
        told.push([c.observation.status, c.previousStatus]);
      }
    });
    await listening.record([observation('2026-03-01T10:00:00.000Z')]);
    // Re-confirmed, then a new reason with the same status: no change of status.
    await listening.record([observation('2026-03-01T11:00:00.000Z')]);
    await listening.record([
      observation('2026-03-01T12:00:00.000Z', { reason: 'Uptime 99.97%' }),
    ]);
    await listening.record([
      observation('2026-03-01T13:00:00.000Z', {
        status: 'failing',
        reason: 'Uptime 99.5% month to date against a 99.9% SLO: breached',
      }),
    ]);
    expect(told).toEqual([
      ['passing', undefined],
      ['failing', 'passing'],
    ]);
  });

  it('keeps what it recorded when a listener fails, and still tells the others', async () => {
    const told: string[] = [];
    const listening = new EvidenceStore(knex);
    listening.onVerdictChanged(async () => {
      throw new Error('notifications backend unavailable');
    });
    listening.onVerdictChanged(async changes => {
      told.push(...changes.map(c => c.observation.status));
    });
    await listening.record([observation('2026-03-01T10:00:00.000Z')]);
    expect(told).toEqual(['passing']);
    const stored = await listening.observations({ itemIds: ['a1.2-sla'] });
    expect(stored.map(o => o.status)).toEqual(['passing']);
  });

  it('reads the verdicts that held in a window, of the services asked for and the portal-wide ones', async () => {
    await store.record([
      observation('2026-01-10T00:00:00.000Z'),
      observation('2026-03-10T00:00:00.000Z', { entityRef: LEDGER }),
      observation('2026-03-11T00:00:00.000Z', {
        entityRef: undefined,
        itemId: 'cc7.2-audit-chain',
      }),
    ]);
    const held = await store.observations({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-31T00:00:00.000Z',
      entityRefs: [LEDGER],
    });
    expect(held.map(o => [o.itemId, o.entityRef])).toEqual([
      ['cc7.2-audit-chain', undefined],
      ['a1.2-sla', LEDGER],
    ]);
  });

  it('replaces a service’s population and reads the deploys started in [from, to)', async () => {
    await store.replaceChanges(API, [
      change(API, 1, '2026-03-01T00:00:00.000Z'),
    ]);
    await store.replaceChanges(API, [
      change(API, 2, '2026-03-02T00:00:00.000Z'),
      change(API, 3, '2026-03-03T00:00:00.000Z'),
    ]);
    await store.replaceChanges(LEDGER, [
      change(LEDGER, 4, '2026-03-02T12:00:00.000Z'),
    ]);
    const rows = await store.changes({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      entityRefs: [API, LEDGER],
    });
    expect(rows.map(r => r.runId)).toEqual([2, 4]);
    expect(
      await store.changes({
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        entityRefs: [],
      }),
    ).toEqual([]);
  });
});
