import { Sandbox, startSandbox } from '../index';
import { DAY } from '../random';
import { CostLedger, dayMs, dayString } from './costLedger';
import { GROUPS_PER_PAGE } from './costAndUsage';
import { sigV4Signature } from './sigv4';

const NOW = new Date('2026-11-20T15:00:00Z');

interface CallOptions {
  target?: string;
  secret?: string;
  accessKeyId?: string;
  region?: string;
  scopeDate?: string;
  authorization?: string;
}

interface Amount {
  Amount: string;
  Unit: string;
}
interface ResultByTime {
  TimePeriod: { Start: string; End: string };
  Total: Record<string, Amount>;
  Groups: { Keys: string[]; Metrics: Record<string, Amount> }[];
  Estimated: boolean;
}
interface CostAndUsage {
  ResultsByTime: ResultByTime[];
  NextPageToken?: string;
}

describe('AWS Cost Explorer (JSON 1.1, SigV4)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: NOW, quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  /** A request signed as an AWS SDK signs it (or, with `opts`, signed wrongly). */
  async function call(body: unknown, opts: CallOptions = {}) {
    const payload = JSON.stringify(body);
    const amzDate = `${NOW.toISOString().replace(/[-:]|\.\d{3}/g, '')}`;
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.1',
      host: new URL(sandbox.awsUrl).host,
      'x-amz-date': amzDate,
      'x-amz-target': `AWSInsightsIndexService.${
        opts.target ?? 'GetCostAndUsage'
      }`,
    };
    const signedHeaders = Object.keys(headers).sort();
    const region = opts.region ?? 'us-east-1';
    const signature = sigV4Signature(
      { method: 'POST', url: '/', headers, body: Buffer.from(payload) },
      {
        secretAccessKey: opts.secret ?? sandbox.awsSecretAccessKey,
        amzDate,
        region,
        service: 'ce',
        signedHeaders,
      },
    );
    const scope = `${opts.scopeDate ?? amzDate.slice(0, 8)}/${region}/ce`;
    const { host: _host, ...sent } = headers;
    const res = await fetch(`${sandbox.awsUrl}/`, {
      method: 'POST',
      headers: {
        ...sent,
        authorization:
          opts.authorization ??
          `AWS4-HMAC-SHA256 Credential=${
            opts.accessKeyId ?? sandbox.awsAccessKeyId
          }/${scope}/aws4_request, SignedHeaders=${signedHeaders.join(
            ';',
          )}, Signature=${signature}`,
      },
      body: payload,
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    };
  }

  const daily = (Start: string, End: string, extra = {}) => ({
    TimePeriod: { Start, End },
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
    ...extra,
  });
  const byComponent = {
    Filter: { Tags: { Key: 'service', Values: ['lexecon-api'] } },
    GroupBy: [{ Type: 'TAG', Key: 'component' }],
  };

  it('pages 13 months of daily costs by component with NextPageToken, amounts as USD strings', async () => {
    const { calendar } = sandbox.awsCosts;
    const request = daily(calendar.start, calendar.end, byComponent);
    const results: ResultByTime[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await call({ ...request, NextPageToken: token });
      expect(res.status).toBe(200);
      expect(res.contentType).toBe('application/x-amz-json-1.1');
      const page = res.body as unknown as CostAndUsage;
      const groups = page.ResultsByTime.reduce(
        (n, r) => n + r.Groups.length,
        0,
      );
      expect(groups).toBeLessThanOrEqual(GROUPS_PER_PAGE);
      results.push(...page.ResultsByTime);
      token = page.NextPageToken;
      pages++;
    } while (token);

    const days = (dayMs(calendar.end) - dayMs(calendar.start)) / DAY;
    expect(days).toBeGreaterThanOrEqual(365 + 19);
    expect(pages).toBe(Math.ceil(days / Math.floor(GROUPS_PER_PAGE / 6)));
    expect(results.map(r => r.TimePeriod.Start)).toEqual(
      Array.from({ length: days }, (_, i) =>
        dayString(dayMs(calendar.start) + i * DAY),
      ),
    );
    expect(results[0].Groups.map(g => g.Keys[0])).toEqual([
      'component$database-backups',
      'component$database-primary',
      'component$kubernetes-compute',
      'component$kubernetes-storage',
      'component$monitoring',
      'component$storage',
    ]);
    expect(results[0].Groups[0].Metrics.UnblendedCost).toEqual({
      Amount: expect.stringMatching(/^\d+\.\d{10}$/),
      Unit: 'USD',
    });
    expect(sandbox.requests().filter(r => r.source === 'aws')).toHaveLength(
      pages,
    );
  });

  it('treats End as exclusive and marks only the latest days Estimated', async () => {
    const { calendar } = sandbox.awsCosts;
    const from = dayString(dayMs(calendar.end) - 5 * DAY);
    const res = await call(daily(from, calendar.end));
    const page = res.body as unknown as CostAndUsage;
    expect(page.ResultsByTime.map(r => r.TimePeriod)).toEqual(
      [5, 4, 3, 2, 1].map(n => ({
        Start: dayString(dayMs(calendar.end) - n * DAY),
        End: dayString(dayMs(calendar.end) - (n - 1) * DAY),
      })),
    );
    expect(page.ResultsByTime.map(r => r.Estimated)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    const two = await call(daily(from, dayString(dayMs(from) + 2 * DAY)));
    expect(
      (two.body as unknown as CostAndUsage).ResultsByTime.map(
        r => r.TimePeriod.Start,
      ),
    ).toEqual([from, dayString(dayMs(from) + DAY)]);
  });

  it('shows the seeded spike in the Lexecon API’s database backups, and reports it as an anomaly with its root cause', async () => {
    const { anomaly } = sandbox.awsCosts;
    const weekBefore = dayString(dayMs(anomaly.start) - 7 * DAY);
    const res = await call(
      daily(weekBefore, dayString(dayMs(anomaly.end) + DAY), byComponent),
    );
    const backups = (res.body as unknown as CostAndUsage).ResultsByTime.map(r =>
      Number(
        r.Groups.find(g => g.Keys[0] === 'component$database-backups')!.Metrics
          .UnblendedCost.Amount,
      ),
    );
    const before = backups.slice(0, 7);
    const during = backups.slice(7);
    expect(during).toHaveLength(5);
    expect(Math.min(...during)).toBeGreaterThan(3 * Math.max(...before));

    const found = await call(
      { DateInterval: { StartDate: weekBefore } },
      { target: 'GetAnomalies' },
    );
    expect(found.status).toBe(200);
    expect(found.body.Anomalies).toEqual([
      expect.objectContaining({
        AnomalyStartDate: anomaly.start,
        AnomalyEndDate: anomaly.end,
        RootCauses: [
          expect.objectContaining({
            Service: 'Amazon Relational Database Service',
            UsageType: 'USE1-ChargedBackupUsage',
          }),
        ],
      }),
    ]);
    const monitors = await call({}, { target: 'GetAnomalyMonitors' });
    expect(monitors.body.AnomalyMonitors).toEqual([
      expect.objectContaining({
        MonitorArn: (found.body.Anomalies as { MonitorArn: string }[])[0]
          .MonitorArn,
        MonitorDimension: 'SERVICE',
      }),
    ]);
  });

  it('seeds a weekly pattern and a slow rise, the same on every start', () => {
    const ledger = new CostLedger(NOW.toISOString(), ['policy-engine']);
    const again = new CostLedger(NOW.toISOString(), ['policy-engine']);
    expect(again.series('policy-engine')).toEqual(
      ledger.series('policy-engine'),
    );
    const compute = ledger
      .series('policy-engine')
      .find(s => s.component === 'kubernetes-compute')!.days;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const weekend = (d: string) => [0, 6].includes(new Date(d).getUTCDay());
    expect(
      mean(compute.filter(d => weekend(d.day)).map(d => d.amount)),
    ).toBeLessThan(
      0.8 * mean(compute.filter(d => !weekend(d.day)).map(d => d.amount)),
    );
    const first = mean(compute.slice(0, 28).map(d => d.amount));
    const last = mean(compute.slice(-28).map(d => d.amount));
    expect(last).toBeGreaterThan(first * 1.08);
  });

  it('forecasts from today with a prediction interval around the mean', async () => {
    const { calendar } = sandbox.awsCosts;
    const res = await call(
      {
        TimePeriod: {
          Start: calendar.end,
          End: dayString(dayMs(calendar.end) + 10 * DAY),
        },
        Metric: 'UNBLENDED_COST',
        Granularity: 'DAILY',
        Filter: { Tags: { Key: 'service', Values: ['lexecon-api'] } },
      },
      { target: 'GetCostForecast' },
    );
    expect(res.status).toBe(200);
    const [first] = res.body.ForecastResultsByTime as Record<string, string>[];
    expect(Number(first.PredictionIntervalLowerBound)).toBeLessThan(
      Number(first.MeanValue),
    );
    expect(Number(first.PredictionIntervalUpperBound)).toBeGreaterThan(
      Number(first.MeanValue),
    );
    const past = await call(
      {
        TimePeriod: { Start: calendar.start, End: calendar.end },
        Metric: 'UNBLENDED_COST',
        Granularity: 'MONTHLY',
      },
      { target: 'GetCostForecast' },
    );
    expect(past.status).toBe(400);
    expect(past.body.__type).toBe('ValidationException');
  });

  it('refuses a wrong signature, an unknown key, a scope other than us-east-1/ce and a date that does not match', async () => {
    const { calendar } = sandbox.awsCosts;
    const body = daily(dayString(dayMs(calendar.end) - DAY), calendar.end);
    const cases: [CallOptions, number, string][] = [
      [{ secret: 'not-the-secret' }, 403, 'InvalidSignatureException'],
      [{ accessKeyId: 'AKIAUNKNOWN' }, 403, 'UnrecognizedClientException'],
      [{ region: 'eu-west-1' }, 403, 'InvalidSignatureException'],
      [{ scopeDate: '20260101' }, 403, 'InvalidSignatureException'],
      [
        { authorization: 'Bearer sandbox' },
        400,
        'IncompleteSignatureException',
      ],
    ];
    for (const [opts, status, type] of cases) {
      const res = await call(body, opts);
      expect({ opts, status: res.status, type: res.body.__type }).toEqual({
        opts,
        status,
        type,
      });
      expect(res.body.Message).toEqual(expect.any(String));
    }
    expect((await call(body)).status).toBe(200);
  });

  it('remembers anomaly feedback, reports it in GetAnomalies and refuses an unknown anomaly with 400', async () => {
    const interval = {
      DateInterval: { StartDate: sandbox.awsCosts.calendar.start },
    };
    const before = await call(interval, { target: 'GetAnomalies' });
    const [anomaly] = before.body.Anomalies as { AnomalyId: string }[];
    expect(anomaly).not.toHaveProperty('Feedback');

    const unknown = await call(
      { AnomalyId: 'no-such-anomaly', Feedback: 'YES' },
      { target: 'ProvideAnomalyFeedback' },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      __type: 'ValidationException',
      Message: expect.stringContaining('no-such-anomaly'),
    });
    const badValue = await call(
      { AnomalyId: anomaly.AnomalyId, Feedback: 'MAYBE' },
      { target: 'ProvideAnomalyFeedback' },
    );
    expect(badValue.status).toBe(400);

    const given = await call(
      { AnomalyId: anomaly.AnomalyId, Feedback: 'PLANNED_ACTIVITY' },
      { target: 'ProvideAnomalyFeedback' },
    );
    expect(given).toMatchObject({
      status: 200,
      body: { AnomalyId: anomaly.AnomalyId },
    });
    const after = await call(interval, { target: 'GetAnomalies' });
    expect(after.body.Anomalies).toEqual([
      expect.objectContaining({
        AnomalyId: anomaly.AnomalyId,
        Feedback: 'PLANNED_ACTIVITY',
      }),
    ]);
    const filtered = await call(
      { ...interval, Feedback: 'YES' },
      { target: 'GetAnomalies' },
    );
    expect(filtered.body.Anomalies).toEqual([]);
  });

  it('recommends right-sizing the Lexecon API’s oversized instance and stopping its idle one, with their monthly savings, paged', async () => {
    const rightsizing = (extra: object) =>
      call(
        { Service: 'AmazonEC2', ...extra },
        { target: 'GetRightsizingRecommendation' },
      );
    const lexeconApi = await rightsizing({
      Filter: { Tags: { Key: 'service', Values: ['lexecon-api'] } },
    });
    expect(lexeconApi.status).toBe(200);
    // 210.24 from the resize and 70.08 from stopping, of 280.32 + 70.08 spent.
    expect(lexeconApi.body.Summary).toEqual({
      TotalRecommendationCount: '2',
      EstimatedTotalMonthlySavingsAmount: '280.32',
      SavingsCurrencyCode: 'USD',
      SavingsPercentage: '80.00',
    });
    expect(lexeconApi.body.RightsizingRecommendations).toEqual([
      expect.objectContaining({
        RightsizingType: 'MODIFY',
        CurrentInstance: expect.objectContaining({
          InstanceName: 'lexecon-api-batch-worker',
          MonthlyCost: '280.32',
          Tags: expect.arrayContaining([
            { Key: 'service', Values: ['lexecon-api'] },
          ]),
        }),
        ModifyRecommendationDetail: {
          TargetInstances: [
            expect.objectContaining({
              EstimatedMonthlySavings: '210.24',
              DefaultTargetInstance: true,
            }),
          ],
        },
      }),
      expect.objectContaining({
        RightsizingType: 'TERMINATE',
        CurrentInstance: expect.objectContaining({
          InstanceName: 'lexecon-api-canary-runner',
          MonthlyCost: '70.08',
        }),
        TerminateRecommendationDetail: {
          EstimatedMonthlySavings: '70.08',
          CurrencyCode: 'USD',
        },
      }),
    ]);

    const first = await rightsizing({ PageSize: 1 });
    expect(first.body.RightsizingRecommendations).toHaveLength(1);
    expect(first.body.NextPageToken).toEqual(expect.any(String));
    const pages = [first.body];
    while (pages[pages.length - 1].NextPageToken && pages.length < 10) {
      const next = await rightsizing({
        PageSize: 1,
        NextPageToken: pages[pages.length - 1].NextPageToken,
      });
      pages.push(next.body);
    }
    expect(pages).toHaveLength(3);
    expect(pages[2]).not.toHaveProperty('NextPageToken');
    expect(
      pages.map(
        p =>
          (
            p.RightsizingRecommendations as Array<{ RightsizingType: string }>
          )[0].RightsizingType,
      ),
    ).toEqual(['MODIFY', 'TERMINATE', 'TERMINATE']);
    expect((await rightsizing({ Service: 'AmazonRDS' })).status).toBe(400);
  });

  it('reports the month of credits as negative Credit amounts, untagged as AWS leaves credits', async () => {
    const { credit } = sandbox.awsCosts;
    const [year, month] = credit.month.split('-').map(Number);
    const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
    const monthly = await call({
      TimePeriod: { Start: `${credit.month}-01`, End: next },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'RECORD_TYPE' }],
    });
    const groups = (monthly.body as unknown as CostAndUsage).ResultsByTime[0]
      .Groups;
    const days = (Date.parse(next) - Date.parse(`${credit.month}-01`)) / DAY;
    const creditGroup = groups.find(g => g.Keys[0] === 'Credit')!;
    expect(Number(creditGroup.Metrics.UnblendedCost.Amount)).toBeCloseTo(
      credit.daily * days,
      6,
    );
    expect(
      Number(
        groups.find(g => g.Keys[0] === 'Usage')!.Metrics.UnblendedCost.Amount,
      ),
    ).toBeGreaterThan(0);

    const byTag = await call({
      TimePeriod: { Start: `${credit.month}-01`, End: next },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } },
      GroupBy: [{ Type: 'TAG', Key: 'service' }],
    });
    expect(
      (byTag.body as unknown as CostAndUsage).ResultsByTime[0].Groups.map(
        g => g.Keys[0],
      ),
    ).toEqual(['service$']);

    const otherMonth = await call({
      TimePeriod: { Start: next, End: dayString(dayMs(next) + DAY) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } },
    });
    expect(
      Number(
        (otherMonth.body as unknown as CostAndUsage).ResultsByTime[0].Total
          .UnblendedCost.Amount,
      ),
    ).toBe(0);
  });

  it('answers an operation it does not serve with 400 UnknownOperationException', async () => {
    const res = await call({}, { target: 'GetReservationCoverage' });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe('UnknownOperationException');
  });

  it('has no data before its 13 months, throttles with LimitExceededException, and refuses a token reused for another request', async () => {
    const { calendar } = sandbox.awsCosts;
    const early = dayString(dayMs(calendar.start) - DAY);
    const unavailable = await call(daily(early, calendar.start));
    expect(unavailable.status).toBe(400);
    expect(unavailable.body.__type).toBe('DataUnavailableException');

    sandbox.setFaults([{ source: 'aws', kind: '429', times: 1 }]);
    const throttled = await call(daily(calendar.start, calendar.end));
    expect(throttled.status).toBe(400);
    expect(throttled.body).toEqual({
      __type: 'LimitExceededException',
      Message: 'Rate exceeded',
    });
    expect(sandbox.requests().find(r => r.fault)).toMatchObject({
      source: 'aws',
      status: 400,
      fault: '429',
    });

    const first = await call(daily(calendar.start, calendar.end, byComponent));
    const token = (first.body as unknown as CostAndUsage).NextPageToken;
    expect(token).toEqual(expect.any(String));
    const changed = await call(
      daily(calendar.start, calendar.end, {
        ...byComponent,
        NextPageToken: token,
        Metrics: ['AmortizedCost'],
      }),
    );
    expect(changed.body.__type).toBe('RequestChangedException');
    const forged = await call(
      daily(calendar.start, calendar.end, { NextPageToken: 'not-a-token' }),
    );
    expect(forged.body.__type).toBe('InvalidNextTokenException');
  });
});
