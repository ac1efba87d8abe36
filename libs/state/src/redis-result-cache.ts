/**
 * The result cache in Redis (production): per-photo analysis results by image sha256 + model
 * version, shared by every replica, so the same photo in another post, on another replica or in a
 * replay costs nothing. A cache is an optimisation, never a dependency: when Redis fails or is
 * unreachable a lookup is a miss and a store is skipped, each reported through onError, and the
 * stage analyses the photo as if nothing were cached. It must never throw into a stage, and never
 * wait on a Redis that is down: the client it is given should fail fast (see createRedisClient).
 */
import type { Redis } from 'ioredis';
import type { ResultCache } from './result-cache.js';

export interface RedisResultCacheOptions {
  /** A connected ioredis client; the caller owns it. */
  redis: Redis;
  /** Called once per failed get or set (the error, the operation, the key). */
  onError?: (error: Error, operation: 'get' | 'set', key: string) => void;
}

export class RedisResultCache implements ResultCache {
  private readonly redis: Redis;
  private readonly onError: (error: Error, operation: 'get' | 'set', key: string) => void;

  constructor(options: RedisResultCacheOptions) {
    this.redis = options.redis;
    this.onError = options.onError ?? (() => undefined);
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const text = await this.redis.get(key);
      return text === null ? undefined : (JSON.parse(text) as T);
    } catch (error) {
      // Unreachable Redis, or an entry that is not our JSON: either way, analyse again.
      this.onError(asError(error), 'get', key);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
    } catch (error) {
      this.onError(asError(error), 'set', key);
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
