import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
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
  backendAuth = {},
}: {
  webhookSecret?: string | null;
  backendAuth?: JsonObject;
}) {
  return new ConfigReader({
    auth: { environment: 'production' },
    backend: { auth: backendAuth },
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

  it('needs no backend auth keys: plugins call each other with keys the backend keeps itself', () => {
    expect(() => checkProductionSecrets(production({}))).not.toThrow();
  });

  it('refuses an external access token or legacy secret that is missing or the sandbox value, naming each', () => {
    const access = (entries: JsonObject[]) =>
      production({ backendAuth: { externalAccess: entries } });
    expect(() =>
      checkProductionSecrets(
        access([
          { type: 'static', options: { token: SECRET, subject: 'ci' } },
          { type: 'static', options: { token: 'sandbox-ci-token' } },
        ]),
      ),
    ).toThrow(
      "backend.auth.externalAccess[1].options.token is the sandbox's public value",
    );
    expect(() =>
      checkProductionSecrets(access([{ type: 'legacy', options: {} }])),
    ).toThrow('backend.auth.externalAccess[0].options.secret is not set');
    expect(() =>
      checkProductionSecrets(
        access([
          { type: 'jwks', options: { url: 'https://idp.example.com/jwks' } },
          { type: 'legacy', options: { secret: SECRET, subject: 'old' } },
        ]),
      ),
    ).not.toThrow();
    expect(() =>
      checkProductionSecrets(
        production({
          backendAuth: { keys: [{ secret: 'sandbox-backend-key' }] },
        }),
      ),
    ).toThrow("backend.auth.keys[0].secret is the sandbox's public value");
  });

  it('refuses a fixed BigQuery access token: production signs with Application Default Credentials', () => {
    const gcp = (billing: JsonObject) =>
      new ConfigReader({
        auth: { environment: 'production' },
        events: { modules: { github: { webhookSecret: SECRET } } },
        lexecon: { gcp: { billing } },
      });
    const billing = {
      projectId: 'lexecon-billing',
      dataset: 'billing_export',
      table: 'gcp_billing_export_v1_X',
    };
    expect(() => checkProductionSecrets(gcp(billing))).not.toThrow();
    expect(() =>
      checkProductionSecrets(
        gcp({ ...billing, accessToken: 'sandbox-gcp-access-token' }),
      ),
    ).toThrow(
      'lexecon.gcp.billing.accessToken is set: production reads the billing export with Application Default Credentials',
    );
  });

  it("refuses the sandbox's Slack route, which would send the bot token elsewhere", () => {
    const slack = (lexecon: JsonObject) =>
      new ConfigReader({
        auth: { environment: 'production' },
        events: { modules: { github: { webhookSecret: SECRET } } },
        lexecon,
      });
    expect(() => checkProductionSecrets(slack({}))).not.toThrow();
    expect(() =>
      checkProductionSecrets(
        slack({ slackApi: { url: 'https://127.0.0.1:7109/api/' } }),
      ),
    ).toThrow('lexecon.slackApi is set: it sends Slack');
  });

  it('names every key at fault in one message', () => {
    expect(() =>
      checkProductionSecrets(
        production({
          webhookSecret: 'sandbox-webhook-secret',
          backendAuth: {
            externalAccess: [{ type: 'static', options: { subject: 'ci' } }],
          },
        }),
      ),
    ).toThrow(
      /webhookSecret is the sandbox's public value .*; backend\.auth\.externalAccess\[0\]\.options\.token is not set/,
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
