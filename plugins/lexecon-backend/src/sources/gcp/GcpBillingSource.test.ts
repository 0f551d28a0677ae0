import { TestDatabases } from '@backstage/backend-test-utils';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { addDays, daysBetween } from '../../cost/calendar';
import { CostFactStore } from '../../cost/CostFactStore';
import { EntityTarget } from '../../EntityTarget';
import { UpstreamError } from '../types';
import { GcpBillingSource, UNSETTLED_DAYS } from './GcpBillingSource';

const NOW = new Date('2026-11-20T15:00:00Z');
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const api: EntityTarget = {
  entityRef: 'component:default/lexecon-api',
  environments: ['production'],
  gcpBillingLabels: ['service=lexecon-api'],
};

const COMPONENTS = [
  'database-backups',
  'database-primary',
  'kubernetes-compute',
  'monitoring',
  'storage',
  'untagged',
];

describe.each(databases.eachSupportedId())(
  'GcpBillingSource against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let facts: CostFactStore;

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      facts = new CostFactStore(knex);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      await knex('lexecon_cost_facts').delete();
      await knex('lexecon_cost_days').delete();
    });

    /** The source as the backend builds it, on `day` (UTC, the sandbox's seed time of day). */
    function source(day: string, maximumBytesBilled = 1024 ** 3) {
      const b = sandbox.gcpBilling;
      return new GcpBillingSource({
        config: {
          projectId: b.projectId,
          table: `${b.dataset}.${b.table}`,
          location: b.location,
          maximumBytesBilled,
          componentLabel: 'component',
          apiEndpoint: sandbox.bigqueryUrl,
          accessToken: sandbox.bigqueryToken,
          maxRetries: 0,
        },
        facts,
        now: () => new Date(`${day}T15:00:00Z`),
      });
    }

    const queries = () =>
      sandbox
        .requests()
        .filter(r => r.source === 'bigquery' && r.method === 'POST');

    it('stores 13 months by component net of credits on its first run, the last days unsettled', async () => {
      const { calendar, creditMonth } = sandbox.gcpBilling;
      const today = calendar.end;
      const run = await source(today).fetch(api);

      expect(run).toEqual({
        window: { from: calendar.start, to: today },
        ranges: [{ from: calendar.start, to: today }],
        queries: 1,
      });
      expect(queries()).toHaveLength(1);
      const days = daysBetween(calendar.start, addDays(today, -1));
      const stored = await facts.facts(api.entityRef, calendar.start);
      expect(stored).toHaveLength(days.length * COMPONENTS.length);
      expect([...new Set(stored.map(f => f.component))].sort()).toEqual(
        COMPONENTS,
      );
      expect(
        stored.every(f => f.provider === 'gcp' && f.currency === 'USD'),
      ).toBe(true);

      const compute = stored.filter(f => f.component === 'kubernetes-compute');
      const credited = compute.filter(f => f.day.startsWith(creditMonth));
      expect(credited).toHaveLength(31);
      for (const f of credited) {
        // 40% of the gross cost credited: the amount kept is the 60% left.
        expect(f.credits).toBeCloseTo((-0.4 / 0.6) * f.amount, 4);
      }
      expect(
        compute
          .filter(f => !f.day.startsWith(creditMonth))
          .every(f => f.credits === 0 && f.amount > 0),
      ).toBe(true);

      const unsettled = daysBetween(
        addDays(today, -UNSETTLED_DAYS),
        addDays(today, -1),
      );
      expect(await facts.coverage(api.entityRef)).toEqual([
        {
          provider: 'gcp',
          lastCompleteDay: addDays(today, -UNSETTLED_DAYS - 1),
          dataAsOf: new Date(`${today}T15:00:00Z`),
          estimatedDays: unsettled,
        },
      ]);
      const estimated = stored.filter(f => f.estimated);
      expect(estimated).toHaveLength(unsettled.length * COMPONENTS.length);
      expect([...new Set(estimated.map(f => f.day))].sort()).toEqual(unsettled);
    });

    it('queries only the unsettled days and the days since on the next run, and nothing more that day', async () => {
      const { calendar } = sandbox.gcpBilling;
      const yesterday = addDays(calendar.end, -1);
      await source(yesterday).fetch(api);
      sandbox.clearRequests();

      const next = await source(calendar.end).fetch(api);
      expect(next.ranges).toEqual([
        { from: addDays(yesterday, -UNSETTLED_DAYS), to: calendar.end },
      ]);
      expect(queries()).toHaveLength(1);
      const reread = (
        await facts.storedDays(api.entityRef, 'gcp', calendar.start)
      ).filter(d => d.fetchedOn === calendar.end);
      expect(reread.map(d => d.day)).toEqual(
        daysBetween(addDays(yesterday, -UNSETTLED_DAYS), yesterday),
      );

      sandbox.clearRequests();
      const again = await source(calendar.end).fetch(api);
      expect(again).toMatchObject({ ranges: [], queries: 0 });
      expect(queries()).toHaveLength(0);
    });

    it('fails with the setting to raise when the query would bill too much, storing nothing', async () => {
      const today = sandbox.gcpBilling.calendar.end;
      const error = await source(today, 1_000_000)
        .fetch(api)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as Error).message).toMatch(
        /^The billing query would bill more than lexecon\.gcp\.billing\.maximumBytesBilled \(1000000 bytes\)/,
      );
      expect(
        await facts.storedDays(api.entityRef, 'gcp', '2000-01-01'),
      ).toEqual([]);
    });

    it('keeps the stored days when BigQuery fails, and reads them the next time', async () => {
      const { calendar } = sandbox.gcpBilling;
      const yesterday = addDays(calendar.end, -1);
      await source(yesterday).fetch(api);
      const before = await facts.facts(api.entityRef, calendar.start);
      sandbox.setFaults([{ source: 'bigquery', kind: '5xx', status: 503 }]);

      await expect(source(calendar.end).fetch(api)).rejects.toThrow(
        UpstreamError,
      );
      expect(await facts.facts(api.entityRef, calendar.start)).toEqual(before);

      sandbox.clearFaults();
      const retried = await source(calendar.end).fetch(api);
      expect(retried.ranges).toEqual([
        { from: addDays(yesterday, -UNSETTLED_DAYS), to: calendar.end },
      ]);
    });

    it('names the annotation an entity lacks, and the config the backend lacks', () => {
      const { gcpBillingLabels, ...unlabelled } = api;
      expect(gcpBillingLabels).toBeDefined();
      expect(
        source(sandbox.gcpBilling.calendar.end).notConfiguredReason(unlabelled),
      ).toEqual({
        message:
          'Add the lexecon.io/gcp-billing-labels annotation (key=value labels of its billing rows, e.g. service=lexecon-api) to show what the service costs on Google Cloud by component',
        missingAnnotations: ['lexecon.io/gcp-billing-labels'],
      });
      expect(
        new GcpBillingSource({ facts }).notConfiguredReason(api)?.message,
      ).toBe(
        'The GCP billing export is not configured: set lexecon.gcp.billing (projectId, dataset, table; credentials come from Application Default Credentials)',
      );
    });
  },
);
