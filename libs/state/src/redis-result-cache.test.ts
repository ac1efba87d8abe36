import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CountingResultCache, resultCacheKey, resultCacheStageOf } from './result-cache.js';
import { RedisResultCache } from './redis-result-cache.js';
import { testRedis, type TestRedis } from './test-support/redis.js';

let r: TestRedis;
afterEach(async () => {
  await r.cleanup();
});

describe('RedisResultCache', () => {
  it('returns what was stored, to every client, until REDIS_AI_RESULTS_TTL passes', async () => {
    r = testRedis();
    const key = `${r.prefix}${resultCacheKey('detector', 'yolox:1', 'abc')}`;
    await new RedisResultCache({ redis: r.redis }).set(key, { objects: [{ label: 'phone' }] }, 1);
    const other = new RedisResultCache({ redis: r.connect() });
    expect(await other.get(key)).toEqual({ objects: [{ label: 'phone' }] });
    const ttl = await r.redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_000);
    await sleep(1_100);
    expect(await other.get(key)).toBeUndefined();
  });

  it('a Redis outage only disables the cache: get misses, set is skipped, both reported', async () => {
    r = testRedis();
    const down = r.connect();
    down.disconnect();
    const errors: string[] = [];
    const cache = new RedisResultCache({
      redis: down,
      onError: (error, operation, key) => errors.push(`${operation} ${key}: ${error.message.length > 0}`),
    });
    await expect(cache.set('k', { a: 1 }, 60)).resolves.toBeUndefined();
    await expect(cache.get('k')).resolves.toBeUndefined();
    expect(errors).toEqual(['set k: true', 'get k: true']);
  });

  it("forgetImage drops every stage's and version's entry about one image, and nothing about another", async () => {
    r = testRedis();
    const indexPrefix = `${r.prefix}media-ai:result-index:`;
    const cache = new RedisResultCache({ redis: r.redis, indexPrefix });
    const [forgotten, kept] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
    const keys = (sha: string) => [
      `${r.prefix}${resultCacheKey('detector', 'yolox:1+nanodet:2', sha)}`,
      `${r.prefix}${resultCacheKey('detector', 'yolox:0', sha)}`,
      `${r.prefix}${resultCacheKey('ocr', 'ppocr:4', sha)}`,
      `${r.prefix}${resultCacheKey('llm', 'gpt-4o-mini:p7:low', sha)}`,
    ];
    for (const key of [...keys(forgotten), ...keys(kept)]) await cache.set(key, { key }, 60);
    // The index lives as long as its longest-lived entry, not as its latest.
    await cache.set(keys(forgotten)[0]!, { again: true }, 5);
    expect(await r.redis.ttl(`${indexPrefix}${forgotten}`)).toBeGreaterThan(50);

    await cache.forgetImage(forgotten);
    for (const key of keys(forgotten)) expect(await r.redis.exists(key)).toBe(0);
    expect(await r.redis.exists(`${indexPrefix}${forgotten}`)).toBe(0);
    for (const key of keys(kept)) expect(await cache.get(key)).toEqual({ key });
    // Forgetting again (a redelivered deletion), or an image never cached, is harmless.
    await cache.forgetImage(forgotten);
    await cache.forgetImage(randomBytes(32).toString('hex'));
  });

  it('forgetImage fails loudly when Redis is down, so the deletion is retried', async () => {
    r = testRedis();
    const down = r.connect();
    down.disconnect();
    await expect(new RedisResultCache({ redis: down }).forgetImage('a'.repeat(64))).rejects.toMatchObject({
      code: 'MEDIA_AI_STATE_UNAVAILABLE',
      retryable: true,
    });
  });

  it('an entry that is not JSON is a miss, reported', async () => {
    r = testRedis();
    const key = `${r.prefix}bad`;
    await r.redis.set(key, '{not json');
    const errors: string[] = [];
    expect(await new RedisResultCache({ redis: r.redis, onError: (_e, operation) => errors.push(operation) }).get(key)).toBeUndefined();
    expect(errors).toEqual(['get']);
  });
});

describe('CountingResultCache', () => {
  it('counts hits and misses (a failed lookup is a miss) and names the stage of each lookup', async () => {
    r = testRedis();
    const lookups: string[] = [];
    const cache = new CountingResultCache(new RedisResultCache({ redis: r.redis }), (hit, key) =>
      lookups.push(`${resultCacheStageOf(key)}:${hit}`),
    );
    const key = resultCacheKey('ocr', 'tesseract:5', `${r.prefix}sha`);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, 'text', 60);
    expect(await cache.get(key)).toBe('text');
    await r.redis.del(key);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    expect(lookups).toEqual(['ocr:false', 'ocr:true']);
    expect(resultCacheStageOf('something-else')).toBe('other');
  });
});
