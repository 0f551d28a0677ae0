import { Sandbox, startSandbox } from '../index';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('Unleash, Datadog and health stand-ins', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: NOW,
      quiet: true,
      datadogRateLimit: { limit: 25, periodSeconds: 3600 },
    });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.clearFaults());

  const unleash = (path: string, token: string | null = sandbox.unleashToken) =>
    fetch(`${sandbox.unleashUrl}${path}`, {
      headers: token ? { Authorization: token } : {},
    });
  const datadog = (path: string, keys = true) =>
    fetch(`${sandbox.datadogUrl}${path}`, {
      headers: keys
        ? {
            'DD-API-KEY': sandbox.datadogApiKey,
            'DD-APPLICATION-KEY': sandbox.datadogApplicationKey,
          }
        : {},
    });

  describe('Unleash Admin API', () => {
    it('takes the raw token in Authorization and rejects anything else with 401', async () => {
      expect(
        (await unleash('/api/admin/projects/lexecon/features', null)).status,
      ).toBe(401);
      const bearer = await unleash(
        '/api/admin/projects/lexecon/features',
        `Bearer ${sandbox.unleashToken}`,
      );
      expect(bearer.status).toBe(401);
      expect(await bearer.json()).toMatchObject({
        name: 'AuthenticationRequired',
      });
    });

    it('lists the readiness-plan flags with per-environment state', async () => {
      const res = await unleash('/api/admin/projects/lexecon/features');
      expect(res.status).toBe(200);
      const body = await res.json();
      const names = body.features.map((f: { name: string }) => f.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'enable_async_auth',
          'enable_observability_export',
          'enable_strict_validation',
        ]),
      );
      const stale = body.features.filter((f: { stale: boolean }) => f.stale);
      expect(stale).toHaveLength(1);
      const asyncAuth = body.features.find(
        (f: { name: string }) => f.name === 'enable_async_auth',
      );
      expect(
        asyncAuth.environments.map((e: { name: string }) => e.name),
      ).toEqual(['development', 'staging', 'production']);
      expect((await unleash('/api/admin/projects/nope/features')).status).toBe(
        404,
      );
    });

    it('returns one flag with its strategies', async () => {
      const res = await unleash(
        '/api/admin/projects/lexecon/features/enable_async_auth',
      );
      const flag = await res.json();
      const production = flag.environments.find(
        (e: { name: string }) => e.name === 'production',
      );
      expect(production.strategies[0]).toMatchObject({
        name: 'flexibleRollout',
        parameters: { rollout: '25' },
      });
      expect(
        (await unleash('/api/admin/projects/lexecon/features/missing')).status,
      ).toBe(404);
    });

    it('searches events with filters and paging, newest first', async () => {
      const res = await unleash(
        '/api/admin/search/events?project=IS:lexecon&environment=IS:production&limit=2&offset=0',
      );
      const body = await res.json();
      expect(body.total).toBeGreaterThan(2);
      expect(body.events).toHaveLength(2);
      expect(Date.parse(body.events[0].createdAt)).toBeGreaterThanOrEqual(
        Date.parse(body.events[1].createdAt),
      );
      const { flagChangeBeforeIncident } = sandbox.observability.facts;
      expect(body.events[0]).toMatchObject({
        featureName: flagChangeBeforeIncident.featureName,
        type: 'feature-environment-enabled',
        environment: 'production',
        createdAt: flagChangeBeforeIncident.at,
      });
      const filtered = await (
        await unleash(
          '/api/admin/search/events?feature=IS:enable_async_auth&type=IS_ANY_OF:feature-strategy-update',
        )
      ).json();
      expect(filtered.total).toBe(1);
      expect(filtered.events[0].data.parameters.rollout).toBe('25');
      expect(filtered.events[0].preData.parameters.rollout).toBe('10');
      const bad = await unleash('/api/admin/search/events?limit=5000');
      expect(bad.status).toBe(400);
      const badFilter = await unleash('/api/admin/search/events?feature=x');
      expect(await badFilter.json()).toMatchObject({
        message: expect.stringContaining('feature'),
      });
    });

    it('is fault-injectable', async () => {
      sandbox.setFaults([{ source: 'unleash', kind: 'malformed', times: 1 }]);
      const res = await unleash('/api/admin/projects/lexecon/features');
      await expect(res.json()).rejects.toThrow();
    });
  });

  describe('Datadog API', () => {
    it('needs both keys and answers 403 with Datadog’s error body', async () => {
      const res = await datadog('/api/v1/slo', false);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ errors: ['Forbidden'] });
    });

    it('lists SLOs by tag with rate-limit headers', async () => {
      const res = await datadog('/api/v1/slo?tags_query=service:lexecon');
      expect(res.headers.get('x-ratelimit-name')).toBe('slo_list');
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(25);
      const body = await res.json();
      expect(body.data).toHaveLength(1);
      expect(body.data[0]).toMatchObject({ target_threshold: 99.9 });
      const none = await (
        await datadog('/api/v1/slo?tags_query=service:other')
      ).json();
      expect(none.data).toHaveLength(0);
    });

    it('reports SLO history: 12 months meet 99.9% but one, and the error budget', async () => {
      const slo = sandbox.observability.slos[0];
      const below: string[] = [];
      for (let offset = 12; offset >= 1; offset--) {
        const from = Date.UTC(2026, 10 - offset, 1) / 1000;
        const to = Date.UTC(2026, 11 - offset, 1) / 1000;
        const body = await (
          await datadog(
            `/api/v1/slo/${slo.id}/history?from_ts=${from}&to_ts=${to}&target=99.9`,
          )
        ).json();
        const sli = body.data.overall.sli_value;
        expect(sli).toBeGreaterThan(99.5);
        // A month under target has spent more than its error budget; the others have budget left.
        expect(body.data.overall.error_budget_remaining.custom < 0).toBe(
          sli < 99.9,
        );
        if (sli < 99.9) {
          below.push(new Date(from * 1000).toISOString().slice(0, 7));
        }
      }
      expect(below).toEqual([sandbox.observability.facts.breachedMonth]);
      const bad = await datadog(
        `/api/v1/slo/${slo.id}/history?from_ts=x&to_ts=1`,
      );
      expect(bad.status).toBe(400);
      expect((await datadog('/api/v1/slo/nope')).status).toBe(404);
    });

    it('lists monitors by tag with runbook links, one alerting', async () => {
      const monitors = await (
        await datadog('/api/v1/monitor?monitor_tags=service:lexecon')
      ).json();
      expect(monitors).toHaveLength(4);
      const alerting = monitors.filter(
        (m: { overall_state: string }) => m.overall_state === 'Alert',
      );
      expect(alerting.map((m: { name: string }) => m.name)).toEqual([
        'decision_latency_regression',
      ]);
      expect(alerting[0].message).toMatch(/runbooks\/high_latency\.md/);
    });

    it('pages incidents newest first, including the two of the SLA dashboard', async () => {
      const page = await (
        await datadog('/api/v2/incidents?page[size]=5')
      ).json();
      expect(page.data).toHaveLength(5);
      expect(page.meta.pagination.total_count).toBeGreaterThan(10);
      const titles = page.data.map(
        (i: { attributes: { title: string } }) => i.attributes.title,
      );
      expect(titles).toEqual(
        expect.arrayContaining([
          'Database connection pool exhaustion',
          'Rate limiter saturation attack',
        ]),
      );
      const limiter = page.data.find(
        (i: { id: string }) =>
          i.id === sandbox.observability.facts.rateLimiterIncidentId,
      );
      expect(limiter.attributes.customer_impact_duration).toBe(210);
    });

    it('answers metric queries with a point list', async () => {
      const to = Math.floor(NOW.getTime() / 1000);
      const body = await (
        await datadog(
          `/api/v1/query?from=${
            to - 3600
          }&to=${to}&query=sum:trace.http.request.hits{service:lexecon}.as_count()`,
        )
      ).json();
      expect(body.status).toBe('ok');
      expect(body.series[0].pointlist.length).toBeGreaterThan(0);
    });

    it('injects 429 with Datadog rate-limit headers, and enforces its own limit', async () => {
      sandbox.setFaults([
        { source: 'datadog', kind: '429', retryAfterSeconds: 7, times: 1 },
      ]);
      const limited = await datadog('/api/v1/monitor');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-reset')).toBe('7');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      let last = 200;
      for (let i = 0; i < 30 && last !== 429; i++) {
        last = (await datadog('/api/v1/slo/nope')).status;
      }
      expect(last).toBe(429);
    });
  });

  describe('Lexecon health endpoints', () => {
    it('serves /health in the readiness-plan shape, and ready/live', async () => {
      const res = await fetch(`${sandbox.healthUrl}/health`);
      const body = await res.json();
      expect(body).toMatchObject({
        status: 'degraded',
        components: {
          database: { status: 'healthy', latency_ms: 3 },
          ledger: { status: 'healthy' },
          auth_service: { status: 'healthy' },
          rate_limiter: { status: 'degraded' },
        },
      });
      expect(body.uptime_seconds).toBeGreaterThan(0);
      expect((await fetch(`${sandbox.healthUrl}/health/ready`)).status).toBe(
        200,
      );
      expect((await fetch(`${sandbox.healthUrl}/health/live`)).status).toBe(
        200,
      );
    });

    it('can be made to fail', async () => {
      sandbox.setFaults([{ source: 'health', kind: '5xx', status: 503 }]);
      expect((await fetch(`${sandbox.healthUrl}/health`)).status).toBe(503);
    });

    it('is listed by the control endpoint', async () => {
      const info = await (await fetch(`${sandbox.controlUrl}/healthz`)).json();
      expect(info).toMatchObject({
        unleashUrl: sandbox.unleashUrl,
        datadogUrl: sandbox.datadogUrl,
        healthUrl: sandbox.healthUrl,
      });
    });
  });
});
