import {
  costCalendar,
  CostCalendar,
  dayMs,
  dayString,
} from '../aws/costLedger';
import type { Portfolio } from '../portfolio/portfolio';
import { DAY, Prng } from '../random';

/** OpenCost's default on-demand prices (its `default.json`): per core-hour, GiB-hour of RAM and of disk. */
export const CPU_HOURLY = 0.031611;
export const RAM_GIB_HOURLY = 0.004237;
export const PV_GIB_HOURLY = 0.00005479452;
export const GIB = 1024 ** 3;
export const CLUSTER = 'cluster-one';

/** The labels and names OpenCost aggregates by; absent ones aggregate as `__unallocated__`. */
export interface WorkloadProperties {
  cluster: string;
  node: string;
  namespace: string;
  controllerKind?: string;
  controller?: string;
  pod: string;
  container: string;
  labels: Record<string, string>;
}

/** One workload's requests and typical use (all replicas together), drawn once. */
export interface Workload {
  properties: WorkloadProperties;
  cpuRequest: number;
  /** Share of the request used on an ordinary day. */
  cpuUse: number;
  ramRequestBytes: number;
  ramUse: number;
  pvBytes: number;
  networkDaily: number;
}

/** One workload's averages and costs over one whole UTC day. */
export interface WorkloadDay {
  cpuCoreRequestAverage: number;
  cpuCoreUsageAverage: number;
  ramByteRequestAverage: number;
  ramByteUsageAverage: number;
  pvBytes: number;
  networkCost: number;
}

/** Idle capacity on top of the allocated cores and bytes: nodes are bought in whole sizes. */
export const IDLE_CPU_SHARE = 0.45;
export const IDLE_RAM_SHARE = 0.35;
const MONTHLY_GROWTH = 0.01;

/** The seeded oversized workload: the Lexecon API asks for far more CPU than it uses. */
export interface OversizedWorkload {
  namespace: string;
  controller: string;
  cpuUse: number;
}

function service(
  name: string,
  namespace: string,
  replicas: number,
  prng: Prng,
  production: boolean,
): Workload {
  const node = `ip-10-0-${prng.int(1, 9)}-${prng.int(10, 250)}.ec2.internal`;
  return {
    properties: {
      cluster: CLUSTER,
      node,
      namespace,
      controllerKind: 'deployment',
      controller: name,
      pod: `${name}-${prng.int(100000, 999999).toString(16)}`,
      container: name,
      labels: { app: name, app_kubernetes_io_name: name },
    },
    cpuRequest: replicas * (production ? 1 : 0.5),
    cpuUse: 0.55 + prng.next() * 0.3,
    ramRequestBytes: replicas * (production ? 2 : 1) * GIB,
    ramUse: 0.6 + prng.next() * 0.3,
    pvBytes: production ? 50 * GIB : 0,
    networkDaily: production ? 1 + prng.next() * 2 : 0.2,
  };
}

/**
 * The cluster's workloads: each service's Deployment in its staging and production namespace
 * (replicas as the Kubernetes stand-in has them), a bare debugging pod with no controller in the
 * Lexecon API's staging namespace, and the system's own; the Lexecon API's production Deployment
 * is the oversized one.
 */
export function seedWorkloads(portfolio: Portfolio): {
  workloads: Workload[];
  oversized: OversizedWorkload;
} {
  const workloads: Workload[] = [];
  const primary = portfolio.primary.service;
  const oversized: OversizedWorkload = {
    namespace: primary.namespaces.production,
    controller: primary.releaseName,
    cpuUse: 0.1,
  };
  for (const { service: s } of portfolio.services) {
    const prng = new Prng(`opencost:${s.name}`);
    for (const env of ['staging', 'production'] as const) {
      const namespace = s.namespaces[env];
      const replicas = s.world.kubeDeployments[namespace]?.replicas ?? 1;
      const w = service(
        s.releaseName,
        namespace,
        replicas,
        prng,
        env === 'production',
      );
      if (namespace === oversized.namespace) {
        w.cpuRequest = replicas * 2;
        w.cpuUse = oversized.cpuUse;
      }
      workloads.push(w);
    }
  }
  const prng = new Prng('opencost:system');
  const debug = service(
    'debug-shell',
    primary.namespaces.staging,
    1,
    prng,
    false,
  );
  delete debug.properties.controller;
  delete debug.properties.controllerKind;
  debug.properties.pod = 'debug-shell';
  debug.cpuRequest = 0.1;
  workloads.push(debug);
  const coredns = service('coredns', 'kube-system', 2, prng, false);
  const proxy = service('kube-proxy', 'kube-system', 3, prng, false);
  proxy.properties.controllerKind = 'daemonset';
  workloads.push(coredns, proxy);
  return { workloads, oversized };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * What OpenCost has allocated: 13 months of whole UTC days up to the seed clock's day (not
 * included), each workload's daily averages drawn deterministically from its name and the day.
 */
export class AllocationLedger {
  readonly calendar: CostCalendar;
  readonly workloads: Workload[];
  readonly oversized: OversizedWorkload;
  private readonly cache = new Map<string, WorkloadDay[]>();

  constructor(portfolio: Portfolio) {
    this.calendar = costCalendar(portfolio.primary.service.world.now);
    const seeded = seedWorkloads(portfolio);
    this.workloads = seeded.workloads;
    this.oversized = seeded.oversized;
  }

  /** Whether OpenCost has data for the day starting at `ms`. */
  covers(ms: number): boolean {
    return ms >= dayMs(this.calendar.start) && ms < dayMs(this.calendar.end);
  }

  /** Every workload's day, in the order of `workloads`. */
  day(ms: number): WorkloadDay[] {
    const day = dayString(ms);
    let days = this.cache.get(day);
    if (!days) {
      const months = (ms - dayMs(this.calendar.start)) / (30.44 * DAY);
      const trend = 1 + MONTHLY_GROWTH * months;
      days = this.workloads.map(w => {
        const p = w.properties;
        const prng = new Prng(`opencost:${p.namespace}:${p.pod}:${day}`);
        const noise = () => 1 + (prng.next() - 0.5) * 0.1;
        return {
          cpuCoreRequestAverage: w.cpuRequest,
          cpuCoreUsageAverage: round(w.cpuRequest * w.cpuUse * trend * noise()),
          ramByteRequestAverage: w.ramRequestBytes,
          ramByteUsageAverage: Math.round(
            w.ramRequestBytes * w.ramUse * noise(),
          ),
          pvBytes: w.pvBytes,
          networkCost: round(w.networkDaily * trend * noise()),
        };
      });
      this.cache.set(day, days);
    }
    return days;
  }
}
