import type { Request } from 'express';
import { escapeHtml, htmlPage } from './github/html';
import { isLoopbackHost } from './net';

/** An OAuth client the sandbox knows: the portal's, with its secret. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** A request parameter from a form or JSON body, else from the query string. */
export function param(req: Request, name: string): string | undefined {
  const fromBody =
    typeof req.body === 'object' && req.body !== null
      ? (req.body as Record<string, unknown>)[name]
      : undefined;
  if (typeof fromBody === 'string') return fromBody;
  const q = req.query[name];
  return typeof q === 'string' ? q : undefined;
}

/** The redirect URI when it is a loopback http(s) URL: the sandbox hands codes to nothing else. */
export function loopbackRedirect(uri: string | undefined): URL | undefined {
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return isLoopbackHost(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client's id and secret from HTTP Basic (`client_secret_basic`, form-encoded as RFC 6749
 * 2.3.1 asks) or from the body (`client_secret_post`).
 */
export function clientCredentials(req: Request): {
  clientId?: string;
  clientSecret?: string;
} {
  const basic = /^basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      const formDecode = (s: string) =>
        decodeURIComponent(s.replace(/\+/g, ' '));
      return {
        clientId: formDecode(decoded.slice(0, i)),
        clientSecret: formDecode(decoded.slice(i + 1)),
      };
    }
  }
  return {
    clientId: param(req, 'client_id'),
    clientSecret: param(req, 'client_secret'),
  };
}

/** One person on a "Sign in as" page. */
export interface SignInChoice {
  login: string;
  name: string;
  /** Shown after the name, e.g. the person's role. */
  note?: string;
}

/**
 * A "Sign in as <login>" page: one form per person, each posting the authorization request it
 * came with (`fields`) back to `action` with the person's login.
 */
export function signInAsPage(page: {
  title: string;
  product: string;
  intro: string;
  action: string;
  fields: Record<string, string>;
  people: SignInChoice[];
}): string {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(
      value,
    )}">`;
  const carried = Object.entries(page.fields)
    .map(([name, value]) => hidden(name, value))
    .join('');
  const buttons = page.people
    .map(
      p =>
        `<li><form method="post" action="${escapeHtml(
          page.action,
        )}">${carried}${hidden(
          'login',
          p.login,
        )}<button type="submit" data-testid="sign-in-${escapeHtml(
          p.login,
        )}">Sign in as ${escapeHtml(p.login)}</button> ${escapeHtml(p.name)}${
          p.note ? ` (${escapeHtml(p.note)})` : ''
        }</form></li>`,
    )
    .join('');
  return htmlPage(
    page.title,
    `<h1>${escapeHtml(page.title)}</h1><p>${page.intro}</p><ul>${buttons}</ul>`,
    page.product,
  );
}
