import { DAY } from '../random';
import { AllocationQuery, stepWindows } from './allocationQuery';
import {
  AllocationLedger,
  CLUSTER,
  CPU_HOURLY,
  GIB,
  IDLE_CPU_SHARE,
  IDLE_RAM_SHARE,
  PV_GIB_HOURLY,
  RAM_GIB_HOURLY,
  Workload,
  WorkloadProperties,
} from './workloads';

const IDLE = '__idle__';
const UNALLOCATED = '__unallocated__';

/** Sums over a set's window, in resource-hours, before they become OpenCost's averages and costs. */
interface Totals {
  properties: Record<string, unknown>;
  hours: number;
  cpuCoreHours: number;
  cpuRequestHours: number;
  cpuUsageHours: number;
  ramByteHours: number;
  ramRequestHours: number;
  ramUsageHours: number;
  pvByteHours: number;
  networkCost: number;
  /** Idle cost shared in (`shareIdle`). */
  cpuIdleCost: number;
  ramIdleCost: number;
}

const empty = (properties: Record<string, unknown>, hours: number): Totals => ({
  properties,
  hours,
  cpuCoreHours: 0,
  cpuRequestHours: 0,
  cpuUsageHours: 0,
  ramByteHours: 0,
  ramRequestHours: 0,
  ramUsageHours: 0,
  pvByteHours: 0,
  networkCost: 0,
  cpuIdleCost: 0,
  ramIdleCost: 0,
});

/** Prometheus-sanitised, as OpenCost reports label names (`app.kubernetes.io/name` → `app_kubernetes_io_name`). */
const sanitise = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

function keyPart(p: WorkloadProperties, property: string): string | undefined {
  if (property === 'controller') {
    return p.controller && `${p.controllerKind}:${p.controller}`;
  }
  if (property.startsWith('label:')) {
    return p.labels[sanitise(property.slice('label:'.length))];
  }
  if (property.startsWith('annotation:') || property === 'service') {
    return undefined;
  }
  return (p as unknown as Record<string, string | undefined>)[property];
}

/** The allocation's name under the aggregation, and the properties all its members share. */
function aggregateKey(
  w: Workload,
  aggregate: string[],
): { key: string; properties: Record<string, unknown> } {
  const p = w.properties;
  if (aggregate.length === 0) {
    return {
      key: [p.cluster, p.node, p.namespace, p.pod, p.container].join('/'),
      properties: { ...p },
    };
  }
  const parts = aggregate.map(a => keyPart(p, a));
  const properties: Record<string, unknown> = { cluster: p.cluster };
  aggregate.forEach((a, i) => {
    if (parts[i] === undefined || a.includes(':')) return;
    properties[a] = (p as unknown as Record<string, unknown>)[a];
    if (a === 'controller') properties.controllerKind = p.controllerKind;
  });
  const key = parts.every(part => part === undefined)
    ? UNALLOCATED
    : parts.map(part => part ?? UNALLOCATED).join('/');
  return { key, properties };
}

function addWorkloads(
  ledger: AllocationLedger,
  q: AllocationQuery,
  window: [number, number],
  sets: Map<string, Totals>,
): number {
  let hours = 0;
  const firstDay = window[0] - (window[0] % DAY);
  const overlaps: Array<{ day: number; hours: number }> = [];
  for (let day = firstDay; day < window[1]; day += DAY) {
    const overlap = Math.min(window[1], day + DAY) - Math.max(window[0], day);
    if (overlap > 0 && ledger.covers(day)) {
      overlaps.push({ day, hours: overlap / 3_600_000 });
      hours += overlap / 3_600_000;
    }
  }
  ledger.workloads.forEach((w, i) => {
    if (!q.filter.every(f => f.values.includes(w.properties[f.property]))) {
      return;
    }
    const { key, properties } = aggregateKey(w, q.aggregate);
    for (const { day, hours: h } of overlaps) {
      const d = ledger.day(day)[i];
      const t = sets.get(key) ?? empty(properties, hours);
      sets.set(key, t);
      const cpu = Math.max(d.cpuCoreRequestAverage, d.cpuCoreUsageAverage);
      const ram = Math.max(d.ramByteRequestAverage, d.ramByteUsageAverage);
      t.cpuCoreHours += cpu * h;
      t.cpuRequestHours += d.cpuCoreRequestAverage * h;
      t.cpuUsageHours += d.cpuCoreUsageAverage * h;
      t.ramByteHours += ram * h;
      t.ramRequestHours += d.ramByteRequestAverage * h;
      t.ramUsageHours += d.ramByteUsageAverage * h;
      t.pvByteHours += d.pvBytes * h;
      t.networkCost += (d.networkCost * h) / 24;
    }
  });
  return hours;
}

const cpuCost = (t: Totals) => t.cpuCoreHours * CPU_HOURLY + t.cpuIdleCost;
const ramCost = (t: Totals) =>
  (t.ramByteHours / GIB) * RAM_GIB_HOURLY + t.ramIdleCost;

/** The cluster's idle capacity over the window: what its nodes cost beyond every allocation. */
function idleTotals(sets: Map<string, Totals>, hours: number): Totals {
  const idle = empty({ cluster: CLUSTER }, hours);
  for (const t of sets.values()) {
    idle.cpuCoreHours += t.cpuCoreHours * IDLE_CPU_SHARE;
    idle.ramByteHours += t.ramByteHours * IDLE_RAM_SHARE;
  }
  return idle;
}

/** `shareIdle`: each allocation takes idle CPU and RAM cost in proportion to its own. */
function shareIdle(sets: Map<string, Totals>, idle: Totals): void {
  const all = [...sets.values()];
  const cpu = all.reduce((s, t) => s + cpuCost(t), 0);
  const ram = all.reduce((s, t) => s + ramCost(t), 0);
  const idleCpu = cpuCost(idle);
  const idleRam = ramCost(idle);
  for (const t of all) {
    t.cpuIdleCost = cpu > 0 ? (idleCpu * cpuCost(t)) / cpu : 0;
    t.ramIdleCost = ram > 0 ? (idleRam * ramCost(t)) / ram : 0;
  }
}

/** Use over request; OpenCost calls use with nothing requested fully efficient. */
function efficiency(usage: number, request: number): number {
  if (request > 0) return usage / request;
  return usage > 0 ? 1 : 0;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** One allocation in OpenCost's JSON, every number a float as its Go encoder writes it. */
function allocation(
  name: string,
  t: Totals,
  window: [number, number],
  idle: boolean,
) {
  const hours = t.hours;
  const per = (n: number) => (hours > 0 ? n / hours : 0);
  const cpu = cpuCost(t);
  const ram = ramCost(t);
  const pv = (t.pvByteHours / GIB) * PV_GIB_HOURLY;
  const cpuEfficiency = idle
    ? 0
    : efficiency(t.cpuUsageHours, t.cpuRequestHours);
  const ramEfficiency = idle
    ? 0
    : efficiency(t.ramUsageHours, t.ramRequestHours);
  const dataEnd = window[0] + hours * 3_600_000;
  return {
    name,
    properties: t.properties,
    window: { start: iso(window[0]), end: iso(window[1]) },
    start: iso(window[0]),
    end: iso(dataEnd),
    minutes: hours * 60,
    cpuCores: per(t.cpuCoreHours),
    cpuCoreRequestAverage: per(t.cpuRequestHours),
    cpuCoreUsageAverage: per(t.cpuUsageHours),
    cpuCoreHours: t.cpuCoreHours,
    cpuCost: cpu,
    cpuCostAdjustment: 0,
    cpuEfficiency,
    gpuCount: 0,
    gpuHours: 0,
    gpuCost: 0,
    gpuCostAdjustment: 0,
    networkTransferBytes: 0,
    networkReceiveBytes: 0,
    networkCost: t.networkCost,
    networkCrossZoneCost: 0,
    networkCrossRegionCost: 0,
    networkInternetCost: 0,
    networkCostAdjustment: 0,
    loadBalancerCost: 0,
    loadBalancerCostAdjustment: 0,
    pvBytes: per(t.pvByteHours),
    pvByteHours: t.pvByteHours,
    pvCost: pv,
    pvs: null,
    pvCostAdjustment: 0,
    ramBytes: per(t.ramByteHours),
    ramByteRequestAverage: per(t.ramRequestHours),
    ramByteUsageAverage: per(t.ramUsageHours),
    ramByteHours: t.ramByteHours,
    ramCost: ram,
    ramCostAdjustment: 0,
    ramEfficiency,
    sharedCost: 0,
    externalCost: 0,
    totalCost: cpu + ram + pv + t.networkCost,
    totalEfficiency:
      cpu + ram > 0
        ? (cpuEfficiency * cpu + ramEfficiency * ram) / (cpu + ram)
        : 0,
    rawAllocationOnly: null,
  };
}

export type Allocation = ReturnType<typeof allocation>;

/** `GET /allocation`'s `data`: one map of allocations per step, oldest first. */
export function allocationSets(
  ledger: AllocationLedger,
  q: AllocationQuery,
): Array<Record<string, Allocation>> {
  return stepWindows(q).map(window => {
    const sets = new Map<string, Totals>();
    const hours = addWorkloads(ledger, q, window, sets);
    const out: Record<string, Allocation> = {};
    if (hours === 0) return out;
    const idle = idleTotals(sets, hours);
    if (q.shareIdle) shareIdle(sets, idle);
    for (const [key, t] of [...sets.entries()].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      out[key] = allocation(key, t, window, false);
    }
    if (q.idle && !q.shareIdle)
      out[IDLE] = allocation(IDLE, idle, window, true);
    return out;
  });
}
