import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { EntityTarget } from '../../EntityTarget';
import { HostAllowList } from '../http/HostAllowList';
import { Resolve } from '../http/allowedHostRequest';
import { createSource, SourceContext } from '../registry';
import { serviceHealthRegistration } from './registration';
import { ServiceHealthSource } from './ServiceHealthSource';

const HEALTHY = JSON.stringify({
  status: 'ok',
  components: { database: { status: 'ok', latency_ms: 3 } },
});

/** A health endpoint on 127.0.0.1 that counts every request it gets. */
async function startHealthServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void = (
    _req,
    res,
  ) => res.writeHead(200, { 'content-type': 'application/json' }).end(HEALTHY),
) {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    // A client that stops reading a large body resets the connection.
    res.on('error', () => undefined);
    handle(req, res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    paths,
    stop: () =>
      new Promise(resolve => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

type HealthServer = Awaited<ReturnType<typeof startHealthServer>>;

const targetFor = (url: string): EntityTarget => ({
  entityRef: 'component:default/lexecon-api',
  environments: ['production'],
  health: { url },
});

const source = (allowedHosts: string[], resolve?: Resolve) =>
  new ServiceHealthSource({
    timeoutMs: 2000,
    allowedHosts: HostAllowList.parse(
      allowedHosts,
      'lexecon.health.allowedHosts',
    ),
    resolve,
  });

/** Every name resolves to `address`, as a DNS server answering for an attacker's domain would. */
const resolveTo =
  (address: string): Resolve =>
  async () =>
    [{ address, family: address.includes(':') ? 6 : 4 }];

describe('ServiceHealthSource', () => {
  const servers: HealthServer[] = [];
  const start = async (...args: Parameters<typeof startHealthServer>) => {
    const server = await startHealthServer(...args);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.stop()));
  });

  describe('as registered, with lexecon.health.allowedHosts', () => {
    const registered = (allowedHosts?: string[]) =>
      createSource(serviceHealthRegistration, {
        config: mockServices.rootConfig({
          data: allowedHosts ? { lexecon: { health: { allowedHosts } } } : {},
        }),
        upstream: { timeoutMs: 2000, retries: 0 },
      } as unknown as SourceContext);

    it('reads a health URL on a listed host', async () => {
      const server = await start();
      const health = registered([server.host]);
      const target = targetFor(`${server.url}/health`);
      expect(health.notConfiguredReason(target)).toBeUndefined();
      await expect(health.fetch(target)).resolves.toMatchObject({
        status: 'ok',
        components: [{ name: 'database', status: 'ok', latencyMs: 3 }],
      });
      expect(server.paths.sort()).toEqual([
        '/health',
        '/health/live',
        '/health/ready',
      ]);
    });

    it.each([
      [
        'on another port than the listed one',
        (s: HealthServer) => [`127.0.0.1:${s.port + 1}`],
        'lexecon.io/health-url host 127.0.0.1:%PORT is outside lexecon.health.allowedHosts',
      ],
      [
        'when the list is empty',
        () => [],
        'lexecon.io/health-url host 127.0.0.1:%PORT is outside lexecon.health.allowedHosts, which lists nothing',
      ],
      [
        'when the list is not set',
        () => undefined,
        'lexecon.io/health-url host 127.0.0.1:%PORT is outside lexecon.health.allowedHosts, which lists nothing',
      ],
    ])(
      'is not configured for a host %s, naming the rule, and asks it nothing',
      async (_case, allowed, message) => {
        const server = await start();
        const health = registered(allowed(server));
        const target = targetFor(`${server.url}/health`);
        expect(health.notConfiguredReason(target)).toEqual({
          message: message.replace('%PORT', String(server.port)),
          missingAnnotations: [],
        });
        await expect(health.fetch(target)).rejects.toThrow(
          /outside lexecon.health.allowedHosts/,
        );
        expect(server.paths).toEqual([]);
      },
    );
  });

  it('refuses a redirect to another host, which is never asked', async () => {
    const other = await start();
    const server = await start((_req, res) =>
      res.writeHead(302, { location: `${other.url}/health` }).end(),
    );
    await expect(
      source([server.host, other.host]).fetch(
        targetFor(`${server.url}/health`),
      ),
    ).rejects.toThrow(
      `The health endpoint ${server.url}/health was not read: refused a redirect to another host (redirects are followed on the same host only)`,
    );
    expect(other.paths).toEqual([]);
  });

  it('follows a redirect on the same host', async () => {
    const server = await start((req, res) => {
      if (req.url === '/health') {
        res.writeHead(301, { location: '/health/' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(HEALTHY);
      }
    });
    await expect(
      source([server.host]).fetch(targetFor(`${server.url}/health`)),
    ).resolves.toMatchObject({ status: 'ok' });
    expect(server.paths).toContain('/health/');
  });

  it.each([
    ['declared in Content-Length', true],
    ['streamed without a length', false],
  ])('stops reading a body over 64 KiB (%s)', async (_case, declared) => {
    const big = JSON.stringify({ status: 'ok', padding: 'x'.repeat(1 << 20) });
    const server = await start((_req, res) => {
      res.writeHead(
        200,
        declared ? { 'content-length': Buffer.byteLength(big) } : {},
      );
      res.end(big);
    });
    await expect(
      source([server.host]).fetch(targetFor(`${server.url}/health`)),
    ).rejects.toThrow(
      `The health endpoint ${server.url}/health was not read: answered with more than 64 KiB`,
    );
  });

  it('refuses a name on a wildcard entry that resolves to a loopback address, without connecting', async () => {
    const server = await start();
    const url = `http://health.lexecon.test:${server.port}/health`;
    await expect(
      source([`*.lexecon.test:${server.port}`], resolveTo('127.0.0.1')).fetch(
        targetFor(url),
      ),
    ).rejects.toThrow(
      `The health endpoint ${url} was not read: refused: the host resolves to an address lexecon.health.allowedHosts does not allow for it (internal, loopback or link-local)`,
    );
    expect(server.paths).toEqual([]);
  });

  it('connects a name listed exactly to the internal address it was checked at', async () => {
    const server = await start();
    // The name exists in no DNS: only the checked address can have been used.
    const url = `http://health.lexecon.test:${server.port}/health`;
    await expect(
      source(
        [`health.lexecon.test:${server.port}`],
        resolveTo('127.0.0.1'),
      ).fetch(targetFor(url)),
    ).resolves.toMatchObject({ status: 'ok' });
    expect(server.paths).toContain('/health');
  });

  it.each(['169.254.169.254', 'fe80::1', '::ffff:169.254.169.254'])(
    'refuses a name listed exactly that resolves to the link-local %s (cloud metadata)',
    async address => {
      await expect(
        source(['metadata.lexecon.test'], resolveTo(address)).fetch(
          targetFor('http://metadata.lexecon.test/health'),
        ),
      ).rejects.toThrow(/refused: the host resolves to an address/);
    },
  );

  it('gives up on an endpoint that never answers after the timeout', async () => {
    const server = await start(() => undefined);
    const url = `${server.url}/health`;
    await expect(
      new ServiceHealthSource({
        timeoutMs: 200,
        allowedHosts: HostAllowList.parse([server.host], 'key'),
      }).fetch(targetFor(url)),
    ).rejects.toThrow(
      `The health endpoint ${url} did not answer within 200 ms`,
    );
  });

  it('says only that an endpoint could not be reached, not how', async () => {
    const server = await start();
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
    await expect(
      source([server.host]).fetch(targetFor(`${server.url}/health`)),
    ).rejects.toThrow(
      new RegExp(
        `^The health endpoint ${server.url}/health could not be reached$`,
      ),
    );
  });
});
