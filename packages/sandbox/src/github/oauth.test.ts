import { Sandbox, startSandbox } from '../index';
import { submitSignInAs } from '../submitSignInAs';

describe('GitHub OAuth web flow', () => {
  let sandbox: Sandbox;
  const callback = 'http://localhost:7007/api/auth/github/handler/frame';

  beforeAll(async () => {
    sandbox = await startSandbox({
      now: new Date('2026-11-20T15:00:00Z'),
      quiet: true,
      oauth: { clientId: 'portal-id', clientSecret: 'portal-secret' },
    });
  });
  afterAll(() => sandbox.stop());

  const authorizeUrl = (params: Record<string, string>) =>
    `${sandbox.githubWebUrl}/login/oauth/authorize?${new URLSearchParams(
      params,
    )}`;

  /** Follows the sign-in page like a browser: GET the page, submit the person's form. */
  async function signIn(login: string, scope = 'read:user,repo') {
    const params = {
      response_type: 'code',
      client_id: 'portal-id',
      redirect_uri: callback,
      scope,
      state: 'nonce-123',
    };
    const page = await fetch(authorizeUrl(params));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Sign in to the Lexecon sandbox GitHub');
    const submitted = await submitSignInAs(page.url, html, login);
    expect(submitted.status).toBe(302);
    const location = new URL(submitted.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(callback);
    expect(location.searchParams.get('state')).toBe('nonce-123');
    return location.searchParams.get('code')!;
  }

  const exchange = (
    body: Record<string, string>,
    opts: { json?: boolean; accept?: string } = {},
  ) =>
    fetch(`${sandbox.githubWebUrl}/login/oauth/access_token`, {
      method: 'POST',
      headers: {
        'content-type': opts.json
          ? 'application/json'
          : 'application/x-www-form-urlencoded',
        ...(opts.accept ? { accept: opts.accept } : {}),
      },
      body: opts.json ? JSON.stringify(body) : new URLSearchParams(body),
    });

  it('lists the people with stable test ids', async () => {
    const res = await fetch(
      authorizeUrl({ client_id: 'portal-id', redirect_uri: callback }),
    );
    const html = await res.text();
    for (const login of ['alex-kim', 'jordan-lee', 'maya-chen']) {
      expect(html).toContain(`data-testid="sign-in-${login}"`);
      expect(html).toContain(`Sign in as ${login}`);
    }
    expect(html).not.toContain('sign-in-web-flow');
    expect(html).not.toContain('[bot]');
  });

  it('refuses unknown clients and non-loopback redirects', async () => {
    expect(
      (
        await fetch(
          authorizeUrl({ client_id: 'other', redirect_uri: callback }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await fetch(
          authorizeUrl({
            client_id: 'portal-id',
            redirect_uri: 'https://evil.example.com/cb',
          }),
        )
      ).status,
    ).toBe(400);
  });

  it('exchanges a code once, form-encoded, and the token acts as that person', async () => {
    const code = await signIn('alex-kim');
    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      client_id: 'portal-id',
      client_secret: 'portal-secret',
      redirect_uri: callback,
    });
    expect(res.headers.get('content-type')).toContain(
      'application/x-www-form-urlencoded',
    );
    const body = new URLSearchParams(await res.text());
    const token = body.get('access_token')!;
    expect(token).toMatch(/^gho_/);
    expect(body.get('token_type')).toBe('bearer');
    expect(body.get('scope')).toBe('read:user,repo');

    const user = await fetch(`${sandbox.githubUrl}/user`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(user.status).toBe(200);
    expect(user.headers.get('x-oauth-scopes')).toBe('read:user, repo');
    expect(await user.json()).toMatchObject({
      login: 'alex-kim',
      id: 33109876,
      name: 'Alex Kim',
      email: 'alex-kim@lexecon.ai',
      avatar_url: expect.stringContaining(sandbox.githubWebUrl),
      html_url: `${sandbox.githubWebUrl}/alex-kim`,
    });
    const emails = await fetch(`${sandbox.githubUrl}/user/emails`, {
      headers: { authorization: `token ${token}` },
    });
    expect(await emails.json()).toEqual([
      {
        email: 'alex-kim@lexecon.ai',
        primary: true,
        verified: true,
        visibility: 'private',
      },
    ]);

    const again = await exchange(
      {
        code,
        client_id: 'portal-id',
        client_secret: 'portal-secret',
      },
      { accept: 'application/json' },
    );
    expect(await again.json()).toMatchObject({
      error: 'bad_verification_code',
    });
  });

  it('answers JSON to a JSON request and rejects wrong client secrets', async () => {
    const code = await signIn('jordan-lee', 'read:user');
    const wrong = await exchange(
      { code, client_id: 'portal-id', client_secret: 'nope' },
      { json: true, accept: 'application/json' },
    );
    expect(await wrong.json()).toMatchObject({
      error: 'incorrect_client_credentials',
    });
    const res = await exchange(
      { code, client_id: 'portal-id', client_secret: 'portal-secret' },
      { json: true, accept: 'application/json' },
    );
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: 'bearer', scope: 'read:user' });
    const user = await fetch(`${sandbox.githubUrl}/user`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(((await user.json()) as { login: string }).login).toBe('jordan-lee');
  });
});
