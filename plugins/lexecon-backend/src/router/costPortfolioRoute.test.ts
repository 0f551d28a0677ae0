import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostPortfolio,
  CostProvider,
  DailyCostFact,
  LEXECON_AWS_COST_TAGS_ANNOTATION,
  LEXECON_GCP_BILLING_LABELS_ANNOTATION,
  LEXECON_KUBERNETES_NAMESPACES_ANNOTATION,
  SourceId,
} from '@internal/plugin-lexecon-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { unannotatedEntity } from '../__fixtures__/entities';
import { decidingPermissions, readableOnly } from '../__fixtures__/permissions';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../approvals/__testUtils__/migratedDatabase';
import { addDays } from '../cost/calendar';
import { CostAcknowledgementStore } from '../cost/CostAcknowledgementStore';
import { CostFactStore } from '../cost/CostFactStore';
import { CostAnalysisDeps } from '../cost/readEntityCostAnalysis';
import { RequestBudget } from '../cost/RequestBudget';
import { EntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { annotationMissing } from '../sources/types';
import { createCostRouter } from './createCostRouter';

const NOW = new Date('2026-11-20T15:00:00Z');
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const auth = { Authorization: mockCredentials.user.header() };
const ref = (name: string) => `component:default/${name}`;

function service(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', title: `The ${name}`, annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

const aws = { [LEXECON_AWS_COST_TAGS_ANNOTATION]: 'x' };
const ENTITIES = [
  // Compute doubles this month, and OpenCost allocates part of that bill.
  service('api', {
    ...aws,
    [LEXECON_KUBERNETES_NAMESPACES_ANNOTATION]: 'production=api',
  }),
  service('jobs', aws),
  // Its storage costs less than usual this month.
  service('web', { [LEXECON_GCP_BILLING_LABELS_ANNOTATION]: 'service=web' }),
  service('secret', aws),
  service('broken', aws),
  unannotatedEntity,
];

/** What each cost source needs of the target, as the real sources check it. */
const COVERED: Record<string, (t: EntityTarget) => unknown> = {
  'aws-cost': t => t.awsCostTags?.length,
  'gcp-billing': t => t.gcpBillingLabels?.length,
  opencost: t => t.opencostNamespaces?.length,
};

function costSource(id: SourceId) {
  return {
    id,
    scheduledOnly: true,
    notConfiguredReason: (t: EntityTarget) =>
      COVERED[id](t) ? undefined : annotationMissing(id),
    fetch: async () => {
      throw new Error('a page view never reads a provider');
    },
  };
}

/** A store whose reads fail for one entity, as a broken row or a lost connection would. */
class FailingFor extends CostFactStore {
  constructor(knex: Knex, private readonly failing: string) {
    super(knex);
  }
  async coverage(entityRef: string) {
    if (entityRef === this.failing) throw new Error('connection reset');
    return super.coverage(entityRef);
  }
}

/** Daily facts from August to yesterday: `perDay` up to October, `november` this month. */
function facts(
  provider: CostProvider,
  component: string,
  perDay: number,
  november = perDay,
): DailyCostFact[] {
  const out: DailyCostFact[] = [];
  for (let day = '2026-08-01', i = 0; day < '2026-11-20'; i++) {
    const base = day >= '2026-11-01' ? november : perDay;
    // A little day-to-day noise, as real bills have.
    const amount = base + (i % 3) * 0.01 * base;
    out.push({
      day,
      component,
      provider,
      amount,
      currency: 'USD',
      estimated: false,
    });
    day = addDays(day, 1);
  }
  return out;
}

async function seed(
  store: CostFactStore,
  entity: string,
  all: DailyCostFact[],
) {
  for (const provider of new Set(all.map(f => f.provider))) {
    const own = all.filter(f => f.provider === provider);
    await store.save(
      ref(entity),
      provider,
      {
        days: [...new Set(own.map(f => f.day))].map(day => ({
          day,
          estimated: false,
        })),
        facts: own,
      },
      new Date(NOW.getTime() - 3_600_000),
    );
  }
}

describe.each(databases.eachSupportedId())(
  'GET /v1/costs/portfolio and /v1/costs/daily-facts.csv on %s',
  id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await migratedDatabase(databases, id);
      const store = new CostFactStore(knex);
      await seed(store, 'api', [
        ...facts('aws', 'kubernetes-compute', 20, 40),
        ...facts('aws', 'database', 10),
        ...facts('opencost', 'kubernetes-compute', 15),
      ]);
      await seed(store, 'web', facts('gcp', 'storage', 5, 2));
      await seed(store, 'secret', facts('aws', 'database', 10, 90));
      await seed(store, 'broken', facts('aws', 'database', 10));
      // Names a spreadsheet would run as formulas or split into cells.
      await seed(store, 'jobs', [
        ...facts('aws', 'compute', 10),
        ...facts('aws', '=HYPERLINK("http://x.example")', 1),
        ...facts('aws', 'db, "primary"\nreplica', 1),
      ]);
    });

    async function app(
      decide = (_q: { permission: string }) => true,
      deps: Partial<CostAnalysisDeps> = {},
    ) {
      const router = await createCostRouter({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        permissions: decidingPermissions(decide),
        catalog: catalogServiceMock({ entities: ENTITIES }),
        costs: {
          facts: new FailingFor(knex, ref('broken')),
          budget: new RequestBudget(knex),
          snapshots: new SnapshotStore(knex),
          refresher: new SnapshotRefresher(
            new SnapshotStore(knex),
            (['aws-cost', 'gcp-billing', 'opencost'] as const).map(costSource),
            mockServices.logger.mock(),
            () => NOW,
          ),
          requestCaps: {},
          now: () => NOW,
          ...deps,
        },
      });
      return express().use(router).use(mockErrorHandler());
    }

    async function portfolio(
      decide?: (q: { permission: string }) => boolean,
      deps?: Partial<CostAnalysisDeps>,
    ) {
      const res = await request(await app(decide, deps))
        .get('/v1/costs/portfolio')
        .set(auth)
        .expect(200);
      return res.body as CostPortfolio;
    }

    it('ranks the services with a cost source by forecast against baseline, highest first', async () => {
      const body = await portfolio();

      expect(body.rows.map(r => r.name)).toEqual([
        'secret',
        'api',
        'jobs',
        'web',
        'broken',
      ]);
      const api = body.rows.find(r => r.name === 'api')!;
      expect(api).toMatchObject({
        entityRef: ref('api'),
        title: 'The api',
        status: 'ok',
        currency: 'USD',
      });
      // Nineteen days at twice the usual compute: the month runs over its baseline.
      expect(api.total!.monthToDate).toBeGreaterThan(
        api.total!.expectedToDate!,
      );
      expect(api.total!.delta).toBeGreaterThan(0);
      expect(body.rows.find(r => r.name === 'web')!.total!.delta).toBeLessThan(
        0,
      );
      expect(body.providers).toEqual(['aws', 'gcp', 'opencost']);
      expect(body.components).toContain('kubernetes-compute');
    });

    it("splits each service's month by provider and component, the allocation outside the Total", async () => {
      const api = (await portfolio()).rows.find(r => r.name === 'api')!;

      const inTotal = api.cells.filter(c => c.inTotal);
      expect(inTotal.map(c => `${c.provider}:${c.component}`).sort()).toEqual([
        'aws:database',
        'aws:kubernetes-compute',
      ]);
      const sum = inTotal.reduce((s, c) => s + c.monthToDate, 0);
      expect(sum).toBeCloseTo(api.total!.monthToDate, 6);
      const allocation = api.cells.find(c => c.provider === 'opencost')!;
      expect(allocation).toMatchObject({
        component: 'kubernetes-compute',
        inTotal: false,
      });
      expect(allocation.baseline).toBeGreaterThan(0);
    });

    it('lists the open anomalies of every service with the service they belong to', async () => {
      const { anomalies } = await portfolio();

      expect(anomalies.length).toBeGreaterThan(0);
      expect(anomalies.every(a => a.status === 'open')).toBe(true);
      expect(
        anomalies.some(
          a =>
            a.entityRef === ref('api') &&
            a.component === 'kubernetes-compute' &&
            a.start >= '2026-11-01',
        ),
      ).toBe(true);
    });

    it('lists an acknowledged anomaly no longer among the open ones, and the others still', async () => {
      const acknowledgements = new CostAcknowledgementStore(knex);
      const key = (a: { entityRef: string; id: string }) =>
        `${a.entityRef} ${a.id}`;
      const before = (await portfolio(undefined, { acknowledgements }))
        .anomalies;
      const compute = before.find(
        a => a.entityRef === ref('api') && a.component === 'kubernetes-compute',
      );
      expect(compute).toBeDefined();
      expect(before.some(a => a.entityRef === ref('secret'))).toBe(true);

      await acknowledgements.add(
        ref('api'),
        {
          anomalyId: compute!.id,
          reason: 'expected',
          comment: 'The cluster doubled for the launch',
          by: 'user:default/mock',
          at: NOW.toISOString(),
        },
        { to: 'none' },
      );
      try {
        const after = (await portfolio(undefined, { acknowledgements }))
          .anomalies;

        expect(after.map(key)).toEqual(
          before.map(key).filter(k => k !== key(compute!)),
        );
        expect(after.every(a => a.status === 'open')).toBe(true);
      } finally {
        // The other cases read the same database.
        await knex('lexecon_cost_acknowledgements').delete();
      }
    });

    it('leaves out the services the reader may not read: no row, anomaly or CSV line', async () => {
      const decide = readableOnly(['api', 'jobs', 'web', 'broken'].map(ref));
      const body = await portfolio(decide);
      expect(body.rows.map(r => r.name)).not.toContain('secret');
      expect(body.anomalies.map(a => a.entityRef)).not.toContain(ref('secret'));

      const csv = await request(await app(decide))
        .get('/v1/costs/daily-facts.csv')
        .set(auth)
        .expect(200);
      expect(csv.text).toContain(ref('api'));
      expect(csv.text).not.toContain(ref('secret'));
    });

    it('shows a service whose analysis fails as an error row and the others as usual', async () => {
      const body = await portfolio();

      const broken = body.rows.find(r => r.name === 'broken')!;
      expect(broken).toMatchObject({ status: 'error', cells: [] });
      expect(broken.message).toMatch(/could not be analysed/);
      expect(broken.message).not.toMatch(/connection reset/);
      expect(body.rows.find(r => r.name === 'jobs')!.status).toBe('ok');
    });

    it('downloads the daily facts as CSV, escaped and safe to open in a spreadsheet', async () => {
      const res = await request(await app())
        .get('/v1/costs/daily-facts.csv')
        .query({ provider: 'aws', from: '2026-11-19' })
        .set(auth)
        .expect(200);

      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="lexecon-daily-costs.csv"',
      );
      const lines = res.text.split('\r\n');
      expect(lines[0]).toBe(
        'entity,provider,component,day,amount,currency,estimated',
      );
      expect(res.text).toContain(
        `${ref(
          'jobs',
        )},aws,"'=HYPERLINK(""http://x.example"")",2026-11-19,1.02,USD,false\r\n`,
      );
      expect(res.text).toContain(
        `${ref(
          'jobs',
        )},aws,"db, ""primary""\nreplica",2026-11-19,1.02,USD,false\r\n`,
      );
      // Only the day asked from, and only AWS.
      expect(res.text).not.toMatch(/2026-11-18|,gcp,|,opencost,/);
      expect(res.text).toContain(`${ref('api')},aws,database,2026-11-19`);
    });

    it('filters the CSV by component', async () => {
      const res = await request(await app())
        .get('/v1/costs/daily-facts.csv')
        .query({ component: 'storage', from: '2026-11-18' })
        .set(auth)
        .expect(200);

      expect(res.text.trim().split('\r\n').slice(1)).toEqual([
        `${ref('web')},gcp,storage,2026-11-18,2.02,USD,false`,
        `${ref('web')},gcp,storage,2026-11-19,2.04,USD,false`,
      ]);
    });

    it.each([
      [{ provider: 'azure' }, 'provider'],
      [{ from: '2026-02-30' }, 'from'],
      [{ from: '19/11/2026' }, 'from'],
    ])('answers %j with a 400 naming the parameter', async (query, name) => {
      const res = await request(await app())
        .get('/v1/costs/daily-facts.csv')
        .query(query)
        .set(auth)
        .expect(400);

      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.error.message).toContain(`query parameter '${name}'`);
    });
  },
);
