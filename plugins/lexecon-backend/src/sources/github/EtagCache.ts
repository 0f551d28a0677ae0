/** A GET answer kept to send its ETag next time and to stand in for a 304. */
export interface CachedResponse {
  etag: string;
  link?: string;
  /** The body as JSON text: a copy no caller can change, whose length bounds the memory. */
  body: string;
}

export interface EtagCacheOptions {
  /**
   * An answer GitHub has not confirmed (200 or 304) for this long is dropped. URLs that stop
   * being asked (the history window moved on, an entity left the catalog) would otherwise stay.
   * Default 24 hours: longer than any GitHub source's schedule, so a refresh always finds its
   * answers.
   */
  ttlMs?: number;
  /**
   * Answers kept at most; the least recently used goes first. Default 20,000: about 40 requests
   * of a refresh for each of 500 services.
   */
  maxEntries?: number;
  /**
   * Total JSON characters kept at most: about bytes, GitHub's bodies being mostly ASCII.
   * Default 100 MB, a quarter of the backend's memory goal.
   */
  maxChars?: number;
}

export const ETAG_CACHE_DEFAULTS: Required<EtagCacheOptions> = {
  ttlMs: 24 * 3_600_000,
  maxEntries: 20_000,
  maxChars: 100_000_000,
};

/**
 * The answers behind GitHub's conditional requests, in this process: a Map kept in
 * least-recently-used order, bounded by entries and size, with entries expiring when GitHub has
 * not confirmed them for `ttlMs`. A lost entry only costs one full request.
 */
export class EtagCache {
  private readonly entries = new Map<
    string,
    { value: CachedResponse; confirmedAt: number }
  >();
  private chars = 0;
  private readonly options: Required<EtagCacheOptions>;

  constructor(
    options: EtagCacheOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...ETAG_CACHE_DEFAULTS, ...options };
  }

  get size() {
    return this.entries.size;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.confirmedAt > this.options.ttlMs) {
      this.delete(key);
      return undefined;
    }
    // Re-inserting moves the key to the end: the Map's order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: CachedResponse) {
    this.delete(key);
    if (value.body.length > this.options.maxChars) return;
    this.entries.set(key, { value, confirmedAt: this.now() });
    this.chars += value.body.length;
    this.evict();
  }

  /** GitHub answered 304: the entry is current again. */
  confirm(key: string) {
    const entry = this.entries.get(key);
    if (entry) entry.confirmedAt = this.now();
  }

  private delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.chars -= entry.value.body.length;
  }

  private evict() {
    const { maxEntries, maxChars } = this.options;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= maxEntries && this.chars <= maxChars) return;
      this.delete(key);
    }
  }
}
