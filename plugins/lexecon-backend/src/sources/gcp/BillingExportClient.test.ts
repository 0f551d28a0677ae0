import { Sandbox, startSandbox } from '@internal/sandbox';
import { daysBetween, addDays } from '../../cost/calendar';
import {
  BillingExportClient,
  BillingExportError,
  BillingExportOptions,
} from './BillingExportClient';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('BillingExportClient against the sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  function client(options: Partial<BillingExportOptions> = {}) {
    const b = sandbox.gcpBilling;
    return new BillingExportClient({
      projectId: b.projectId,
      table: `${b.dataset}.${b.table}`,
      location: b.location,
      maximumBytesBilled: 1024 ** 3,
      componentLabel: 'component',
      apiEndpoint: sandbox.bigqueryUrl,
      accessToken: sandbox.bigqueryToken,
      maxRetries: 1,
      maxRetryDelaySeconds: 0.01,
      ...options,
    });
  }

  const calls = () =>
    sandbox
      .requests()
      .filter(r => r.source === 'bigquery')
      .map(r => `${r.method} ${r.path.split('?')[0]} ${r.status}`);

  it('waits for a job left incomplete, then reads its rows', async () => {
    const { calendar } = sandbox.gcpBilling;
    const costs = await client().dailyCosts(
      ['service=lexecon-api'],
      calendar.start,
      calendar.end,
    );
    const days = daysBetween(calendar.start, addDays(calendar.end, -1));
    // Five labelled components and the unlabelled SKU on every day.
    expect(costs).toHaveLength(days.length * 6);
    expect([...new Set(costs.map(c => c.day))]).toEqual(days);
    expect(new Set(costs.map(c => c.component))).toEqual(
      new Set([
        undefined,
        'database-backups',
        'database-primary',
        'kubernetes-compute',
        'monitoring',
        'storage',
      ]),
    );
    expect(calls()).toEqual([
      'POST /bigquery/v2/projects/lexecon-billing/queries 200',
      expect.stringMatching(
        /^GET \/bigquery\/v2\/projects\/lexecon-billing\/queries\/job_\w+ 200$/,
      ),
    ]);
  });

  it('follows pageToken past the first page of maxResults rows', async () => {
    const costs = await client({ pageRows: 50 }).dailyCosts(
      ['service=lexecon-api'],
      '2026-10-01',
      '2026-10-31',
    );
    expect(costs).toHaveLength(30 * 6);
    expect(costs[179]).toMatchObject({
      day: '2026-10-30',
      component: 'storage',
    });
    const paths = sandbox.requests().map(r => r.path);
    expect(paths).toHaveLength(2);
    expect(paths[1]).toMatch(/\/queries\/job_\w+\?.*pageToken=/);
  });

  it('returns the credits of the month that has them apart from the gross cost', async () => {
    const month = sandbox.gcpBilling.creditMonth;
    const costs = await client().dailyCosts(
      ['service=lexecon-api', 'component=kubernetes-compute'],
      `${month}-01`,
      `${month}-03`,
    );
    expect(costs.map(c => c.component)).toEqual([
      'kubernetes-compute',
      'kubernetes-compute',
    ]);
    for (const c of costs) {
      expect(c.cost).toBeGreaterThan(0);
      expect(c.credits).toBeCloseTo(-0.4 * c.cost, 4);
      expect(c.currency).toBe('USD');
    }
  });

  it('says which setting to raise when the query would bill more than maximumBytesBilled', async () => {
    const read = client({ maximumBytesBilled: 1_000_000 }).dailyCosts(
      ['service=lexecon-api'],
      '2026-11-01',
      '2026-11-02',
    );
    await expect(read).rejects.toThrow(BillingExportError);
    await expect(read).rejects.toThrow(
      /lexecon\.gcp\.billing\.maximumBytesBilled \(1000000 bytes\): Query exceeded limit for bytes billed: 1000000\. 10485760 or higher required\./,
    );
  });

  it('retries a failed request, and names the credentials BigQuery refuses', async () => {
    sandbox.setFaults([
      { source: 'bigquery', kind: '5xx', status: 503, times: 1 },
    ]);
    const costs = await client().dailyCosts(
      ['service=lexecon-api'],
      '2026-11-01',
      '2026-11-02',
    );
    expect(costs).toHaveLength(6);
    expect(calls().map(c => c.split(' ').pop())).toEqual(['503', '200']);

    await expect(
      client({ accessToken: 'expired-token' }).dailyCosts(
        ['service=lexecon-api'],
        '2026-11-01',
        '2026-11-02',
      ),
    ).rejects.toThrow(
      /^BigQuery refused the backend's credentials \(.*\); it needs roles\/bigquery\.jobUser on lexecon-billing/,
    );
  });
});
