import { TestDatabases } from '@backstage/backend-test-utils';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { addDays, daysBetween } from '../../cost/calendar';
import { CostFactStore } from '../../cost/CostFactStore';
import { KubernetesAllocationStore } from '../../cost/KubernetesAllocationStore';
import { EntityTarget } from '../../EntityTarget';
import { UpstreamError } from '../types';
import { DAYS_PER_QUERY, OpenCostSource } from './OpenCostSource';

const NOW = new Date('2026-11-20T15:00:00Z');
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const NAMESPACES = ['lexecon-staging', 'lexecon-production'];

const api: EntityTarget = {
  entityRef: 'component:default/lexecon-api',
  environments: ['staging', 'production'],
  opencostNamespaces: NAMESPACES,
};

interface RawAllocation {
  cpuCost: number;
  ramCost: number;
  pvCost: number;
  networkCost: number;
}

describe.each(databases.eachSupportedId())(
  'OpenCostSource against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let facts: CostFactStore;
    let allocations: KubernetesAllocationStore;

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      facts = new CostFactStore(knex);
      allocations = new KubernetesAllocationStore(knex);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      for (const table of [
        'lexecon_cost_facts',
        'lexecon_cost_days',
        'lexecon_kubernetes_workload_days',
        'lexecon_kubernetes_idle_days',
      ]) {
        await knex(table).delete();
      }
    });

    /** The source as the backend builds it, on `day` (UTC). */
    const source = (day: string, baseUrl = sandbox.opencostUrl) =>
      new OpenCostSource({
        config: { baseUrl, currency: 'USD' },
        upstream: { timeoutMs: 5000, retries: 0 },
        facts,
        allocations,
        now: () => new Date(`${day}T15:00:00Z`),
      });

    /** One day as OpenCost gives it per namespace, read apart from the source. */
    async function rawDay(day: string): Promise<Record<string, RawAllocation>> {
      const query = new URLSearchParams({
        window: `${day}T00:00:00Z,${addDays(day, 1)}T00:00:00Z`,
        aggregate: 'namespace',
        idle: 'true',
      });
      const res = await fetch(`${sandbox.opencostUrl}/allocation?${query}`);
      return ((await res.json()) as { data: Record<string, RawAllocation>[] })
        .data[0];
    }

    const requests = () =>
      sandbox.requests().filter(r => r.source === 'opencost');

    it('stores 13 months by component on its first run, a month per request', async () => {
      const { calendar } = sandbox.opencost;
      const today = calendar.end;
      const run = await source(today).fetch(api);

      expect(run.window).toEqual({ from: calendar.start, to: today });
      expect(run.ranges).toEqual([{ from: calendar.start, to: today }]);
      const days = daysBetween(calendar.start, addDays(today, -1));
      expect(run.requests).toBe(2 * Math.ceil(days.length / DAYS_PER_QUERY));
      expect(requests()).toHaveLength(run.requests);

      const stored = await facts.facts(api.entityRef, calendar.start);
      expect(new Set(stored.map(f => f.day))).toEqual(new Set(days));
      expect(new Set(stored.map(f => f.component))).toEqual(
        new Set([
          'kubernetes-compute',
          'kubernetes-storage',
          'kubernetes-network',
        ]),
      );
      expect(stored.every(f => f.provider === 'opencost' && !f.estimated)).toBe(
        true,
      );
      expect(await facts.coverage(api.entityRef)).toEqual([
        {
          provider: 'opencost',
          lastCompleteDay: addDays(today, -1),
          dataAsOf: new Date(`${today}T15:00:00Z`),
          estimatedDays: [],
        },
      ]);

      const day = '2026-11-03';
      const raw = await rawDay(day);
      const own = NAMESPACES.map(ns => raw[ns]);
      const amount = (component: string) =>
        stored.find(f => f.day === day && f.component === component)?.amount;
      expect(amount('kubernetes-compute')).toBeCloseTo(
        own.reduce((s, a) => s + a.cpuCost + a.ramCost, 0),
        6,
      );
      expect(amount('kubernetes-storage')).toBeCloseTo(
        own.reduce((s, a) => s + a.pvCost, 0),
        6,
      );
      expect(amount('kubernetes-network')).toBeCloseTo(
        own.reduce((s, a) => s + a.networkCost, 0),
        6,
      );
    });

    it("keeps each workload's requests and use, and the service's share of idle cost apart", async () => {
      const today = sandbox.opencost.calendar.end;
      await source(today).fetch(api);
      const from = addDays(today, -30);
      const utilisation = await allocations.utilisation(
        api.entityRef,
        from,
        addDays(today, -1),
      );
      const { namespace, controller } = sandbox.opencost.oversized;
      expect(utilisation.map(u => u.workload)).toEqual([
        `${namespace}/deployment:${controller}`,
        `lexecon-staging/__unallocated__`,
        `lexecon-staging/deployment:${controller}`,
      ]);
      const [oversized, , staging] = utilisation;
      expect(
        oversized.cpu.usedCores / oversized.cpu.requestedCores,
      ).toBeLessThan(0.15);
      expect(
        staging.cpu.usedCores / staging.cpu.requestedCores,
      ).toBeGreaterThan(0.45);
      expect(oversized.cpu.monthlyCost).toBeGreaterThan(
        staging.cpu.monthlyCost,
      );
      expect(oversized.memory.requestedBytes).toBeGreaterThan(
        oversized.memory.usedBytes,
      );

      const idle = await allocations.idle(api.entityRef, from);
      expect(idle.map(i => i.day)).toEqual(
        daysBetween(from, addDays(today, -1)),
      );
      const day = '2026-11-03';
      const raw = await rawDay(day);
      const named = Object.entries(raw).filter(([n]) => n !== '__idle__');
      const total = (cost: (a: RawAllocation) => number, ns?: string[]) =>
        named
          .filter(([n]) => !ns || ns.includes(n))
          .reduce((s, [, a]) => s + cost(a), 0);
      const cpu = (a: RawAllocation) => a.cpuCost;
      const ram = (a: RawAllocation) => a.ramCost;
      expect(idle.find(i => i.day === day)?.amount).toBeCloseTo(
        (raw.__idle__.cpuCost * total(cpu, NAMESPACES)) / total(cpu) +
          (raw.__idle__.ramCost * total(ram, NAMESPACES)) / total(ram),
        6,
      );
    });

    it('reads only the days since on the next run, and nothing again that day', async () => {
      const { calendar } = sandbox.opencost;
      await source(addDays(calendar.end, -1)).fetch(api);
      sandbox.clearRequests();

      const next = await source(calendar.end).fetch(api);
      expect(next.ranges).toEqual([
        { from: addDays(calendar.end, -1), to: calendar.end },
      ]);
      expect(next.requests).toBe(2);
      const again = await source(calendar.end).fetch(api);
      expect(again.requests).toBe(0);
      expect(requests()).toHaveLength(2);
    });

    it('asks again tomorrow for a recent day OpenCost has not priced yet', async () => {
      const { calendar } = sandbox.opencost;
      // The sandbox's OpenCost has nothing for its own today yet.
      const tomorrow = addDays(calendar.end, 1);
      await source(tomorrow).fetch(api);
      const [coverage] = await facts.coverage(api.entityRef);
      expect(coverage.estimatedDays).toEqual([calendar.end]);
      expect(coverage.lastCompleteDay).toBe(addDays(calendar.end, -1));
      sandbox.clearRequests();

      const next = await source(addDays(tomorrow, 1)).fetch(api);
      expect(next.ranges).toEqual([
        { from: calendar.end, to: addDays(tomorrow, 1) },
      ]);
    });

    it('keeps what it read before OpenCost failed, and resumes from there', async () => {
      const { calendar } = sandbox.opencost;
      const secondQuery = addDays(calendar.start, DAYS_PER_QUERY);
      sandbox.setFaults([
        {
          source: 'opencost',
          kind: '5xx',
          status: 503,
          pathPattern: `window=${secondQuery}`,
          times: 1,
        },
      ]);
      const failed = source(calendar.end).fetch(api);
      await expect(failed).rejects.toBeInstanceOf(UpstreamError);
      await expect(failed).rejects.toThrow(
        `OpenCost failed to answer the allocations from ${secondQuery} to ${addDays(
          secondQuery,
          DAYS_PER_QUERY,
        )} (HTTP 503)`,
      );
      const kept = await facts.storedDays(
        api.entityRef,
        'opencost',
        calendar.start,
      );
      expect(kept.map(d => d.day)).toEqual(
        daysBetween(calendar.start, addDays(secondQuery, -1)),
      );

      const resumed = await source(calendar.end).fetch(api);
      expect(resumed.ranges).toEqual([{ from: secondQuery, to: calendar.end }]);
    });

    it('names the annotation or the setting it lacks, and reads nothing then', async () => {
      const withoutNamespaces = { ...api, opencostNamespaces: undefined };
      expect(
        source(NOW.toISOString().slice(0, 10)).notConfiguredReason(
          withoutNamespaces,
        )?.missingAnnotations,
      ).toEqual(['lexecon.io/kubernetes-namespaces']);
      const off = new OpenCostSource({
        upstream: { timeoutMs: 5000, retries: 0 },
        facts,
        allocations,
      });
      expect(off.notConfiguredReason(api)?.message).toMatch(
        /^OpenCost is not configured: set lexecon.opencost.baseUrl/,
      );
      await expect(off.fetch(api)).rejects.toThrow(/not configured/);
      expect(requests()).toHaveLength(0);
    });
  },
);
