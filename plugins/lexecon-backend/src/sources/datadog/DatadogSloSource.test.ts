import { Sandbox, startSandbox } from '@internal/sandbox';
import { EntityTarget } from '../../EntityTarget';
import { DatadogSloSource } from './DatadogSloSource';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('DatadogSloSource against the sandbox', () => {
  let sandbox: Sandbox;
  const target: EntityTarget = {
    entityRef: 'component:default/lexecon-api',
    environments: ['staging', 'production'],
    datadog: {
      sloTags: ['service:lexecon', 'env:production'],
      monitorTags: ['service:lexecon'],
      service: 'lexecon',
    },
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: NOW,
      quiet: true,
      // Small enough that one refresh (13 SLO history calls) runs into Datadog's own limit.
      datadogRateLimit: { limit: 5, periodSeconds: 1 },
    });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  const source = (retries = 3) =>
    new DatadogSloSource(
      {
        baseUrl: sandbox.datadogUrl,
        appUrl: sandbox.datadogUrl,
        apiKey: sandbox.datadogApiKey,
        applicationKey: sandbox.datadogApplicationKey,
      },
      { timeoutMs: 2000, retries, now: () => NOW },
    );

  it('reads 12 months of uptime, monitors and the service’s incidents, waiting out 429s', async () => {
    const snapshot = await source(6).fetch(target);
    expect(snapshot.months).toHaveLength(12);
    expect(snapshot.months.filter(m => !m.met).map(m => m.month)).toEqual([
      sandbox.observability.facts.breachedMonth,
    ]);
    expect(snapshot.monthToDate.uptimePercent).toBeGreaterThan(99.9);
    expect(snapshot.monitors[0]).toMatchObject({
      name: 'decision_latency_regression',
      alerting: true,
      runbookUrl: expect.stringMatching(/runbooks\/high_latency\.md$/),
    });
    expect(snapshot.incidents.map(i => i.title)).toEqual(
      expect.arrayContaining([
        'Database connection pool exhaustion',
        'Rate limiter saturation attack',
      ]),
    );
    const limited = sandbox
      .requests()
      .filter(r => r.source === 'datadog' && r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
  });

  it('links the SLO, each monitor and each incident to its page in Datadog', async () => {
    const snapshot = await source(6).fetch(target);
    const incident = snapshot.incidents.find(
      i => i.title === 'Rate limiter saturation attack',
    )!;
    const pages = [
      [snapshot.slo.url, snapshot.slo.name],
      [snapshot.monitors[0].url, snapshot.monitors[0].name],
      [incident.url, incident.title],
    ];
    for (const [url, title] of pages) {
      expect(url).toMatch(new RegExp(`^${sandbox.datadogUrl}/`));
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(title);
    }
  });

  it('honours Retry-After on an injected 429, then carries complete months over', async () => {
    const first = await source().fetch(target);
    sandbox.clearRequests();
    sandbox.setFaults([
      { source: 'datadog', kind: '429', retryAfterSeconds: 1, times: 1 },
    ]);
    const started = Date.now();
    const second = await source().fetch(target, first);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(second.months).toEqual(first.months);
    const history = sandbox
      .requests()
      .filter(r => r.path.includes('/history') && r.status === 200);
    expect(history).toHaveLength(1);
  });

  it('says which key was rejected, and names malformed answers', async () => {
    const bad = new DatadogSloSource(
      {
        baseUrl: sandbox.datadogUrl,
        appUrl: sandbox.datadogUrl,
        apiKey: 'wrong',
        applicationKey: 'wrong',
      },
      { timeoutMs: 2000, retries: 0, now: () => NOW },
    );
    await expect(bad.fetch(target)).rejects.toThrow(
      /Datadog rejected the API or application key \(403\)/,
    );
    sandbox.setFaults([{ source: 'datadog', kind: 'malformed', times: 1 }]);
    await expect(source().fetch(target)).rejects.toThrow(/malformed/);
  });
});
