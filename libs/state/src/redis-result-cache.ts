/**
 * The result cache in Redis (production): per-photo analysis results by image sha256 + model
 * version, shared by every replica, so the same photo in another post, on another replica or in a
 * replay costs nothing. A cache is an optimisation, never a dependency: when Redis fails or is
 * unreachable a lookup is a miss and a store is skipped, each reported through onError, and the
 * stage analyses the photo as if nothing were cached. It must never throw into a stage, and never
 * wait on a Redis that is down: the client it is given should fail fast (see createRedisClient).
 *
 * Forgetting an image (forgetImage, see result-cache.ts) is the exception: it throws when Redis
 * fails, so the aggregator retries the deletion instead of leaving a forgotten post's results behind.
 * To find every entry of an image without scanning the keyspace, each set also records the entry's
 * key in the image's index, `media-ai:result-index:<sha256>` (a set that lives as long as its
 * longest-lived entry), in the same Lua step. Entries written before the index existed are not in
 * it: they expire with REDIS_AI_RESULTS_TTL.
 */
import { MediaAiError } from '@media-ai/contracts';
import type { Redis } from 'ioredis';
import { resultCacheImageOf, type ForgettableResultCache } from './result-cache.js';
import { luaScript, runLua } from './redis-script.js';

export interface RedisResultCacheOptions {
  /** A connected ioredis client; the caller owns it. */
  redis: Redis;
  /** Called once per failed get or set (the error, the operation, the key). */
  onError?: (error: Error, operation: 'get' | 'set', key: string) => void;
  /** Prefix of the per-image index keys; default `media-ai:result-index:` (tests use their own). */
  indexPrefix?: string;
}

/** KEYS[1] the entry, KEYS[2] its image's index; ARGV[1] the JSON value, ARGV[2] its TTL in seconds. */
const SET_INDEXED = luaScript(`
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
redis.call('SADD', KEYS[2], KEYS[1])
-- The index must outlive every entry it names: its TTL only ever grows (-1, none yet, is less).
if redis.call('TTL', KEYS[2]) < ttl then redis.call('EXPIRE', KEYS[2], ttl) end
`);

/** KEYS[1] the image's index. Deletes every entry it names (expired ones are already gone), then the index. */
const FORGET_IMAGE = luaScript(`
local entries = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(entries) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return #entries
`);

export class RedisResultCache implements ForgettableResultCache {
  private readonly redis: Redis;
  private readonly onError: (error: Error, operation: 'get' | 'set', key: string) => void;
  private readonly indexPrefix: string;

  constructor(options: RedisResultCacheOptions) {
    this.redis = options.redis;
    this.onError = options.onError ?? (() => undefined);
    this.indexPrefix = options.indexPrefix ?? 'media-ai:result-index:';
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
    const ttl = Math.max(1, Math.round(ttlSeconds));
    const image = resultCacheImageOf(key);
    try {
      if (image) await runLua(this.redis, SET_INDEXED, [key, this.indexKey(image)], [JSON.stringify(value), ttl]);
      else await this.redis.set(key, JSON.stringify(value), 'EX', ttl);
    } catch (error) {
      this.onError(asError(error), 'set', key);
    }
  }

  async forgetImage(sha256: string): Promise<void> {
    try {
      await runLua(this.redis, FORGET_IMAGE, [this.indexKey(sha256)], []);
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE', `the result cache could not forget an image: ${asError(error).message}`, {
        cause: error,
      });
    }
  }

  private indexKey(sha256: string): string {
    return `${this.indexPrefix}${sha256}`;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
