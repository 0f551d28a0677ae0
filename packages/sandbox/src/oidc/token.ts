import { Request, Response, Router } from 'express';
import { clientCredentials, OAuthClient, param } from '../signIn';
import { Employee } from './directory';
import { Grant, Grants } from './grants';
import { SigningKey, TOKEN_LIFETIME_SECONDS } from './signingKey';

/** What the ID token and userinfo say about a person (OpenID Connect Core 5.1). */
export function claimsOf(employee: Employee) {
  return {
    sub: employee.login,
    name: employee.name,
    preferred_username: employee.login,
    email: employee.email,
    email_verified: true,
  };
}

/** An OAuth error from the token endpoint (RFC 6749 5.2); never cached. */
function tokenError(
  res: Response,
  status: number,
  error: string,
  description: string,
): void {
  if (status === 401) res.set('www-authenticate', 'Basic realm="sandbox"');
  res
    .status(status)
    .set('cache-control', 'no-store')
    .json({ error, error_description: description });
}

/** `/token`: codes (with PKCE) and refresh tokens for an access token and a signed ID token. */
export function registerToken(
  router: Router,
  deps: {
    client: OAuthClient;
    grants: Grants;
    key: SigningKey;
    employees: readonly Employee[];
    issuer: () => string;
  },
): void {
  const { client, grants, key, employees, issuer } = deps;

  const respond = async (
    res: Response,
    grant: Grant,
    extra: { nonce?: string; refreshToken?: string },
  ) => {
    const employee = employees.find(e => e.login === grant.login);
    if (!employee) {
      tokenError(res, 400, 'invalid_grant', 'The account no longer exists.');
      return;
    }
    const idToken = await key.sign({
      ...claimsOf(employee),
      iss: issuer(),
      aud: grant.clientId,
      auth_time: grant.authTime,
      ...(extra.nonce ? { nonce: extra.nonce } : {}),
    });
    res
      .status(200)
      .set('cache-control', 'no-store')
      .json({
        access_token: grants.issueAccessToken(grant),
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        scope: grant.scope,
        id_token: idToken,
        ...(extra.refreshToken ? { refresh_token: extra.refreshToken } : {}),
      });
  };

  const exchange = async (req: Request, res: Response) => {
    const { clientId, clientSecret } = clientCredentials(req);
    if (clientId !== client.clientId || clientSecret !== client.clientSecret) {
      tokenError(res, 401, 'invalid_client', 'Client authentication failed.');
      return;
    }
    const grantType = param(req, 'grant_type');
    if (grantType === 'authorization_code') {
      const redeemed = grants.redeemCode(param(req, 'code') ?? '', {
        clientId,
        redirectUri: param(req, 'redirect_uri'),
        codeVerifier: param(req, 'code_verifier'),
      });
      if (!redeemed.ok) {
        tokenError(res, 400, 'invalid_grant', redeemed.description);
        return;
      }
      await respond(res, redeemed.grant, {
        nonce: redeemed.nonce,
        refreshToken: grants.issueRefreshToken(redeemed.grant),
      });
      return;
    }
    if (grantType === 'refresh_token') {
      const grant = grants.refreshGrant(
        param(req, 'refresh_token') ?? '',
        clientId,
      );
      if (!grant) {
        tokenError(res, 400, 'invalid_grant', 'The refresh token is unknown.');
        return;
      }
      await respond(res, grant, {});
      return;
    }
    tokenError(
      res,
      400,
      'unsupported_grant_type',
      'grant_type must be authorization_code or refresh_token.',
    );
  };

  router.post('/token', (req, res, next) => {
    exchange(req, res).catch(next);
  });
}
