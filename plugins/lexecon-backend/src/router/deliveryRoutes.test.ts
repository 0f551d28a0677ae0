import { fakeOnlyDate } from '@internal/test-setup';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CI_RUNS_NOT_READ,
  DELIVERY_PORTFOLIO_CSV_COLUMNS,
  DeliveryPortfolio,
  DORA_KEYS,
  EntityDelivery,
  LeadTimeForChanges,
} from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import request from 'supertest';
import { unannotatedEntity } from '../__fixtures__/entities';
import {
  decidingPermissionsFactory,
  PermissionQuery,
  readableOnly,
} from '../__fixtures__/permissions';
import {
  lexeconApiWithReliability,
  reliabilityConfig,
} from '../__fixtures__/reliability';
import { sandboxConfig } from '../__fixtures__/testConfig';
import { lexeconPlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const API = 'component:default/lexecon-api';
const PATH = '/api/lexecon/v1/entities/default/component/lexecon-api/delivery';
const auth = { Authorization: mockCredentials.user.header() };
/** The sandbox's clock of the reliability tests: the pool incident follows a production deploy. */
const NOW = new Date('2026-04-01T10:00:00.000Z');

/** A second service reading the same repository, to rank and to hide. */
const billingEntity = (sandbox: Sandbox): Entity => {
  const api = lexeconApiWithReliability(sandbox);
  return {
    ...api,
    metadata: { ...api.metadata, name: 'billing', title: 'Billing' },
  };
};

describe.each(databases.eachSupportedId())('delivery routes on %s', id => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    fakeOnlyDate(NOW, { advance: true });
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(async () => {
    await sandbox.stop();
    jest.useRealTimers();
  });

  async function startBackend(
    decide?: (q: PermissionQuery) => boolean,
    lexecon: Record<string, unknown> = {},
  ) {
    const knex = await databases.init(id);
    const { server } = await startTestBackend({
      features: [
        lexeconPlugin,
        mockServices.rootConfig.factory({
          data: sandboxConfig(sandbox, {
            ...reliabilityConfig(sandbox),
            ...lexecon,
          }),
        }),
        mockServices.database.factory({ knex }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [
            lexeconApiWithReliability(sandbox),
            billingEntity(sandbox),
            unannotatedEntity,
          ],
        }),
        ...(decide ? [decidingPermissionsFactory(decide)] : []),
      ],
    });
    return server;
  }

  it('computes the four keys from the snapshots, opens the facts behind each, and a warm view calls nothing upstream', async () => {
    const server = await startBackend();
    const first = await request(server).get(PATH).set(auth).expect(200);
    const body: EntityDelivery = first.body;
    expect(body).toMatchObject({
      entityRef: API,
      window: '90d',
      environment: 'production',
    });
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(90 * 86_400_000);
    expect(['ok', 'stale']).toContain(body.status);
    const data = body.data!;
    for (const key of DORA_KEYS) {
      expect(data.keys[key].weekly).toHaveLength(12);
      // Every fact a figure names can be opened.
      for (const factId of data.keys[key].figure.factIds) {
        expect(data.facts[factId]).toBeDefined();
      }
    }
    const frequency = data.keys.deploymentFrequency.figure;
    expect(frequency.value).toBeGreaterThan(0);
    expect(frequency.band).toBeDefined();
    expect(data.facts[frequency.factIds[0]]).toMatchObject({
      kind: 'deploy',
      url: expect.stringContaining('/actions/runs/'),
    });
    // Datadog's connection-pool incident follows a production deploy: that deploy failed.
    const poolId = sandbox.observability.facts.poolIncidentId;
    const byIncident = data.changeFailureRate.failures.find(f =>
      f.incidentIds.includes(poolId),
    );
    expect(byIncident?.causes).toContain('incident');
    expect(data.keys.changeFailureRate.figure.value).toBeGreaterThan(0);
    expect(data.facts[poolId]).toMatchObject({ kind: 'incident' });
    expect(data.ci.passRate).toMatchObject({ noData: CI_RUNS_NOT_READ });
    expect(data.ci.flaky.count.noData).toBe(CI_RUNS_NOT_READ);

    sandbox.clearRequests();
    const warm = await request(server).get(PATH).set(auth).expect(200);
    expect(sandbox.requests()).toEqual([]);
    expect(warm.body.data.keys).toEqual(data.keys);
  });

  it("gives the CI health figures once the github-ci-runs source has read the entity's runs", async () => {
    const server = await startBackend();
    const before = await request(server).get(PATH).set(auth).expect(200);
    expect(before.body.data.ci.passRate).toMatchObject({
      noData: CI_RUNS_NOT_READ,
    });
    // A manual refresh reads every source of the entity, the scheduled-only ones included.
    await request(server)
      .post('/api/lexecon/v1/entities/default/component/lexecon-api/refresh')
      .set(auth)
      .expect(202);
    let body: EntityDelivery | undefined;
    for (let round = 0; round < 40; round++) {
      const response = await request(server).get(PATH).set(auth).expect(200);
      body = response.body;
      if (body?.data?.ci.passRate.value !== undefined) break;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    const ci = body!.data!.ci;
    expect(ci.passRate.value).toBeGreaterThan(0);
    expect(ci.passRate).toMatchObject({ unit: 'percent' });
    expect(ci.passRate.value).toBeLessThanOrEqual(100);
    expect(ci.passRate.noData).toBeUndefined();
  });

  it('measures the lead time of every production deploy whose change set GitHub gave, and leaves out, saying why, the one it could not', async () => {
    const window = NOW.getTime() - 90 * 86_400_000;
    const deploys = sandbox.world.runs
      .filter(
        r =>
          r.workflowFile === 'deploy-prod.yml' &&
          r.conclusion === 'success' &&
          Date.parse(r.updatedAt) >= window &&
          Date.parse(r.updatedAt) <= NOW.getTime(),
      )
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    expect(deploys.length).toBeGreaterThan(5);
    // A deploy in the middle (the live one is compared for other reasons too): GitHub fails
    // on its comparison with the deploy before it every time it is asked.
    const middle = Math.floor(deploys.length / 2);
    const unreadable = deploys[middle];
    sandbox.setFaults([
      {
        source: 'github',
        kind: '5xx',
        status: 503,
        pathPattern: `/compare/${deploys[middle - 1].headSha}...${
          unreadable.headSha
        }`,
      },
    ]);
    try {
      const server = await startBackend();
      // The first view waits a while for GitHub's first read; GitHub's retried 503s outlast it.
      const unreadableId = `production:run:${unreadable.id}`;
      let leadTime: LeadTimeForChanges;
      for (let round = 0; ; round++) {
        const { body } = await request(server).get(PATH).set(auth).expect(200);
        leadTime = (body as EntityDelivery).data!.leadTime;
        const reason = leadTime.excluded.find(e => e.deployId === unreadableId);
        if (round === 60 || reason?.reason.includes('could not be read')) break;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      const measured = new Set(leadTime.median.factIds);

      expect(leadTime.excluded).toContainEqual({
        deployId: unreadableId,
        reason: expect.stringMatching(
          /^The change set of the deploy could not be read, so its lead time is unknown: GitHub .*503/,
        ),
      });
      expect(measured.has(unreadableId)).toBe(false);
      // Every other deploy after the first of the history has its change set, hence its lead time.
      const others = deploys
        .slice(1)
        .filter(d => d !== unreadable)
        .map(d => `production:run:${d.id}`);
      expect(others.length).toBeGreaterThan(4);
      expect(others.filter(deployId => !measured.has(deployId))).toEqual([]);
      expect(leadTime.median.samples).toBe(measured.size);
      expect(leadTime.median.band).toBeDefined();
      expect(leadTime.p90.value).toBeGreaterThanOrEqual(leadTime.median.value!);
    } finally {
      sandbox.clearFaults();
    }
  });

  it('answers 400 naming a bad window or environment, and not-configured naming annotations', async () => {
    const server = await startBackend();
    const bad = await request(server)
      .get(`${PATH}?window=7d`)
      .set(auth)
      .expect(400);
    expect(bad.body.error.message).toContain("query parameter 'window'");
    const env = await request(server)
      .get(`${PATH}?environment=${encodeURIComponent('prod;drop')}`)
      .set(auth)
      .expect(400);
    expect(env.body.error.message).toContain("query parameter 'environment'");

    const none = await request(server)
      .get(
        '/api/lexecon/v1/entities/default/component/lexecon-docs-site/delivery',
      )
      .set(auth)
      .expect(200);
    expect(none.body.status).toBe('not-configured');
    expect(none.body.missingAnnotations).toContain('github.com/project-slug');
    expect(none.body.data).toBeUndefined();
  });

  it('draws the readiness and coverage trends across the window from the commits released in it, each reading opening its commit', async () => {
    const server = await startBackend();
    const { body } = await request(server).get(PATH).set(auth).expect(200);
    const { readiness, coverage, facts } = (body as EntityDelivery).data!;
    const weeksWith = (weekly: Array<{ value?: number }>) =>
      weekly.filter(w => w.value !== undefined);
    // Production releases about twice a week: most of the 12 weeks have a reading.
    expect(weeksWith(readiness.weekly).length).toBeGreaterThan(8);
    expect(weeksWith(coverage.weekly).length).toBeGreaterThan(8);
    // The sandbox's coverage drifts from commit to commit: the trend moves.
    expect(
      new Set(weeksWith(coverage.weekly).map(w => w.value)).size,
    ).toBeGreaterThan(weeksWith(coverage.weekly).length / 2);
    expect(
      new Set(weeksWith(readiness.weekly).map(w => w.value)).size,
    ).toBeGreaterThan(1);
    const [sha] = readiness.latest.factIds;
    expect(facts[sha]).toMatchObject({ kind: 'readiness' });
    // As the commit's checks report it (a check rounds to one decimal).
    expect(coverage.latest.value).toBeCloseTo(
      sandbox.world.commitQuality[sha].coverage,
      1,
    );
  });

  it('shows the configured default window when the view names none', async () => {
    const server = await startBackend(undefined, {
      delivery: { defaultWindow: '30d' },
    });
    const { body } = await request(server).get(PATH).set(auth).expect(200);
    expect(body.window).toBe('30d');
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(30 * 86_400_000);
    const portfolio = await request(server)
      .get('/api/lexecon/v1/delivery/portfolio')
      .set(auth)
      .expect(200);
    expect(portfolio.body.window).toBe('30d');
    const named = await request(server)
      .get(`${PATH}?window=180d`)
      .set(auth)
      .expect(200);
    expect(named.body.window).toBe('180d');
  });

  it('ranks only the services the caller may read, and downloads them as CSV', async () => {
    const server = await startBackend(readableOnly([API]));
    const res = await request(server)
      .get('/api/lexecon/v1/delivery/portfolio?window=30d')
      .set(auth)
      .expect(200);
    const portfolio: DeliveryPortfolio = res.body;
    expect(portfolio.window).toBe('30d');
    expect(portfolio.services.map(s => s.entityRef)).toEqual([API]);
    expect(portfolio.services[0]).toMatchObject({
      rank: 1,
      title: 'Lexecon API',
    });

    const csv = await request(server)
      .get('/api/lexecon/v1/delivery/portfolio.csv?window=30d')
      .set(auth)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(DELIVERY_PORTFOLIO_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(API);
  });
});
