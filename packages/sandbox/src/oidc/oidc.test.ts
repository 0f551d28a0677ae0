import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { BaseClient, generators, Issuer } from 'openid-client';
import { parseAllDocuments } from 'yaml';
import { EMPLOYEES, Sandbox, startSandbox } from '../index';
import { submitSignInAs } from '../submitSignInAs';

const CALLBACK = 'http://localhost:7007/api/auth/oidc/handler/frame';

describe('company OpenID Connect identity provider', () => {
  let sandbox: Sandbox;
  let client: BaseClient;

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
      oidcClient: { clientId: 'portal', clientSecret: 'portal-secret' },
    });
    const issuer = await Issuer.discover(sandbox.oidcUrl);
    client = new issuer.Client({
      client_id: 'portal',
      client_secret: 'portal-secret',
      redirect_uris: [CALLBACK],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    });
  });
  afterAll(() => sandbox.stop());

  /** Follows the sign-in page like a browser: GET it, submit the person's form, read the redirect. */
  async function pick(authorizeUrl: string, login: string) {
    const page = await fetch(authorizeUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    const submitted = await submitSignInAs(page.url, html, login);
    expect(submitted.status).toBe(302);
    return new URL(submitted.headers.get('location')!);
  }

  /** A full authorization request as Backstage's provider makes it: state, nonce and PKCE. */
  async function signIn(login: string) {
    const state = generators.state();
    const nonce = generators.nonce();
    const verifier = generators.codeVerifier();
    const url = client.authorizationUrl({
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: generators.codeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const back = await pick(url, login);
    const params = client.callbackParams(back.toString());
    return { state, nonce, verifier, params, back };
  }

  it('publishes its endpoints and its signing key', async () => {
    const res = await fetch(
      `${sandbox.oidcUrl}/.well-known/openid-configuration`,
    );
    expect(await res.json()).toMatchObject({
      issuer: sandbox.oidcUrl,
      authorization_endpoint: `${sandbox.oidcUrl}/authorize`,
      token_endpoint: `${sandbox.oidcUrl}/token`,
      userinfo_endpoint: `${sandbox.oidcUrl}/userinfo`,
      jwks_uri: `${sandbox.oidcUrl}/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = (await (await fetch(`${sandbox.oidcUrl}/jwks`)).json()) as {
      keys: Array<Record<string, string>>;
    };
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('offers every employee, auditors and on-call included, with their role', async () => {
    const html = await (
      await fetch(
        client.authorizationUrl({ scope: 'openid', state: 's', nonce: 'n' }),
      )
    ).text();
    expect(html).toContain('Sign in to Lexecon (company account)');
    for (const e of EMPLOYEES) {
      expect(html).toContain(`data-testid="sign-in-${e.login}"`);
    }
    expect(html).toContain(
      'Sign in as casey-morgan</button> Casey Morgan (auditor)',
    );
    expect(html).toContain(
      'Sign in as sam-okafor</button> Sam Okafor (on-call)',
    );
    expect(html).toContain(
      'Sign in as jordan-lee</button> Jordan Lee (approver)',
    );
    expect(html).not.toContain('[bot]');
    expect(html).not.toContain('web-flow');
  });

  it('signs an auditor in: code, state, nonce and PKCE checked by openid-client, ID token verified against the JWKS', async () => {
    const { state, nonce, verifier, params, back } = await signIn(
      'casey-morgan',
    );
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    const tokens = await client.callback(CALLBACK, params, {
      state,
      nonce,
      code_verifier: verifier,
    });
    const { payload, protectedHeader } = await jwtVerify(
      tokens.id_token!,
      createRemoteJWKSet(new URL(`${sandbox.oidcUrl}/jwks`)),
      { issuer: sandbox.oidcUrl, audience: 'portal' },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'casey-morgan',
      nonce,
      email: 'casey-morgan@lexecon.ai',
      name: 'Casey Morgan',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(await client.userinfo(tokens.access_token!)).toMatchObject({
      sub: 'casey-morgan',
      email: 'casey-morgan@lexecon.ai',
      email_verified: true,
    });

    const refreshed = await client.refresh(tokens.refresh_token!);
    expect(refreshed.claims().sub).toBe('casey-morgan');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });

  it('refuses a wrong nonce (openid-client) and a used code, a wrong secret, redirect_uri or verifier (the token endpoint)', async () => {
    const exchange = (body: Record<string, string>, secret = 'portal-secret') =>
      fetch(`${sandbox.oidcUrl}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`portal:${secret}`).toString(
            'base64',
          )}`,
        },
        body: new URLSearchParams(body),
      });
    const first = await signIn('sam-okafor');
    await expect(
      client.callback(CALLBACK, first.params, {
        state: first.state,
        nonce: 'someone-elses-nonce',
        code_verifier: first.verifier,
      }),
    ).rejects.toThrow(/nonce mismatch/);
    const reused = await exchange({
      grant_type: 'authorization_code',
      code: first.params.code!,
      redirect_uri: CALLBACK,
      code_verifier: first.verifier,
    });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    const { params, verifier } = await signIn('sam-okafor');
    const request = {
      grant_type: 'authorization_code',
      code: params.code!,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    };
    const wrongSecret = await exchange(request, 'guessed');
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
    // A refused client does not burn the code; the next mistakes do.
    const wrongRedirect = await exchange({
      ...request,
      redirect_uri: 'http://localhost:7007/elsewhere',
    });
    expect(await wrongRedirect.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'redirect_uri differs from the authorization request.',
    });

    const third = await signIn('sam-okafor');
    const wrongVerifier = await exchange({
      ...request,
      code: third.params.code!,
      code_verifier: generators.codeVerifier(),
    });
    expect(await wrongVerifier.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'code_verifier does not match the code_challenge.',
    });
  });

  it('never redirects to a stranger, and answers prompt=none with login_required', async () => {
    const authorize = (params: Record<string, string>) =>
      fetch(
        `${sandbox.oidcUrl}/authorize?${new URLSearchParams({
          response_type: 'code',
          scope: 'openid',
          client_id: 'portal',
          redirect_uri: CALLBACK,
          state: 'st',
          ...params,
        })}`,
        { redirect: 'manual' },
      );
    expect((await authorize({ client_id: 'other' })).status).toBe(400);
    expect(
      (await authorize({ redirect_uri: 'https://evil.example.com/cb' })).status,
    ).toBe(400);
    const silent = await authorize({ prompt: 'none' });
    expect(silent.status).toBe(302);
    const back = new URL(silent.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('login_required');
    expect(back.searchParams.get('state')).toBe('st');
  });

  it('rejects an access token it did not issue at userinfo', async () => {
    const res = await fetch(`${sandbox.oidcUrl}/userinfo`, {
      headers: { authorization: 'Bearer at_forged' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('knows every person of the catalog by the email the portal signs them in with', () => {
    const catalog = readFileSync(
      join(__dirname, '../../../../catalog-info.yaml'),
      'utf8',
    );
    const users = parseAllDocuments(catalog)
      .map(d => d.toJS())
      .filter(e => e?.kind === 'User' && e.metadata.name !== 'guest');
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) {
      expect({
        name: user.metadata.name,
        email: user.spec.profile?.email,
      }).toEqual({
        name: user.metadata.name,
        email: EMPLOYEES.find(e => e.login === user.metadata.name)?.email,
      });
    }
  });
});
