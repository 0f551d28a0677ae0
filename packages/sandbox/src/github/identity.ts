import { randomBytes } from 'node:crypto';
import { SandboxWorld } from '../world/types';

/** The portal's service token (`integrations.github[].token`): a GitHub App installation. */
export const GITHUB_TOKEN = 'sandbox-github-token';
/**
 * An installation of the same App whose owner did not grant it `security_events` (Dependabot
 * and code-scanning alerts: read): GitHub answers its alert reads with 403.
 */
export const GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS =
  'sandbox-github-token-without-security-events';
/** Prefix of tokens acting as a person: `sandbox-token-for-<login>`. */
export const USER_TOKEN_PREFIX = 'sandbox-token-for-';

/** The portal's GitHub App (custom deployment protection rule, webhooks). */
export const PORTAL_APP = {
  id: 1048576,
  slug: 'lexecon-portal',
  name: 'Lexecon Release Portal',
  botLogin: 'lexecon-portal[bot]',
  installationId: 58129934,
  clientId: 'Iv23liSandboxPortal',
} as const;

export type Identity =
  | { kind: 'user'; login: string; scopes?: string[]; token: string }
  | {
      kind: 'installation';
      login: string;
      token: string;
      /** Repository permissions the installation was not granted (all others it was). */
      lacks?: readonly InstallationPermission[];
    };

export type InstallationPermission = 'security_events';

interface IssuedToken {
  login: string;
  scopes: string[];
}

/** Tokens known to the sandbox: fixed ones plus those issued by the OAuth web flow. */
export class TokenRegistry {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(private readonly world: SandboxWorld) {}

  /** Issues a GitHub-looking OAuth access token (`gho_…`) for a person. */
  issue(login: string, scopes: string[]): string {
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    this.issued.set(token, { login, scopes });
    return token;
  }

  /** The identity behind a token, or undefined for an unknown token (401 Bad credentials). */
  resolve(token: string): Identity | undefined {
    if (token === GITHUB_TOKEN) {
      return { kind: 'installation', login: PORTAL_APP.botLogin, token };
    }
    if (token === GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS) {
      return {
        kind: 'installation',
        login: PORTAL_APP.botLogin,
        token,
        lacks: ['security_events'],
      };
    }
    const issued = this.issued.get(token);
    if (issued) {
      return {
        kind: 'user',
        login: issued.login,
        scopes: issued.scopes,
        token,
      };
    }
    if (token.startsWith(USER_TOKEN_PREFIX)) {
      const login = token.slice(USER_TOKEN_PREFIX.length);
      const person = this.world.people.find(
        p => p.login === login && p.type === 'User',
      );
      if (person) return { kind: 'user', login: person.login, token };
    }
    return undefined;
  }
}
