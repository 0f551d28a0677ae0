import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import { DeploymentsPage } from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { Entity } from '@backstage/catalog-model';
import { createHmac, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { AuditLog } from '../audit/AuditLog';
import { lexeconApiEntity, unannotatedEntity } from '../__fixtures__/entities';
import { storedSources } from '../__fixtures__/snapshots';
import { sandboxConfig, TEST_AUDIT_HMAC_KEY } from '../__fixtures__/testConfig';
import { lexeconPlugin } from '../plugin';
import { SnapshotRefresher } from '../snapshots/SnapshotRefresher';
import { migrateDatabase } from '../database/migrate';
import {
  GithubWebhookSubscriber,
  githubWebhooksVerified,
} from './GithubWebhookSubscriber';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ENTITY_PATH = '/api/lexecon/v1/entities/default/component/lexecon-api';

/** A second service of the same repository (a monorepo) with its own workflows and environments. */
const consoleEntity: Entity = {
  ...lexeconApiEntity,
  metadata: {
    name: 'lexecon-console',
    namespace: 'default',
    annotations: {
      'github.com/project-slug': 'lexecon-ai/lexecon',
      'lexecon.io/environments': 'preview,production',
      'lexecon.io/deploy-workflows':
        'preview=deploy-console-preview.yml,production=deploy-console.yml',
    },
  },
};

async function setup(extraEntities: Entity[] = []) {
  const knex = await databases.init('SQLITE_3');
  await migrateDatabase({ getClient: async () => knex });
  const audit = new AuditLog(knex, { hmacKey: TEST_AUDIT_HMAC_KEY });
  const refreshed: string[] = [];
  const refresher = {
    refreshInBackground: (
      target: { entityRef: string },
      options: { only?: readonly string[] },
    ) => {
      // A GitHub event never changes flags, SLOs or health: only the GitHub-driven sources.
      expect(options.only).toEqual([
        'github',
        'github-approvals',
        'kubernetes',
      ]);
      refreshed.push(target.entityRef);
    },
  } as unknown as SnapshotRefresher;
  const handlers: Array<(p: EventParams) => Promise<void>> = [];
  const subscriber = new GithubWebhookSubscriber({
    events: {
      publish: async () => {},
      subscribe: async options => {
        expect(options.topics).toContain('github.deployment_review');
        handlers.push(options.onEvent);
      },
    },
    catalog: catalogServiceMock({
      entities: [lexeconApiEntity, unannotatedEntity, ...extraEntities],
    }),
    auth: mockServices.auth(),
    refresher,
    audit,
    logger: mockServices.logger.mock(),
    verified: true,
  });
  await subscriber.subscribe();
  const deliver = (event: string, payload: object, delivery = 'd-1') =>
    handlers[0]({
      topic: `github.${event}`,
      eventPayload: payload,
      metadata: { 'x-github-event': event, 'x-github-delivery': delivery },
    });
  return { audit, refreshed, deliver };
}

const repository = { full_name: 'lexecon-ai/lexecon' };

describe('GithubWebhookSubscriber', () => {
  it('records a review made in GitHub with its time, once per delivery, and refreshes the service', async () => {
    const { audit, refreshed, deliver } = await setup();
    const review = {
      action: 'approved',
      repository,
      approver: { login: 'jordan-lee' },
      comment: 'Approved from GitHub',
      since: '2026-11-23T09:00:00Z',
      workflow_run: { id: 42, path: '.github/workflows/deploy-prod.yml' },
      workflow_job_runs: [
        { environment: 'production', updated_at: '2026-11-23T09:05:00Z' },
      ],
    };
    await deliver('deployment_review', review);
    await deliver('deployment_review', review); // GitHub redelivers
    const { items } = await audit.list({ limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: 'github-review',
      at: '2026-11-23T09:05:00.000Z',
      actor: 'github:jordan-lee',
      githubLogin: 'jordan-lee',
      entityRef: 'component:default/lexecon-api',
      runId: 42,
      environment: 'production',
      decision: 'approved',
      comment: 'Approved from GitHub',
    });
    expect(refreshed).toEqual([
      'component:default/lexecon-api',
      'component:default/lexecon-api',
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('refreshes on deploy events without recording them, and ignores unknown repositories and other workflows', async () => {
    const { audit, refreshed, deliver } = await setup();
    await deliver('deployment_status', { action: 'created', repository }, 'a');
    await deliver(
      'workflow_run',
      {
        action: 'completed',
        repository,
        workflow_run: { id: 7, path: '.github/workflows/test.yml' },
      },
      'b',
    );
    await deliver(
      'workflow_run',
      { action: 'completed', repository: { full_name: 'someone/else' } },
      'c',
    );
    expect(refreshed).toEqual(['component:default/lexecon-api']);
    expect((await audit.list({ limit: 10 })).items).toEqual([]);
  });

  it('refreshes only the services whose deploy workflows or environments a delivery concerns', async () => {
    const { refreshed, deliver } = await setup([consoleEntity]);
    const api = 'component:default/lexecon-api';
    const consoleApp = 'component:default/lexecon-console';
    const run = (file: string) => ({
      action: 'requested',
      repository,
      workflow_run: { id: 9, path: `.github/workflows/${file}` },
    });
    const expected: Array<[string, object, string[]]> = [
      ['workflow_run', run('deploy-prod.yml'), [api]],
      ['workflow_run', run('deploy-console.yml'), [consoleApp]],
      ['workflow_run', run('lint.yml'), []],
      [
        'deployment_status',
        {
          action: 'created',
          repository,
          deployment: { environment: 'staging' },
        },
        [api],
      ],
      [
        'deployment',
        {
          action: 'created',
          repository,
          deployment: { environment: 'preview' },
        },
        [consoleApp],
      ],
      [
        'deployment_status',
        { action: 'created', repository, deployment: { environment: 'qa' } },
        [],
      ],
      [
        'deployment_review',
        {
          action: 'requested',
          repository,
          workflow_job_runs: [{ environment: 'production' }],
        },
        [api, consoleApp],
      ],
    ];
    for (const [i, [event, payload, entities]] of expected.entries()) {
      refreshed.length = 0;
      await deliver(event, payload, `delivery-${i}`);
      expect({ event, payload, refreshed: [...refreshed].sort() }).toEqual({
        event,
        payload,
        refreshed: entities,
      });
    }
  });

  it('records completed deploy runs and protection rule requests', async () => {
    const { audit, deliver } = await setup();
    await deliver(
      'workflow_run',
      {
        action: 'completed',
        repository,
        workflow_run: {
          id: 9,
          path: '.github/workflows/deploy-prod.yml',
          conclusion: 'success',
          head_sha: 'abcdef1234567',
          updated_at: '2026-11-23T10:00:00Z',
          triggering_actor: { login: 'priya-nair' },
        },
      },
      'e',
    );
    await deliver(
      'deployment_protection_rule',
      {
        action: 'requested',
        repository,
        environment: 'production',
        sender: { login: 'priya-nair' },
        deployment: { sha: 'abcdef1234567' },
        deployment_callback_url:
          'https://api.github.com/repos/lexecon-ai/lexecon/actions/runs/10/deployment_protection_rule',
      },
      'f',
    );
    const { items } = await audit.list({ limit: 10 });
    expect(items.map(i => [i.action, i.runId])).toEqual([
      ['protection-rule-requested', 10],
      ['run-completed', 9],
    ]);
    expect(items[1].outcome).toContain('success');
  });
});

jest.setTimeout(60_000);

describe('githubWebhooksVerified', () => {
  const verified = (data: object) =>
    githubWebhooksVerified(new ConfigReader(data));

  it('holds with the events module secret or a GitHub App secret, and not without', () => {
    expect(
      verified({ events: { modules: { github: { webhookSecret: 's' } } } }),
    ).toBe(true);
    expect(
      verified({
        integrations: {
          github: [
            { host: 'github.com' },
            { host: 'ghe.example.com', apps: [{ webhookSecret: 's' }] },
          ],
        },
      }),
    ).toBe(true);
    expect(
      verified({
        integrations: { github: [{ host: 'github.com', apps: [{}] }] },
        events: { modules: { github: {} } },
      }),
    ).toBe(false);
    expect(verified({})).toBe(false);
  });

  it('keeps an unverified subscriber off the events, and says which key to set', async () => {
    const events = mockServices.events.mock();
    const logger = mockServices.logger.mock();
    await new GithubWebhookSubscriber({
      events,
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      refresher: {} as SnapshotRefresher,
      audit: {} as AuditLog,
      logger,
      verified: false,
    }).subscribe();
    expect(events.subscribe).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events.modules.github.webhookSecret'),
    );
  });
});

const matrix = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});
const SECRET = 'lexecon-webhook-secret';

/**
 * `@backstage/plugin-events-backend-module-github` as the backend loads it: the signature check
 * and the router to `github.<event>` topics. Its default export is a feature loader that uses a
 * dynamic import(), which Jest's CommonJS runtime cannot run, so the two modules it would load are
 * required from the package directly.
 */
function githubEventsModules(): BackendFeature[] {
  const dist = path.dirname(
    require.resolve('@backstage/plugin-events-backend-module-github'),
  );
  return ['eventsModuleGithubWebhook', 'eventsModuleGithubEventRouter'].map(
    name =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(dist, 'service', `${name}.cjs.js`)).default,
  );
}
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * The signature is checked by the events backend's GitHub module (`X-Hub-Signature-256` against
 * `events.modules.github.webhookSecret`) before the event is published; the subscriber above
 * only ever sees verified events. So these tests post to the real endpoint.
 */
describe.each(matrix.eachSupportedId())(
  'GitHub webhooks at /api/events/http/github on %s',
  databaseId => {
    let sandbox: Sandbox;
    let knex: Knex;

    beforeAll(async () => {
      sandbox = await startSandbox({ quiet: true });
    });
    afterAll(() => sandbox.stop());

    async function startBackend(
      options: {
        webhookSecret?: string;
        lexecon?: Record<string, unknown>;
      } = {},
    ) {
      sandbox.clearRequests();
      knex = await matrix.init(databaseId);
      // The events plugin keeps its own database, so its migrations never race the plugin's.
      const eventsKnex = await matrix.init('SQLITE_3');
      // One bus for all plugins, as in a real backend (the default mock gives each its own).
      const events = mockServices.events();
      const { server } = await startTestBackend({
        features: [
          lexeconPlugin,
          eventsPlugin,
          ...githubEventsModules(),
          mockServices.rootConfig.factory({
            data: {
              ...sandboxConfig(sandbox, options.lexecon),
              events: {
                http: { topics: ['github'] },
                modules: {
                  github: {
                    webhookSecret:
                      'webhookSecret' in options
                        ? options.webhookSecret
                        : SECRET,
                  },
                },
              },
            },
          }),
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) =>
              mockServices.database({
                knex: plugin.getId() === 'lexecon' ? knex : eventsKnex,
              }),
          }),
          createServiceFactory({
            service: eventsServiceRef,
            deps: {},
            factory: () => events,
          }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({ entities: [lexeconApiEntity] }),
        ],
      });
      return server;
    }

    const auditRows = async () =>
      (
        await new AuditLog(knex, { hmacKey: TEST_AUDIT_HMAC_KEY }).list({
          limit: 50,
        })
      ).items;
    const stored = () => storedSources(knex, 'component:default/lexecon-api');
    /**
     * Polls until the refresh one delivery started has stored all three GitHub-driven sources of
     * the service, and the evidence derived from them that follows a changed deploy history (a
     * manual refresh also reads the scheduled-only CI runs and GitHub's evidence: `all` says
     * so), so no refresh is still running when the test ends.
     */
    async function refreshed(
      all = ['github', 'github-approvals', 'kubernetes', 'portal-evidence'],
    ) {
      for (let i = 0; i < 200; i++) {
        if ((await stored()).join() === all.join()) return true;
        await new Promise(r => setTimeout(r, 100));
      }
      return false;
    }

    const review = JSON.stringify({
      action: 'approved',
      repository: { full_name: 'lexecon-ai/lexecon' },
      approver: { login: 'jordan-lee' },
      comment: 'Approved from GitHub',
      workflow_run: { id: 42, path: '.github/workflows/deploy-prod.yml' },
      workflow_job_runs: [
        { environment: 'production', updated_at: '2026-11-23T09:05:00Z' },
      ],
    });
    const deliver = (
      server: Awaited<ReturnType<typeof startBackend>>,
      body: string,
      signature?: string,
    ) => {
      const call = request(server)
        .post('/api/events/http/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'deployment_review')
        .set('x-github-delivery', randomUUID());
      if (signature) call.set('x-hub-signature-256', signature);
      return call.send(body);
    };

    it('rejects unsigned, wrongly signed and altered deliveries before anything is recorded or refreshed', async () => {
      const server = await startBackend();
      const altered = review.replace('jordan-lee', 'mallory');
      for (const [body, signature] of [
        [review, undefined],
        [review, sign(review, 'not-the-secret')],
        [review, 'sha256=0000'],
        [altered, sign(review)],
      ]) {
        const response = await deliver(server, body!, signature);
        expect([signature, response.status, response.body]).toEqual([
          signature,
          403,
          { message: 'invalid signature' },
        ]);
      }
      expect(await auditRows()).toEqual([]);
      expect(sandbox.requests()).toEqual([]);
      expect(await stored()).toEqual([]);
    });

    it('accepts a correctly signed delivery: records the review made in GitHub and refreshes the service', async () => {
      const server = await startBackend();
      const response = await deliver(server, review, sign(review));
      expect(response.status).toBe(202);
      // Run 42 is none the portal ever read: it cannot tell who changed what, so it fails closed.
      expect(
        (await auditRows()).map(r => [
          r.action,
          r.githubLogin,
          r.exception?.kind,
        ]),
      ).toEqual([
        ['gate-exception', 'jordan-lee', 'change-set-unknown'],
        ['github-review', 'jordan-lee', undefined],
      ]);
      expect(await refreshed()).toBe(true);
    });

    it('checks reviews made in GitHub against segregation of duties, and marks the deploy', async () => {
      // The deliveries' refreshes find the data just read, so none outlives the test.
      const server = await startBackend({
        lexecon: {
          refresh: {
            minInterval: { hours: 1 },
            webhookMinInterval: { hours: 1 },
          },
        },
      });
      const { runId } = sandbox.createWaitingRun();
      const refresh = await request(server)
        .post(`${ENTITY_PATH}/refresh`)
        .set('authorization', mockCredentials.user.header());
      expect(refresh.status).toBe(202);
      expect(
        await refreshed([
          'github',
          'github-approvals',
          'github-ci-runs',
          'github-evidence',
          'kubernetes',
          'portal-evidence',
        ]),
      ).toBe(true);
      const reviewBy = (login: string) =>
        JSON.stringify({
          ...JSON.parse(review),
          approver: { login },
          workflow_run: {
            id: runId,
            path: '.github/workflows/deploy-prod.yml',
          },
        });
      for (const login of ['jordan-lee', 'alex-kim']) {
        const body = reviewBy(login);
        expect((await deliver(server, body, sign(body))).status).toBe(202);
      }
      const exceptions = (await auditRows()).filter(
        r => r.action === 'gate-exception' && r.runId === runId,
      );
      // jordan-lee authored commits of the waiting release; alex-kim none.
      expect(exceptions.map(r => [r.githubLogin, r.exception?.kind])).toEqual([
        ['jordan-lee', 'sod'],
      ]);
      expect(exceptions[0].exception).toMatchObject({
        by: 'github:jordan-lee',
        message:
          'approved in GitHub by jordan-lee, who authored a change in it: SoD exception',
        auditId: exceptions[0].id,
      });
      const page = await request(server)
        .get(`${ENTITY_PATH}/deployments?environment=production&limit=50`)
        .set('authorization', mockCredentials.user.header());
      const deploy = (page.body as DeploymentsPage).items.find(
        d => d.runId === runId,
      );
      expect(deploy?.exceptions).toEqual([exceptions[0].exception]);
    });

    it('ignores every delivery when no webhook secret is configured, for then the events backend checks no signature', async () => {
      const server = await startBackend({ webhookSecret: undefined });
      // Backstage itself takes the unsigned delivery...
      const response = await deliver(server, review);
      expect(response.status).toBe(202);
      // ...but a forged review must not reach the audit trail, nor cost upstream calls.
      expect(await auditRows()).toEqual([]);
      expect(sandbox.requests()).toEqual([]);
      expect(await stored()).toEqual([]);
    });

    it('refuses the deliveries the sandbox signs as GitHub does when they are signed with another secret', async () => {
      const server = await startBackend();
      const { port } = server.address() as AddressInfo;
      sandbox.setWebhooks({
        url: `http://127.0.0.1:${port}/api/events/http/github`,
        secret: 'an-old-secret',
      });
      sandbox.createWaitingRun();
      await sandbox.webhooksIdle();
      sandbox.setWebhooks(undefined);
      const deliveries = sandbox.deliveries();
      expect(deliveries.map(d => [d.event, d.status])).toEqual([
        ['workflow_run', 403],
        ['deployment_review', 403],
      ]);
      expect(await stored()).toEqual([]);
      expect(sandbox.requests()).toEqual([]);
    });
  },
);
