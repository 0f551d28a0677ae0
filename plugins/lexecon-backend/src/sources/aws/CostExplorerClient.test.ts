import { COST_COMPONENTS, Sandbox, startSandbox } from '@internal/sandbox';
import { createServer } from 'node:net';
import {
  CostExplorerClient,
  CostExplorerError,
  CostExplorerOptions,
} from './CostExplorerClient';

const NOW = new Date('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

describe('CostExplorerClient (the AWS SDK) against the sandbox', () => {
  let sandbox: Sandbox;
  const clients: CostExplorerClient[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
  });
  afterAll(async () => {
    clients.forEach(c => c.destroy());
    await sandbox.stop();
  });
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  const client = (options: Partial<CostExplorerOptions> = {}) => {
    const c = new CostExplorerClient({
      endpoint: sandbox.awsUrl,
      credentials: {
        accessKeyId: sandbox.awsAccessKeyId,
        secretAccessKey: sandbox.awsSecretAccessKey,
      },
      ...options,
    });
    clients.push(c);
    return c;
  };

  async function failure(
    promise: Promise<unknown>,
  ): Promise<CostExplorerError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CostExplorerError);
    return error as CostExplorerError;
  }

  it('reads 13 months of the Lexecon API’s daily cost by component through every page, the latest days estimated', async () => {
    const { calendar, anomaly } = sandbox.awsCosts;
    const { rows, requests } = await client().dailyCostByComponent(
      'lexecon-api',
      calendar.start,
      calendar.end,
    );

    const days = (ms(calendar.end) - ms(calendar.start)) / DAY;
    expect(requests).toBeGreaterThan(1);
    expect(sandbox.requests()).toEqual(
      Array.from({ length: requests }, () =>
        expect.objectContaining({ source: 'aws', method: 'POST', status: 200 }),
      ),
    );
    expect(rows).toHaveLength(days * 6);
    expect(new Set(rows.map(r => r.component))).toEqual(
      new Set(COST_COMPONENTS),
    );
    expect(rows[0]).toEqual({
      day: calendar.start,
      component: expect.any(String),
      amount: expect.any(Number),
      unit: 'USD',
      estimated: false,
    });
    expect(rows[rows.length - 1].day).toBe(dayOf(ms(calendar.end) - DAY));
    expect(
      [...new Set(rows.filter(r => r.estimated).map(r => r.day))].sort(),
    ).toEqual([
      dayOf(ms(calendar.end) - 2 * DAY),
      dayOf(ms(calendar.end) - DAY),
    ]);

    const backups = (from: string, to: string) =>
      rows
        .filter(
          r =>
            r.component === 'database-backups' && r.day >= from && r.day <= to,
        )
        .map(r => r.amount);
    const before = backups(
      dayOf(ms(anomaly.start) - 7 * DAY),
      dayOf(ms(anomaly.start) - DAY),
    );
    const during = backups(anomaly.start, anomaly.end);
    expect(during).toHaveLength(5);
    expect(Math.min(...during)).toBeGreaterThan(3 * Math.max(...before));
  });

  it('takes the end date as exclusive, as Cost Explorer does', async () => {
    const { calendar } = sandbox.awsCosts;
    const from = dayOf(ms(calendar.end) - 10 * DAY);
    const { rows, requests } = await client().dailyCostByComponent(
      'policy-engine',
      from,
      dayOf(ms(from) + 3 * DAY),
    );
    expect(requests).toBe(1);
    expect([...new Set(rows.map(r => r.day))]).toEqual([
      from,
      dayOf(ms(from) + DAY),
      dayOf(ms(from) + 2 * DAY),
    ]);
  });

  it('says when credentials are rejected, without the secret', async () => {
    const { calendar } = sandbox.awsCosts;
    const secret = 'wrong-secret-access-key-1234567890';
    const error = await failure(
      client({
        credentials: {
          accessKeyId: sandbox.awsAccessKeyId,
          secretAccessKey: secret,
        },
        maxAttempts: 1,
      }).dailyCostByComponent('lexecon-api', calendar.start, calendar.end),
    );
    expect(error.reason).toBe('credentials');
    expect(error.message).toMatch(
      /^AWS rejected the Cost Explorer credentials \(InvalidSignatureException\) while reading the daily costs of lexecon-api/,
    );
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(sandbox.awsAccessKeyId);

    const unknown = await failure(
      client({
        credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: secret },
        maxAttempts: 1,
      }).dailyCostByComponent('lexecon-api', calendar.start, calendar.end),
    );
    expect(unknown.reason).toBe('credentials');
    expect(unknown.message).toContain('UnrecognizedClientException');
  });

  it('says when Cost Explorer throttles, after the SDK’s own retries; one throttled attempt is retried away', async () => {
    const { calendar } = sandbox.awsCosts;
    const period = [dayOf(ms(calendar.end) - 3 * DAY), calendar.end] as const;
    sandbox.setFaults([{ source: 'aws', kind: '429', times: 2 }]);
    const error = await failure(
      client({ maxAttempts: 2 }).dailyCostByComponent('lexecon-api', ...period),
    );
    expect(error.reason).toBe('throttled');
    expect(error.message).toBe(
      `AWS Cost Explorer is throttling requests (LimitExceededException) while reading the daily costs of lexecon-api from ${period[0]} to ${period[1]} (exclusive): the next scheduled run tries again`,
    );
    expect(sandbox.requests().map(r => r.status)).toEqual([400, 400]);

    sandbox.clearRequests();
    sandbox.setFaults([{ source: 'aws', kind: '429', times: 1 }]);
    const { rows } = await client({ maxAttempts: 2 }).dailyCostByComponent(
      'lexecon-api',
      ...period,
    );
    expect(rows).toHaveLength(3 * 6);
    expect(sandbox.requests().map(r => r.status)).toEqual([400, 200]);
  });

  it('says when the period is older than the data Cost Explorer keeps', async () => {
    const { calendar } = sandbox.awsCosts;
    const error = await failure(
      client().dailyCostByComponent(
        'lexecon-api',
        dayOf(ms(calendar.start) - 30 * DAY),
        calendar.start,
      ),
    );
    expect(error.reason).toBe('data-unavailable');
    expect(error.message).toContain('(DataUnavailableException)');
  });

  it('says when Cost Explorer cannot be reached, naming the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise(resolve => closed.close(resolve));
    const { calendar } = sandbox.awsCosts;
    const error = await failure(
      client({
        endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1,
      }).dailyCostByComponent('lexecon-api', calendar.start, calendar.end),
    );
    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain(`at 127.0.0.1:${port}`);
  });
});
