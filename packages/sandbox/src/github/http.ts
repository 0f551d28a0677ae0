import { Request, Response } from 'express';
import { sha256Hex } from '../random';

export const DOCS = 'https://docs.github.com/rest';
const API_VERSION = '2022-11-28';

/** The installation's core rate limit: 5,000 an hour; 304s and `/rate_limit` are free. */
export class RateLimit {
  limit = 5000;
  used = 0;
  reset = Math.floor(Date.now() / 1000) + 3600;

  tick(count: boolean) {
    const nowSec = Math.floor(Date.now() / 1000);
    if (nowSec >= this.reset) {
      this.used = 0;
      this.reset = nowSec + 3600;
    }
    if (count && this.used < this.limit) this.used += 1;
  }

  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.limit - this.used),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-reset': String(this.reset),
      'x-ratelimit-resource': 'core',
    };
  }
}

export function errorBody(status: number, message: string, docs = DOCS) {
  return { message, documentation_url: docs, status: String(status) };
}

export function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** How the GitHub stand-in answers: JSON with GitHub's headers, weak ETags, 304s, pages. */
export interface GithubResponder {
  rate: RateLimit;
  send(
    req: Request,
    res: Response,
    status: number,
    body: unknown,
    options?: { countsAgainstLimit?: boolean },
  ): void;
  fail(
    req: Request,
    res: Response,
    status: number,
    message: string,
    docs?: string,
  ): void;
  /** One page of `items` (`per_page`, `page`), with GitHub's `Link` header. */
  paginate<T>(req: Request, res: Response, items: T[]): T[];
  /** One page of `items` in GitHub's wrapped shape: `{ total_count, [key]: page }`. */
  sendPage<T>(
    req: Request,
    res: Response,
    key: string,
    items: T[],
    render: (item: T) => unknown,
  ): void;
}

/** True (and the 304 sent) when the client's `If-None-Match` names the answer's ETag. */
function answerNotModified(
  req: Request,
  res: Response,
  json: string,
  rate: RateLimit,
): boolean {
  const etag = `W/"${sha256Hex(json)}"`;
  res.set({
    ETag: etag,
    'Cache-Control': 'private, max-age=60, s-maxage=60',
    Vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
  });
  const inm = req.get('if-none-match');
  if (!inm) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const wanted = strip(etag);
  if (!inm.split(',').some(t => strip(t) === wanted || t.trim() === '*')) {
    return false;
  }
  rate.tick(false);
  res.set(rate.headers());
  res.status(304).end();
  return true;
}

export function createResponder(opts: {
  /** e.g. http://127.0.0.1:7100 (resolved after listen). */
  webUrl: () => string;
  /** Items per page at most (default and ceiling 100, as GitHub). */
  maxPageSize?: number;
}): GithubResponder {
  const rate = new RateLimit();
  const send: GithubResponder['send'] = (req, res, status, body, options) => {
    const json = JSON.stringify(body);
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': API_VERSION,
      'x-github-request-id': res.locals.requestId,
    });
    if (req.method === 'GET' && status === 200) {
      if (answerNotModified(req, res, json, rate)) return;
    }
    rate.tick(options?.countsAgainstLimit !== false);
    res.set(rate.headers());
    if (status === 204) {
      res.status(204).end();
      return;
    }
    res.status(status).send(json);
  };
  const paginate = <T>(req: Request, res: Response, items: T[]): T[] => {
    const perRaw = Number(queryString(req, 'per_page') ?? 30);
    const ceiling = Math.min(opts.maxPageSize ?? 100, 100);
    const perPage = Math.min(
      Number.isInteger(perRaw) && perRaw > 0 ? perRaw : 30,
      ceiling,
    );
    const pageRaw = Number(queryString(req, 'page') ?? 1);
    const page = Number.isInteger(pageRaw) && pageRaw > 0 ? pageRaw : 1;
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const url = (p: number) => {
      const u = new URL(req.originalUrl, opts.webUrl());
      const params = new URLSearchParams(u.search);
      params.set('page', String(p));
      return `${opts.webUrl()}${u.pathname}?${params.toString()}`;
    };
    if (page > 1) links.push(`<${url(Math.min(page - 1, last))}>; rel="prev"`);
    if (page < last) {
      links.push(`<${url(page + 1)}>; rel="next"`);
      links.push(`<${url(last)}>; rel="last"`);
    }
    if (page > 1) links.push(`<${url(1)}>; rel="first"`);
    if (links.length > 0) res.set('Link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  };
  return {
    rate,
    send,
    fail: (req, res, status, message, docs) =>
      send(req, res, status, errorBody(status, message, docs)),
    paginate,
    sendPage: (req, res, key, items, render) => {
      const page = paginate(req, res, items);
      send(req, res, 200, {
        total_count: items.length,
        [key]: page.map(render),
      });
    },
  };
}
