import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_LIFETIME_SECONDS } from './signingKey';

/** Authorization codes live this long and can be used once (RFC 6749 4.1.2). */
export const CODE_TTL_MS = 60_000;

/** What a person consented to in one authorization request. */
export interface Grant {
  login: string;
  clientId: string;
  scope: string;
  /** When the person picked themselves on the sign-in page (seconds, the ID token's auth_time). */
  authTime: number;
}

interface PendingCode extends Grant {
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

export type CodeRedemption =
  | { ok: true; grant: Grant; nonce?: string }
  | { ok: false; description: string };

function token(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** PKCE (RFC 7636 4.6): the verifier must hash (S256) or equal (plain) the challenge. */
function verifierMatches(pending: PendingCode, verifier: string | undefined) {
  if (!pending.codeChallenge) return true;
  if (!verifier) return false;
  const computed =
    pending.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  return sameText(computed, pending.codeChallenge);
}

/** The identity provider's codes and tokens, in memory for as long as the sandbox runs. */
export class Grants {
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<
    string,
    Grant & { expiresAt: number }
  >();
  private readonly refreshTokens = new Map<string, Grant>();

  issueCode(pending: Omit<PendingCode, 'expiresAt'>): string {
    const code = token('code');
    this.codes.set(code, { ...pending, expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  /** Redeems a code once, for the client and redirect URI it was issued to. */
  redeemCode(
    code: string,
    request: { clientId: string; redirectUri?: string; codeVerifier?: string },
  ): CodeRedemption {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) {
      return {
        ok: false,
        description: 'The code is unknown, used or expired.',
      };
    }
    if (pending.clientId !== request.clientId) {
      return {
        ok: false,
        description: 'The code was issued to another client.',
      };
    }
    if (request.redirectUri !== pending.redirectUri) {
      return {
        ok: false,
        description: 'redirect_uri differs from the authorization request.',
      };
    }
    if (!verifierMatches(pending, request.codeVerifier)) {
      return {
        ok: false,
        description: 'code_verifier does not match the code_challenge.',
      };
    }
    const { login, clientId, scope, authTime, nonce } = pending;
    return { ok: true, grant: { login, clientId, scope, authTime }, nonce };
  }

  issueAccessToken(grant: Grant): string {
    const accessToken = token('at');
    this.accessTokens.set(accessToken, {
      ...grant,
      expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000,
    });
    return accessToken;
  }

  issueRefreshToken(grant: Grant): string {
    const refreshToken = token('rt');
    this.refreshTokens.set(refreshToken, grant);
    return refreshToken;
  }

  /** The grant behind an unexpired access token. */
  accessGrant(accessToken: string): Grant | undefined {
    const found = this.accessTokens.get(accessToken);
    return found && found.expiresAt >= Date.now() ? found : undefined;
  }

  /** The grant behind a refresh token, if it was issued to this client. */
  refreshGrant(refreshToken: string, clientId: string): Grant | undefined {
    const found = this.refreshTokens.get(refreshToken);
    return found?.clientId === clientId ? found : undefined;
  }
}
