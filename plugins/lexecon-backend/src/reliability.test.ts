import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { OnCallBoard, Reliability } from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import request from 'supertest';
import { unannotatedEntity } from './__fixtures__/entities';
import {
  lexeconApiWithReliability,
  reliabilityConfig,
} from './__fixtures__/reliability';
import { sandboxConfig } from './__fixtures__/testConfig';
import { lexeconPlugin } from './plugin';

jest.setTimeout(60_000);

const base = '/api/lexecon/v1/entities/default/component';
const auth = { Authorization: mockCredentials.user.header() };

describe('flags, SLA, health and the on-call board', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  async function startBackend(options: { unleashToken?: string } = {}) {
    const { server } = await startTestBackend({
      features: [
        lexeconPlugin,
        mockServices.rootConfig.factory({
          data: sandboxConfig(sandbox, reliabilityConfig(sandbox, options)),
        }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [lexeconApiWithReliability(sandbox), unannotatedEntity],
        }),
      ],
    });
    return server;
  }

  const reliability = async (
    server: Awaited<ReturnType<typeof startBackend>>,
    name = 'lexecon-api',
  ): Promise<Reliability> => {
    const res = await request(server)
      .get(`${base}/${name}/reliability`)
      .set(auth);
    expect(res.status).toBe(200);
    return res.body;
  };
  const upstreamCalls = () =>
    sandbox
      .requests()
      .filter(r => ['unleash', 'datadog', 'health'].includes(r.source));

  it('shows flags per environment, the SLA with linked incidents, and health; warm views cost no upstream call', async () => {
    const server = await startBackend();
    const body = await reliability(server);
    const { flags, sla, health } = body.sections;

    expect(flags.status).toBe('ok');
    expect(flags.fetchedAt).toBeDefined();
    expect(flags.data!.environments).toEqual([
      'development',
      'staging',
      'production',
    ]);
    const asyncAuth = flags.data!.flags.find(
      f => f.name === 'enable_async_auth',
    )!;
    expect(
      asyncAuth.environments.find(e => e.environment === 'production'),
    ).toMatchObject({ enabled: true, summary: 'gradual rollout 25%' });
    expect(asyncAuth.lastChange?.description).toBe(
      'gradual rollout 10% → gradual rollout 25% in production',
    );
    expect(flags.data!.flags.filter(f => f.stale)).toHaveLength(1);
    // Each flag links to its page in the Unleash UI.
    const flagPage = await fetch(asyncAuth.url!);
    expect(flagPage.status).toBe(200);
    expect(await flagPage.text()).toContain('enable_async_auth');

    expect(sla.status).toBe('ok');
    expect(sla.data!.slo.targetPercent).toBe(99.9);
    expect(sla.data!.months).toHaveLength(12);
    expect(['exceeding', 'at-risk', 'breached']).toContain(
      sla.data!.monthToDate.status,
    );
    const limiter = sla.data!.incidents.find(
      i => i.id === sandbox.observability.facts.rateLimiterIncidentId,
    )!;
    expect(limiter.precededBy).toMatchObject({
      kind: 'flag',
      title: 'enable_strict_validation: enabled in production',
    });
    const pool = sla.data!.incidents.find(
      i => i.id === sandbox.observability.facts.poolIncidentId,
    )!;
    expect(pool.precededBy?.kind).toBe('deploy');
    expect(sla.data!.monitors[0]).toMatchObject({
      alerting: true,
      runbookUrl: expect.stringContaining('runbooks/high_latency.md'),
    });

    expect(health.status).toBe('ok');
    expect(health.data!.components.map(c => c.name)).toEqual([
      'database',
      'ledger',
      'auth_service',
      'rate_limiter',
    ]);

    sandbox.clearRequests();
    await reliability(server);
    expect(upstreamCalls()).toEqual([]);
  });

  it('says the Unleash token was rejected and still shows the SLA', async () => {
    const server = await startBackend({ unleashToken: 'revoked-token' });
    const { flags, sla } = (await reliability(server)).sections;
    expect(flags.status).toBe('error');
    expect(flags.message).toMatch(/Unleash rejected the API token \(401\)/);
    expect(flags.message).not.toContain('revoked-token');
    expect(sla.status).toBe('ok');

    // The board still ranks the service by its SLA, and says why flag changes are missing.
    const res = await request(server).get('/api/lexecon/v1/oncall').set(auth);
    const board: OnCallBoard = res.body;
    expect(board.services[0].sla.data?.targetPercent).toBe(99.9);
    expect(board.services[0].notices).toEqual([
      expect.objectContaining({
        source: 'unleash',
        status: 'error',
        message: expect.stringMatching(/Unleash rejected the API token/),
      }),
    ]);
    expect(board.timeline.some(e => e.kind === 'flag')).toBe(false);
    expect(board.timeline.some(e => e.kind === 'incident')).toBe(true);
  });

  it('reports malformed Datadog and health answers in their own sections', async () => {
    sandbox.setFaults([
      { source: 'datadog', kind: 'malformed' },
      { source: 'health', kind: 'malformed' },
    ]);
    const server = await startBackend();
    const { flags, sla, health } = (await reliability(server)).sections;
    expect(sla.status).toBe('error');
    expect(sla.message).toMatch(/Datadog sent a malformed response/);
    expect(health.status).toBe('error');
    expect(health.message).toMatch(/not JSON/);
    expect(flags.status).toBe('ok');
  });

  it('names the missing annotations of an entity without them', async () => {
    const server = await startBackend();
    const { flags, sla, health } = (
      await reliability(server, 'lexecon-docs-site')
    ).sections;
    expect(flags).toMatchObject({
      status: 'not-configured',
      missingAnnotations: ['lexecon.io/unleash-project'],
    });
    expect(sla.missingAnnotations).toEqual(['lexecon.io/datadog-slo-tags']);
    expect(health.missingAnnotations).toEqual(['lexecon.io/health-url']);
  });

  it('builds the on-call board: services by risk, active incidents, the last 24 hours', async () => {
    const server = await startBackend();
    const res = await request(server).get('/api/lexecon/v1/oncall').set(auth);
    expect(res.status).toBe(200);
    const board: OnCallBoard = res.body;
    expect(board.services.map(s => s.entityRef)).toEqual([
      'component:default/lexecon-api',
    ]);
    expect(board.services[0].sla.data?.uptimePercent).toBeGreaterThan(99);
    expect(board.services[0].alertingMonitors).toHaveLength(1);
    expect(board.services[0].notices).toEqual([]);
    expect(board.activeIncidents.map(i => i.id)).toEqual([
      sandbox.observability.facts.activeIncidentId,
    ]);
    const titles = board.timeline.map(e => `${e.kind} ${e.title}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'flag enable_strict_validation: enabled in production',
        'incident SEV-2 Rate limiter saturation attack',
        'incident SEV-3 Decision latency p95 above baseline',
      ]),
    );
    const dayAgo = Date.parse(board.generatedAt) - 24 * 3600_000;
    expect(board.timeline.every(e => Date.parse(e.at) >= dayAgo)).toBe(true);
  });
});
