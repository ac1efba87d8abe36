/**
 * Cache of per-photo analysis results, keyed by image sha256 + model version, so the same photo is
 * never analysed (or paid for) twice. Redis in production, memory in embedded mode.
 *
 * Photos are content-addressed, so one entry may serve several posts. When the last post using an
 * image is forgotten (post.deleted / post.resolved), the aggregator drops every entry about the image
 * with forgetImage, whichever stage and model version wrote it; the join store knows which posts use
 * which images. A cache must never keep an entry forgetImage was asked to drop.
 */
export interface ResultCache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
}

/** A result cache that can drop everything it holds about one image (see above). */
export interface ForgettableResultCache extends ResultCache {
  /**
   * Deletes every entry about the image (every resultCacheKey ending in this sha256). Rejects when
   * it cannot (MEDIA_AI_STATE_UNAVAILABLE for Redis): unlike a lookup, forgetting must not fail
   * silently, so the deletion is retried.
   */
  forgetImage(sha256: string): Promise<void>;
}

/** Builds the cache key for one stage's result on one image. */
export function resultCacheKey(stage: string, modelVersion: string, sha256: string): string {
  return `media-ai:result:${stage}:${modelVersion}:${sha256}`;
}

/** The image (sha256) a resultCacheKey is about, or null for a key of any other form. */
export function resultCacheImageOf(key: string): string | null {
  return /:([0-9a-f]{64})$/.exec(key)?.[1] ?? null;
}

/** Embedded-mode cache: bounded, least-recently-used, with TTL. */
export class MemoryResultCache implements ForgettableResultCache {
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

  /** A scan of at most maxEntries keys: forgetting is rare next to lookups, so no index is kept. */
  async forgetImage(sha256: string): Promise<void> {
    for (const key of [...this.entries.keys()]) if (resultCacheImageOf(key) === sha256) this.entries.delete(key);
  }

  /** Number of entries held, expired ones included until looked up (for tests). */
  get size(): number {
    return this.entries.size;
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
export class CountingResultCache implements ForgettableResultCache {
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: ForgettableResultCache,
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

  forgetImage(sha256: string): Promise<void> {
    return this.inner.forgetImage(sha256);
  }
}
