import { CostAnomaly } from '@internal/plugin-lexecon-common';
import { costAnomalyEvents } from './costEvents';

const API = 'component:default/lexecon-api';
const TODAY = '2026-03-20';

const anomaly = (overrides: Partial<CostAnomaly> = {}): CostAnomaly => ({
  id: 'b1a3c0de-aws',
  source: 'aws',
  detectedBy: ['aws', 'portal'],
  provider: 'aws',
  component: 'database-backups',
  start: '2026-03-08',
  end: '2026-03-12',
  impact: 412.6,
  actual: 550.2,
  expected: 137.6,
  maxScore: 6.1,
  rootCauses: [
    {
      provider: 'aws',
      component: 'database-backups',
      service: 'Amazon Relational Database Service',
      usageType: 'USE1-ChargedBackupUsage',
      region: 'us-east-1',
    },
  ],
  estimated: false,
  status: 'open',
  ...overrides,
});

const events = (anomalies: CostAnomaly[], currency = 'USD') =>
  costAnomalyEvents({ entityRef: API, anomalies, currency, today: TODAY });

describe('costAnomalyEvents', () => {
  it('tells the owning team of an open anomaly of the last two weeks, with what it cost and its likely cause', () => {
    const [event] = events([anomaly()]);
    expect(event).toEqual({
      kind: 'cost-anomaly',
      key: `cost-anomaly:${API}:b1a3c0de-aws`,
      audience: { type: 'owner' },
      payload: {
        title:
          'lexecon-api: AWS database-backups costs $413 more than expected',
        description:
          'From 2026-03-08 to 2026-03-12: $550 spent against $138 expected. Likely cause: Amazon Relational Database Service / USE1-ChargedBackupUsage / us-east-1. Acknowledge it on the Cost card if it needs no action.',
        link: '/catalog/default/component/lexecon-api/lexecon',
        scope: `cost-anomaly:${API}:b1a3c0de-aws`,
      },
    });
  });

  it('says an anomaly with no last day is still under way, and keeps its key as it grows', () => {
    const growing = anomaly({
      id: 'portal:aws:compute:2026-02-01',
      end: undefined,
    });
    const [event] = events([growing]);
    expect(event.payload.description).toMatch(
      /^Since 2026-03-08, still under way: /,
    );
    expect(events([{ ...growing, impact: 900 }])[0].key).toBe(event.key);
  });

  it('leaves out anomalies someone acknowledged, those over more than two weeks ago and those that cost nothing more', () => {
    expect(
      events([
        anomaly({ status: 'acknowledged' }),
        anomaly({ start: '2026-02-20', end: '2026-03-05' }),
        anomaly({ impact: 0 }),
      ]),
    ).toEqual([]);
    // The boundary: a last day exactly two weeks back is still told.
    expect(
      events([anomaly({ start: '2026-03-01', end: '2026-03-06' })]),
    ).toHaveLength(1);
  });

  it('names the currency when it is not dollars, and the component when AWS named no service', () => {
    const [event] = events(
      [
        anomaly({
          provider: 'gcp',
          rootCauses: [{ provider: 'gcp', component: 'storage' }],
        }),
      ],
      'EUR',
    );
    expect(event.payload.title).toBe(
      'lexecon-api: GCP database-backups costs 413 EUR more than expected',
    );
    expect(event.payload.description).toContain('Likely cause: storage.');
  });
});
