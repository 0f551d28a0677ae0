import { SourceId } from '@internal/plugin-lexecon-common';
import { UpstreamError } from '../types';
import {
  createTimeoutFetch,
  isConnectionError,
  isTimeoutError,
} from './timeoutFetch';

export interface JsonHttpClientOptions {
  source: SourceId;
  /** Product name used in messages, e.g. "Datadog". */
  label: string;
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  /** Longest wait for a rate-limit reset before giving up; default 30 s. */
  maxRetryWaitMs?: number;
  /** Turns a non-2xx answer into a message a person can act on. */
  describeStatus(status: number, what: string, body: string): string;
  fetch?: typeof fetch;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * A small JSON-over-HTTP client for vendors whose official SDK is oversized: timeout per request,
 * bounded retries with backoff that honour `Retry-After` and `X-RateLimit-Reset`, and errors that
 * say which upstream failed and why. Credentials travel only in headers and never reach a message.
 */
export class JsonHttpClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: JsonHttpClientOptions) {
    this.fetch = createTimeoutFetch(options.timeoutMs, options.fetch);
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  /** GETs `path` (with `query`) and parses the JSON body; `what` names it in error messages. */
  async get<T>(
    path: string,
    what: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const { source, label, retries } = this.options;
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          headers: { Accept: 'application/json', ...this.options.headers },
        });
      } catch (error) {
        if (attempt < retries) {
          await this.sleep(backoff(attempt));
          continue;
        }
        if (isTimeoutError(error)) {
          throw new UpstreamError(
            source,
            `${label} did not answer within ${this.options.timeoutMs} ms while reading ${what}`,
          );
        }
        if (isConnectionError(error)) {
          throw new UpstreamError(
            source,
            `${label} could not be reached at ${url.origin} while reading ${what}`,
          );
        }
        throw new UpstreamError(
          source,
          `${label} request for ${what} failed: ${(error as Error).message}`,
        );
      }
      if (response.ok) {
        return readJson<T>(
          response,
          source,
          `${label} sent a malformed response (not JSON) for ${what}`,
        );
      }
      const body = await response.text().catch(() => '');
      if (RETRYABLE.has(response.status) && attempt < retries) {
        const wait = retryWaitMs(response) ?? backoff(attempt);
        if (wait <= (this.options.maxRetryWaitMs ?? 30_000)) {
          await this.sleep(wait);
          continue;
        }
      }
      throw new UpstreamError(
        source,
        this.options.describeStatus(response.status, what, body),
        response.status,
      );
    }
  }
}

/** The body of a successful answer as JSON; anything else is the upstream's fault, said so. */
export async function readJson<T>(
  response: { status: number; text(): Promise<string> },
  source: SourceId,
  malformedMessage: string,
): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UpstreamError(source, malformedMessage, response.status);
  }
}

function backoff(attempt: number) {
  return Math.min(4000, 250 * 2 ** attempt);
}

/** `Retry-After` (seconds or a date) or Datadog's `X-RateLimit-Reset` (seconds to go). */
export function retryWaitMs(response: {
  status: number;
  headers: { get(name: string): string | null };
}): number | undefined {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  if (response.status === 429 && Number.isFinite(reset) && reset > 0) {
    // Some APIs send an epoch time here; Datadog sends the seconds left in the period.
    return reset > 1e9 ? Math.max(0, reset * 1000 - Date.now()) : reset * 1000;
  }
  return undefined;
}

/** The first error message in a vendor's JSON error body, if it has one. */
export function errorDetail(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as {
      message?: unknown;
      errors?: unknown;
    };
    if (typeof parsed.message === 'string') return parsed.message;
    if (Array.isArray(parsed.errors) && typeof parsed.errors[0] === 'string') {
      return parsed.errors[0];
    }
  } catch {
    return undefined;
  }
  return undefined;
}
