import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { EtagCacheOptions } from './EtagCache';
import { GithubClientFactory } from './GithubClientFactory';

jest.setTimeout(30_000);

const HOUR = 3_600_000;

describe('GithubClientFactory conditional requests', () => {
  let sandbox: Sandbox;
  let clock: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.clearRequests();
    clock = Date.parse('2026-03-01T00:00:00Z');
  });

  async function reader(etagCache?: EtagCacheOptions) {
    const host = new URL(sandbox.githubUrl).host;
    const config = new ConfigReader({
      integrations: {
        github: [
          { host, apiBaseUrl: sandbox.githubUrl, token: sandbox.githubToken },
        ],
      },
    });
    const factory = new GithubClientFactory(config, {
      host,
      logger: mockServices.logger.mock(),
      timeoutMs: 5000,
      retries: 0,
      etagCache,
      now: () => clock,
    });
    return factory.reader(sandbox.owner, sandbox.repo);
  }

  /** GitHub's answers to the requests whose path ends with `suffix`, in order. */
  const statusesOf = (suffix: string) =>
    sandbox
      .requests()
      .filter(r => r.path.split('?')[0].endsWith(suffix))
      .map(r => r.status);

  it('asks again with the ETag, so unchanged data costs a 304 and reads the same', async () => {
    const github = await reader();
    const first = await github.tags();
    const second = await github.tags();

    expect(second).toEqual(first);
    expect(statusesOf('/tags')).toEqual([200, 304]);
  });

  it('drops an answer GitHub has not confirmed within the TTL', async () => {
    const github = await reader({ ttlMs: HOUR });
    await github.tags();
    clock += HOUR - 1;
    await github.tags(); // confirmed by a 304: the hour starts again
    clock += HOUR - 1;
    await github.tags();
    clock += HOUR + 1;
    const late = await github.tags();

    expect(statusesOf('/tags')).toEqual([200, 304, 304, 200]);
    expect(Object.values(late.bySha)).toContain(
      sandbox.world.facts.lastProductionVersion,
    );
  });

  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const github = await reader({ maxEntries: 2 });
    await github.tags();
    await github.environments();
    await github.tags(); // tags are now the most recently used
    await github.deploymentState(sandbox.world.deployments[0].id);
    await github.tags();
    await github.environments();

    expect(statusesOf('/tags')).toEqual([200, 304, 304]);
    expect(statusesOf('/environments')).toEqual([200, 200]);
  });
});
