import { TestDatabases } from '@backstage/backend-test-utils';
import { DailyCostFact } from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { CostFactStore } from './CostFactStore';
import { RequestBudget } from './RequestBudget';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const API = 'component:default/lexecon-api';
const LEDGER = 'component:default/decision-ledger';
const MONDAY = new Date('2026-11-16T06:00:00.000Z');
const TUESDAY = new Date('2026-11-17T06:00:00.000Z');

const fact = (
  day: string,
  component: string,
  amount: number,
  estimated = false,
): DailyCostFact => ({
  day,
  component,
  provider: 'aws',
  amount,
  currency: 'USD',
  estimated,
});

describe.each(databases.eachSupportedId())('cost stores on %s', id => {
  let knex: Knex;
  let store: CostFactStore;

  beforeAll(async () => {
    knex = await migratedDatabase(databases, id);
    store = new CostFactStore(knex);
  });
  beforeEach(async () => {
    await knex('lexecon_cost_facts').delete();
    await knex('lexecon_cost_days').delete();
    await knex('lexecon_cost_requests').delete();
  });

  it('keeps the facts, the days read (one without cost too), the last complete day and the estimated days', async () => {
    await store.save(
      API,
      'aws',
      {
        days: [
          { day: '2026-11-13', estimated: false },
          { day: '2026-11-14', estimated: false },
          { day: '2026-11-15', estimated: true },
        ],
        facts: [
          fact('2026-11-13', 'monitoring', 12.345678),
          fact('2026-11-13', 'storage', 7.5),
          fact('2026-11-15', 'monitoring', 11.25, true),
        ],
      },
      MONDAY,
    );

    expect(await store.facts(API, '2026-11-01')).toEqual([
      fact('2026-11-13', 'monitoring', 12.345678),
      fact('2026-11-15', 'monitoring', 11.25, true),
      fact('2026-11-13', 'storage', 7.5),
    ]);
    expect(await store.facts(API, '2026-11-14')).toEqual([
      fact('2026-11-15', 'monitoring', 11.25, true),
    ]);
    expect(await store.storedDays(API, 'aws', '2026-11-14')).toEqual([
      { day: '2026-11-14', estimated: false, fetchedOn: '2026-11-16' },
      { day: '2026-11-15', estimated: true, fetchedOn: '2026-11-16' },
    ]);
    expect(await store.coverage(API)).toEqual([
      {
        provider: 'aws',
        lastCompleteDay: '2026-11-14',
        dataAsOf: MONDAY,
        estimatedDays: ['2026-11-15'],
      },
    ]);
    expect(await store.coverage(LEDGER)).toEqual([]);
    expect(await store.facts(LEDGER, '2026-11-01')).toEqual([]);
  });

  it('replaces a day read again as a whole: revised amounts, a component gone, estimated turned final', async () => {
    await store.save(
      API,
      'aws',
      {
        days: [{ day: '2026-11-15', estimated: true }],
        facts: [
          fact('2026-11-15', 'monitoring', 11.25, true),
          fact('2026-11-15', 'storage', 3, true),
        ],
      },
      MONDAY,
    );
    await store.save(
      LEDGER,
      'aws',
      {
        days: [{ day: '2026-11-15', estimated: true }],
        facts: [fact('2026-11-15', 'storage', 99, true)],
      },
      MONDAY,
    );
    await store.save(
      API,
      'aws',
      {
        days: [
          { day: '2026-11-15', estimated: false },
          { day: '2026-11-16', estimated: true },
        ],
        facts: [
          fact('2026-11-15', 'monitoring', 11.5),
          fact('2026-11-16', 'monitoring', 10, true),
        ],
      },
      TUESDAY,
    );

    expect(await store.facts(API, '2026-11-01')).toEqual([
      fact('2026-11-15', 'monitoring', 11.5),
      fact('2026-11-16', 'monitoring', 10, true),
    ]);
    expect(await store.coverage(API)).toEqual([
      {
        provider: 'aws',
        lastCompleteDay: '2026-11-15',
        dataAsOf: TUESDAY,
        estimatedDays: ['2026-11-16'],
      },
    ]);
    expect(await store.facts(LEDGER, '2026-11-01')).toEqual([
      fact('2026-11-15', 'storage', 99, true),
    ]);
  });

  it('stores a first run of 13 months of six components in one go', async () => {
    const days: Array<{ day: string; estimated: boolean }> = [];
    const facts: DailyCostFact[] = [];
    for (let i = 0; i < 395; i++) {
      const day = new Date(Date.UTC(2025, 10, 1 + i))
        .toISOString()
        .slice(0, 10);
      days.push({ day, estimated: false });
      for (const c of ['a', 'b', 'c', 'd', 'e', 'f'])
        facts.push(fact(day, c, i));
    }
    await store.save(API, 'aws', { days, facts }, MONDAY);
    expect(await store.facts(API, '2025-01-01')).toHaveLength(395 * 6);
    expect((await store.coverage(API))[0].lastCompleteDay).toBe(
      days[days.length - 1].day,
    );
  });

  describe('RequestBudget', () => {
    it('gives out requests up to the cap, per provider and UTC day, and says what is left', async () => {
      const budget = new RequestBudget(knex);
      expect(await budget.state('aws', '2026-11-16', 2)).toEqual({
        day: '2026-11-16',
        cap: 2,
        used: 0,
        remaining: 2,
      });
      expect(await budget.take('aws', '2026-11-16', 2)).toBe(true);
      expect(await budget.take('aws', '2026-11-16', 2)).toBe(true);
      expect(await budget.take('aws', '2026-11-16', 2)).toBe(false);
      expect(await budget.state('aws', '2026-11-16', 2)).toEqual({
        day: '2026-11-16',
        cap: 2,
        used: 2,
        remaining: 0,
      });
      expect(await budget.take('aws', '2026-11-17', 2)).toBe(true);
      expect(await budget.take('gcp', '2026-11-16', 2)).toBe(true);
      expect(await budget.take('aws', '2026-11-16', 0)).toBe(false);
    });

    it('never gives out more than the cap to replicas asking at once', async () => {
      const replicas = [new RequestBudget(knex), new RequestBudget(knex)];
      const taken = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          replicas[i % 2].take('aws', '2026-11-16', 5),
        ),
      );
      expect(taken.filter(Boolean)).toHaveLength(5);
      expect((await replicas[0].state('aws', '2026-11-16', 5)).used).toBe(5);
    });
  });
});
