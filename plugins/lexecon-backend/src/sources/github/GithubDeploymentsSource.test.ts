import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { lexeconApiEntity } from '../../__fixtures__/entities';
import { resolveEntityTarget } from '../../EntityTarget';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubDeploymentsSource } from './GithubDeploymentsSource';

jest.setTimeout(30_000);

const target = resolveEntityTarget(lexeconApiEntity);

function deploymentsSource(
  sandbox: Sandbox,
  token = sandbox.githubToken,
  timeoutMs = 1500,
  now?: () => Date,
) {
  const host = new URL(sandbox.githubUrl).host;
  const config = new ConfigReader({
    integrations: {
      github: [{ host, apiBaseUrl: sandbox.githubUrl, token }],
    },
  });
  const logger = mockServices.logger.mock();
  const clients = new GithubClientFactory(config, {
    host,
    logger,
    timeoutMs,
    retries: 2,
  });
  return new GithubDeploymentsSource(clients, {
    logger,
    historyDays: 90,
    timeoutMs,
    now,
  });
}

describe('GithubDeploymentsSource against the sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  const source = (token?: string, timeoutMs?: number) =>
    deploymentsSource(sandbox, token, timeoutMs);

  it('reads runs, deployments, approvals, tags and how far production is behind', async () => {
    const snapshot = await source().fetch(target);
    const production = snapshot.environments.production;
    expect(production.protected).toBe(true);
    expect(snapshot.environments.staging.protected).toBe(false);
    expect(production.runs.some(r => r.status === 'waiting')).toBe(true);
    const approved = production.runs.filter(r => r.approvals?.length);
    expect(approved.length).toBeGreaterThan(5);
    expect(approved[0].approvals![0]).toMatchObject({ state: 'approved' });
    expect(approved[0].approvals![0].at).toBeDefined();
    expect(snapshot.environments.staging.runs.length).toBeGreaterThan(
      production.runs.length,
    );
    expect(production.deployments.every(d => d.state)).toBe(true);
    expect(Object.values(snapshot.tags)).toContain(
      sandbox.world.facts.lastProductionVersion,
    );
    expect(snapshot.behind.production.of).toBe('staging');
  });

  it('reuses what it already knows: completed runs and finished deployments are not asked again', async () => {
    const github = source();
    const first = await github.fetch(target);
    sandbox.clearRequests();
    await github.fetch(target, first);
    const paths = sandbox.requests().map(r => r.path.split('?')[0]);
    expect(paths.filter(p => p.endsWith('/statuses'))).toHaveLength(0);
    // Only the run still waiting for review has its approvals read again.
    expect(paths.filter(p => p.endsWith('/approvals'))).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    sandbox.setFaults([
      {
        source: 'github',
        kind: '429',
        retryAfterSeconds: 1,
        pathPattern: '/environments',
        times: 1,
      },
    ]);
    const snapshot = await source().fetch(target);
    expect(snapshot.environments.production.runs.length).toBeGreaterThan(0);
    const calls = sandbox
      .requests()
      .filter(r => r.path.includes('/environments'));
    expect(calls.map(c => c.status)).toEqual([429, 200]);
  });

  it('explains rejected credentials', async () => {
    await expect(source('bad-token').fetch(target)).rejects.toThrow(
      /GitHub rejected the configured credentials \(401\)/,
    );
  });

  it('gives up on a hung GitHub after the timeout and says so', async () => {
    sandbox.setFaults([
      { source: 'github', kind: 'timeout', pathPattern: '/environments' },
    ]);
    await expect(source(undefined, 300).fetch(target)).rejects.toThrow(
      /GitHub did not answer within 0s|GitHub did not answer within/,
    );
  });

  it('reports a malformed body instead of storing it as empty history', async () => {
    sandbox.setFaults([
      { source: 'github', kind: 'malformed', pathPattern: '/tags' },
    ]);
    await expect(source().fetch(target)).rejects.toThrow(/malformed response/);
  });

  it('reports a connection reset', async () => {
    sandbox.setFaults([
      { source: 'github', kind: 'reset', pathPattern: '/environments' },
    ]);
    await expect(source().fetch(target)).rejects.toThrow(
      /Could not reach GitHub/,
    );
  });
});

describe('GithubDeploymentsSource paging', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    // GitHub pages at 100 items at most; at 20 every list of the seeded history spans pages.
    sandbox = await startSandbox({ quiet: true, maxPageSize: 20 });
  });
  afterAll(() => sandbox.stop());

  it('follows the Link header to the last page of runs, deployments and tags', async () => {
    const { world } = sandbox;
    // The history window starts 90 days before the seed clock, whatever the day is now.
    const snapshot = await deploymentsSource(
      sandbox,
      undefined,
      undefined,
      () => new Date(world.now),
    ).fetch(target);
    const since = Date.parse(world.now) - 90 * 86_400_000;
    const sinceDay = new Date(since).toISOString().slice(0, 10);

    const stagingRuns = world.runs
      .filter(
        r =>
          r.workflowFile === 'deploy-staging.yml' &&
          Date.parse(r.createdAt) >= Date.parse(sinceDay),
      )
      .map(r => r.id);
    expect(stagingRuns.length).toBeGreaterThan(40);
    expect(snapshot.environments.staging.runs.map(r => r.id).sort()).toEqual(
      stagingRuns.sort(),
    );

    const stagingDeployments = world.deployments
      .filter(
        d =>
          d.environment === 'staging' && d.createdAt.slice(0, 10) >= sinceDay,
      )
      .map(d => d.id);
    expect(stagingDeployments.length).toBeGreaterThan(40);
    expect(
      snapshot.environments.staging.deployments.map(d => d.id).sort(),
    ).toEqual(stagingDeployments.sort());

    expect(world.tags.length).toBeGreaterThan(20);
    expect(new Set(Object.values(snapshot.tags))).toEqual(
      new Set(world.tags.map(t => t.name)),
    );

    // Each list was read page by page, as the Link header said.
    const pagesOf = (suffix: string) =>
      sandbox
        .requests()
        .filter(r => r.path.split('?')[0].endsWith(suffix))
        .map(r => new URL(r.path, sandbox.githubUrl).searchParams.get('page'));
    const pages = (count: number) =>
      Array.from({ length: Math.ceil(count / 20) }, (_, i) =>
        i === 0 ? null : String(i + 1),
      );
    expect(pagesOf('/workflows/deploy-staging.yml/runs')).toEqual(
      pages(stagingRuns.length),
    );
    expect(pagesOf('/tags')).toEqual(pages(world.tags.length));
  });
});
