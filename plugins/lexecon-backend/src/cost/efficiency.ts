// How much of what a workload requests it uses (OpenCost's efficiency).
import {
  WorkloadEfficiency,
  WorkloadUtilisation,
} from '@internal/plugin-lexecon-common';

const ratio = (used: number, requested: number) =>
  requested > 0 ? used / requested : undefined;

/**
 * CPU and memory efficiency per workload, and both weighted by their cost as OpenCost's
 * `totalEfficiency` is; a resource with nothing requested has no efficiency. Least efficient first.
 */
export function workloadEfficiency(
  workloads: WorkloadUtilisation[],
): WorkloadEfficiency[] {
  return workloads
    .map(w => {
      const cpu = ratio(w.cpu.usedCores, w.cpu.requestedCores);
      const memory = ratio(w.memory.usedBytes, w.memory.requestedBytes);
      const weighted = [
        { value: cpu, cost: w.cpu.monthlyCost },
        { value: memory, cost: w.memory.monthlyCost },
      ].filter(r => r.value !== undefined);
      const cost = weighted.reduce((total, r) => total + r.cost, 0);
      const total =
        cost > 0
          ? weighted.reduce((t, r) => t + (r.value ?? 0) * r.cost, 0) / cost
          : undefined;
      return {
        workload: w.workload,
        component: w.component,
        cpu,
        memory,
        total,
        monthlyCost: w.cpu.monthlyCost + w.memory.monthlyCost,
      };
    })
    .sort(
      (a, b) =>
        (a.total ?? Infinity) - (b.total ?? Infinity) ||
        a.workload.localeCompare(b.workload),
    );
}
