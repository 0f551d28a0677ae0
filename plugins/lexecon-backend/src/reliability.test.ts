import { fakeOnlyDate } from '@internal/test-setup';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { OnCallBoard, Reliability } from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import { unannotatedEntity } from './__fixtures__/entities';
import {
  decidingPermissionsFactory,
  PermissionQuery,
  readableOnly,
} from './__fixtures__/permissions';
import {
  lexeconApiWithReliability,
  reliabilityConfig,
} from './__fixtures__/reliability';
import { storedSources } from './__fixtures__/snapshots';
import { sandboxConfig } from './__fixtures__/testConfig';
import { lexeconPlugin } from './plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const base = '/api/lexecon/v1/entities/default/component';
const auth = { Authorization: mockCredentials.user.header() };
const API = 'component:default/lexecon-api';
const ACCOUNTS = 'component:default/accounts';

/**
 * The clock of the sandbox and the backend (they share the process): 10:00 UTC on 1 April,
 * so the month so far is fixed. In it the sandbox's only customer impact is the rate-limiter
 * incident six hours back: 3.5 minutes (210 s) in 10 hours. Only `Date` is faked; timers run.
 */
const NOW = new Date('2026-04-01T10:00:00.000Z');

/** A service with an SLO tag Datadog has no SLO for: it has no SLA data. */
const accountsEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'accounts',
    namespace: 'default',
    title: 'Accounts',
    annotations: { 'lexecon.io/datadog-slo-tags': 'service:accounts' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/a' },
};

describe.each(databases.eachSupportedId())(
  'flags, SLA, health and the on-call board on %s',
  databaseId => {
    let sandbox: Sandbox;
    let knex: Knex;

    beforeAll(async () => {
      fakeOnlyDate(NOW, { advance: true });
      sandbox = await startSandbox({ quiet: true });
    });
    afterAll(async () => {
      await sandbox.stop();
      jest.useRealTimers();
    });
    beforeEach(() => {
      sandbox.clearFaults();
      sandbox.clearRequests();
    });

    async function startBackend(
      options: {
        unleashToken?: string;
        entities?: Entity[];
        decide?: (query: PermissionQuery) => boolean;
      } = {},
    ) {
      knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          lexeconPlugin,
          mockServices.rootConfig.factory({
            data: sandboxConfig(
              sandbox,
              reliabilityConfig(sandbox, {
                unleashToken: options.unleashToken,
              }),
            ),
          }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({
            entities: options.entities ?? [
              lexeconApiWithReliability(sandbox),
              unannotatedEntity,
            ],
          }),
          ...(options.decide
            ? [decidingPermissionsFactory(options.decide)]
            : []),
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
      expect(sla.data!.months.filter(m => !m.met).map(m => m.month)).toEqual([
        sandbox.observability.facts.breachedMonth,
      ]);
      // 210 s down in 10 hours: 1 - 210 / 36000 = 99.4167%, below the 99.9% target.
      const mtd = sla.data!.monthToDate;
      expect(mtd.from).toBe('2026-04-01T00:00:00.000Z');
      expect(mtd.status).toBe('breached');
      expect(mtd.downtimeSeconds).toBe(210);
      expect(mtd.uptimePercent).toBeCloseTo(99.4167, 2);
      // 210 s of April's 2592 s budget (0.1% of 30 days) is gone...
      expect(mtd.errorBudgetRemainingPercent).toBeCloseTo(91.9, 1);
      // ...in 1/72 of the month: burning 0.5833 / 0.1 = 5.83 times too fast.
      expect(mtd.burnRate).toBeCloseTo(5.83, 1);
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
      const server = await startBackend({
        entities: [
          accountsEntity,
          lexeconApiWithReliability(sandbox),
          unannotatedEntity,
        ],
      });
      const res = await request(server).get('/api/lexecon/v1/oncall').set(auth);
      expect(res.status).toBe(200);
      const board: OnCallBoard = res.body;
      // The breached service first, though "Accounts" sorts first by name: it has no SLA data.
      expect(
        board.services.map(s => [
          s.entityRef,
          s.sla.status,
          s.sla.data?.status,
        ]),
      ).toEqual([
        [API, 'ok', 'breached'],
        [ACCOUNTS, 'error', undefined],
      ]);
      expect(board.services[1].sla.message).toMatch(
        /Datadog has no SLO tagged service:accounts/,
      );
      expect(board.services[0].sla.data).toMatchObject({
        targetPercent: 99.9,
        downtimeSeconds: 210,
      });
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

    it('shows a viewer only the services they may read, on the board and per entity, and never fetches the others', async () => {
      const apiReader = 'user:default/api-reader';
      const server = await startBackend({
        entities: [accountsEntity, lexeconApiWithReliability(sandbox)],
        decide: readableOnly([API], apiReader),
      });
      const asApiReader = {
        Authorization: mockCredentials.user.header(apiReader),
      };
      const denied = await request(server)
        .get(`${base}/accounts/reliability`)
        .set(asApiReader);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        `Missing permission lexecon.entity.read on ${ACCOUNTS}`,
      );
      const res = await request(server)
        .get('/api/lexecon/v1/oncall')
        .set(asApiReader);
      expect(res.status).toBe(200);
      const board: OnCallBoard = res.body;
      expect(board.services.map(s => s.entityRef)).toEqual([API]);
      expect(new Set(board.timeline.map(e => e.entityRef))).toEqual(
        new Set([API]),
      );
      expect(await storedSources(knex, ACCOUNTS)).toEqual([]);
      expect(
        sandbox
          .requests()
          .filter(r => decodeURIComponent(r.path).includes('service:accounts')),
      ).toEqual([]);

      // Someone who may read both sees both.
      const everyone = await request(server)
        .get('/api/lexecon/v1/oncall')
        .set(auth);
      expect(
        (everyone.body as OnCallBoard).services.map(s => s.entityRef),
      ).toEqual([API, ACCOUNTS]);
    });
  },
);
