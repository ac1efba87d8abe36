/**
 * Cache of per-photo analysis results, keyed by image sha256 + model version, so the same photo is
 * never analysed (or paid for) twice. Redis in production, memory in embedded mode.
 */
export interface ResultCache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
}

/** Builds the cache key for one stage's result on one image. */
export function resultCacheKey(stage: string, modelVersion: string, sha256: string): string {
  return `media-ai:result:${stage}:${modelVersion}:${sha256}`;
}

/** Embedded-mode cache: bounded, least-recently-used, with TTL. */
export class MemoryResultCache implements ResultCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    return structuredClone(entry.value) as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value: structuredClone(value), expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
