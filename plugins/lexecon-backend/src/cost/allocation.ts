// A Kubernetes cost allocation beside the bill: what the cluster's share of the bill went to.
import {
  DailyCostFact,
  KubernetesAllocation,
} from '@internal/plugin-lexecon-common';
import { monthOf } from './calendar';
import { monthFacts } from './monthToDate';
import { sum } from './robustStatistics';

/** The bill's components a Kubernetes allocation divides (nodes, volumes, cluster networking). */
export const isKubernetesComponent = (component: string) =>
  component.startsWith('kubernetes-');

/**
 * This month's allocation per component, and the bill's Kubernetes components over the same days,
 * so a person sees how much of the cluster bill the allocation accounts for. Undefined without any
 * allocation; nothing allocated (no `through`) before the month's first day is over.
 */
export function kubernetesAllocation(
  bill: DailyCostFact[],
  allocated: DailyCostFact[],
  options: {
    today: string;
    idle?: Array<{ day: string; amount: number }>;
  },
): KubernetesAllocation | undefined {
  if (!allocated.length) return undefined;
  const own = monthFacts(allocated, options.today);
  // On a month's first day (or before the provider has its first day), nothing is allocated yet.
  if (!own.length) {
    return { provider: allocated[0].provider, components: [], monthToDate: 0 };
  }
  const through = own
    .map(f => f.day)
    .sort()
    .pop()!;
  const names = [...new Set(own.map(f => f.component))].sort();
  const components = names.map(component => ({
    component,
    monthToDate: sum(
      own.filter(f => f.component === component).map(f => f.amount),
    ),
  }));
  const billed = monthFacts(bill, options.today).filter(
    f => isKubernetesComponent(f.component) && f.day <= through,
  );
  const month = monthOf(options.today);
  const idle = (options.idle ?? []).filter(
    d => monthOf(d.day) === month && d.day <= through,
  );
  return {
    provider: own[0].provider,
    components,
    monthToDate: sum(components.map(c => c.monthToDate)),
    ...(billed.length
      ? { billedMonthToDate: sum(billed.map(f => f.amount)) }
      : {}),
    ...(idle.length
      ? {
          idleMonthToDate: sum(idle.map(d => d.amount)),
        }
      : {}),
    through,
  };
}
