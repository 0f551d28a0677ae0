import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleOidcProvider from '@backstage/plugin-auth-backend-module-oidc-provider';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Sandbox, startSandbox, submitSignInAs } from '@internal/sandbox';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
const CATALOG = path.join(ROOT, 'catalog-info.yaml');

/** The sandbox's sign-in configuration, as `npm start` loads it. */
const SANDBOX_AUTH = parse(
  readFileSync(path.join(ROOT, 'app-config.sandbox.yaml'), 'utf8'),
).auth;

/** The catalog's people, as the org's catalog-info.yaml declares them. */
function catalogUsers(): Entity[] {
  return parseAllDocuments(readFileSync(CATALOG, 'utf8'))
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'User');
}

/** Cookies as a browser keeps them for one site (names are unique across paths here). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Backstage's auth backend with the OIDC provider module, configured by app-config.sandbox.yaml,
 * against the sandbox's identity provider: the sign-in popup's requests, made with fetch.
 */
describe('company sign-in through the OIDC provider', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(() => sandbox.stop());

  async function signIn(login: string, users: Entity[]) {
    const backend = await startTestBackend({
      features: [
        authPlugin,
        authModuleOidcProvider,
        catalogServiceMock.factory({ entities: users }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              environment: 'development',
              session: SANDBOX_AUTH.session,
              providers: {
                oidc: {
                  development: {
                    ...SANDBOX_AUTH.providers.oidc.development,
                    // The sandbox of this test listens on a port of its own.
                    metadataUrl: `${sandbox.oidcUrl}/.well-known/openid-configuration`,
                  },
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const base = `http://localhost:${backend.server.port()}`;
      const jar = new CookieJar();
      const start = await fetch(
        `${base}/api/auth/oidc/start?env=development&scope=${encodeURIComponent(
          'openid profile email',
        )}`,
        { redirect: 'manual' },
      );
      expect(start.status).toBe(302);
      jar.keep(start);
      const authorizeUrl = start.headers.get('location')!;
      expect(authorizeUrl.startsWith(`${sandbox.oidcUrl}/authorize?`)).toBe(
        true,
      );
      const page = await fetch(authorizeUrl);
      const picked = await submitSignInAs(page.url, await page.text(), login);
      const callback = new URL(picked.headers.get('location')!);
      expect(callback.pathname).toBe('/api/auth/oidc/handler/frame');
      const frame = await fetch(
        `${base}${callback.pathname}${callback.search}`,
        {
          headers: { cookie: jar.header() },
        },
      );
      const encoded = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(
        await frame.text(),
      );
      return JSON.parse(decodeURIComponent(encoded![1]));
    } finally {
      await backend.stop();
    }
  }

  it('signs an auditor without a GitHub account in as their catalog user, found by email', async () => {
    const response = await signIn('casey-morgan', catalogUsers());
    expect(response).toMatchObject({
      type: 'authorization_response',
      response: {
        profile: {
          email: 'casey-morgan@lexecon.ai',
          displayName: 'Casey Morgan',
        },
        backstageIdentity: {
          identity: { userEntityRef: 'user:default/casey-morgan' },
        },
      },
    });
  });

  it('refuses someone whose email no catalog user has, even with a user of their name', async () => {
    const others = catalogUsers().map(u =>
      u.metadata.name === 'sam-okafor'
        ? {
            ...u,
            spec: { ...u.spec, profile: { email: 'sam@elsewhere.example' } },
          }
        : u,
    );
    const response = await signIn('sam-okafor', others);
    expect(response.type).toBe('authorization_response');
    expect(response.response).toBeUndefined();
    expect(response.error.message).toMatch(/unable to resolve user identity/i);
  });
});
