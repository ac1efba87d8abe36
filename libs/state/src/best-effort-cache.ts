/**
 * One stage's view of the result cache: results of one kind, read and written so that the cache can
 * only ever save work. A read that fails, or finds an entry of another shape (written by older code
 * under the same key), is a miss; a write that fails is skipped; both failures are reported through
 * onError and never thrown into the stage. The detector, ocr and llm stages read their results
 * through it. Must never cache a failure or decide what a key holds: the stage gives the key and
 * says which entries it trusts.
 */
import type { ResultCache } from './result-cache.js';

export type CacheOperation = 'get' | 'set';

export interface BestEffortCacheOptions<T> {
  /** The cache key of the result for one image (sha256): see resultCacheKey. */
  key: (sha256: string) => string;
  /**
   * The entry as a trusted result, or undefined when it is of another shape (a miss). May return a
   * normalized copy; a throw counts as a failed read.
   */
  accept: (entry: unknown) => T | undefined;
  ttlSeconds: number;
  /** Called once per failed read or write; the stage goes on without the cache. */
  onError?: (error: unknown, operation: CacheOperation) => void;
}

export interface BestEffortCache<T> {
  /** The cached result for the image, or undefined (a miss, an entry of another shape, or a failure). */
  get(sha256: string): Promise<T | undefined>;
  /** Stores the result for the image; never rejects. */
  set(sha256: string, value: T): Promise<void>;
}

export function bestEffortCache<T>(cache: ResultCache, options: BestEffortCacheOptions<T>): BestEffortCache<T> {
  const { key, accept, ttlSeconds, onError } = options;
  return {
    async get(sha256) {
      try {
        const entry = await cache.get<unknown>(key(sha256));
        return entry === undefined ? undefined : accept(entry);
      } catch (error) {
        onError?.(error, 'get');
        return undefined;
      }
    },
    async set(sha256, value) {
      try {
        await cache.set(key(sha256), value, ttlSeconds);
      } catch (error) {
        onError?.(error, 'set');
      }
    },
  };
}
