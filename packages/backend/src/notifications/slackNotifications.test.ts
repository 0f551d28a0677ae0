import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Sandbox, SlackMessage, startSandbox } from '@internal/sandbox';
import { notificationProcessorsWhereConfigured } from './notificationProcessors';

const APP = 'http://localhost:3000';

/** The team annotated with its channel, as in catalog-info.yaml; alex-kim found by email. */
const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'lexecon-engineering',
      annotations: { 'slack.com/bot-notify': 'C0LEXRELEASES' },
    },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alex-kim' },
    spec: { profile: { email: 'alex-kim@lexecon.ai' }, memberOf: [] },
  },
];

/** Resolves once the sandbox's Slack holds a message `matches` accepts. */
async function posted(
  sandbox: Sandbox,
  matches: (m: SlackMessage) => boolean,
): Promise<SlackMessage> {
  for (;;) {
    const found = sandbox.slackMessages().find(matches);
    if (found) return found;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/**
 * The notifications backend with the notifications Slack module, loaded as the backend loads it
 * (configured Slack) and pointed at the sandbox's Slack by `lexecon.slackApi`.
 */
describe('notifications delivered to Slack', () => {
  let sandbox: Sandbox;
  let stateDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'slack-notifications-'));
    sandbox = await startSandbox({ quiet: true, stateDir });
    backend = await startTestBackend({
      features: [
        notificationsPlugin,
        notificationProcessorsWhereConfigured,
        catalogServiceMock.factory({ entities: ENTITIES }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: APP },
            notifications: {
              processors: { slack: [{ token: sandbox.slackToken }] },
            },
            lexecon: {
              slackApi: {
                url: `${sandbox.slackUrl}/api/`,
                caFile: path.join(stateDir, 'ca.pem'),
              },
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    baseUrl = `http://localhost:${port}/api/notifications`;
  });
  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
  });

  async function send(entityRef: string, title: string) {
    const res = await fetch(`${baseUrl}/notifications`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: mockCredentials.service.header(),
      },
      body: JSON.stringify({
        recipients: { type: 'entity', entityRef },
        payload: {
          title,
          description: 'Coverage 71% and 2 open security alerts',
          link: '/catalog/default/component/lexecon-api/lexecon',
          severity: 'high',
          topic: 'readiness-below-gate',
        },
      }),
    });
    expect(res.status).toBe(200);
  }

  it("posts a notification for a team to the team's channel, as the module renders it", async () => {
    const title = 'lexecon-api 1.5.0: readiness 82%, below the gate (90%)';

    await send('group:default/lexecon-engineering', title);

    const message = await posted(sandbox, m => m.text === title);
    expect(message).toMatchObject({
      channel: 'C0LEXRELEASES',
      channelName: 'lexecon-releases',
      attachments: [
        {
          color: '#FFA500',
          fallback: title,
          blocks: [
            {
              type: 'section',
              text: { text: 'Coverage 71% and 2 open security alerts' },
              accessory: {
                url: `${APP}/catalog/default/component/lexecon-api/lexecon`,
              },
            },
            {
              type: 'context',
              elements: [
                { text: 'Severity: high' },
                { text: 'Topic: readiness-below-gate' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('sends a person a direct message, finding them in Slack by their catalog email', async () => {
    const title = 'lexecon-api 1.5.0 waits for your approval in production';

    await send('user:default/alex-kim', title);

    const message = await posted(sandbox, m => m.text === title);
    expect(message).toMatchObject({ channelName: 'alex-kim' });
    expect(message.channel).toMatch(/^D/);
    const calls = sandbox
      .requests()
      .filter(r => r.source === 'slack')
      .map(r => `${r.path} ${r.status}`);
    expect(calls).toEqual([
      '/api/users.lookupByEmail 200',
      '/api/chat.postMessage 200',
    ]);
  });

  it("waits out Slack's Retry-After when rate limited, then posts the message once", async () => {
    // @slack/web-api's own console logger tells of the wait and the retry.
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    sandbox.setFaults([
      {
        source: 'slack',
        kind: '429',
        retryAfterSeconds: 1,
        pathPattern: 'chat.postMessage',
        times: 1,
      },
    ]);
    const title = 'Staging tests failed for lexecon-api 1.5.0';

    await send('group:default/lexecon-engineering', title);

    await posted(sandbox, m => m.text === title);
    expect(sandbox.slackMessages().filter(m => m.text === title)).toHaveLength(
      1,
    );
    expect(
      sandbox
        .requests()
        .filter(r => r.path === '/api/chat.postMessage')
        .map(r => r.status),
    ).toEqual([429, 200]);
    expect(info).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      'API Call failed due to rate limiting. Will retry in 1 seconds.',
    );
    expect(warn).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      'http request failed',
      expect.stringContaining('A rate limit was exceeded'),
    );
    // The module waits a second as told; the rest is the machine's.
  }, 20_000);
});
