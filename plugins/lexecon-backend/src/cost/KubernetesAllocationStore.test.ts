import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import {
  KubernetesAllocationStore,
  WorkloadDay,
} from './KubernetesAllocationStore';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const API = 'component:default/lexecon-api';
const LEDGER = 'component:default/decision-ledger';

function workload(day: string, name: string, cpu: number): WorkloadDay {
  return {
    day,
    namespace: 'lexecon-production',
    workload: name,
    cpuRequestCores: 2,
    cpuUsedCores: cpu,
    cpuCost: cpu * 10,
    ramRequestBytes: 4e9,
    ramUsedBytes: 1e9,
    ramCost: 1,
    pvCost: 0.5,
    networkCost: 0.1,
  };
}

describe.each(databases.eachSupportedId())(
  'KubernetesAllocationStore on %s',
  id => {
    let knex: Knex;
    let store: KubernetesAllocationStore;

    beforeAll(async () => {
      knex = await migratedDatabase(databases, id);
      store = new KubernetesAllocationStore(knex);
    });

    it('averages each workload over the days asked for, with its monthly cost at that pace', async () => {
      await store.save(API, 'opencost', 'USD', [
        {
          day: '2026-11-01',
          workloads: [workload('2026-11-01', 'deployment:api', 0.2)],
          idle: 3,
        },
        {
          day: '2026-11-02',
          workloads: [workload('2026-11-02', 'deployment:api', 0.4)],
          idle: 5,
        },
        {
          day: '2026-11-03',
          workloads: [workload('2026-11-03', 'deployment:api', 1.8)],
          idle: 7,
        },
      ]);
      await store.save(LEDGER, 'opencost', 'USD', [
        {
          day: '2026-11-01',
          workloads: [workload('2026-11-01', 'deployment:ledger', 1)],
          idle: 9,
        },
      ]);

      const [api] = await store.utilisation(API, '2026-11-01', '2026-11-02');
      expect(api.workload).toBe('lexecon-production/deployment:api');
      expect(api.provider).toBe('opencost');
      expect(api.cpu.requestedCores).toBeCloseTo(2, 9);
      expect(api.cpu.usedCores).toBeCloseTo(0.3, 9);
      expect(api.cpu.monthlyCost).toBeCloseTo(3 * (365.25 / 12), 6);
      expect(api.memory).toEqual({
        requestedBytes: 4e9,
        usedBytes: 1e9,
        monthlyCost: expect.closeTo(365.25 / 12, 6),
      });
      expect(await store.idle(API, '2026-11-02')).toEqual([
        { day: '2026-11-02', amount: 5 },
        { day: '2026-11-03', amount: 7 },
      ]);
    });

    it('replaces a day read again as a whole, leaving other days and entities alone', async () => {
      await store.save(API, 'opencost', 'USD', [
        {
          day: '2026-11-02',
          workloads: [workload('2026-11-02', 'deployment:worker', 1)],
          idle: 0,
        },
      ]);
      const day = await store.utilisation(API, '2026-11-02', '2026-11-02');
      expect(day.map(w => w.workload)).toEqual([
        'lexecon-production/deployment:worker',
      ]);
      expect((await store.idle(API, '2026-11-01')).map(i => i.day)).toEqual([
        '2026-11-01',
        '2026-11-03',
      ]);
      expect(await store.idle(LEDGER, '2026-11-01')).toEqual([
        { day: '2026-11-01', amount: 9 },
      ]);
    });
  },
);
