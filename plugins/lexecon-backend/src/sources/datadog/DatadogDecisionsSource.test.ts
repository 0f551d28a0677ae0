import { TestDatabases } from '@backstage/backend-test-utils';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { addDays, daysBetween } from '../../cost/calendar';
import { DecisionCountStore } from '../../cost/DecisionCountStore';
import { EntityTarget } from '../../EntityTarget';
import { UpstreamError } from '../types';
import {
  DatadogDecisionsSource,
  DECISION_DAYS,
} from './DatadogDecisionsSource';

const NOW = new Date('2026-11-20T15:00:00Z');
const TODAY = '2026-11-20';
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const api: EntityTarget = {
  entityRef: 'component:default/lexecon-api',
  environments: ['production'],
  datadog: {
    sloTags: ['service:lexecon', 'env:production'],
    monitorTags: ['service:lexecon'],
    service: 'lexecon',
  },
};

/** The sandbox's traffic curve (38 ± 22 decisions a second over the UTC day) adds up to this. */
const SANDBOX_DAILY = 38 * 86_400;

describe.each(databases.eachSupportedId())(
  'DatadogDecisionsSource against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let store: DecisionCountStore;

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      store = new DecisionCountStore(knex);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      await knex('lexecon_decision_counts').delete();
    });

    const source = (
      day = TODAY,
      overrides: { metric?: string; apiKey?: string } = {},
    ) =>
      new DatadogDecisionsSource({
        config: {
          baseUrl: sandbox.datadogUrl,
          appUrl: sandbox.datadogUrl,
          apiKey: overrides.apiKey ?? sandbox.datadogApiKey,
          applicationKey: sandbox.datadogApplicationKey,
        },
        metric: 'metric' in overrides ? overrides.metric : 'lexecon.decisions',
        store,
        upstream: { timeoutMs: 5000, retries: 0 },
        now: () => new Date(`${day}T15:00:00Z`),
      });
    const queries = () =>
      sandbox
        .requests()
        .filter(r => r.source === 'datadog' && r.path.includes('/v1/query'));

    it("stores each of the last 35 UTC days' decision count from one daily-rollup query", async () => {
      const run = await source().fetch(api);

      expect(run).toMatchObject({
        from: addDays(TODAY, -DECISION_DAYS),
        to: addDays(TODAY, -1),
        days: DECISION_DAYS,
        requests: 1,
      });
      expect(run.query).toBe(
        'sum:lexecon.decisions{service:lexecon,env:production}.as_count().rollup(sum, 86400)',
      );
      expect(queries()).toHaveLength(1);
      const counts = await store.counts(api.entityRef, '2026-01-01');
      expect(counts.map(c => c.day)).toEqual(
        daysBetween(addDays(TODAY, -DECISION_DAYS), addDays(TODAY, -1)),
      );
      for (const c of counts) expect(c.count).toBeCloseTo(SANDBOX_DAILY, -2);
    });

    it('asks again only for the days it does not hold', async () => {
      await source().fetch(api);
      sandbox.clearRequests();

      expect(await source().fetch(api)).toEqual({ days: 0, requests: 0 });
      expect(queries()).toHaveLength(0);

      const tomorrow = addDays(TODAY, 1);
      const next = await source(tomorrow).fetch(api);
      expect(next).toMatchObject({ from: TODAY, to: TODAY, days: 1 });
      const from = Date.parse(`${TODAY}T00:00:00Z`) / 1000;
      expect(queries()).toEqual([
        expect.objectContaining({
          path: expect.stringContaining(`from=${from}&`),
        }),
      ]);
    });

    it('says what is missing before asking Datadog anything', () => {
      expect(
        source(TODAY, { metric: undefined }).notConfiguredReason(api),
      ).toEqual({
        message: expect.stringContaining('lexecon.datadog.decisionMetric'),
        missingAnnotations: [],
      });
      expect(
        source().notConfiguredReason({ ...api, datadog: undefined }),
      ).toEqual(
        expect.objectContaining({
          missingAnnotations: ['lexecon.io/datadog-slo-tags'],
        }),
      );
      expect(source().notConfiguredReason(api)).toBeUndefined();
      expect(queries()).toHaveLength(0);
    });

    it('fails with a message a person can act on, and keeps the counts it had', async () => {
      await source(addDays(TODAY, -1)).fetch(api);
      const before = await store.counts(api.entityRef, '2026-01-01');

      const rejected = source(TODAY, { apiKey: 'wrong' }).fetch(api);
      await expect(rejected).rejects.toBeInstanceOf(UpstreamError);
      await expect(rejected).rejects.toThrow(
        /Datadog rejected the API or application key \(403\).*lexecon\.datadog\.apiKey/,
      );
      sandbox.setFaults([{ source: 'datadog', kind: 'malformed', times: 1 }]);
      await expect(source().fetch(api)).rejects.toBeInstanceOf(UpstreamError);
      expect(await store.counts(api.entityRef, '2026-01-01')).toEqual(before);
    });
  },
);
