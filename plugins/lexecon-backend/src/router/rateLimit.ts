import type { Response } from 'express';

/**
 * Counts requests per caller in fixed windows, in memory. Each replica counts its own callers,
 * so with N replicas a caller gets at most N times the limit: the bound still holds.
 */
export class RateLimiter {
  private readonly windows = new Map<
    string,
    { start: number; count: number }
  >();

  constructor(
    private readonly options: {
      limit: number;
      windowMs: number;
      /** Callers remembered at most; the oldest window is forgotten first. */
      maxKeys?: number;
      now?: () => number;
    },
  ) {}

  get limit() {
    return this.options.limit;
  }

  /** Counts one request; returns the milliseconds to wait when the caller is over the limit. */
  take(
    key: string,
  ): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.options.now?.() ?? Date.now();
    const { limit, windowMs } = this.options;
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      this.windows.delete(key);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      this.evict();
    }
    if (window.count >= limit) {
      return { allowed: false, retryAfterMs: window.start + windowMs - now };
    }
    window.count++;
    return { allowed: true };
  }

  private evict() {
    const maxKeys = this.options.maxKeys ?? 10_000;
    // A Map iterates in insertion order and a renewed window is re-inserted: the first is oldest.
    while (this.windows.size > maxKeys) {
      this.windows.delete(this.windows.keys().next().value!);
    }
  }
}

/** Who a limit counts: the person, else the service, else everyone unauthenticated together. */
export function principalKey(principal: unknown): string {
  const p = principal as { userEntityRef?: string; subject?: string };
  return p.userEntityRef ?? p.subject ?? 'anonymous';
}

/**
 * Counts one request of the caller; over the limit, answers 429 with `Retry-After` and returns
 * false. `what` completes "At most {limit} {what} a minute per person".
 */
export function takeOrAnswer429(
  limiter: RateLimiter,
  caller: string,
  res: Response,
  what: string,
): boolean {
  const taken = limiter.take(caller);
  if (taken.allowed) return true;
  const seconds = Math.ceil(taken.retryAfterMs / 1000);
  res
    .status(429)
    .set('Retry-After', String(seconds))
    .json({
      error: {
        name: 'TooManyRequestsError',
        message: `At most ${limiter.limit} ${what} a minute per person; try again in ${seconds} s`,
      },
      response: { statusCode: 429 },
    });
  return false;
}
