import { serviceAllocationDay } from './allocationFacts';
import { Allocation } from './OpenCostClient';

function allocation(name: string, costs: Partial<Allocation>): Allocation {
  return {
    name,
    window: { start: '2026-11-03T00:00:00Z', end: '2026-11-04T00:00:00Z' },
    start: '2026-11-03T00:00:00Z',
    end: '2026-11-04T00:00:00Z',
    cpuCoreRequestAverage: 1,
    cpuCoreUsageAverage: 0.5,
    cpuCost: 0,
    ramByteRequestAverage: 2 ** 30,
    ramByteUsageAverage: 2 ** 29,
    ramCost: 0,
    pvCost: 0,
    networkCost: 0,
    totalCost: 0,
    ...costs,
  };
}

const byName = (allocations: Allocation[]) =>
  Object.fromEntries(allocations.map(a => [a.name, a]));

/** The namespaces' allocations, and the cluster's (allocated and idle) as OpenCost sums them. */
const set = (allocations: Allocation[]) => {
  const named = allocations.filter(a => a.name !== '__idle__');
  const sum = (cost: (a: Allocation) => number) =>
    named.reduce((s, a) => s + cost(a), 0);
  const [first] = allocations;
  return {
    day: '2026-11-03',
    allocations: byName(named),
    cluster: byName([
      ...allocations.filter(a => a.name === '__idle__'),
      {
        ...first,
        name: 'cluster-one',
        cpuCost: sum(a => a.cpuCost),
        ramCost: sum(a => a.ramCost),
      },
    ]),
  };
};

describe('serviceAllocationDay', () => {
  const cluster = [
    allocation('shop/deployment:web', { cpuCost: 3, ramCost: 1, pvCost: 0.5 }),
    allocation('shop/__unallocated__', { cpuCost: 1, networkCost: 0.25 }),
    allocation('other/deployment:batch', { cpuCost: 4, ramCost: 3 }),
    allocation('__idle__', { cpuCost: 8, ramCost: 2 }),
  ];

  it("adds up the service's namespaces by component and takes its share of idle by resource", () => {
    const day = serviceAllocationDay(set(cluster), ['shop'], 'EUR');

    expect(day.facts).toEqual([
      expect.objectContaining({
        component: 'kubernetes-compute',
        amount: 5,
        currency: 'EUR',
      }),
      expect.objectContaining({ component: 'kubernetes-storage', amount: 0.5 }),
      expect.objectContaining({
        component: 'kubernetes-network',
        amount: 0.25,
      }),
    ]);
    // CPU: 4 of 8 allocated, RAM: 1 of 4.
    expect(day.idle).toBeCloseTo(8 * 0.5 + 2 * 0.25, 9);
    expect(day.workloads.map(w => `${w.namespace} ${w.workload}`)).toEqual([
      'shop deployment:web',
      'shop __unallocated__',
    ]);
    expect(day.estimated).toBe(false);
  });

  it('calls a day OpenCost has not covered to its end estimated', () => {
    const partial = cluster.map(a => ({ ...a, end: '2026-11-03T18:00:00Z' }));
    expect(serviceAllocationDay(set(partial), ['shop'], 'USD').estimated).toBe(
      true,
    );
  });

  it('gives no cost and no idle share to a service with nothing running', () => {
    const day = serviceAllocationDay(set(cluster), ['gone'], 'USD');
    expect(day).toMatchObject({ facts: [], workloads: [], idle: 0 });
  });
});
