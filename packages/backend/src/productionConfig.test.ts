import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createConfigSecretEnumerator,
  rootConfigServiceFactory,
} from '@backstage/backend-defaults/rootConfig';
import { Config } from '@backstage/config';
import { slackIsConfigured } from './notifications/notificationProcessors';

const ROOT = path.resolve(__dirname, '../../..');
const LOOPBACK = /localhost|127\.\d+\.\d+\.\d+|\[?::1\]?(?![\d:a-f])/i;

/** The merged configuration the backend would run with, loaded by Backstage's own loader. */
async function loadConfig(files: string[]): Promise<Config> {
  let loaded: Config | undefined;
  const capture = createBackendPlugin({
    pluginId: 'capture',
    register(reg) {
      reg.registerInit({
        deps: { config: coreServices.rootConfig },
        async init({ config }) {
          loaded = config;
        },
      });
    },
  });
  // The loader says which files it read, on the console.
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  const backend = await startTestBackend({
    features: [
      capture,
      rootConfigServiceFactory({
        argv: files.flatMap(file => ['--config', path.join(ROOT, file)]),
        watch: false,
      }),
    ],
  });
  expect(log).toHaveBeenCalledWith(
    expect.stringContaining(path.join(ROOT, files[0])),
  );
  log.mockRestore();
  await backend.stop();
  return loaded!;
}

/** Every string in the config, with the key it is at. */
function strings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      strings(v, at ? `${at}.${k}` : k),
    );
  }
  return [];
}

describe('the production configuration (app-config.yaml + app-config.production.yaml)', () => {
  const variables = [
    ...readFileSync(path.join(ROOT, 'app-config.production.yaml'), 'utf8')
      .replace(/^\s*#.*$/gm, '')
      .matchAll(/\$\{(\w+)\}/g),
  ].map(([, name]) => name);
  const saved = { ...process.env };

  beforeAll(() => {
    // Every variable set, to a value that is neither loopback nor a sandbox secret.
    for (const name of variables) {
      process.env[name] = `https://${name.toLowerCase()}.example.com`;
    }
  });
  afterAll(() => {
    for (const name of variables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('points no URL at loopback', async () => {
    expect(variables).toContain('BACKEND_BASE_URL');
    const config = await loadConfig([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);

    const loopback = strings(config.get()).filter(([, value]) =>
      LOOPBACK.test(value),
    );

    expect(loopback).toEqual([]);
  });

  it('takes the Slack bot token from SLACK_BOT_TOKEN as a secret, and without it leaves Slack off', async () => {
    const withToken = await loadConfig([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    const enumerate = await createConfigSecretEnumerator({
      logger: mockServices.logger.mock(),
      dir: ROOT,
    });
    delete process.env.SLACK_BOT_TOKEN;
    const withoutToken = await loadConfig([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);

    expect(slackIsConfigured(withToken)).toBe(true);
    // What the root logger redacts from every line it writes.
    expect([...enumerate(withToken)]).toContain(
      'https://slack_bot_token.example.com',
    );
    expect(slackIsConfigured(withoutToken)).toBe(false);
  }, 60_000);

  it("keeps none of the sandbox's secrets, each of which says it is the sandbox's", async () => {
    const sandbox = await loadConfig([
      'app-config.yaml',
      'app-config.sandbox.yaml',
    ]);
    const production = await loadConfig([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    const enumerate = await createConfigSecretEnumerator({
      logger: mockServices.logger.mock(),
      dir: ROOT,
    });
    // The schema calls any database connection secret; the sandbox's is just `:memory:`.
    const inMemory = sandbox.getString('backend.database.connection');
    const sandboxSecrets = [...enumerate(sandbox)].filter(s => s !== inMemory);

    // What the production start-up check (lexecon-backend productionConfig.ts) refuses.
    expect(sandboxSecrets).toContain('sandbox-webhook-secret');
    for (const secret of sandboxSecrets) {
      expect(secret).toMatch(/sandbox/i);
    }
    const survivors = strings(production.get()).filter(([, value]) =>
      sandboxSecrets.some(secret => value.includes(secret)),
    );
    expect(survivors).toEqual([]);
  }, 60_000);
});
