import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { ciPassRate, flakyJobs } from '../../delivery/ciHealth';
import { CiRunStore } from '../../delivery/CiRunStore';
import { resolveEntityTarget } from '../../EntityTarget';
import { UpstreamError } from '../types';
import { GithubCiRunsSource } from './GithubCiRunsSource';
import { GithubClientFactory } from './GithubClientFactory';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const service = (name: string, annotations: Record<string, string> = {}) =>
  resolveEntityTarget({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'github.com/project-slug': `lexecon-ai/${name}`,
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform' },
  } as Entity);

const STRUGGLING = service('decision-ledger');
const ELITE = service('web-console');

describe.each(databases.eachSupportedId())(
  'GithubCiRunsSource against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let octokit: Octokit;
    let knex: Knex;
    let store: CiRunStore;

    const source = (retention = 395 * DAY) => {
      const host = new URL(sandbox.githubUrl).host;
      const config = new ConfigReader({
        integrations: {
          github: [
            { host, apiBaseUrl: sandbox.githubUrl, token: sandbox.githubToken },
          ],
        },
      });
      const clients = new GithubClientFactory(config, {
        host,
        logger: mockServices.logger.mock(),
        timeoutMs: 2000,
        retries: 0,
      });
      return new GithubCiRunsSource(clients, {
        store,
        defaultWorkflow: 'test.yml',
        historyDays: 90,
        retentionMs: retention,
        timeoutMs: 2000,
        now: () => NOW,
      });
    };

    /** The completed test.yml runs GitHub lists, newest first: what a person sees on the page. */
    const listedRuns = (repo: string) =>
      octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
        owner: 'lexecon-ai',
        repo,
        workflow_id: 'test.yml',
        status: 'completed',
        per_page: 100,
      });

    const paths = () => sandbox.requests().map(r => r.path);

    /** Forgets the runs created from `from` on, as if the last read had been before them. */
    const forgetRunsFrom = async (entityRef: string, from: string) => {
      const runIds = (
        await knex('lexecon_ci_run_attempts')
          .where({ entity_ref: entityRef })
          .andWhere('run_created_at', '>=', from)
          .distinct('run_id')
      ).map(r => r.run_id);
      await knex('lexecon_ci_jobs')
        .where({ entity_ref: entityRef })
        .whereIn('run_id', runIds)
        .delete();
      await knex('lexecon_ci_run_attempts')
        .where({ entity_ref: entityRef })
        .whereIn('run_id', runIds)
        .delete();
      return runIds.map(Number);
    };

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      octokit = new Octokit({
        auth: sandbox.githubToken,
        baseUrl: sandbox.githubUrl,
      });
      knex = await migratedDatabase(databases, id);
      store = new CiRunStore(knex);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      sandbox.clearFaults();
      sandbox.clearRequests();
      await knex('lexecon_ci_jobs').delete();
      await knex('lexecon_ci_run_attempts').delete();
    });

    it('first reads 90 days of runs, each attempt with its jobs and timed steps', async () => {
      const summary = await source().fetch(STRUGGLING);
      const listed = await listedRuns('decision-ledger');
      const facts = await store.readCiRunFacts(STRUGGLING.entityRef);

      expect(summary).toMatchObject({
        workflow: 'test.yml',
        since: '2026-08-22T15:00:00Z',
        listed: listed.length,
        read: listed.length,
        truncated: false,
      });
      expect(new Set(facts.map(f => f.runId))).toEqual(
        new Set(listed.map(r => r.id)),
      );
      const oldest = Date.parse(facts[0].createdAt);
      expect(NOW.getTime() - oldest).toBeGreaterThan(85 * DAY);
      expect(NOW.getTime() - oldest).toBeLessThanOrEqual(90 * DAY);
      const newestListed = listed[0];
      const newest = facts.filter(f => f.runId === newestListed.id).pop()!;
      expect(newest).toMatchObject({
        attempt: newestListed.run_attempt,
        headSha: newestListed.head_sha,
        conclusion: newestListed.conclusion,
        createdAt: newestListed.run_started_at,
      });
      const { data } = await octokit.rest.actions.listJobsForWorkflowRun({
        owner: 'lexecon-ai',
        repo: 'decision-ledger',
        run_id: newestListed.id,
      });
      expect(newest.jobs).toEqual(
        data.jobs.map(job => ({
          name: job.name,
          conclusion: job.conclusion,
          startedAt: job.started_at,
          completedAt: job.completed_at,
          steps: job.steps!.map(s => ({
            name: s.name,
            conclusion: s.conclusion,
            startedAt: s.started_at,
            completedAt: s.completed_at,
          })),
        })),
      );
    });

    it('shows a flaky re-run as two attempts of one commit: failed, then passed', async () => {
      await source().fetch(STRUGGLING);
      const rerun = (await listedRuns('decision-ledger')).find(
        r => r.run_attempt === 2,
      )!;
      const attempts = (
        await store.readCiRunFacts(STRUGGLING.entityRef)
      ).filter(f => f.runId === rerun.id);
      expect(attempts.map(a => [a.attempt, a.headSha, a.conclusion])).toEqual([
        [1, rerun.head_sha, 'failure'],
        [2, rerun.head_sha, 'success'],
      ]);
      expect(
        attempts[0].jobs.filter(j => j.conclusion === 'failure'),
      ).toHaveLength(1);
      expect(attempts[1].jobs.every(j => j.conclusion === 'success')).toBe(
        true,
      );
      expect(Date.parse(attempts[1].createdAt)).toBeGreaterThan(
        Date.parse(attempts[0].createdAt),
      );
    });

    it('reads again only the runs newer than the newest stored, and nothing when none are', async () => {
      const read = source();
      await read.fetch(STRUGGLING);
      const forgotten = await forgetRunsFrom(
        STRUGGLING.entityRef,
        new Date(NOW.getTime() - 5 * DAY).toISOString(),
      );
      expect(forgotten.length).toBeGreaterThan(0);
      const newestKept = await store.newestRunCreatedAt(
        STRUGGLING.entityRef,
        'test.yml',
      );
      sandbox.clearRequests();

      const second = await read.fetch(STRUGGLING);
      const since = new Date(Date.parse(newestKept!) - DAY)
        .toISOString()
        .replace('.000Z', 'Z');
      expect(second.since).toBe(since);
      const runLists = paths().filter(p => p.includes('/runs?'));
      expect(runLists).toHaveLength(1);
      expect(decodeURIComponent(runLists[0])).toContain(`created=>=${since}`);
      const jobReads = paths()
        .filter(p => p.includes('/jobs'))
        .map(p => Number(/runs\/(\d+)\/jobs/.exec(p)![1]));
      expect(jobReads.sort()).toEqual([...forgotten].sort());

      sandbox.clearRequests();
      const third = await read.fetch(STRUGGLING);
      expect(third.read).toBe(0);
      expect(paths().filter(p => p.includes('/jobs'))).toEqual([]);
    });

    it('drops runs older than the retention', async () => {
      await source().fetch(STRUGGLING);
      const before = await store.readCiRunFacts(STRUGGLING.entityRef);
      const summary = await source(30 * DAY).fetch(STRUGGLING);
      const after = await store.readCiRunFacts(STRUGGLING.entityRef);
      const cutoff = NOW.getTime() - 30 * DAY;
      expect(summary.dropped).toBeGreaterThan(0);
      expect(after.length).toBeLessThan(before.length);
      expect(after.every(f => Date.parse(f.createdAt) >= cutoff)).toBe(true);
      expect(after).toEqual(
        before.filter(f =>
          after.some(a => a.runId === f.runId && a.attempt === f.attempt),
        ),
      );
    });

    it('keeps what it stored when GitHub fails, and says which call failed', async () => {
      const read = source();
      await read.fetch(STRUGGLING);
      await forgetRunsFrom(
        STRUGGLING.entityRef,
        new Date(NOW.getTime() - 5 * DAY).toISOString(),
      );
      const stored = await store.readCiRunFacts(STRUGGLING.entityRef);

      sandbox.setFaults([
        { source: 'github', kind: '5xx', status: 502, pathPattern: '/jobs' },
      ]);
      const jobsFailure = read.fetch(STRUGGLING);
      await expect(jobsFailure).rejects.toBeInstanceOf(UpstreamError);
      await expect(jobsFailure).rejects.toMatchObject({
        source: 'github-ci-runs',
        status: 502,
        message: expect.stringMatching(
          /the jobs of every attempt of run \d+ \(test\.yml\) of lexecon-ai\/decision-ledger/,
        ),
      });
      expect(await store.readCiRunFacts(STRUGGLING.entityRef)).toEqual(stored);

      sandbox.setFaults([
        { source: 'github', kind: '5xx', status: 503, pathPattern: '/runs' },
      ]);
      await expect(read.fetch(STRUGGLING)).rejects.toMatchObject({
        status: 503,
        message: expect.stringContaining('the runs of test.yml since 2026-11-'),
      });
      expect(await store.readCiRunFacts(STRUGGLING.entityRef)).toEqual(stored);
    });

    it('replaces a run read again: a re-run leaves its attempts as GitHub last showed them', async () => {
      const attempt = (n: number, conclusion: string, job: string) => ({
        runId: 7,
        attempt: n,
        workflow: 'test.yml',
        headSha: 'abc1234',
        conclusion,
        createdAt: `2026-11-1${n}T10:00:00Z`,
        jobs: [{ name: job, conclusion, steps: [] }],
      });
      const ref = 'component:default/replaced';
      await store.save(
        ref,
        [
          {
            runId: 7,
            createdAt: '2026-11-11T10:00:00Z',
            attempts: [attempt(1, 'failure', 'lint')],
          },
        ],
        NOW,
      );
      const rerun = [
        attempt(1, 'failure', 'unit'),
        attempt(2, 'success', 'unit'),
      ];
      await store.save(
        ref,
        [{ runId: 7, createdAt: '2026-11-11T10:00:00Z', attempts: rerun }],
        NOW,
      );
      expect(await store.readCiRunFacts(ref)).toEqual(rerun);
    });

    it('reads the workflow the entity names in lexecon.io/ci-workflow', async () => {
      const target = service('web-console', {
        'lexecon.io/ci-workflow': 'build.yml',
      });
      const summary = await source().fetch(target);
      expect(summary.workflow).toBe('build.yml');
      expect(paths().some(p => p.includes('/workflows/build.yml/runs'))).toBe(
        true,
      );
      const facts = await store.readCiRunFacts(target.entityRef);
      expect(facts.length).toBeGreaterThan(0);
      expect(facts.every(f => f.workflow === 'build.yml')).toBe(true);
      expect(facts[0].jobs.map(j => j.name)).toEqual(['docker-build']);
    });

    it('gives ciHealth the pass rate and flaky jobs a person reads off GitHub for each profile', async () => {
      const window = {
        from: new Date(NOW.getTime() - 90 * DAY).toISOString(),
        to: NOW.toISOString(),
      };
      const flakyCounts: number[] = [];
      for (const [target, repo] of [
        [STRUGGLING, 'decision-ledger'],
        [ELITE, 'web-console'],
      ] as const) {
        await source().fetch(target);
        const facts = await store.readCiRunFacts(target.entityRef);
        const listed = await listedRuns(repo);

        const lastTen = listed.slice(0, 10);
        const passed = lastTen.filter(r => r.conclusion === 'success').length;
        expect(ciPassRate(facts, window).lastTen.value).toBeCloseTo(
          passed * 10,
        );

        const expectedFlaky = [];
        for (const run of listed.filter(r => r.run_attempt === 2)) {
          const { data } = await octokit.rest.actions.listJobsForWorkflowRun({
            owner: 'lexecon-ai',
            repo,
            run_id: run.id,
            filter: 'all',
          });
          const failed = data.jobs.find(
            j => j.run_attempt === 1 && j.conclusion === 'failure',
          )!;
          expectedFlaky.push({ job: failed.name, headSha: run.head_sha });
        }
        const flaky = flakyJobs(facts, window);
        expect(
          flaky.jobs.map(j => ({ job: j.job, headSha: j.headSha })),
        ).toEqual(expect.arrayContaining(expectedFlaky));
        expect(flaky.jobs).toHaveLength(expectedFlaky.length);
        flakyCounts.push(expectedFlaky.length);
      }
      // the struggling service's re-runs make the comparison above say something
      expect(flakyCounts[0]).toBeGreaterThan(0);
      const overall = async (ref: string) =>
        ciPassRate(await store.readCiRunFacts(ref), window).weekly.filter(
          w => w.value !== undefined,
        );
      const mean = (points: Array<{ value?: number }>) =>
        points.reduce((sum, p) => sum + p.value!, 0) / points.length;
      expect(mean(await overall(ELITE.entityRef))).toBeGreaterThan(90);
      expect(mean(await overall(STRUGGLING.entityRef))).toBeLessThan(80);
    });
  },
);
