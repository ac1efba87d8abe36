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

/** The stage a resultCacheKey belongs to (the metric label), or 'other' for any other key. */
export function resultCacheStageOf(key: string): string {
  const match = /^media-ai:result:([^:]+):/.exec(key);
  return match ? match[1]! : 'other';
}

/**
 * Counts every lookup as a hit or a miss (a failed lookup is a miss: the stage analyses the photo),
 * for the redis_cache_hit_ratio metric, around any cache. Counting here rather than in each
 * stage keeps detector, ocr and llm counted the same way.
 */
export class CountingResultCache implements ResultCache {
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: ResultCache,
    private readonly onLookup: (hit: boolean, key: string) => void = () => undefined,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.inner.get<T>(key);
    const hit = value !== undefined;
    if (hit) this.hits++;
    else this.misses++;
    this.onLookup(hit, key);
    return value;
  }

  set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    return this.inner.set(key, value, ttlSeconds);
  }
}
