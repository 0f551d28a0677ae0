import {
  UnusedResource,
  WorkloadUtilisation,
} from '@internal/plugin-lexecon-common';
import { costOpportunities, OpportunityOptions } from './opportunities';
import { series } from './__fixtures__/dailyCosts';

const GiB = 1024 ** 3;
const options: OpportunityOptions = { lastCompleteDay: '2026-03-31' };

const volume: UnusedResource = {
  id: 'vol-0abc',
  kind: 'unattached-volume',
  component: 'storage',
  provider: 'aws',
  description: 'the unattached 500 GiB volume vol-0abc',
  monthlyCost: 40,
};
const replica: UnusedResource = {
  id: 'db-replica-2',
  kind: 'idle-replica',
  component: 'database',
  provider: 'aws',
  description: 'the idle replica db-replica-2',
  monthlyCost: 300,
};

function workload(
  name: string,
  cpu: [number, number],
  memory: [number, number],
): WorkloadUtilisation {
  return {
    workload: name,
    component: 'compute',
    provider: 'opencost',
    cpu: { requestedCores: cpu[0], usedCores: cpu[1], monthlyCost: 100 },
    memory: {
      requestedBytes: memory[0] * GiB,
      usedBytes: memory[1] * GiB,
      monthlyCost: 50,
    },
  };
}

describe('costOpportunities', () => {
  it('with nothing to go on proposes nothing', () => {
    expect(costOpportunities([], options)).toEqual([]);
  });

  it('saves the whole monthly cost of an unused resource, with the risk of its kind', () => {
    const result = costOpportunities([], {
      ...options,
      unused: [volume, replica],
    });
    expect(result).toEqual([
      {
        id: 'unused:db-replica-2',
        kind: 'unused',
        component: 'database',
        provider: 'aws',
        title: 'Remove the idle replica db-replica-2',
        basis: 'Unused (idle-replica) and billed every month',
        monthlySavings: 300,
        risk: 'medium',
        effort: 'low',
      },
      expect.objectContaining({
        id: 'unused:vol-0abc',
        monthlySavings: 40,
        risk: 'low',
      }),
    ]);
  });

  it('right-sizes a request used under half to its use plus 30%, resource by resource', () => {
    const result = costOpportunities([], {
      ...options,
      utilisation: [
        // CPU 10% used: cut to 0.26 of 2 cores saves 87% of 100; memory 75% used stays.
        workload('api-server', [2, 0.2], [4, 3]),
        // Exactly half used is not oversized.
        workload('worker', [2, 1], [4, 2]),
        // Nothing requested: nothing to cut.
        workload('cron', [0, 0.1], [0, 1]),
      ],
    });
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      id: 'oversized:opencost:api-server',
      kind: 'oversized',
      title: 'Right-size api-server',
      basis: 'CPU 10% used of its request',
      risk: 'medium',
      effort: 'low',
    });
    expect(result[0].monthlySavings).toBeCloseTo(87);
  });

  it('proposes a commitment for cloud spend that is steady over every baseline month', () => {
    const facts = [
      // Steady per day, so 3,100 / 2,800 / 3,100: within 6% of their mean.
      ...series('database', '2026-01-01', '2026-03-31', 100),
      // Growing: 50, 100, 150 a day.
      ...series('compute', '2026-01-01', '2026-01-31', 50),
      ...series('compute', '2026-02-01', '2026-02-28', 100),
      ...series('compute', '2026-03-01', '2026-03-31', 150),
      // Steady but priced by OpenCost: no commitment to buy from it.
      ...series('cluster', '2026-01-01', '2026-03-31', 100, {
        provider: 'opencost',
      }),
      // Appeared in February: not every month.
      ...series('search', '2026-02-01', '2026-03-31', 100, { provider: 'gcp' }),
    ];
    const result = costOpportunities(facts, options);
    expect(result).toEqual([
      {
        id: 'commitment:aws:database',
        kind: 'commitment',
        component: 'database',
        provider: 'aws',
        title: "Commit to database's steady AWS spend",
        basis: '3 months within 6% of their mean; commit to the lowest month',
        monthlySavings: 2800 * 0.2,
        risk: 'medium',
        effort: 'medium',
      },
    ]);
    // One month is no evidence of steadiness.
    expect(costOpportunities(facts, { ...options, months: 1 })).toEqual([]);
  });

  it('orders by savings per effort, then lower risk, then id', () => {
    const facts = series('database', '2026-01-01', '2026-03-31', 100);
    const result = costOpportunities(facts, {
      ...options,
      unused: [
        volume,
        replica,
        { ...volume, id: 'vol-0abd', monthlyCost: 300 },
        { ...volume, id: 'vol-0aaa', monthlyCost: 300, risk: 'high' },
      ],
    });
    // The commitment saves 560 at medium effort: 280 per unit, under 300 at low effort.
    expect(result.map(o => o.id)).toEqual([
      'unused:vol-0abd',
      'unused:db-replica-2',
      'unused:vol-0aaa',
      'commitment:aws:database',
      'unused:vol-0abc',
    ]);
  });

  it("turns Cost Explorer's rightsizing into an unused instance and an oversized one, with AWS's savings", () => {
    const result = costOpportunities([], {
      ...options,
      rightsizing: [
        {
          resourceId: 'i-0aaa',
          instanceName: 'batch-worker',
          component: 'kubernetes-compute',
          action: 'modify',
          currentType: 'm6i.2xlarge',
          targetType: 'm6i.large',
          monthlyCost: 280.32,
          monthlySavings: 210.24,
          currency: 'USD',
          maxCpuPercent: 11.2,
          findings: ['CPU_OVER_PROVISIONED'],
        },
        {
          resourceId: 'i-0bbb',
          action: 'terminate',
          monthlyCost: 70.08,
          monthlySavings: 70.08,
          currency: 'USD',
          findings: [],
        },
      ],
    });
    expect(result).toEqual([
      {
        id: 'rightsizing:aws:i-0aaa',
        kind: 'oversized',
        component: 'kubernetes-compute',
        provider: 'aws',
        title: 'Resize batch-worker (i-0aaa) from m6i.2xlarge to m6i.large',
        basis:
          'AWS Cost Explorer: at most 11.2% CPU over its lookback (CPU_OVER_PROVISIONED)',
        monthlySavings: 210.24,
        risk: 'medium',
        effort: 'medium',
      },
      {
        id: 'unused:aws:i-0bbb',
        kind: 'unused',
        component: 'untagged',
        provider: 'aws',
        title: 'Remove idle instance i-0bbb',
        basis: 'Unused (idle-instance) and billed every month',
        monthlySavings: 70.08,
        risk: 'medium',
        effort: 'low',
      },
    ]);
  });
});
