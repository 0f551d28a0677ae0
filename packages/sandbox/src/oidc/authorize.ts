import { Request, Response, Router } from 'express';
import { escapeHtml, htmlPage } from '../github/html';
import { loopbackRedirect, OAuthClient, param, signInAsPage } from '../signIn';
import { Employee } from './directory';
import { Grants } from './grants';

const TITLE = 'Sign in to Lexecon (company account)';
const PRODUCT = 'company identity provider';

/** The authorization request parameters the sign-in page carries back when a person is picked. */
const CARRIED = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

interface AuthorizationRequest {
  fields: Record<string, string>;
  redirect: URL;
}

function errorPage(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      htmlPage(
        TITLE,
        `<h1>${TITLE}</h1><p role="alert">${escapeHtml(message)}</p>`,
        PRODUCT,
      ),
    );
}

/** Sends an error back to the client, as OpenID Connect Core 3.1.2.6 says. */
function redirectError(
  res: Response,
  request: AuthorizationRequest,
  error: string,
  description: string,
): void {
  const target = new URL(request.redirect);
  target.searchParams.set('error', error);
  target.searchParams.set('error_description', description);
  if (request.fields.state)
    target.searchParams.set('state', request.fields.state);
  res.redirect(302, target.toString());
}

/**
 * Validates an authorization request. An unknown client or a redirect URI that is not loopback
 * gets an error page (never a redirect to where the request says); anything else wrong is sent
 * back to the client.
 */
function readRequest(
  req: Request,
  res: Response,
  client: OAuthClient,
): AuthorizationRequest | undefined {
  const clientId = param(req, 'client_id');
  if (clientId !== client.clientId) {
    errorPage(
      res,
      400,
      `No client with client_id "${clientId ?? ''}" is registered.`,
    );
    return undefined;
  }
  const redirect = loopbackRedirect(param(req, 'redirect_uri'));
  if (!redirect) {
    errorPage(
      res,
      400,
      'The redirect_uri must be a loopback (127.0.0.1, ::1 or localhost) http(s) URL.',
    );
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const name of CARRIED) {
    const value = param(req, name);
    if (value !== undefined) fields[name] = value;
  }
  const request = { fields, redirect };
  const problem = requestProblem(fields, param(req, 'prompt'));
  if (problem) {
    redirectError(res, request, problem.error, problem.description);
    return undefined;
  }
  return request;
}

function requestProblem(
  fields: Record<string, string>,
  prompt: string | undefined,
): { error: string; description: string } | undefined {
  if (fields.response_type !== 'code') {
    return {
      error: 'unsupported_response_type',
      description:
        'Only the authorization code flow (response_type=code) is supported.',
    };
  }
  if (!(fields.scope ?? '').split(' ').includes('openid')) {
    return {
      error: 'invalid_scope',
      description: 'The scope must include openid.',
    };
  }
  const method = fields.code_challenge_method;
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    return {
      error: 'invalid_request',
      description: 'code_challenge_method must be S256 or plain.',
    };
  }
  // The sandbox keeps no session of its own, so it can never sign someone in silently.
  if (prompt?.split(' ').includes('none')) {
    return {
      error: 'login_required',
      description: 'Nobody is signed in to the identity provider.',
    };
  }
  return undefined;
}

/** `/authorize`: the "Sign in as" page (GET) and the person's choice (POST), which issues a code. */
export function registerAuthorize(
  router: Router,
  deps: { client: OAuthClient; grants: Grants; employees: readonly Employee[] },
): void {
  const { client, grants, employees } = deps;
  router.get('/authorize', (req, res) => {
    const request = readRequest(req, res, client);
    if (!request) return;
    res
      .status(200)
      .type('html')
      .send(
        signInAsPage({
          title: TITLE,
          product: PRODUCT,
          intro:
            'The Lexecon portal asks who you are. Pick your company account:',
          action: 'authorize',
          fields: request.fields,
          people: employees.map(e => ({
            login: e.login,
            name: e.name,
            note: e.role,
          })),
        }),
      );
  });

  router.post('/authorize', (req, res) => {
    const request = readRequest(req, res, client);
    if (!request) return;
    const login = param(req, 'login');
    const employee = employees.find(e => e.login === login);
    if (!employee) {
      errorPage(res, 400, `No company account "${login ?? ''}".`);
      return;
    }
    const { fields } = request;
    const code = grants.issueCode({
      login: employee.login,
      clientId: client.clientId,
      scope: fields.scope,
      authTime: Math.floor(Date.now() / 1000),
      redirectUri: fields.redirect_uri,
      nonce: fields.nonce,
      codeChallenge: fields.code_challenge,
      codeChallengeMethod:
        fields.code_challenge_method ??
        (fields.code_challenge ? 'plain' : undefined),
    });
    const target = new URL(request.redirect);
    target.searchParams.set('code', code);
    if (fields.state) target.searchParams.set('state', fields.state);
    res.redirect(302, target.toString());
  });
}
