import { describe, expect, it } from 'vitest';
import { MemoryResultCache, resultCacheImageOf, resultCacheKey } from './result-cache.js';

describe('MemoryResultCache', () => {
  it('returns what was stored until the TTL passes', async () => {
    let now = 1_000;
    const cache = new MemoryResultCache(10, () => now);
    await cache.set('k', { a: 1 }, 5);
    expect(await cache.get('k')).toEqual({ a: 1 });
    now += 5_000;
    expect(await cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its bound', async () => {
    const cache = new MemoryResultCache(2);
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.get('a');
    await cache.set('c', 3, 60);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('b')).toBeUndefined();
    expect(resultCacheKey('detector', 'yolox:1', 'abc')).toBe('media-ai:result:detector:yolox:1:abc');
  });

  it("forgetImage drops every stage's and version's entry about one image, and nothing else", async () => {
    const cache = new MemoryResultCache();
    const [forgotten, kept] = ['a'.repeat(64), 'b'.repeat(64)];
    for (const sha of [forgotten, kept]) {
      await cache.set(resultCacheKey('detector', 'yolox:1', sha), sha, 60);
      await cache.set(resultCacheKey('llm', 'gpt-4o-mini:p7:low', sha), sha, 60);
    }
    await cache.set('not-a-result-key', 1, 60);
    await cache.forgetImage(forgotten);
    expect(cache.size).toBe(3);
    expect(await cache.get(resultCacheKey('detector', 'yolox:1', forgotten))).toBeUndefined();
    expect(await cache.get(resultCacheKey('llm', 'gpt-4o-mini:p7:low', kept))).toBe(kept);
    expect(resultCacheImageOf(resultCacheKey('ocr', 'ppocr:4', kept))).toBe(kept);
    expect(resultCacheImageOf('media-ai:result:ocr:ppocr:4:not-a-sha')).toBeNull();
  });
});
