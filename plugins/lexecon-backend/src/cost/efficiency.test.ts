import { workloadEfficiency } from './efficiency';

const workload = (
  name: string,
  cpu: [number, number],
  memory: [number, number],
) => ({
  workload: name,
  component: 'compute',
  provider: 'opencost' as const,
  cpu: { requestedCores: cpu[0], usedCores: cpu[1], monthlyCost: 30 },
  memory: { requestedBytes: memory[0], usedBytes: memory[1], monthlyCost: 10 },
});

describe('workloadEfficiency', () => {
  it('with no workloads has none', () => {
    expect(workloadEfficiency([])).toEqual([]);
  });

  it('weights CPU and memory efficiency by their cost, least efficient first', () => {
    const result = workloadEfficiency([
      workload('api', [2, 1], [100, 100]),
      workload('worker', [2, 0.2], [100, 50]),
    ]);
    expect(result).toEqual([
      // (0.1 × 30 + 0.5 × 10) / 40
      {
        workload: 'worker',
        component: 'compute',
        cpu: 0.1,
        memory: 0.5,
        total: 0.2,
        monthlyCost: 40,
      },
      {
        workload: 'api',
        component: 'compute',
        cpu: 0.5,
        memory: 1,
        total: 0.625,
        monthlyCost: 40,
      },
    ]);
  });

  it('gives a resource with nothing requested no efficiency, and leaves it out of the total', () => {
    const [result] = workloadEfficiency([
      workload('cron', [0, 0.1], [100, 25]),
    ]);
    expect(result.cpu).toBeUndefined();
    expect(result.memory).toBe(0.25);
    expect(result.total).toBe(0.25);
  });
});
