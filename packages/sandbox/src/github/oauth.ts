import express, { Request, Response, Router } from 'express';
import { randomBytes } from 'node:crypto';
import {
  clientCredentials,
  loopbackRedirect,
  OAuthClient,
  param,
  signInAsPage,
} from '../signIn';
import { Person, SandboxWorld } from '../world/types';
import { escapeHtml, htmlPage } from './html';
import { TokenRegistry } from './identity';

export type { OAuthClient } from '../signIn';

export const DEFAULT_OAUTH_CLIENT: OAuthClient = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
};

/** Authorization codes live this long (GitHub: 10 minutes) and can be used once. */
export const CODE_TTL_MS = 10 * 60_000;

const OAUTH_DOCS =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

interface PendingCode {
  login: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

function parseScopes(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean);
}

/**
 * GitHub's OAuth web flow (`/login/oauth/authorize`, `/login/oauth/access_token`), enough for
 * passport-github2 / Backstage's GitHub auth provider with `enterpriseInstanceUrl`.
 */
export function createOAuthRouter(opts: {
  world: SandboxWorld;
  tokens: TokenRegistry;
  client: OAuthClient;
}): Router {
  const { world, tokens, client } = opts;
  const codes = new Map<string, PendingCode>();
  const router = Router();
  router.use(express.urlencoded({ extended: false }));
  router.use(express.json());

  const people = () =>
    world.people.filter(p => p.type === 'User' && p.login !== 'web-flow');

  const authorizeError = (res: Response, status: number, message: string) =>
    res
      .status(status)
      .type('html')
      .send(
        htmlPage(
          'Sign in to the Lexecon sandbox GitHub',
          `<h1>Sign in to the Lexecon sandbox GitHub</h1><p role="alert">${escapeHtml(
            message,
          )}</p>`,
        ),
      );

  /** Validates client_id and redirect_uri; answers with an error page when invalid. */
  const checkAuthorize = (req: Request, res: Response) => {
    const clientId = param(req, 'client_id');
    if (clientId !== client.clientId) {
      authorizeError(
        res,
        404,
        `No OAuth application with client_id "${
          clientId ?? ''
        }" is registered.`,
      );
      return undefined;
    }
    const redirect = loopbackRedirect(param(req, 'redirect_uri'));
    if (!redirect) {
      authorizeError(
        res,
        400,
        'The redirect_uri MUST be a loopback (127.0.0.1, ::1 or localhost) http(s) URL.',
      );
      return undefined;
    }
    return {
      clientId,
      redirect,
      state: param(req, 'state') ?? '',
      scope: param(req, 'scope') ?? '',
    };
  };

  router.get('/authorize', (req, res) => {
    const checked = checkAuthorize(req, res);
    if (!checked) return;
    res.status(200).type('html').send(authorizePage(checked, people()));
  });

  router.post('/authorize', (req, res) => {
    const checked = checkAuthorize(req, res);
    if (!checked) return;
    const login = param(req, 'login');
    if (!people().some(p => p.login === login) || !login) {
      authorizeError(res, 400, `Unknown user "${login ?? ''}".`);
      return;
    }
    const code = randomBytes(10).toString('hex');
    codes.set(code, {
      login,
      clientId: checked.clientId,
      redirectUri: checked.redirect.toString(),
      scopes: parseScopes(checked.scope),
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const target = new URL(checked.redirect.toString());
    target.searchParams.set('code', code);
    if (checked.state) target.searchParams.set('state', checked.state);
    res.redirect(302, target.toString());
  });

  router.post('/access_token', (req, res) =>
    exchangeCode(req, res, { codes, client, tokens }),
  );
  return router;
}

/** `POST /login/oauth/access_token`: a single-use, unexpired code for a bearer token. */
function exchangeCode(
  req: Request,
  res: Response,
  deps: {
    codes: Map<string, PendingCode>;
    client: OAuthClient;
    tokens: TokenRegistry;
  },
): void {
  const { codes, client, tokens } = deps;
  const wantsJson = /application\/json/i.test(req.get('accept') ?? '');
  const reply = (body: Record<string, string>) => {
    if (wantsJson) {
      res.status(200).json(body);
    } else {
      res
        .status(200)
        .type('application/x-www-form-urlencoded; charset=utf-8')
        .send(new URLSearchParams(body).toString());
    }
  };
  const error = (code: string, description: string) =>
    reply({
      error: code,
      error_description: description,
      error_uri: `${OAUTH_DOCS}#${code.replace(/_/g, '-')}`,
    });

  const { clientId, clientSecret } = clientCredentials(req);
  if (clientId !== client.clientId || clientSecret !== client.clientSecret) {
    error(
      'incorrect_client_credentials',
      'The client_id and/or client_secret passed are incorrect.',
    );
    return;
  }
  const code = param(req, 'code') ?? '';
  const pending = codes.get(code);
  codes.delete(code);
  if (
    !pending ||
    pending.clientId !== clientId ||
    pending.expiresAt < Date.now()
  ) {
    error('bad_verification_code', 'The code passed is incorrect or expired.');
    return;
  }
  const redirectUri = param(req, 'redirect_uri');
  if (redirectUri && redirectUri !== pending.redirectUri) {
    error(
      'redirect_uri_mismatch',
      'The redirect_uri MUST match the registered callback URL for this application.',
    );
    return;
  }
  const token = tokens.issue(pending.login, pending.scopes);
  reply({
    access_token: token,
    token_type: 'bearer',
    scope: pending.scopes.join(','),
  });
}

/** The sign-in page: one button per person, each posting back the request it came with. */
function authorizePage(
  checked: { clientId: string; redirect: URL; state: string; scope: string },
  people: Person[],
): string {
  const scopes = parseScopes(checked.scope);
  return signInAsPage({
    title: 'Sign in to the Lexecon sandbox GitHub',
    product: 'GitHub',
    intro: `An application wants to act as you${
      scopes.length > 0
        ? ` with scopes <code>${escapeHtml(scopes.join(', '))}</code>`
        : ''
    }. Pick who you are:`,
    action: 'authorize',
    fields: {
      client_id: checked.clientId,
      redirect_uri: checked.redirect.toString(),
      state: checked.state,
      scope: checked.scope,
    },
    people: people.map(p => ({ login: p.login, name: p.name })),
  });
}
