import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityCostAnalysis,
  EntityCosts,
  LEXECON_AWS_COST_TAGS_ANNOTATION,
  LEXECON_DATADOG_SLO_TAGS_ANNOTATION,
  LEXECON_GCP_BILLING_LABELS_ANNOTATION,
  SourceId,
} from '@internal/plugin-lexecon-common';
import { Sandbox } from '@internal/sandbox';
import request from 'supertest';
import { lexeconApiEntity, unannotatedEntity } from '../__fixtures__/entities';
import { readableOnly } from '../__fixtures__/permissions';
import { APPROVALS_TEST_DATABASES } from '../approvals/__testUtils__/migratedDatabase';
import { addDays } from '../cost/calendar';
import { analyseCosts } from '../cost/costAnalysis';
import { resolveEntityTarget } from '../EntityTarget';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { COST_ROUTES_NOW, costRoutesHarness } from './__testUtils__/costRoutes';

const NOW = COST_ROUTES_NOW;
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });
const auth = { Authorization: mockCredentials.user.header() };
const API = 'component:default/lexecon-api';
const PATH = '/v1/entities/default/component/lexecon-api/cost-analysis';

const costedApi: Entity = {
  ...lexeconApiEntity,
  metadata: {
    ...lexeconApiEntity.metadata,
    annotations: {
      ...lexeconApiEntity.metadata.annotations,
      [LEXECON_AWS_COST_TAGS_ANNOTATION]: 'lexecon-api',
      [LEXECON_GCP_BILLING_LABELS_ANNOTATION]: 'service=lexecon-api',
      [LEXECON_DATADOG_SLO_TAGS_ANNOTATION]: 'service:lexecon,env:production',
    },
  },
};

/** The four sources behind the card, as their daily schedule runs them. */
const CARD_SOURCES: SourceId[] = [
  'aws-cost',
  'gcp-billing',
  'opencost',
  'datadog-decisions',
];

describe.each(databases.eachSupportedId())(
  'GET /v1/entities/:namespace/:kind/:name/cost-analysis on %s',
  id => {
    let sandbox: Sandbox;
    let refresher: SnapshotRefresher;
    const { harness, app } = costRoutesHarness(databases, id, [
      costedApi,
      unannotatedEntity,
    ]);
    beforeAll(() => ({ sandbox, refresher } = harness));

    /** Runs every source of the card once, as the schedule would; returns the AWS requests. */
    async function readAll(): Promise<number> {
      sandbox.clearRequests();
      for (const source of CARD_SOURCES) {
        await refresher.refresh(resolveEntityTarget(costedApi), source);
      }
      return sandbox.requests().filter(r => r.source === 'aws').length;
    }

    async function get<T>(path: string, now = NOW): Promise<T> {
      const res = await request(await app(undefined, now))
        .get(path)
        .set(auth)
        .expect(200);
      return res.body;
    }

    it('before the schedule has read the providers, says so with no analysis and calls nothing', async () => {
      sandbox.clearRequests();
      const body = await get<EntityCostAnalysis>(PATH);
      expect(sandbox.requests()).toEqual([]);
      expect(body).toMatchObject({
        entityRef: API,
        status: 'error',
        message: expect.stringContaining(
          'AWS Cost Explorer has not been read for this entity yet: its scheduled refresh reads it',
        ),
        data: {
          from: '2025-11-01',
          today: '2026-11-20',
          providers: [
            {
              provider: 'aws',
              estimatedDays: [],
              requestBudget: { cap: 40, used: 0, remaining: 40 },
            },
            { provider: 'gcp', estimatedDays: [] },
            { provider: 'opencost', estimatedDays: [] },
          ],
        },
      });
      expect(body.data?.analysis).toBeUndefined();
      expect(body.data?.lastCompleteDay).toBeUndefined();
    });

    it('analyses the stored facts only: the template adds up and the seeded anomaly is open with its root cause', async () => {
      const used = await readAll();
      sandbox.clearRequests();

      const body = await get<EntityCostAnalysis>(PATH);
      expect(sandbox.requests()).toEqual([]);
      expect(body).toMatchObject({
        entityRef: API,
        status: 'ok',
        fetchedAt: NOW.toISOString(),
      });
      const { calendar, anomaly } = sandbox.awsCosts;
      const data = body.data!;
      // The bill is final up to the older of AWS's and GCP's last complete days (GCP settles later).
      const lastComplete = (provider: string) =>
        data.providers.find(p => p.provider === provider)!.lastCompleteDay!;
      expect(lastComplete('aws')).toBe(addDays(calendar.estimatedFrom, -1));
      expect(lastComplete('gcp') < lastComplete('aws')).toBe(true);
      expect(data.lastCompleteDay).toBe(lastComplete('gcp'));
      expect(data.providers[0]).toMatchObject({
        provider: 'aws',
        dataAsOf: NOW.toISOString(),
        requestBudget: { used, remaining: 40 - used },
      });
      expect(data.notes.map(n => n.about)).not.toContain('aws-anomalies');

      const analysis = data.analysis!;
      expect(analysis.currency).toBe('USD');
      expect(analysis.rows.map(r => r.component)).toEqual([
        'database-backups',
        'database-primary',
        'kubernetes-compute',
        'kubernetes-storage',
        'monitoring',
        'storage',
        // GCP's networking SKU carries no component label.
        'untagged',
      ]);
      const sum = (pick: (r: (typeof analysis.rows)[0]) => number) =>
        analysis.rows.reduce((total, r) => total + pick(r), 0);
      expect(analysis.total.baseline).toBeCloseTo(
        sum(r => r.baseline!),
        6,
      );
      expect(analysis.total.monthToDate).toBeCloseTo(
        sum(r => r.monthToDate),
        6,
      );
      expect(analysis.monthToDate.through).toBe('2026-11-19');
      expect(new Set(analysis.monthly.map(m => m.month)).size).toBe(13);

      // AWS reported the seeded spike and the portal's detector saw it too: one anomaly.
      const open = analysis.anomalies.filter(a => a.status === 'open');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({
        source: 'aws',
        detectedBy: ['aws', 'portal'],
        component: anomaly.component,
        provider: 'aws',
        start: anomaly.start,
        end: anomaly.end,
        rootCauses: [
          {
            provider: 'aws',
            component: anomaly.component,
            service: anomaly.awsService,
            usageType: anomaly.usageType,
          },
        ],
      });
      expect(open[0].impact).toBeGreaterThan(0);

      // The template and the months come from the facts /costs serves, nothing else.
      const costs = await get<EntityCosts>(
        '/v1/entities/default/component/lexecon-api/costs',
      );
      const facts = costs
        .data!.components.flatMap(({ days, ...component }) =>
          days.map(d => ({ ...d, ...component })),
        )
        .filter(f => f.provider !== 'opencost');
      const expected = analyseCosts({
        facts,
        today: '2026-11-20',
        lastCompleteDay: data.lastCompleteDay!,
      });
      expect(analysis.rows).toEqual(expected.rows);
      expect(analysis.total).toEqual(expected.total);
      expect(analysis.monthly).toEqual(expected.monthly);
    });

    it('puts OpenCost beside the bill, finds the oversized and unused resources, and gives the cost per 1,000 decisions', async () => {
      await readAll();
      const body = await get<EntityCostAnalysis>(PATH);
      const data = body.data!;
      const analysis = data.analysis!;
      expect(data.notes.map(n => n.about)).toEqual(['provider-forecast']);

      // OpenCost divides the cluster bill: shown beside the bill's Kubernetes lines, not added.
      const billedKubernetes = analysis.rows
        .filter(r => r.component.startsWith('kubernetes-'))
        .reduce((total, r) => total + r.monthToDate, 0);
      expect(analysis.rows.every(r => !r.component.endsWith('-network'))).toBe(
        true,
      );
      expect(analysis.allocation).toMatchObject({
        provider: 'opencost',
        through: '2026-11-19',
      });
      const allocation = analysis.allocation!;
      expect(allocation.monthToDate).toBeGreaterThan(0);
      expect(allocation.billedMonthToDate).toBeCloseTo(billedKubernetes, 6);
      expect(allocation.idleMonthToDate).toBeGreaterThan(0);

      // The oversized Deployment (OpenCost), AWS's oversized and idle instances.
      const kinds = analysis.opportunities.map(o => [o.kind, o.provider]);
      expect(kinds).toEqual(
        expect.arrayContaining([
          ['oversized', 'opencost'],
          ['oversized', 'aws'],
          ['unused', 'aws'],
        ]),
      );
      const idle = analysis.opportunities.find(o => o.kind === 'unused')!;
      expect(idle).toMatchObject({
        title: expect.stringContaining('lexecon-api-canary-runner'),
        monthlySavings: 70.08,
      });
      const value = (o: (typeof analysis.opportunities)[0]) =>
        o.monthlySavings / { low: 1, medium: 2, high: 3 }[o.effort];
      const values = analysis.opportunities.map(value);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      // The least efficient workload (about 10% of its CPU used) is the one to right-size.
      const [least] = analysis.efficiency;
      expect(least.cpu).toBeLessThan(0.2);
      expect(
        analysis.opportunities.find(
          o => o.kind === 'oversized' && o.provider === 'opencost',
        )?.title,
      ).toBe(`Right-size ${least.workload}`);

      // 30 days to yesterday, each the bill over Datadog's count for that UTC day.
      const unitCost = analysis.unitCost!;
      expect(unitCost.days).toHaveLength(30);
      expect(unitCost.days[29].day).toBe('2026-11-19');
      const figured = unitCost.days.filter(d => d.perThousand !== undefined);
      expect(figured.length).toBeGreaterThan(25);
      for (const d of figured) {
        expect(d.perThousand).toBeCloseTo((d.cost! / d.decisions!) * 1000, 9);
        expect(d.idleCost).toBeGreaterThan(0);
      }
      expect(unitCost.overall.perThousand).toBeGreaterThan(0);
    });

    it('says why there is no cost per 1,000 decisions when Datadog has not been read', async () => {
      await refresher.refresh(resolveEntityTarget(costedApi), 'aws-cost');
      await harness.knex('lexecon_decision_counts').delete();
      const body = await get<EntityCostAnalysis>(PATH);
      expect(body.data!.analysis!.unitCost).toBeUndefined();
      expect(body.data!.notes).toContainEqual({
        about: 'unit-cost',
        message:
          "No cost per 1,000 decisions yet: Datadog's decision counts are read by their daily schedule and none is stored",
      });
    });

    it('no longer counts an acknowledged anomaly as open', async () => {
      await readAll();
      const before = await get<EntityCostAnalysis>(PATH);
      const spike = before.data!.analysis!.anomalies.find(
        a => a.source === 'aws',
      )!;
      expect(spike.status).toBe('open');
      const acknowledgement = {
        anomalyId: spike.id,
        reason: 'migration' as const,
        comment: 'Backups moved to a new vault',
        by: 'user:default/mock',
        at: NOW.toISOString(),
      };
      await harness.acknowledgements.add(API, acknowledgement, { to: 'none' });

      const after = await get<EntityCostAnalysis>(PATH);
      expect(
        after.data!.analysis!.anomalies.find(a => a.id === spike.id),
      ).toEqual({ ...spike, status: 'acknowledged', acknowledgement });
    });

    it('keeps the analysis but says it is stale once two days pass without a read', async () => {
      await readAll();
      const later = new Date(NOW.getTime() + 2 * 86_400_000 + 1);
      const body = await get<EntityCostAnalysis>(PATH, later);
      expect(body.status).toBe('stale');
      expect(body.message).toContain(
        `AWS Cost Explorer costs have not been read since ${NOW.toISOString()}`,
      );
      expect(body.data?.today).toBe('2026-11-22');
      expect(body.data?.analysis?.rows).toHaveLength(7);
    });

    it('names the annotation an entity without it lacks, with no data', async () => {
      const body = await get<EntityCostAnalysis>(
        '/v1/entities/default/component/lexecon-docs-site/cost-analysis',
      );
      expect(body).toMatchObject({
        entityRef: 'component:default/lexecon-docs-site',
        status: 'not-configured',
        missingAnnotations: [
          LEXECON_AWS_COST_TAGS_ANNOTATION,
          LEXECON_GCP_BILLING_LABELS_ANNOTATION,
          'lexecon.io/kubernetes-namespaces',
        ],
      });
      expect(body.message).toContain(LEXECON_AWS_COST_TAGS_ANNOTATION);
      expect(body.data).toBeUndefined();
    });

    it('needs lexecon.entity.read on the entity, and a signed-in caller', async () => {
      const denied = await request(await app(readableOnly([])))
        .get(PATH)
        .set(auth)
        .expect(403);
      expect(denied.body.error.message).toBe(
        `Missing permission lexecon.entity.read on ${API}`,
      );
      await request(await app())
        .get(PATH)
        .expect(401);
    });
  },
);
