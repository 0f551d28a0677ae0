import {
  AwsCostAnomaly,
  CostAcknowledgement,
} from '@internal/plugin-lexecon-common';
import { costAnomalies } from './anomalies';
import { series } from './__fixtures__/dailyCosts';

// Backups at 10, 10.5 or 11 a day (median 10.5), then 40 a day from 10 to 14 March, then back.
const spike = (day: string, index: number) =>
  day >= '2026-03-10' && day <= '2026-03-14' ? 40 : 10 + (index % 3) * 0.5;
const backups = series('backups', '2026-01-01', '2026-03-31', spike);

const awsReport: AwsCostAnomaly = {
  anomalyId: 'aws-anomaly-1',
  component: 'backups',
  start: '2026-03-11',
  end: '2026-03-14',
  impact: 118,
  actual: 160,
  expected: 42,
  maxScore: 0.92,
  rootCauses: [
    {
      service: 'Amazon Relational Database Service',
      region: 'us-east-1',
      usageType: 'USE1-BackupUsage',
      contribution: 118,
    },
  ],
};

describe('costAnomalies', () => {
  it('judges usage before credits: the end of a month of credits is no rise', () => {
    // Compute at 100 a day, with a credit of 40 a day through February (net 60), then none.
    const credited = series('compute', '2026-01-01', '2026-03-31', (d, i) =>
      d < '2026-02-01' || d >= '2026-03-01' ? 100 + (i % 3) : 60 + (i % 3),
    ).map(f =>
      f.day >= '2026-02-01' && f.day < '2026-03-01'
        ? { ...f, credits: -40 }
        : f,
    );
    expect(costAnomalies(credited, {})).toEqual([]);
    // The same net amounts with the credits not reported apart look like a rise on 1 March.
    const netOnly = credited.map(({ credits: _credits, ...f }) => f);
    expect(costAnomalies(netOnly, {}).map(a => a.start)).toEqual([
      '2026-03-01',
    ]);
  });

  it('with no facts finds none', () => {
    expect(costAnomalies([])).toEqual([]);
  });

  it('makes consecutive anomalous days one anomaly with its excess over the median as impact', () => {
    const [anomaly, ...others] = costAnomalies(backups);
    expect(others).toEqual([]);
    expect(anomaly).toMatchObject({
      id: 'portal:aws:backups:2026-03-10',
      source: 'portal',
      detectedBy: ['portal'],
      provider: 'aws',
      component: 'backups',
      start: '2026-03-10',
      end: '2026-03-14',
      actual: 200,
      rootCauses: [{ provider: 'aws', component: 'backups' }],
      estimated: false,
      status: 'open',
    });
    // Each day's expected cost is the median of the 28 before it: 10.5, whatever the spike's
    // own earlier days (5 of 28 cannot move a median).
    expect(anomaly.expected).toBeCloseTo(5 * 10.5);
    expect(anomaly.impact).toBeCloseTo(200 - 5 * 10.5);
    expect(anomaly.maxScore).toBeGreaterThan(3.5);
  });

  it('never alarms on cents, nor on an anomaly whose total excess is under the minimum', () => {
    const cents = series('dns', '2026-01-01', '2026-02-28', (d, i) =>
      d === '2026-02-20' ? 0.9 : 0.01 + (i % 2) * 0.01,
    );
    expect(costAnomalies(cents)).toEqual([]);
    expect(costAnomalies(cents, { minimumImpact: 0 })).toEqual([]);
    const small = series('queue', '2026-01-01', '2026-02-28', (d, i) =>
      d === '2026-02-20' ? 15 : 10 + (i % 2),
    );
    expect(costAnomalies(small)).toEqual([]);
    expect(costAnomalies(small, { minimumImpact: 4 })).toHaveLength(1);
  });

  it('flags a rise on costs that never varied (no spread to score against)', () => {
    const flat = series('storage', '2026-01-01', '2026-02-28', d =>
      d === '2026-02-20' ? 22 : 10,
    );
    const [anomaly] = costAnomalies(flat);
    expect(anomaly).toMatchObject({
      start: '2026-02-20',
      end: '2026-02-20',
      impact: 12,
    });
    expect(anomaly.maxScore).toBeUndefined();
  });

  it('scores costs that are mostly flat with frequent peaks by their mean deviation', () => {
    // Two days in five at 20, the rest at 10: the MAD is 0, the mean deviation 4.
    const peaks = series('batch', '2026-01-01', '2026-02-28', (d, i) => {
      if (d === '2026-02-20') return 25;
      return i % 5 < 2 ? 20 : 10;
    });
    expect(costAnomalies(peaks)).toEqual([]);
  });

  it('does not judge the first days of a component that appears mid-range, nor a fall in cost', () => {
    const fresh = series('search', '2026-03-01', '2026-03-12', d =>
      d >= '2026-03-11' ? 500 : 5,
    );
    expect(costAnomalies(fresh)).toEqual([]);
    const falling = series('db', '2026-01-01', '2026-02-28', d =>
      d >= '2026-02-20' ? 0 : 100,
    );
    expect(costAnomalies(falling)).toEqual([]);
  });

  it('judges estimated days, says so, and never lets them into the expected cost', () => {
    const facts = series(
      'api',
      '2026-01-01',
      '2026-02-28',
      (d, i) => (d >= '2026-02-27' ? 90 : 30 + (i % 2)),
      { estimatedFrom: '2026-02-27' },
    );
    const [anomaly] = costAnomalies(facts);
    expect(anomaly).toMatchObject({
      start: '2026-02-27',
      end: '2026-02-28',
      estimated: true,
    });
    // The 27th expects 30.5 (14 days at 30, 14 at 31). The 28th's window leaves the estimated
    // 27th out: 14 days at 30 and 13 at 31 give 30; with the 27th's 90 in, it would be 30.5.
    expect(anomaly.expected).toBeCloseTo(60.5);
  });

  it("merges AWS's report with the portal's for the same component and days, keeping AWS's root causes", () => {
    const gcp = series('backups', '2026-01-01', '2026-03-31', spike, {
      provider: 'gcp',
    });
    const result = costAnomalies([...backups, ...gcp], {
      awsAnomalies: [awsReport],
    });
    expect(result.map(a => [a.id, a.detectedBy])).toEqual([
      // Ordered by impact: the portal's GCP anomaly (5 days) before AWS's (4 days).
      ['portal:gcp:backups:2026-03-10', ['portal']],
      ['aws-anomaly-1', ['aws', 'portal']],
    ]);
    expect(result[1]).toMatchObject({
      source: 'aws',
      provider: 'aws',
      impact: 118,
      maxScore: 0.92,
      rootCauses: [
        {
          provider: 'aws',
          component: 'backups',
          service: 'Amazon Relational Database Service',
          region: 'us-east-1',
          usageType: 'USE1-BackupUsage',
          contribution: 118,
        },
      ],
    });
  });

  it('keeps an AWS anomaly still open at AWS (no end) and one the portal did not see', () => {
    const result = costAnomalies([], {
      awsAnomalies: [{ ...awsReport, end: undefined, rootCauses: [] }],
    });
    expect(result).toEqual([
      expect.objectContaining({
        id: 'aws-anomaly-1',
        detectedBy: ['aws'],
        end: undefined,
        rootCauses: [{ provider: 'aws', component: 'backups' }],
        status: 'open',
      }),
    ]);
  });

  it('puts acknowledged anomalies after open ones, with the newest acknowledgement, and ties by start', () => {
    const twin = (component: string) =>
      series(component, '2026-01-01', '2026-02-28', (d, i) =>
        d === '2026-02-20' ? 60 : 10 + (i % 2),
      );
    const late = series('z-late', '2026-01-01', '2026-02-28', (d, i) =>
      d === '2026-02-25' ? 60 : 10 + (i % 2),
    );
    const ack = (reason: CostAcknowledgement['reason'], at: string) => ({
      anomalyId: 'portal:aws:b:2026-02-20',
      reason,
      by: 'user:default/jane',
      at,
    });
    const result = costAnomalies([...twin('a'), ...twin('b'), ...late], {
      acknowledgements: [
        ack('expected', '2026-02-21T10:00:00Z'),
        ack('migration', '2026-02-22T10:00:00Z'),
      ],
    });
    expect(result.map(a => [a.component, a.status])).toEqual([
      ['a', 'open'],
      ['z-late', 'open'],
      ['b', 'acknowledged'],
    ]);
    expect(result[2].acknowledgement?.reason).toBe('migration');
  });
});
