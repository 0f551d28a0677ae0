import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import catalogPlugin, {
  CATALOG_ERRORS_TOPIC,
} from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { lexeconPermissionPolicyModule } from './permissionPolicy';

const ROOT = path.resolve(__dirname, '../../..');
const ADMIN = 'user:default/robin-admin';
const ENGINEER = 'user:default/mallory';

/** The YAML someone would host to make themselves an approver. */
const SELF_APPOINTED_APPROVER = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: mallory
spec:
  memberOf: [release-approvers]
`;

/** Group membership as the org's catalog would give it, per signed-in user. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: { principal: unknown }) {
      const { userEntityRef } = credentials.principal as {
        userEntityRef: string;
      };
      const groups =
        userEntityRef === ADMIN
          ? ['group:default/portal-admins']
          : ['group:default/lexecon-engineering'];
      return { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] };
    },
  }),
});

/**
 * The real catalog and permission backends with the portal's policy and the shared
 * app-config.yaml (its catalog rules and `permission.enabled`), reading URLs for real.
 */
describe('who may change the catalog', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let configDir: string;

  beforeAll(async () => {
    upstream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.end(SELF_APPOINTED_APPROVER);
    });
    await new Promise<void>(resolve =>
      upstream.listen(0, '127.0.0.1', resolve),
    );
    const { port } = upstream.address() as AddressInfo;
    upstreamUrl = `http://127.0.0.1:${port}/users.yaml`;
    configDir = mkdtempSync(path.join(tmpdir(), 'catalog-access-'));
    writeFileSync(
      path.join(configDir, 'test.yaml'),
      JSON.stringify({
        backend: { reading: { allow: [{ host: `127.0.0.1:${port}` }] } },
        catalog: { locations: [] },
      }),
    );
  });

  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
  });

  afterAll(async () => {
    upstream.closeAllConnections();
    await new Promise(resolve => upstream.close(resolve));
    rmSync(configDir, { recursive: true, force: true });
  });

  async function startPortal() {
    const events = mockServices.events.mock();
    // The config loader says which files it read, on the console.
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    const backend = await startTestBackend({
      features: [
        rootConfigServiceFactory({
          argv: [
            '--config',
            path.join(ROOT, 'app-config.yaml'),
            '--config',
            path.join(configDir, 'test.yaml'),
          ],
          watch: false,
        }),
        permissionsServiceFactory,
        urlReaderServiceFactory,
        userInfo,
        events.factory,
        catalogPlugin,
        permissionPlugin,
        lexeconPermissionPolicyModule,
      ],
    });
    stops.push(() => backend.stop());
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining(path.join(ROOT, 'app-config.yaml')),
    );
    log.mockRestore();
    const { server } = backend;
    /** `who` signed in, or (without) a backend service, which reads whatever the catalog holds. */
    const api = (route: string, who?: string, init: RequestInit = {}) =>
      fetch(`http://localhost:${server.port()}/api/catalog${route}`, {
        ...init,
        headers: {
          Authorization: who
            ? mockCredentials.user.header(who)
            : mockCredentials.service.header(),
          'content-type': 'application/json',
        },
      });
    /** The catalog's processing errors so far, as it publishes them. */
    const processingErrors = () =>
      events.publish.mock.calls
        .map(([params]) => params)
        .filter(params => params.topic === CATALOG_ERRORS_TOPIC)
        .flatMap(
          params => (params.eventPayload as { errors: Error[] }).errors ?? [],
        )
        .map(error => error.message);
    return { api, processingErrors };
  }

  const register = (target: string) => ({
    method: 'POST',
    body: JSON.stringify({ type: 'url', target }),
  });

  it('refuses to let someone outside the admins group register a location', async () => {
    const { api } = await startPortal();

    const response = await api('/locations', ENGINEER, register(upstreamUrl));

    expect(response.status).toBe(403);
    const locations = await api('/locations').then(r => r.json());
    expect(JSON.stringify(locations)).not.toContain(upstreamUrl);
  });

  it('does not take a User from a location an admin registered: approvers come from the org only', async () => {
    const { api, processingErrors } = await startPortal();

    const registered = await api('/locations', ADMIN, register(upstreamUrl));
    expect(registered.status).toBe(201);

    // Processing ends either with the User in the catalog or with the catalog refusing it.
    const mallory = () => api('/entities/by-name/user/default/mallory');
    for (;;) {
      if ((await mallory()).status === 200) break;
      if (processingErrors().length > 0) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }

    expect((await mallory()).status).toBe(404);
    expect(processingErrors()).toEqual([
      expect.stringContaining(
        `user:default/mallory at url:${upstreamUrl}, originated at url:${upstreamUrl}, is not of an allowed kind for that location`,
      ),
    ]);
  }, 30_000);
});
