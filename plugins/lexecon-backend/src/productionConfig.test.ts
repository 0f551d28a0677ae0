import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { lexeconPlugin } from './plugin';
import {
  checkProductionSecrets,
  isProduction,
  isSandboxSecret,
} from './productionConfig';

const SECRET = '9f2c4e7a1b3d5f60718293a4b5c6d7e8';
const AUDIT_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** Production config with secrets of its own; `null` leaves a secret out (its variable unset). */
function production({
  webhookSecret = SECRET,
  backendKeys = [{ secret: SECRET }],
}: {
  webhookSecret?: string | null;
  backendKeys?: Array<{ secret?: string }>;
}) {
  return new ConfigReader({
    auth: { environment: 'production' },
    backend: { auth: { keys: backendKeys } },
    events:
      webhookSecret === null ? {} : { modules: { github: { webhookSecret } } },
  });
}

describe('isProduction', () => {
  it('is production with NODE_ENV=production or auth.environment: production', () => {
    const empty = new ConfigReader({});
    expect(isProduction(empty, 'production')).toBe(true);
    expect(isProduction(production({}), 'development')).toBe(true);
    expect(isProduction(empty, 'development')).toBe(false);
    expect(isProduction(empty, undefined)).toBe(false);
  });
});

describe('isSandboxSecret', () => {
  it("recognises the sandbox's public values, and not a random secret", () => {
    expect(isSandboxSecret('sandbox-webhook-secret')).toBe(true);
    expect(isSandboxSecret('user:sandbox-unleash-admin-token')).toBe(true);
    expect(isSandboxSecret('insecure-dev-anything-at-all')).toBe(true);
    expect(isSandboxSecret(SECRET)).toBe(false);
  });
});

describe('checkProductionSecrets', () => {
  it('accepts secrets of its own', () => {
    expect(() => checkProductionSecrets(production({}))).not.toThrow();
  });

  it('refuses a missing webhook secret, naming the key and the variable', () => {
    expect(() =>
      checkProductionSecrets(production({ webhookSecret: null })),
    ).toThrow(
      'Refusing to start in production: events.modules.github.webhookSecret is not set (GITHUB_WEBHOOK_SECRET)',
    );
  });

  it('with company sign-in, refuses a missing or sandbox session secret', () => {
    const withOidc = (session?: { secret: string }) =>
      new ConfigReader({
        auth: {
          environment: 'production',
          providers: { oidc: { production: { clientId: 'portal' } } },
          ...(session ? { session } : {}),
        },
        backend: { auth: { keys: [{ secret: SECRET }] } },
        events: { modules: { github: { webhookSecret: SECRET } } },
      });
    expect(() => checkProductionSecrets(withOidc())).toThrow(
      'Refusing to start in production: auth.session.secret is not set (AUTH_SESSION_SECRET)',
    );
    expect(() =>
      checkProductionSecrets(
        withOidc({ secret: 'sandbox-auth-session-secret' }),
      ),
    ).toThrow("auth.session.secret is the sandbox's public value");
    expect(() =>
      checkProductionSecrets(withOidc({ secret: SECRET })),
    ).not.toThrow();
  });

  it("refuses the sandbox's webhook secret", () => {
    expect(() =>
      checkProductionSecrets(
        production({ webhookSecret: 'sandbox-webhook-secret' }),
      ),
    ).toThrow(
      "events.modules.github.webhookSecret is the sandbox's public value (GITHUB_WEBHOOK_SECRET)",
    );
  });

  it('refuses missing backend auth keys, or one with a sandbox value, naming each', () => {
    expect(() =>
      checkProductionSecrets(production({ backendKeys: [] })),
    ).toThrow('backend.auth.keys is not set (BACKEND_SECRET)');
    expect(() =>
      checkProductionSecrets(
        production({
          backendKeys: [{ secret: SECRET }, { secret: 'sandbox-backend-key' }],
        }),
      ),
    ).toThrow("backend.auth.keys[1].secret is the sandbox's public value");
    expect(() =>
      checkProductionSecrets(production({ backendKeys: [{}] })),
    ).toThrow('backend.auth.keys[0].secret is not set');
  });

  it('names every key at fault in one message', () => {
    expect(() =>
      checkProductionSecrets(
        production({
          webhookSecret: 'sandbox-webhook-secret',
          backendKeys: [],
        }),
      ),
    ).toThrow(
      /webhookSecret is the sandbox's public value .*; backend\.auth\.keys is not set/,
    );
  });
});

describe('the backend in production', () => {
  it('does not start with the sandbox webhook secret', async () => {
    await expect(
      startTestBackend({
        features: [
          lexeconPlugin,
          mockServices.rootConfig.factory({
            data: {
              auth: { environment: 'production' },
              backend: { auth: { keys: [{ secret: SECRET }] } },
              events: {
                modules: {
                  github: { webhookSecret: 'sandbox-webhook-secret' },
                },
              },
              lexecon: { audit: { hmacKey: AUDIT_KEY } },
            },
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }),
    ).rejects.toThrow(
      "events.modules.github.webhookSecret is the sandbox's public value",
    );
  });
});
