import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { lexeconApiEntity } from '../../__fixtures__/entities';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import {
  changeSetKey,
  DeployChangeSetStore,
} from '../../delivery/DeployChangeSetStore';
import { resolveEntityTarget } from '../../EntityTarget';
import { githubCaller } from './describeGithubError';
import {
  productionDeployRuns,
  sandboxGithubClients,
} from './__testUtils__/sandboxGithubClients';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubDeploymentsSource } from './GithubDeploymentsSource';
import { readDeployChangeSets } from './readDeployChangeSets';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const target = resolveEntityTarget(lexeconApiEntity);
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

describe.each(databases.eachSupportedId())(
  'Change sets of production deploys against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let store: DeployChangeSetStore;
    let clients: GithubClientFactory;

    const source = (retentionMs = 395 * DAY) =>
      new GithubDeploymentsSource(clients, {
        logger: mockServices.logger.mock(),
        historyDays: 90,
        timeoutMs: 2000,
        changeSets: { store, retentionMs },
        now: () => NOW,
      });

    /** The compare requests of change sets (the `behind` check asks with per_page=1). */
    const changeSetCompares = () =>
      sandbox
        .requests()
        .filter(
          r =>
            r.path.includes('/compare/') && !/[?&]per_page=1(&|$)/.test(r.path),
        );

    /** The completed production deploy runs of the seeded world, oldest first. */
    const productionDeploys = () => productionDeployRuns(sandbox, NOW);

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      store = new DeployChangeSetStore(knex);
      clients = sandboxGithubClients(sandbox);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      await knex('lexecon_deploy_change_sets').delete();
    });

    it('stores what every production deploy shipped: the commits since the deploy before it that succeeded, with their author dates', async () => {
      await source().fetch(target);
      const stored = await store.readChangeSets(target.entityRef);
      const deploys = productionDeploys();
      const { commits } = sandbox.world;
      const at = (sha: string) => commits.findIndex(c => c.sha === sha);

      expect(deploys.length).toBeGreaterThan(5);
      const expected = new Map<string, unknown>();
      let compares = 0;
      let lastGood: (typeof deploys)[number] | undefined;
      for (const deploy of deploys) {
        const shipped = lastGood
          ? commits.slice(at(lastGood.headSha) + 1, at(deploy.headSha) + 1)
          : undefined;
        expected.set(
          changeSetKey('production', deploy.id),
          shipped
            ? {
                // With who had a hand in each commit (the sandbox's are merged through
                // GitHub, committed by web-flow, or committed by their author).
                commits: shipped.map(c => ({
                  sha: c.sha,
                  authoredAt: c.date,
                  logins: [c.authorLogin],
                })),
                totalCommits: shipped.length,
              }
            : {
                unknown:
                  'No successful production deploy in the 90 days read precedes it, so what it shipped is unknown',
              },
        );
        if (lastGood && lastGood.headSha !== deploy.headSha) compares++;
        if (deploy.conclusion === 'success') lastGood = deploy;
      }
      expect(stored).toEqual(expected);
      // One request per deploy that changed the commit: none for the first, none for a redeploy.
      expect(changeSetCompares()).toHaveLength(compares);
    });

    it('asks GitHub again only for deploys it has not stored for good', async () => {
      const github = source();
      const first = await github.fetch(target);
      const deploys = productionDeploys();
      const newest = deploys[deploys.length - 1];
      // As if the newest deploy had happened since the last read.
      await knex('lexecon_deploy_change_sets')
        .where({ run_id: newest.id })
        .delete();
      sandbox.clearRequests();

      await github.fetch(target, first);

      const asked = changeSetCompares().map(r => r.path.split('?')[0]);
      expect(asked).toEqual([
        expect.stringMatching(new RegExp(`\\.\\.\\.${newest.headSha}$`)),
      ]);
      sandbox.clearRequests();
      await github.fetch(target, first);
      expect(changeSetCompares()).toEqual([]);
    });

    it('keeps why a change set could not be read, and asks again next time when GitHub may answer then', async () => {
      const deploys = productionDeploys();
      const newest = deploys[deploys.length - 1];
      sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 502,
          pathPattern: `...${newest.headSha}`,
          times: 1,
        },
      ]);
      const github = source();
      const first = await github.fetch(target);
      const stored = await store.readChangeSets(target.entityRef);
      expect(stored.get(changeSetKey('production', newest.id))).toEqual({
        unknown: expect.stringMatching(
          /^GitHub .*502.* the change set of production deploy run \d+ of lexecon-ai\/lexecon;/,
        ),
      });

      sandbox.clearRequests();
      await github.fetch(target, first);
      expect(changeSetCompares()).toHaveLength(1);
      const again = await store.readChangeSets(target.entityRef);
      expect(again.get(changeSetKey('production', newest.id))).toHaveProperty(
        'commits',
      );
    });

    it('stores for good that GitHub does not know a deployed commit (force-pushed away)', async () => {
      const reader = await clients.reader(
        target.github!.owner,
        target.github!.repo,
      );
      const snapshot = await source().fetch(target);
      await knex('lexecon_deploy_change_sets').delete();
      const runs = snapshot.environments.production.runs.map(r => ({ ...r }));
      const deployed = productionDeploys();
      const newest = runs.find(r => r.id === deployed[deployed.length - 1].id)!;
      newest.headSha = 'f'.repeat(40);
      const read = () =>
        readDeployChangeSets(reader, {
          entityRef: target.entityRef,
          environment: 'production',
          runs,
          store,
          historyDays: 90,
          retentionMs: 395 * DAY,
          now: NOW,
          call: githubCaller(reader.slug, 2000),
        });
      await read();
      const stored = await store.readChangeSets(target.entityRef);
      expect(stored.get(changeSetKey('production', newest.id))).toEqual({
        unknown: expect.stringContaining('404'),
      });
      sandbox.clearRequests();
      expect(await read()).toEqual({ compared: 0, dropped: 0 });
      expect(changeSetCompares()).toEqual([]);
    });

    it('drops change sets of deploys older than the retention', async () => {
      await source().fetch(target);
      const before = (await store.readChangeSets(target.entityRef)).size;
      const keepFrom = NOW.getTime() - 30 * DAY;
      const older = productionDeploys().filter(
        d => Date.parse(d.createdAt) < keepFrom,
      ).length;
      expect(older).toBeGreaterThan(0);

      await source(30 * DAY).fetch(target);

      const kept = await knex('lexecon_deploy_change_sets')
        .where({ entity_ref: target.entityRef })
        .select('deployed_at');
      expect(kept.length).toBeLessThan(before);
      expect(
        kept.every(
          (r: { deployed_at: string }) => Date.parse(r.deployed_at) >= keepFrom,
        ),
      ).toBe(true);
    });
  },
);
