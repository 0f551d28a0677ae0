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
