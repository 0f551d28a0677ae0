import express, { Request, Response, Router } from 'express';
import { OAuthClient } from '../signIn';
import {
  upstreamApp,
  type UpstreamContext,
  type UpstreamModule,
} from '../upstream';
import { registerAuthorize } from './authorize';
import { EMPLOYEES } from './directory';
import { Grants } from './grants';
import { SigningKey } from './signingKey';
import { claimsOf, registerToken } from './token';

/** The portal's client at the company identity provider, unless `options.oidcClient` says otherwise. */
export const DEFAULT_OIDC_CLIENT: OAuthClient = {
  clientId: 'sandbox-oidc-client-id',
  clientSecret: 'sandbox-oidc-client-secret',
};

export function oidcClientOf(options: {
  oidcClient?: Partial<OAuthClient>;
}): OAuthClient {
  return { ...DEFAULT_OIDC_CLIENT, ...options.oidcClient };
}

/** OpenID Connect Discovery 1.0, section 3: what a relying party needs to find everything else. */
function discovery(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
    ],
    code_challenge_methods_supported: ['S256', 'plain'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'name',
      'preferred_username',
      'email',
      'email_verified',
    ],
  };
}

function registerUserinfo(router: Router, grants: Grants): void {
  const userinfo = (req: Request, res: Response) => {
    const m = /^bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const grant = m ? grants.accessGrant(m[1]) : undefined;
    const employee = grant && EMPLOYEES.find(e => e.login === grant.login);
    if (!employee) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer error="invalid_token"')
        .json({ error: 'invalid_token' });
      return;
    }
    res.status(200).json(claimsOf(employee));
  };
  router.get('/userinfo', userinfo);
  router.post('/userinfo', userinfo);
}

/**
 * The company's OpenID Connect identity provider (authorization code flow with PKCE, RS256 ID
 * tokens, userinfo): its "Sign in as" page lists everyone in the company directory, auditors
 * without a GitHub account included.
 */
export function createOidcApp(ctx: UpstreamContext): express.Express {
  const app = upstreamApp(ctx, 'oidc', {
    error: (_status, message) => ({
      body: { error: 'server_error', error_description: message },
    }),
    malformed: '{"issuer":"http://127.0.0.1',
  });
  const grants = new Grants();
  const key = new SigningKey();
  const client = oidcClientOf(ctx.options);
  const router = Router();
  router.use(express.urlencoded({ extended: false }));
  router.get('/.well-known/openid-configuration', (_req, res) => {
    res.json(discovery(ctx.self.url()));
  });
  router.get('/jwks', (_req, res, next) => {
    key.publicJwk().then(jwk => res.json({ keys: [jwk] }), next);
  });
  registerAuthorize(router, { client, grants, employees: EMPLOYEES });
  registerToken(router, {
    client,
    grants,
    key,
    employees: EMPLOYEES,
    issuer: ctx.self.url,
  });
  registerUserinfo(router, grants);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  return app;
}

export const oidcUpstream: UpstreamModule = {
  source: 'oidc',
  portOption: 'oidcPort',
  tls: false,
  createApp: createOidcApp,
};
