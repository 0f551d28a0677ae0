import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApprovalsInbox,
  Changelog,
  DeploymentsPage,
  EntitySections,
  Overview,
} from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import { lexeconApiEntity, unannotatedEntity } from './__fixtures__/entities';
import {
  decidingPermissionsFactory,
  PermissionQuery,
  readableOnly,
} from './__fixtures__/permissions';
import { storedSources } from './__fixtures__/snapshots';
import { sandboxConfig } from './__fixtures__/testConfig';
import { lexeconPlugin } from './plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const base = '/api/lexecon/v1/entities/default/component';
const auth = { Authorization: mockCredentials.user.header() };
const API = 'component:default/lexecon-api';

/** A second service deployed from the same repository, for per-entity permissions. */
const billingApiEntity: Entity = {
  ...lexeconApiEntity,
  metadata: { ...lexeconApiEntity.metadata, name: 'billing-api' },
};
const BILLING = 'component:default/billing-api';

describe.each(databases.eachSupportedId())(
  'lexecon backend on %s',
  databaseId => {
    let sandbox: Sandbox;
    let knex: Knex;

    beforeAll(async () => {
      sandbox = await startSandbox({ quiet: true });
    });
    afterAll(async () => {
      await sandbox.stop();
    });
    beforeEach(() => {
      sandbox.clearFaults();
      sandbox.clearRequests();
    });

    async function startBackend(
      options: {
        permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
        /** Decides per permission, entity and user, as a real policy does. */
        decide?: (query: PermissionQuery) => boolean;
        entities?: Entity[];
        runScheduledTasks?: boolean;
      } = {},
    ) {
      knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          lexeconPlugin,
          mockServices.rootConfig.factory({ data: sandboxConfig(sandbox) }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({
            skipTaskRunOnStartup: !options.runScheduledTasks,
            includeInitialDelayedTasksOnStartup: options.runScheduledTasks,
          }),
          catalogServiceMock.factory({
            entities: options.entities ?? [lexeconApiEntity, unannotatedEntity],
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          ...(options.permission
            ? [mockServices.permissions.factory({ result: options.permission })]
            : []),
          ...(options.decide
            ? [decidingPermissionsFactory(options.decide)]
            : []),
        ],
      });
      return server;
    }

    async function overview(
      server: Awaited<ReturnType<typeof startBackend>>,
      name = 'lexecon-api',
    ) {
      const response = await request(server)
        .get(`${base}/${name}/overview`)
        .set(auth);
      expect(response.status).toBe(200);
      return response.body as Overview;
    }

    it('shows the deploy history of both environments, joined from GitHub and Helm', async () => {
      const server = await startBackend();
      const { sections } = await overview(server);
      const section = sections.deployments;
      expect(section.status).toBe('ok');
      expect(section.sources.map(s => [s.source, s.status])).toEqual([
        ['github', 'ok'],
        ['kubernetes', 'ok'],
      ]);
      const data = section.data!;
      const production = data.environments.find(
        e => e.environment === 'production',
      )!;
      const staging = data.environments.find(e => e.environment === 'staging')!;
      expect(production.live?.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(production.live?.helmRevision).toBeGreaterThan(1);
      expect(staging.live?.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(production.behindOf).toBe('staging');
      expect(production.commitsBehind).toBeGreaterThanOrEqual(0);

      const all = await request(server)
        .get(`${base}/lexecon-api/deployments?environment=production&limit=100`)
        .set(auth);
      const records = (all.body as DeploymentsPage).items;
      const rolledBack = records.filter(r => r.result === 'rolled_back');
      expect(rolledBack).toHaveLength(1);
      expect(rolledBack[0].rollback?.kind).toBe('automatic');
      expect(rolledBack[0].rollback?.toVersion).toMatch(/^v\d/);
      const manual = records.filter(r => r.rollback?.kind === 'manual');
      expect(manual).toHaveLength(1);
      expect(manual[0].sources).toEqual(['kubernetes']);
      const waiting = records.filter(r => r.result === 'waiting');
      expect(waiting).toHaveLength(1);
      const approved = records.find(
        r => r.result === 'success' && r.sources.length === 2,
      )!;
      expect(approved.approval?.state).toBe('approved');
      expect(approved.approval?.user.login).not.toBe(
        approved.triggeredBy?.login,
      );
      expect(approved.runUrl).toContain('/actions/runs/');
      expect(approved.helm?.namespace).toBe('lexecon-production');
    });

    it('serves warm page views from snapshots without a single upstream request', async () => {
      const server = await startBackend();
      await overview(server);
      sandbox.clearRequests();
      await overview(server);
      await overview(server);
      await request(server)
        .get(`${base}/lexecon-api/deployments?limit=50`)
        .set(auth)
        .expect(200);
      expect(sandbox.requests()).toEqual([]);
    });

    it('fetches a never-fetched entity once for concurrent page views (single flight)', async () => {
      const server = await startBackend();
      const views = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(server).get(`${base}/lexecon-api/overview`).set(auth),
        ),
      );
      expect(views.map(v => v.status)).toEqual([200, 200, 200, 200, 200]);
      const environmentsCalls = sandbox
        .requests()
        .filter(
          r =>
            r.source === 'github' &&
            r.path.split('?')[0].endsWith('/environments'),
        );
      expect(environmentsCalls).toHaveLength(1);
    });

    it('pages and filters the history', async () => {
      const server = await startBackend();
      const first = await request(server)
        .get(`${base}/lexecon-api/deployments?limit=10`)
        .set(auth);
      const page1 = first.body as DeploymentsPage;
      expect(page1.items).toHaveLength(10);
      expect(page1.nextCursor).toBeDefined();
      const second = await request(server)
        .get(
          `${base}/lexecon-api/deployments?limit=10&cursor=${page1.nextCursor}`,
        )
        .set(auth);
      const page2 = second.body as DeploymentsPage;
      expect(page2.items).toHaveLength(10);
      const ids = new Set(page1.items.map(i => i.id));
      expect(page2.items.some(i => ids.has(i.id))).toBe(false);
      expect(
        new Date(page2.items[0].startedAt) <=
          new Date(page1.items[9].startedAt),
      ).toBe(true);

      const filtered = await request(server)
        .get(
          `${base}/lexecon-api/deployments?environment=staging&result=success`,
        )
        .set(auth);
      const staging = filtered.body as DeploymentsPage;
      expect(staging.totalCount).toBeGreaterThan(10);
      expect(
        staging.items.every(
          i => i.environment === 'staging' && i.result === 'success',
        ),
      ).toBe(true);
    });

    it('answers bad input with a 400 naming the field, and unknown entities with a 404', async () => {
      const server = await startBackend();
      const limit = await request(server)
        .get(`${base}/lexecon-api/deployments?limit=1000`)
        .set(auth);
      expect(limit.status).toBe(400);
      expect(limit.body.error.message).toContain("'limit'");
      const cursor = await request(server)
        .get(`${base}/lexecon-api/deployments?cursor=%3D%3D`)
        .set(auth);
      expect(cursor.status).toBe(400);
      expect(cursor.body.error.message).toContain("'cursor'");
      const result = await request(server)
        .get(`${base}/lexecon-api/deployments?result=exploded`)
        .set(auth);
      expect(result.status).toBe(400);
      expect(result.body.error.message).toContain("'result'");
      const ref = await request(server)
        .get('/api/lexecon/v1/entities/default/comp%20onent/x/overview')
        .set(auth);
      expect(ref.status).toBe(400);
      expect(ref.body.error.message).toContain("'kind'");
      const missing = await request(server)
        .get(`${base}/no-such-service/overview`)
        .set(auth);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain(
        'component:default/no-such-service',
      );
      const changelog = await request(server)
        .get(`${base}/lexecon-api/deployments/production:run:1/changelog`)
        .set(auth);
      expect(changelog.status).toBe(404);
    });

    it('requires a signed-in caller and the read permission', async () => {
      const server = await startBackend({ permission: AuthorizeResult.DENY });
      const anonymous = await request(server).get(
        `${base}/lexecon-api/overview`,
      );
      expect(anonymous.status).toBe(401);
      const denied = await request(server)
        .get(`${base}/lexecon-api/overview`)
        .set(auth);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('lexecon.entity.read');
      expect(sandbox.requests()).toEqual([]);
    });

    it('refuses deployments, a changelog and the entity approvals without the read permission, fetching and storing nothing', async () => {
      const server = await startBackend({
        decide: readableOnly([]),
      });
      for (const path of [
        'deployments?limit=10',
        'deployments/production:run:1/changelog',
        'approvals',
      ]) {
        const denied = await request(server)
          .get(`${base}/lexecon-api/${path}`)
          .set(auth);
        expect([path, denied.status, denied.body.error?.message]).toEqual([
          path,
          403,
          `Missing permission lexecon.entity.read on ${API}`,
        ]);
      }
      expect(sandbox.requests()).toEqual([]);
      expect(await storedSources(knex, API)).toEqual([]);
    });

    it('refuses a refresh to a reader without the refresh permission', async () => {
      const server = await startBackend({
        decide: q => q.permission !== 'lexecon.entity.refresh',
      });
      const denied = await request(server)
        .post(`${base}/lexecon-api/refresh`)
        .set(auth);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        `Missing permission lexecon.entity.refresh on ${API}`,
      );
      // Reading is still allowed, and fetches on demand as usual.
      expect((await overview(server)).sections.deployments.status).toBe('ok');
    });

    it('shows in the approvals inbox only the services the viewer may read, and never fetches the others', async () => {
      const apiReader = 'user:default/api-reader';
      const server = await startBackend({
        entities: [lexeconApiEntity, billingApiEntity],
        decide: readableOnly([API], apiReader),
      });
      const asApiReader = {
        Authorization: mockCredentials.user.header(apiReader),
      };
      const response = await request(server)
        .get('/api/lexecon/v1/approvals')
        .set(asApiReader);
      expect(response.status).toBe(200);
      const inbox = response.body as ApprovalsInbox;
      expect(inbox.items.length).toBeGreaterThan(0);
      expect(new Set(inbox.items.map(i => i.entityRef))).toEqual(
        new Set([API]),
      );
      expect(new Set(inbox.sources.map(s => s.entityRef))).toEqual(
        new Set([API]),
      );
      expect(await storedSources(knex, BILLING)).toEqual([]);

      // Someone who may read both sees both services' pending deploys.
      const everything = await request(server)
        .get('/api/lexecon/v1/approvals')
        .set(auth);
      expect(
        new Set(
          (everything.body as ApprovalsInbox).items.map(i => i.entityRef),
        ),
      ).toEqual(new Set([API, BILLING]));
    });

    it('lists every section of the entity with its status in the overview', async () => {
      const server = await startBackend();
      const { sections } = await overview(server);
      expect(
        Object.fromEntries(
          Object.entries(sections).map(([id, section]) => [id, section.status]),
        ),
      ).toEqual({
        deployments: 'ok',
        approvals: 'ok',
        // This entity has no Unleash, Datadog or health annotation.
        flags: 'not-configured',
        sla: 'not-configured',
        health: 'not-configured',
      });
      expect(sections.flags).toMatchObject({
        message: expect.stringContaining('lexecon.io/unleash-project'),
        missingAnnotations: ['lexecon.io/unleash-project'],
      });
      const docs = await overview(server, 'lexecon-docs-site');
      expect(docs.sections.approvals).toMatchObject({
        status: 'not-configured',
        missingAnnotations: ['github.com/project-slug'],
      });
    });

    it('answers every entity route in one shape: all sections, data only where asked', async () => {
      const server = await startBackend();
      const get = async (include: string) => {
        const response = await request(server)
          .get(`${base}/lexecon-api/sections?include=${include}`)
          .set(auth);
        expect(response.status).toBe(200);
        return response.body as EntitySections;
      };
      const withData = (body: EntitySections) =>
        Object.entries(body.sections)
          .filter(([, section]) => section.data !== undefined)
          .map(([id]) => id);

      const both = await get('deployments,approvals');
      expect(withData(both)).toEqual(['deployments', 'approvals']);
      expect(both.sections.approvals.data?.items.length).toBeGreaterThan(0);
      expect(withData(await get(''))).toEqual([]);
      // The overview is the same shape with the deploy history included.
      const { sections } = await overview(server);
      expect(Object.keys(sections).sort()).toEqual(
        Object.keys(both.sections).sort(),
      );
    });

    it('says which annotation is missing for an entity the plugin cannot read', async () => {
      const server = await startBackend();
      const { sections } = await overview(server, 'lexecon-docs-site');
      expect(sections.deployments.status).toBe('not-configured');
      expect(sections.deployments.message).toContain('github.com/project-slug');
      expect(sections.deployments.message).toContain(
        'backstage.io/kubernetes-id',
      );
      expect(sections.deployments.missingAnnotations).toEqual([
        'github.com/project-slug',
        'backstage.io/kubernetes-id',
        'lexecon.io/helm-release',
      ]);
      expect(sandbox.requests()).toEqual([]);
    });

    it('shows GitHub data and names Kubernetes when only the cluster fails', async () => {
      sandbox.setFaults([{ source: 'kubernetes', kind: '5xx', status: 503 }]);
      const server = await startBackend();
      const section = (await overview(server)).sections.deployments;
      expect(section.status).toBe('stale');
      const kube = section.sources.find(s => s.source === 'kubernetes')!;
      expect(kube.status).toBe('error');
      expect(kube.message).toMatch(/Kubernetes failed with 503/);
      expect(section.sources.find(s => s.source === 'github')!.status).toBe(
        'ok',
      );
      expect(section.data!.recent.length).toBeGreaterThan(0);
      expect(
        section.data!.recent.every(r => r.sources.includes('github')),
      ).toBe(true);
    });

    it('keeps the last good data and marks it stale when a refresh fails', async () => {
      const server = await startBackend();
      await overview(server);
      sandbox.setFaults([{ source: 'github', kind: 'malformed' }]);
      await request(server)
        .post(`${base}/lexecon-api/refresh`)
        .set(auth)
        .expect(202);
      let github;
      for (let i = 0; i < 50; i++) {
        github = (await overview(server)).sections.deployments.sources.find(
          s => s.source === 'github',
        );
        if (github?.status !== 'ok') break;
        await new Promise(r => setTimeout(r, 100));
      }
      expect(github?.status).toBe('stale');
      expect(github?.message).toContain('GitHub');
      const section = (await overview(server)).sections.deployments;
      expect(
        section.data!.environments.find(e => e.environment === 'production')!
          .live,
      ).toBeDefined();
    });

    it('asks GitHub conditionally, so an unchanged refresh costs no rate budget', async () => {
      const server = await startBackend();
      await overview(server);
      await request(server)
        .get(`${base}/lexecon-api/approvals`)
        .set(auth)
        .expect(200);
      sandbox.clearRequests();
      await request(server)
        .post(`${base}/lexecon-api/refresh`)
        .set(auth)
        .expect(202);
      // Let the refresh finish: wait until no request has arrived for a while.
      let seen = -1;
      for (let i = 0; i < 50 && sandbox.requests().length !== seen; i++) {
        seen = sandbox.requests().length;
        await new Promise(r => setTimeout(r, 400));
      }
      // The CI-runs and GitHub evidence sources are scheduled only: this refresh is their first
      // read ever, not an unchanged one (their own tests check that a second read costs 304s).
      const scheduledOnlyFirstRead = (path: string) =>
        /\/actions\/workflows\/test\.yml\/runs\?status=completed&created=|\/jobs\?filter=all|\/branches\/main\/protection|\/rules\/branches\/|\/collaborators\?|\/orgs\/[^/]+\/members\?|\/contents\/docs(\/|%2F)policies|\/commits\?|\/repos\/[^/]+\/[^/?]+$/.test(
          path,
        );
      const github = sandbox
        .requests()
        .filter(r => r.source === 'github' && !scheduledOnlyFirstRead(r.path));
      expect(github.length).toBeGreaterThan(0);
      expect(github.filter(r => r.status !== 304)).toEqual([]);
    });

    it('opens the changelog of a deploy: the commits since the previous deploy there', async () => {
      const server = await startBackend();
      const page = await request(server)
        .get(
          `${base}/lexecon-api/deployments?environment=production&result=rolled_back`,
        )
        .set(auth);
      const rolledBack = (page.body as DeploymentsPage).items[0];
      const response = await request(server)
        .get(
          `${base}/lexecon-api/deployments/${encodeURIComponent(
            rolledBack.id,
          )}/changelog`,
        )
        .set(auth);
      expect(response.status).toBe(200);
      const changelog = response.body as Changelog;
      expect(changelog.head.sha).toBe(rolledBack.sha);
      expect(changelog.base?.version).toMatch(/^v\d/);
      expect(changelog.commits.length).toBeGreaterThan(0);
      expect(changelog.commits[0].sha).toBe(rolledBack.sha);
      expect(changelog.commits.every(c => c.author?.login)).toBe(true);
      sandbox.clearRequests();
      await request(server)
        .get(
          `${base}/lexecon-api/deployments/${encodeURIComponent(
            rolledBack.id,
          )}/changelog`,
        )
        .set(auth)
        .expect(200);
      expect(sandbox.requests()).toEqual([]);
    });

    it('refreshes covered entities on its schedule, so even the first page view is warm', async () => {
      const server = await startBackend({ runScheduledTasks: true });
      for (
        let i = 0;
        i < 100 && !sandbox.requests().some(r => r.path.includes('/compare/'));
        i++
      ) {
        await new Promise(r => setTimeout(r, 100));
      }
      await new Promise(r => setTimeout(r, 200));
      sandbox.clearRequests();
      const { sections } = await overview(server);
      expect(sections.deployments.status).toBe('ok');
      expect(sandbox.requests()).toEqual([]);
    });

    it('lists its permissions in the permission metadata endpoint', async () => {
      const server = await startBackend();
      const response = await request(server)
        .get('/api/lexecon/.well-known/backstage/permissions/metadata')
        .set('Authorization', mockCredentials.service.header());
      expect(response.status).toBe(200);
      expect(
        response.body.permissions.map((p: { name: string }) => p.name),
      ).toEqual(
        expect.arrayContaining([
          'lexecon.entity.read',
          'lexecon.entity.refresh',
          'lexecon.deployment.approve',
          'lexecon.audit.read',
        ]),
      );
    });
  },
);
