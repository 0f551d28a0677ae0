// Savings worth doing: unused resources, oversized workloads and steady spend to commit to.
import {
  AwsRightsizingRecommendation,
  CostEffort,
  CostOpportunity,
  CostProvider,
  CostRisk,
  DailyCostFact,
  UnusedResource,
  WorkloadUtilisation,
} from '@internal/plugin-lexecon-common';
import { BaselineOptions, costBaseline } from './baseline';
import { mean, standardDeviation } from './robustStatistics';

export interface OpportunityOptions extends BaselineOptions {
  unused?: UnusedResource[];
  utilisation?: WorkloadUtilisation[];
  /** Cost Explorer's recommendations: `terminate` is an unused instance, `modify` an oversized one. */
  rightsizing?: AwsRightsizingRecommendation[];
  /** Used over requested under which a resource is oversized; default 0.5. */
  oversizedBelow?: number;
  /** Requests are cut to use times this, not to use itself; default 1.3. */
  headroom?: number;
  /** Monthly totals varying less than this (standard deviation over mean) are steady; default 0.1. */
  steadyBelow?: number;
  /** What a one-year commitment saves on the committed amount; default 0.2. */
  commitmentDiscount?: number;
}

/** Providers that sell commitments (savings plans, committed use); OpenCost prices a cluster. */
const COMMITTED: CostProvider[] = ['aws', 'gcp'];

const UNUSED_RISK: Record<UnusedResource['kind'], CostRisk> = {
  // A snapshot before deleting keeps the data.
  'unattached-volume': 'low',
  'idle-load-balancer': 'low',
  // An idle replica may be someone's failover.
  'idle-replica': 'medium',
  // AWS judges idleness over a 14-day lookback: a monthly batch job looks idle too.
  'idle-instance': 'medium',
  other: 'medium',
};

const EFFORT_WEIGHT: Record<CostEffort, number> = {
  low: 1,
  medium: 2,
  high: 3,
};
const RISK_WEIGHT: Record<CostRisk, number> = { low: 1, medium: 2, high: 3 };

function unusedOpportunity(resource: UnusedResource): CostOpportunity {
  return {
    id: `unused:${resource.id}`,
    kind: 'unused',
    component: resource.component,
    provider: resource.provider,
    title: `Remove ${resource.description}`,
    basis: `Unused (${resource.kind}) and billed every month`,
    monthlySavings: resource.monthlyCost,
    risk: resource.risk ?? UNUSED_RISK[resource.kind],
    effort: resource.effort ?? 'low',
  };
}

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

function oversizedOpportunity(
  workload: WorkloadUtilisation,
  options: OpportunityOptions,
): CostOpportunity | undefined {
  const below = options.oversizedBelow ?? 0.5;
  const headroom = options.headroom ?? 1.3;
  const resources = [
    {
      name: 'CPU',
      ...workload.cpu,
      requested: workload.cpu.requestedCores,
      used: workload.cpu.usedCores,
    },
    {
      name: 'memory',
      ...workload.memory,
      requested: workload.memory.requestedBytes,
      used: workload.memory.usedBytes,
    },
  ].filter(r => r.requested > 0 && r.used / r.requested < below);
  const savings = resources.map(r => ({
    ...r,
    saved: r.monthlyCost * Math.max(0, 1 - (r.used * headroom) / r.requested),
  }));
  const monthlySavings = savings.reduce((total, r) => total + r.saved, 0);
  if (monthlySavings <= 0) return undefined;
  return {
    id: `oversized:${workload.provider}:${workload.workload}`,
    kind: 'oversized',
    component: workload.component,
    provider: workload.provider,
    title: `Right-size ${workload.workload}`,
    basis: savings
      .map(
        r => `${r.name} ${percent(r.used / r.requested)} used of its request`,
      )
      .join('; '),
    monthlySavings,
    // Requests cut too far throttle CPU or kill the pod for memory.
    risk: 'medium',
    effort: 'low',
  };
}

/** What the cost facts call resources without a component tag. */
const UNTAGGED = 'untagged';

const instanceName = (r: AwsRightsizingRecommendation) =>
  r.instanceName ? `${r.instanceName} (${r.resourceId})` : r.resourceId;

/** AWS's view of an EC2 instance: stopped when idle, moved to its smaller type when oversized. */
function rightsizingOpportunity(
  r: AwsRightsizingRecommendation,
): CostOpportunity {
  const cpu =
    r.maxCpuPercent === undefined
      ? 'CPU use unknown'
      : `at most ${r.maxCpuPercent}% CPU`;
  if (r.action === 'terminate') {
    return unusedOpportunity({
      id: `aws:${r.resourceId}`,
      kind: 'idle-instance',
      component: r.component ?? UNTAGGED,
      provider: 'aws',
      description: `idle instance ${instanceName(r)}`,
      monthlyCost: r.monthlySavings,
    });
  }
  return {
    id: `rightsizing:aws:${r.resourceId}`,
    kind: 'oversized',
    component: r.component ?? UNTAGGED,
    provider: 'aws',
    title: `Resize ${instanceName(r)} from ${r.currentType ?? 'its type'} to ${
      r.targetType ?? 'a smaller type'
    }`,
    basis: `AWS Cost Explorer: ${cpu} over its lookback (${
      r.findings.join(', ') || 'no finding given'
    })`,
    monthlySavings: r.monthlySavings,
    // A smaller instance type is a restart and less headroom at peaks.
    risk: 'medium',
    effort: 'medium',
  };
}

function commitmentOpportunities(
  facts: DailyCostFact[],
  options: OpportunityOptions,
): CostOpportunity[] {
  const steadyBelow = options.steadyBelow ?? 0.1;
  const discount = options.commitmentDiscount ?? 0.2;
  return COMMITTED.flatMap(provider => {
    const baseline = costBaseline(
      facts.filter(f => f.provider === provider),
      options,
    );
    return baseline.components.flatMap(component => {
      const totals = component.months.map(m => m.amount);
      const average = mean(totals);
      const spread = standardDeviation(totals);
      // Every month of the window, at least two, and no month costing nothing.
      if (
        component.excluded.length > 0 ||
        average === undefined ||
        spread === undefined ||
        Math.min(...totals) <= 0 ||
        spread / average >= steadyBelow
      ) {
        return [];
      }
      const floor = Math.min(...totals);
      const opportunity: CostOpportunity = {
        id: `commitment:${provider}:${component.component}`,
        kind: 'commitment',
        component: component.component,
        provider,
        title: `Commit to ${
          component.component
        }'s steady ${provider.toUpperCase()} spend`,
        basis: `${totals.length} months within ${percent(
          spread / average,
        )} of their mean; commit to the lowest month`,
        monthlySavings: floor * discount,
        // A commitment is paid whether the capacity is used or not.
        risk: 'medium',
        effort: 'medium',
      };
      return [opportunity];
    });
  });
}

/**
 * The opportunities, most savings per unit of effort first; at equal value the lower risk, then
 * the id, so the order never depends on the input's.
 */
export function costOpportunities(
  facts: DailyCostFact[],
  options: OpportunityOptions,
): CostOpportunity[] {
  const all = [
    ...(options.unused ?? []).map(unusedOpportunity),
    ...(options.utilisation ?? []).flatMap(
      w => oversizedOpportunity(w, options) ?? [],
    ),
    ...(options.rightsizing ?? []).map(rightsizingOpportunity),
    ...commitmentOpportunities(facts, options),
  ].filter(o => o.monthlySavings > 0);
  const value = (o: CostOpportunity) =>
    o.monthlySavings / EFFORT_WEIGHT[o.effort];
  return all.sort(
    (a, b) =>
      value(b) - value(a) ||
      RISK_WEIGHT[a.risk] - RISK_WEIGHT[b.risk] ||
      a.id.localeCompare(b.id),
  );
}
