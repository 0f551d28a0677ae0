import {
  CostProvider,
  WorkloadUtilisation,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';

/** One workload's day: the provider's averages over it and what each resource cost. */
export interface WorkloadDay {
  day: string;
  namespace: string;
  /** `kind:name` of its controller, or `__unallocated__` for pods without one. */
  workload: string;
  cpuRequestCores: number;
  cpuUsedCores: number;
  cpuCost: number;
  ramRequestBytes: number;
  ramUsedBytes: number;
  ramCost: number;
  pvCost: number;
  networkCost: number;
}

/** One day of an entity's Kubernetes allocation, as one read stores it. */
export interface AllocationDayRead {
  day: string;
  workloads: WorkloadDay[];
  /** The entity's share of the cluster's idle cost. */
  idle: number;
}

/** Rows a query writes at once (SQLite's bound-parameter limit over 14 columns). */
const BATCH = 60;
/** Average days in a month, to turn a daily cost into a monthly one. */
const DAYS_PER_MONTH = 365.25 / 12;

/** Averages come back as numbers or, on PostgreSQL, numeric strings. */
interface UtilisationRow {
  provider: CostProvider;
  namespace: string;
  workload: string;
  cpu_request: unknown;
  cpu_used: unknown;
  cpu_cost: unknown;
  ram_request: unknown;
  ram_used: unknown;
  ram_cost: unknown;
}

const WORKLOADS = 'lexecon_kubernetes_workload_days';
const IDLE = 'lexecon_kubernetes_idle_days';

/**
 * Per entity and day, each workload's requests, use and cost, and the entity's share of idle
 * capacity (OpenCost's `__idle__`), kept apart from the cost facts: the utilisation and the cost
 * per 1,000 decisions read them. A day read again replaces its rows as a whole.
 */
export class KubernetesAllocationStore {
  constructor(private readonly knex: Knex) {}

  async save(
    entityRef: string,
    provider: CostProvider,
    currency: string,
    days: AllocationDayRead[],
  ): Promise<void> {
    if (!days.length) return;
    const key = { entity_ref: entityRef, provider };
    await this.knex.transaction(async trx => {
      const dayNames = days.map(d => d.day);
      for (let i = 0; i < dayNames.length; i += BATCH) {
        const batch = dayNames.slice(i, i + BATCH);
        await trx(WORKLOADS).where(key).whereIn('day', batch).delete();
        await trx(IDLE).where(key).whereIn('day', batch).delete();
      }
      const rows = days.flatMap(d =>
        d.workloads.map(w => ({
          ...key,
          day: w.day,
          namespace: w.namespace,
          workload: w.workload,
          cpu_request_cores: w.cpuRequestCores,
          cpu_used_cores: w.cpuUsedCores,
          cpu_cost: w.cpuCost,
          ram_request_bytes: w.ramRequestBytes,
          ram_used_bytes: w.ramUsedBytes,
          ram_cost: w.ramCost,
          pv_cost: w.pvCost,
          network_cost: w.networkCost,
          currency,
        })),
      );
      for (let i = 0; i < rows.length; i += BATCH) {
        await trx(WORKLOADS).insert(rows.slice(i, i + BATCH));
      }
      const idle = days
        .filter(d => d.idle > 0)
        .map(d => ({ ...key, day: d.day, amount: d.idle, currency }));
      for (let i = 0; i < idle.length; i += BATCH) {
        await trx(IDLE).insert(idle.slice(i, i + BATCH));
      }
    });
  }

  /**
   * Each workload's average request and use over the days from `from` to `to` (both included)
   * that it ran, and its CPU and memory cost per month at that pace.
   */
  async utilisation(
    entityRef: string,
    from: string,
    to: string,
  ): Promise<WorkloadUtilisation[]> {
    const average = (column: string, as: string) =>
      this.knex.raw('AVG(??) AS ??', [column, as]);
    const rows = await this.knex(WORKLOADS)
      .select<UtilisationRow[]>(
        'provider',
        'namespace',
        'workload',
        average('cpu_request_cores', 'cpu_request'),
        average('cpu_used_cores', 'cpu_used'),
        average('cpu_cost', 'cpu_cost'),
        average('ram_request_bytes', 'ram_request'),
        average('ram_used_bytes', 'ram_used'),
        average('ram_cost', 'ram_cost'),
      )
      .where({ entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .andWhere('day', '<=', to)
      .groupBy('provider', 'namespace', 'workload')
      .orderBy(['namespace', 'workload']);
    return rows.map(row => ({
      workload: `${row.namespace}/${row.workload}`,
      component: 'kubernetes-compute',
      provider: row.provider,
      cpu: {
        requestedCores: Number(row.cpu_request),
        usedCores: Number(row.cpu_used),
        monthlyCost: Number(row.cpu_cost) * DAYS_PER_MONTH,
      },
      memory: {
        requestedBytes: Number(row.ram_request),
        usedBytes: Number(row.ram_used),
        monthlyCost: Number(row.ram_cost) * DAYS_PER_MONTH,
      },
    }));
  }

  /** The entity's share of idle cost per day from `from` on, oldest first. */
  async idle(
    entityRef: string,
    from: string,
  ): Promise<Array<{ day: string; amount: number }>> {
    const rows = await this.knex(IDLE)
      .select<Array<{ day: string; amount: unknown }>>(
        'day',
        this.knex.raw('SUM(amount) AS amount'),
      )
      .where({ entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .groupBy('day')
      .orderBy('day');
    return rows.map(row => ({ day: row.day, amount: Number(row.amount) }));
  }
}
