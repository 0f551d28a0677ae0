import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import type {
  Notification,
  NotificationSettings,
} from '@backstage/plugin-notifications-common';
import lexeconPlugin from '@internal/plugin-lexecon-backend';
import { Sandbox, startSandbox } from '@internal/sandbox';

jest.setTimeout(90_000);

const ORIGIN = 'plugin:lexecon';
const WAITING_TOPIC = 'Deploy waiting for approval';

function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'github.com/user-login': name },
    },
    spec: { memberOf: [] },
  };
}

/** The sandbox's release approvers, as catalog-info.yaml declares them. */
const ORG: Entity[] = [
  user('alex-kim'),
  user('jordan-lee'),
  user('casey-morgan'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'release-approvers', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['alex-kim', 'jordan-lee'] },
    relations: ['alex-kim', 'jordan-lee'].map(name => ({
      type: 'hasMember',
      targetRef: `user:default/${name}`,
    })),
  },
];

const LEXECON_API: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'lexecon-api',
    namespace: 'default',
    annotations: {
      'github.com/project-slug': 'lexecon-ai/lexecon',
      'lexecon.io/environments': 'staging,production',
      'lexecon.io/deploy-workflows':
        'staging=deploy-staging.yml,production=deploy-prod.yml',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/release-approvers',
  },
};

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

/**
 * Backstage's own notifications backend beside the portal: what a person finds under the bell
 * and in the notification settings, stored per user.
 */
describe.each(databases.eachSupportedId())(
  'notifications under the bell on %s',
  databaseId => {
    let sandbox: Sandbox;
    let base: string;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      sandbox = await startSandbox({ quiet: true });
      const backend = await startTestBackend({
        features: [
          lexeconPlugin,
          notificationsPlugin,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              integrations: {
                github: [
                  {
                    host: new URL(sandbox.githubUrl).host,
                    apiBaseUrl: sandbox.githubUrl,
                    token: sandbox.githubToken,
                  },
                ],
              },
              lexecon: {
                github: { host: new URL(sandbox.githubUrl).host },
                audit: { hmacKey: 'test-audit-key-0123456789abcdef0123456789' },
                refresh: { minInterval: { seconds: 0 } },
              },
            },
          }),
          // A database per plugin, as production gives them.
          createServiceFactory({
            service: coreServices.database,
            deps: {},
            async factory() {
              const knex = await databases.init(databaseId);
              return { getClient: async () => knex };
            },
          }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({ entities: [LEXECON_API, ...ORG] }),
        ],
      });
      base = `http://localhost:${backend.server.port()}/api`;
      stop = async () => {
        await backend.stop();
        await sandbox.stop();
      };
    });
    afterAll(() => stop());

    const as = (name: string) => ({
      authorization: mockCredentials.user.header(`user:default/${name}`),
      'content-type': 'application/json',
    });

    async function notificationsOf(name: string): Promise<Notification[]> {
      const response = await fetch(`${base}/notifications/notifications`, {
        headers: as(name),
      });
      expect(response.status).toBe(200);
      return (await response.json()).notifications;
    }

    /** A new run waiting on production; `live` deploys the commit in production, changing nothing. */
    async function newWaitingRun(at: 'head' | 'live') {
      const { runId } = sandbox.createWaitingRun({
        sha: at === 'live' ? sandbox.world.facts.lastProductionSha : undefined,
      });
      const refresh = await fetch(
        `${base}/lexecon/v1/entities/default/component/lexecon-api/refresh`,
        { method: 'POST', headers: as('casey-morgan') },
      );
      expect(refresh.status).toBe(202);
      return runId;
    }

    const about = (runId: number) => (n: Notification) =>
      n.payload.link?.startsWith(`/lexecon/approvals?run=${runId}&`) ?? false;

    async function poll<T>(read: () => Promise<T | undefined>, what: string) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const value = await read();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`Timed out: ${what}`);
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    }

    const received = (name: string, runId: number) =>
      poll(
        async () => (await notificationsOf(name)).find(about(runId)),
        `${name}'s notification of run ${runId}`,
      );

    it('stores the waiting run for alex-kim, not for jordan-lee who authored a change in it', async () => {
      const runId = await newWaitingRun('head');
      const stored = await received('alex-kim', runId);
      expect(stored.origin).toBe(ORIGIN);
      expect(stored.payload.topic).toBe(WAITING_TOPIC);
      expect(stored.read).toBeFalsy();
      // jordan-lee's only chance to be told is the same send: settled once alex-kim has it.
      expect(
        (await notificationsOf('jordan-lee')).filter(about(runId)),
      ).toEqual([]);
    });

    it("lists the portal's topics in the notification settings, where muting one stops it", async () => {
      const settings = await fetch(`${base}/notifications/settings`, {
        headers: as('alex-kim'),
      });
      const body: NotificationSettings = await settings.json();
      const web = body.channels.find(c => c.id === 'Web');
      const origin = web?.origins.find(o => o.id === ORIGIN);
      expect(origin?.topics).toEqual(
        expect.arrayContaining([{ id: WAITING_TOPIC, enabled: true }]),
      );

      const muted = await fetch(`${base}/notifications/settings`, {
        method: 'POST',
        headers: as('alex-kim'),
        body: JSON.stringify({
          channels: [
            {
              id: 'Web',
              origins: [
                {
                  id: ORIGIN,
                  enabled: true,
                  topics: [{ id: WAITING_TOPIC, enabled: false }],
                },
              ],
            },
          ],
        }),
      });
      expect(muted.status).toBe(200);

      // Runs that change nothing: jordan-lee may approve them too, and is told.
      const mutedRun = await newWaitingRun('live');
      await received('jordan-lee', mutedRun);
      // Sent after the first was settled for everyone (one source refreshes at a time).
      const laterRun = await newWaitingRun('live');
      await received('jordan-lee', laterRun);
      const alexs = await notificationsOf('alex-kim');
      expect(alexs.filter(about(mutedRun))).toEqual([]);
      expect(alexs.filter(about(laterRun))).toEqual([]);
    });
  },
);
