import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityCosts,
  LEXECON_AWS_COST_TAGS_ANNOTATION,
} from '@internal/plugin-lexecon-common';
import { Sandbox } from '@internal/sandbox';
import request from 'supertest';
import { unannotatedEntity } from '../__fixtures__/entities';
import { readableOnly } from '../__fixtures__/permissions';
import { addDays, daysBetween } from '../cost/calendar';
import { resolveEntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { COST_ROUTES_NOW, costRoutesHarness } from './__testUtils__/costRoutes';

const NOW = COST_ROUTES_NOW;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const auth = { Authorization: mockCredentials.user.header() };

const costed: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'lexecon-api',
    namespace: 'default',
    annotations: { [LEXECON_AWS_COST_TAGS_ANNOTATION]: 'lexecon-api' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
};
const API = 'component:default/lexecon-api';

/** The states of the two cost sources the AWS-only entity lacks the annotations of. */
const OTHER_PROVIDERS_UNANNOTATED = [
  expect.objectContaining({
    source: 'gcp-billing',
    status: 'not-configured',
    missingAnnotations: ['lexecon.io/gcp-billing-labels'],
  }),
  expect.objectContaining({
    source: 'opencost',
    status: 'not-configured',
    missingAnnotations: ['lexecon.io/kubernetes-namespaces'],
  }),
];

describe('GET /v1/entities/:namespace/:kind/:name/costs', () => {
  let sandbox: Sandbox;
  let refresher: SnapshotRefresher;
  const { harness, app } = costRoutesHarness(databases, 'SQLITE_3', [
    costed,
    unannotatedEntity,
  ]);
  beforeAll(() => ({ sandbox, refresher } = harness));

  /** The entity's costs as the card asks for them, at `now`. */
  const costsOf = async (name: string, now = NOW): Promise<EntityCosts> =>
    (
      await request(await app(undefined, now))
        .get(`/v1/entities/default/component/${name}/costs`)
        .set(auth)
        .expect(200)
    ).body;

  it('answers from the store only: before the schedule has read AWS it says so and calls nothing', async () => {
    sandbox.clearRequests();
    expect(await costsOf('lexecon-api')).toEqual({
      entityRef: API,
      status: 'error',
      message:
        'AWS Cost Explorer has not been read for this entity yet: its scheduled refresh reads it',
      sources: [
        {
          source: 'aws-cost',
          status: 'error',
          message:
            'AWS Cost Explorer has not been read for this entity yet: its scheduled refresh reads it',
        },
        ...OTHER_PROVIDERS_UNANNOTATED,
      ],
      data: {
        from: '2025-11-01',
        providers: [
          {
            provider: 'aws',
            estimatedDays: [],
            requestBudget: {
              day: '2026-11-20',
              cap: 40,
              used: 0,
              remaining: 40,
            },
          },
        ],
        components: [],
      },
    } satisfies EntityCosts);
    expect(sandbox.requests()).toEqual([]);
  });

  it('serves the stored daily facts by component, with data as of, the last complete day, the estimated days and the budget left', async () => {
    await refresher.refresh(resolveEntityTarget(costed), 'aws-cost');
    const { calendar } = sandbox.awsCosts;
    const used = sandbox.requests().length;
    sandbox.clearRequests();

    const body = await costsOf('lexecon-api');
    expect(sandbox.requests()).toEqual([]);
    expect(body).toMatchObject({
      entityRef: API,
      status: 'ok',
      fetchedAt: NOW.toISOString(),
      sources: [
        {
          source: 'aws-cost',
          status: 'ok',
          fetchedAt: NOW.toISOString(),
          attemptedAt: NOW.toISOString(),
        },
        ...OTHER_PROVIDERS_UNANNOTATED,
      ],
    });
    const estimatedDays = daysBetween(
      calendar.estimatedFrom,
      addDays(calendar.end, -1),
    );
    expect(body.data?.providers).toEqual([
      {
        provider: 'aws',
        lastCompleteDay: addDays(calendar.estimatedFrom, -1),
        dataAsOf: NOW.toISOString(),
        estimatedDays,
        requestBudget: {
          day: '2026-11-20',
          cap: 40,
          used,
          remaining: 40 - used,
        },
      },
    ]);
    const components = body.data!.components;
    expect(components.map(c => c.component)).toEqual([
      'database-backups',
      'database-primary',
      'kubernetes-compute',
      'kubernetes-storage',
      'monitoring',
      'storage',
    ]);
    const days = daysBetween(calendar.start, addDays(calendar.end, -1));
    for (const c of components) {
      expect(c).toMatchObject({ provider: 'aws', currency: 'USD' });
      expect(c.days.map(d => d.day)).toEqual(days);
      expect(c.days.filter(d => d.estimated).map(d => d.day)).toEqual(
        estimatedDays,
      );
    }
    const { anomaly } = sandbox.awsCosts;
    const backups = components[0].days;
    const spike = backups.find(d => d.day === anomaly.start)!;
    const before = backups.find(d => d.day === addDays(anomaly.start, -7))!;
    expect(spike.amount).toBeGreaterThan(3 * before.amount);
  });

  it('says the costs are stale once two days pass without a read', async () => {
    await refresher.refresh(resolveEntityTarget(costed), 'aws-cost');
    const later = new Date(NOW.getTime() + 2 * 86_400_000 + 1);
    const body = await costsOf('lexecon-api', later);
    expect(body.status).toBe('stale');
    expect(body.sources[0].message).toBe(
      `AWS Cost Explorer costs have not been read since ${NOW.toISOString()}`,
    );
    expect(body.data?.components).toHaveLength(6);
  });

  it('names the annotations an entity without any cost source lacks', async () => {
    expect(await costsOf('lexecon-docs-site')).toEqual({
      entityRef: 'component:default/lexecon-docs-site',
      status: 'not-configured',
      message: [
        "Add the lexecon.io/aws-cost-tags annotation (the service cost allocation tag's value(s), e.g. lexecon-api) to show what the service costs on AWS by component",
        'Add the lexecon.io/gcp-billing-labels annotation (key=value labels of its billing rows, e.g. service=lexecon-api) to show what the service costs on Google Cloud by component',
        'Add the lexecon.io/kubernetes-namespaces annotation (e.g. staging=lexecon-staging,production=lexecon-production) to show what its Kubernetes workloads cost and use',
      ].join('. '),
      missingAnnotations: [
        'lexecon.io/aws-cost-tags',
        'lexecon.io/gcp-billing-labels',
        'lexecon.io/kubernetes-namespaces',
      ],
      sources: [
        expect.objectContaining({
          source: 'aws-cost',
          status: 'not-configured',
        }),
        ...OTHER_PROVIDERS_UNANNOTATED,
      ],
    });
  });

  it('needs lexecon.entity.read on the entity, and a signed-in caller', async () => {
    const denied = await request(await app(readableOnly([])))
      .get('/v1/entities/default/component/lexecon-api/costs')
      .set(auth)
      .expect(403);
    expect(denied.body.error.message).toBe(
      `Missing permission lexecon.entity.read on ${API}`,
    );
    await request(await app())
      .get('/v1/entities/default/component/lexecon-api/costs')
      .expect(401);
  });
});
