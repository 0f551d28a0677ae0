// What one day of OpenCost's allocations says about one service: its cost by component, its
// workloads' requests and use, and its share of the cluster's idle capacity.
import { CostProvider, DailyCostFact } from '@internal/plugin-lexecon-common';
import { WorkloadDay } from '../../cost/KubernetesAllocationStore';
import { Allocation, AllocationSet } from './OpenCostClient';

export const OPENCOST_PROVIDER: CostProvider = 'opencost';
const IDLE = '__idle__';

export interface ServiceAllocationDay {
  day: string;
  /** OpenCost had less than the whole day when it answered (the day is still being scraped). */
  estimated: boolean;
  facts: DailyCostFact[];
  workloads: WorkloadDay[];
  /** The service's share of `__idle__`: idle CPU by its CPU cost, idle RAM by its RAM cost. */
  idle: number;
}

const computeCost = (a: Allocation) => a.cpuCost + a.ramCost + (a.gpuCost ?? 0);
const networkCost = (a: Allocation) =>
  a.networkCost + (a.loadBalancerCost ?? 0);

/** The components a day's allocations add up to, as the Cost Analysis Template names them. */
const COMPONENTS: Array<[string, (a: Allocation) => number]> = [
  ['kubernetes-compute', computeCost],
  ['kubernetes-storage', a => a.pvCost],
  ['kubernetes-network', networkCost],
];

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/**
 * The service's day: the allocations of its namespaces (`<namespace>/<kind>:<name>` or
 * `<namespace>/__unallocated__`), and its share of the cluster's idle cost.
 */
export function serviceAllocationDay(
  set: AllocationSet,
  namespaces: readonly string[],
  currency: string,
): ServiceAllocationDay {
  const workloads: WorkloadDay[] = [];
  const own: Allocation[] = [];
  let clusterCpu = 0;
  let clusterRam = 0;
  let idleCpu = 0;
  let idleRam = 0;
  let dataEnd = '';
  const all = [
    ...Object.values(set.allocations),
    ...Object.values(set.cluster),
  ];
  for (const a of all) if (a.end > dataEnd) dataEnd = a.end;
  for (const [name, a] of Object.entries(set.cluster)) {
    // One cluster's idle is `__idle__`; several clusters' may carry their name in front.
    if (name === IDLE || name.endsWith(`/${IDLE}`)) {
      idleCpu += a.cpuCost;
      idleRam += a.ramCost;
    } else {
      clusterCpu += a.cpuCost;
      clusterRam += a.ramCost;
    }
  }
  for (const [name, a] of Object.entries(set.allocations)) {
    const slash = name.indexOf('/');
    const namespace = slash < 0 ? name : name.slice(0, slash);
    if (!namespaces.includes(namespace)) continue;
    own.push(a);
    workloads.push({
      day: set.day,
      namespace,
      workload: slash < 0 ? '__unallocated__' : name.slice(slash + 1),
      cpuRequestCores: a.cpuCoreRequestAverage,
      cpuUsedCores: a.cpuCoreUsageAverage,
      cpuCost: a.cpuCost,
      ramRequestBytes: a.ramByteRequestAverage,
      ramUsedBytes: a.ramByteUsageAverage,
      ramCost: a.ramCost,
      pvCost: a.pvCost,
      networkCost: networkCost(a),
    });
  }
  const windowEnd = all[0]?.window.end ?? '';
  const ownCpu = own.reduce((s, a) => s + a.cpuCost, 0);
  const ownRam = own.reduce((s, a) => s + a.ramCost, 0);
  const facts = COMPONENTS.map(([component, cost]) => ({
    day: set.day,
    component,
    provider: OPENCOST_PROVIDER,
    amount: own.reduce((s, a) => s + cost(a), 0),
    currency,
    estimated: dataEnd < windowEnd,
  })).filter(f => f.amount > 0);
  return {
    day: set.day,
    estimated: dataEnd < windowEnd,
    facts,
    workloads,
    idle:
      idleCpu * share(ownCpu, clusterCpu) + idleRam * share(ownRam, clusterRam),
  };
}
