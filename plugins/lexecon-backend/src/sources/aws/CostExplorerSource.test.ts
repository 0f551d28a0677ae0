import { TestDatabases } from '@backstage/backend-test-utils';
import { COST_COMPONENTS, Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { AwsCostInsightStore } from '../../cost/AwsCostInsightStore';
import { addDays, daysBetween } from '../../cost/calendar';
import { CostFactStore } from '../../cost/CostFactStore';
import { RequestBudget } from '../../cost/RequestBudget';
import { EntityTarget } from '../../EntityTarget';
import { UpstreamError } from '../types';
import { CostExplorerSource } from './CostExplorerSource';

const NOW = new Date('2026-11-20T15:00:00Z');
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const target = (name: string): EntityTarget => ({
  entityRef: `component:default/${name}`,
  environments: ['production'],
  awsCostTags: [name],
});
const api = target('lexecon-api');
const policyEngine = target('policy-engine');

describe.each(databases.eachSupportedId())(
  'CostExplorerSource against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let facts: CostFactStore;
    let insights: AwsCostInsightStore;
    const sources: CostExplorerSource[] = [];

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      facts = new CostFactStore(knex);
      insights = new AwsCostInsightStore(knex);
    });
    afterAll(async () => {
      sources.forEach(s => s.destroy());
      await sandbox.stop();
    });
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      for (const table of [
        'lexecon_cost_facts',
        'lexecon_cost_days',
        'lexecon_cost_requests',
        'lexecon_aws_cost_anomalies',
        'lexecon_aws_rightsizing',
        'lexecon_aws_cost_reads',
        'lexecon_aws_account_reads',
      ]) {
        await knex(table).delete();
      }
    });

    /**
     * The source as the backend builds it, on `day` (UTC, the sandbox's seed time of day); with
     * `withInsights`, it reads AWS's anomalies and rightsizing too.
     */
    function source(day: string, maxRequestsPerDay = 50, withInsights = false) {
      const s = new CostExplorerSource({
        config: {
          maxRequestsPerDay,
          client: {
            endpoint: sandbox.awsUrl,
            credentials: {
              accessKeyId: sandbox.awsAccessKeyId,
              secretAccessKey: sandbox.awsSecretAccessKey,
            },
            maxAttempts: 1,
          },
        },
        facts,
        ...(withInsights && { insights }),
        budget: new RequestBudget(knex),
        now: () => new Date(`${day}T15:00:00Z`),
      });
      sources.push(s);
      return s;
    }

    const awsRequests = () =>
      sandbox.requests().filter(r => r.source === 'aws');

    it('stores 13 months of the daily cost by component on its first run, the latest days estimated', async () => {
      const { calendar } = sandbox.awsCosts;
      const today = calendar.end;
      const run = await source(today).fetch(api);

      expect(run.window).toEqual({ from: calendar.start, to: today });
      expect(run.ranges).toEqual([{ from: calendar.start, to: today }]);
      expect(run.requests).toBeGreaterThan(1);
      expect(awsRequests()).toHaveLength(run.requests);
      expect(run.budget).toEqual({
        day: today,
        cap: 50,
        used: run.requests,
        remaining: 50 - run.requests,
      });
      const days = daysBetween(calendar.start, addDays(today, -1));
      const stored = await facts.facts(api.entityRef, calendar.start);
      expect(stored).toHaveLength(days.length * COST_COMPONENTS.length);
      expect(new Set(stored.map(f => f.component))).toEqual(
        new Set(COST_COMPONENTS),
      );
      expect(
        stored.every(f => f.provider === 'aws' && f.currency === 'USD'),
      ).toBe(true);
      expect(await facts.coverage(api.entityRef)).toEqual([
        {
          provider: 'aws',
          lastCompleteDay: addDays(calendar.estimatedFrom, -1),
          dataAsOf: new Date(`${today}T15:00:00Z`),
          estimatedDays: daysBetween(
            calendar.estimatedFrom,
            addDays(today, -1),
          ),
        },
      ]);
    });

    it('reads only the estimated days and the days since on the next run, and nothing more that day', async () => {
      const { calendar } = sandbox.awsCosts;
      const yesterday = addDays(calendar.end, -1);
      await source(yesterday).fetch(api);
      const firstRun = await facts.storedDays(
        api.entityRef,
        'aws',
        calendar.start,
      );
      const estimatedYesterday = firstRun.filter(d => d.estimated);
      expect(estimatedYesterday.map(d => d.day)).toEqual([
        addDays(calendar.end, -2),
      ]);
      sandbox.clearRequests();

      const next = await source(calendar.end).fetch(api);
      expect(next.ranges).toEqual([
        { from: addDays(calendar.end, -2), to: calendar.end },
      ]);
      expect(next.requests).toBe(1);
      expect(awsRequests()).toHaveLength(1);
      const reread = (
        await facts.storedDays(api.entityRef, 'aws', calendar.start)
      ).filter(d => d.fetchedOn === calendar.end);
      expect(reread.map(d => d.day)).toEqual([
        addDays(calendar.end, -2),
        addDays(calendar.end, -1),
      ]);

      sandbox.clearRequests();
      const again = await source(calendar.end).fetch(api);
      expect(again.ranges).toEqual([]);
      expect(again.requests).toBe(0);
      expect(awsRequests()).toHaveLength(0);
    });

    it('stops at the daily request cap, says so, keeps what it read, and another replica makes no request that day', async () => {
      const { calendar } = sandbox.awsCosts;
      const today = calendar.end;
      const error = await source(today, 2)
        .fetch(api)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(UpstreamError);
      const read = await facts.storedDays(api.entityRef, 'aws', calendar.start);
      expect(read.length).toBeGreaterThan(0);
      const unread = addDays(read[read.length - 1].day, 1);
      expect((error as Error).message).toBe(
        `The AWS Cost Explorer request cap of 2 a day (lexecon.aws.costExplorer.maxRequestsPerDay) is used up for ${today} (UTC): the days from ${unread} on are not read yet; the first run after midnight UTC reads them`,
      );
      expect(awsRequests()).toHaveLength(2);
      expect(read.map(d => d.day)).toEqual(
        daysBetween(calendar.start, addDays(unread, -1)),
      );

      sandbox.clearRequests();
      await expect(source(today, 2).fetch(api)).rejects.toThrow(
        'request cap of 2 a day',
      );
      expect(awsRequests()).toHaveLength(0);
      expect(await new RequestBudget(knex).state('aws', today, 2)).toEqual({
        day: today,
        cap: 2,
        used: 2,
        remaining: 0,
      });

      const rest = await source(today, 50).fetch(api);
      expect(rest.ranges).toEqual([{ from: unread, to: today }]);
      expect(
        await facts.storedDays(api.entityRef, 'aws', calendar.start),
      ).toHaveLength(daysBetween(calendar.start, addDays(today, -1)).length);
    });

    it('names the annotation an entity lacks, and the config the backend lacks', () => {
      const { awsCostTags, ...untagged } = api;
      expect(awsCostTags).toBeDefined();
      expect(
        source(sandbox.awsCosts.calendar.end).notConfiguredReason(untagged),
      ).toEqual({
        message:
          "Add the lexecon.io/aws-cost-tags annotation (the service cost allocation tag's value(s), e.g. lexecon-api) to show what the service costs on AWS by component",
        missingAnnotations: ['lexecon.io/aws-cost-tags'],
      });
      const off = new CostExplorerSource({
        facts,
        budget: new RequestBudget(knex),
      });
      expect(off.notConfiguredReason(api)?.message).toBe(
        'AWS Cost Explorer is not configured: set lexecon.aws.costExplorer (credentials come from the AWS default provider chain)',
      );
    });

    it('stores the anomaly AWS reported in the Lexecon API’s database backups, and its oversized and idle instances, counted against the cap', async () => {
      const today = sandbox.awsCosts.calendar.end;
      const { anomaly } = sandbox.awsCosts;
      const run = await source(today, 50, true).fetch(api);

      expect(run.anomalies).toBe(1);
      expect(run.recommendations).toBe(2);
      expect(awsRequests()).toHaveLength(run.requests);
      expect(run.budget.used).toBe(run.requests);
      const [stored] = await insights.anomalies(api.entityRef);
      expect(stored).toEqual({
        anomalyId: expect.any(String),
        component: 'database-backups',
        start: anomaly.start,
        end: anomaly.end,
        impact: expect.any(Number),
        actual: expect.any(Number),
        expected: expect.any(Number),
        maxScore: 0.93,
        rootCauses: [
          expect.objectContaining({
            service: 'Amazon Relational Database Service',
            usageType: 'USE1-ChargedBackupUsage',
            contribution: stored.impact,
          }),
        ],
      });
      expect(stored.impact).toBeCloseTo(stored.actual! - stored.expected!, 1);
      expect(await insights.rightsizing(api.entityRef)).toEqual([
        {
          resourceId: expect.stringMatching(/^i-/),
          instanceName: 'lexecon-api-batch-worker',
          component: 'kubernetes-compute',
          services: ['lexecon-api'],
          action: 'modify',
          currentType: 'm6i.2xlarge',
          targetType: 'm6i.large',
          monthlyCost: 280.32,
          monthlySavings: 210.24,
          currency: 'USD',
          maxCpuPercent: 11.2,
          findings: ['CPU_OVER_PROVISIONED'],
        },
        {
          resourceId: expect.stringMatching(/^i-/),
          instanceName: 'lexecon-api-canary-runner',
          component: 'kubernetes-compute',
          services: ['lexecon-api'],
          action: 'terminate',
          currentType: 'm6i.large',
          monthlyCost: 70.08,
          monthlySavings: 70.08,
          currency: 'USD',
          maxCpuPercent: 0.3,
          findings: ['CPU_OVER_PROVISIONED', 'MEMORY_OVER_PROVISIONED'],
        },
      ]);

      sandbox.clearRequests();
      const again = await source(today, 50, true).fetch(api);
      expect(again.requests).toBe(0);
      expect(again).not.toHaveProperty('anomalies');
      expect(awsRequests()).toHaveLength(0);
    });

    it('keeps an anomaly that is not the service’s rise away from it', async () => {
      const today = sandbox.awsCosts.calendar.end;
      const run = await source(today, 50, true).fetch(policyEngine);
      expect(run.anomalies).toBe(0);
      expect(await insights.anomalies(policyEngine.entityRef)).toEqual([]);
      expect(await insights.rightsizing(policyEngine.entityRef)).toEqual([
        expect.objectContaining({
          instanceName: 'policy-engine-replay',
          action: 'terminate',
          monthlySavings: 70.08,
        }),
      ]);
    });

    it("reads the account's anomalies and rightsizing once a day for every service, each taking its own", async () => {
      const today = sandbox.awsCosts.calendar.end;
      const awsCalls = () =>
        sandbox.requests().filter(r => r.source === 'aws' && r.path === '/');
      await source(today, 50, true).fetch(api);
      const first = awsCalls().length;
      sandbox.clearRequests();

      const second = await source(today, 50, true).fetch(policyEngine);
      // Only its own daily costs: the account-wide reads are the Lexecon API's of this morning.
      expect(second.requests).toBe(awsCalls().length);
      expect(second.requests).toBeLessThan(first);
      expect(second.recommendations).toBe(1);
      expect(await insights.rightsizing(policyEngine.entityRef)).toEqual([
        expect.objectContaining({ instanceName: 'policy-engine-replay' }),
      ]);
      expect(
        (await insights.rightsizing(api.entityRef)).map(r => r.instanceName),
      ).toEqual(['lexecon-api-batch-worker', 'lexecon-api-canary-runner']);

      // The next day, the first service to run reads them again.
      sandbox.clearRequests();
      const tomorrow = await source(addDays(today, 1), 50, true).fetch(
        policyEngine,
      );
      expect(tomorrow.requests).toBeGreaterThanOrEqual(3);
    });

    it('reads anomalies only within the daily cap, saying so, and keeps what it stored before', async () => {
      const today = sandbox.awsCosts.calendar.end;
      await source(addDays(today, -1), 50, true).fetch(api);
      sandbox.clearRequests();

      const error = await source(today, 1, true)
        .fetch(api)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect((error as Error).message).toBe(
        `The AWS Cost Explorer request cap of 1 a day (lexecon.aws.costExplorer.maxRequestsPerDay) is used up for ${today} (UTC): the cost anomalies are not read yet; the first run after midnight UTC reads them`,
      );
      expect(awsRequests()).toHaveLength(1);
      expect(await insights.anomalies(api.entityRef)).toHaveLength(1);
      expect(
        (await insights.readAt(api.entityRef, 'anomalies'))?.toISOString(),
      ).toBe(`${addDays(today, -1)}T15:00:00.000Z`);
    });
  },
);
