import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { lexeconApiEntity } from '../../__fixtures__/entities';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { CommitReadingStore } from '../../delivery/CommitReadingStore';
import { resolveEntityTarget } from '../../EntityTarget';
import { CHECK_PATTERNS } from './commitChecks';
import {
  productionDeployRuns,
  sandboxGithubClients,
} from './__testUtils__/sandboxGithubClients';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubDeploymentsSource } from './GithubDeploymentsSource';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const WINDOW = { from: new Date(0).toISOString(), to: NOW.toISOString() };
const target = resolveEntityTarget(lexeconApiEntity);
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

describe.each(databases.eachSupportedId())(
  'Readiness inputs of released commits against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let store: CommitReadingStore;
    let clients: GithubClientFactory;

    const source = () =>
      new GithubDeploymentsSource(clients, {
        logger: mockServices.logger.mock(),
        historyDays: 90,
        timeoutMs: 2000,
        readiness: {
          ...CHECK_PATTERNS,
          store,
          ciWorkflow: 'test.yml',
          retentionMs: 395 * DAY,
        },
        now: () => NOW,
      });

    /** The first production release of each commit in the 90 days read, oldest first. */
    const releases = () => {
      const first = new Map<string, (typeof sandbox.world.runs)[number]>();
      for (const run of productionDeployRuns(sandbox, NOW)) {
        if (!first.has(run.headSha)) first.set(run.headSha, run);
      }
      return [...first.values()];
    };

    const readsOf = (sha: string) =>
      sandbox
        .requests()
        .filter(r => r.path.includes(`/commits/${sha}/`))
        .map(r => r.path.split('?')[0].split('/').pop());

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      store = new CommitReadingStore(knex);
      clients = sandboxGithubClients(sandbox);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      await knex('lexecon_commit_readings').delete();
    });

    it("stores each released commit's coverage, CI pass rate, open alerts and quality as they stood at its release", async () => {
      await source().fetch(target);
      const readings = await store.readReadings(target.entityRef, WINDOW);
      const { world } = sandbox;
      const released = releases();

      expect(released.length).toBeGreaterThan(5);
      expect(readings.map(r => r.sha)).toEqual(released.map(r => r.headSha));
      const openAt = (at: string) =>
        [...world.codeScanningAlerts, ...world.dependabotAlerts].filter(
          a =>
            Date.parse(a.createdAt) <= Date.parse(at) &&
            !(a.fixedAt && Date.parse(a.fixedAt) <= Date.parse(at)) &&
            !(a.dismissedAt && Date.parse(a.dismissedAt) <= Date.parse(at)),
        ).length;
      for (const [i, reading] of readings.entries()) {
        const release = released[i];
        const ciBefore = world.runs
          .filter(
            r =>
              r.workflowFile === 'test.yml' &&
              r.status === 'completed' &&
              r.headBranch === release.headBranch &&
              Date.parse(r.createdAt) < Date.parse(release.createdAt),
          )
          .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
          .slice(0, 10);
        const { critical, high, medium, low } = reading.facts.security!;
        expect({
          measuredAt: reading.measuredAt,
          coverage: reading.facts.coverage?.percent,
          ci: [reading.facts.ciRuns?.passed, reading.facts.ciRuns?.total],
          alerts: critical + high + medium + low,
          quality: reading.facts.quality?.check,
        }).toEqual({
          measuredAt: release.createdAt,
          coverage: world.commitQuality[release.headSha].coverage,
          ci: [
            ciBefore.filter(r => r.conclusion === 'success').length,
            ciBefore.length,
          ],
          alerts: openAt(release.createdAt),
          quality: 'code-quality',
        });
      }
      // The trends have something to show: coverage moves from release to release.
      const coverages = new Set(readings.map(r => r.facts.coverage?.percent));
      expect(coverages.size).toBeGreaterThan(readings.length / 2);
    });

    it('reads only commits released since the last read, and the alert history only then', async () => {
      const github = source();
      const first = await github.fetch(target);
      const released = releases();
      const newest = released[released.length - 1].headSha;
      // As if the newest release had happened since the last read.
      await knex('lexecon_commit_readings').where({ sha: newest }).delete();
      sandbox.clearRequests();

      await github.fetch(target, first);

      const asked = sandbox
        .requests()
        .filter(r =>
          /\/commits\/[0-9a-f]{40}\/(check-runs|status)/.test(r.path),
        );
      expect(asked.map(r => r.path.split('?')[0])).toEqual(
        expect.arrayContaining([
          expect.stringContaining(`/commits/${newest}/check-runs`),
          expect.stringContaining(`/commits/${newest}/status`),
        ]),
      );
      expect(asked).toHaveLength(2);
      const alertLists = () =>
        sandbox
          .requests()
          .filter(r => /\/(code-scanning|dependabot)\/alerts/.test(r.path));
      expect(alertLists()).toHaveLength(2);

      sandbox.clearRequests();
      await github.fetch(target, first);
      expect(readsOf(newest)).toEqual([]);
      expect(alertLists()).toEqual([]);
    });

    it('leaves a commit whose checks GitHub failed to give for the next read', async () => {
      const released = releases();
      const newest = released[released.length - 1].headSha;
      sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 502,
          pathPattern: `/commits/${newest}/check-runs`,
          times: 1,
        },
      ]);
      const github = source();
      const first = await github.fetch(target);
      const shas = async () =>
        (await store.readReadings(target.entityRef, WINDOW)).map(r => r.sha);
      expect(await shas()).not.toContain(newest);
      expect(await shas()).toHaveLength(released.length - 1);

      await github.fetch(target, first);
      expect(await shas()).toContain(newest);
    });
  },
);
