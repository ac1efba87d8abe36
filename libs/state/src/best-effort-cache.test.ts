import { describe, expect, it } from 'vitest';
import { bestEffortCache, type CacheOperation } from './best-effort-cache.js';
import { MemoryResultCache, resultCacheKey, type ResultCache } from './result-cache.js';

interface Reading {
  text: string;
  lines: string[];
}

const SHA = 'a'.repeat(64);
const key = (sha256: string) => resultCacheKey('ocr', 'v1', sha256);
const isReading = (entry: unknown): Reading | undefined => {
  const value = entry as Partial<Reading> | null;
  return value && typeof value.text === 'string' && Array.isArray(value.lines) ? (value as Reading) : undefined;
};

/** A cache whose every call fails, as a cache client that throws would. */
const failing: ResultCache = {
  get: () => Promise.reject(new Error('cache down')),
  set: () => Promise.reject(new Error('cache down')),
};

describe('bestEffortCache', () => {
  it('stores under the key of the image and reads back what it stored', async () => {
    const cache = new MemoryResultCache();
    const readings = bestEffortCache(cache, { key, accept: isReading, ttlSeconds: 60 });
    expect(await readings.get(SHA)).toBeUndefined();
    await readings.set(SHA, { text: 'VARTA', lines: ['VARTA'] });
    expect(await readings.get(SHA)).toEqual({ text: 'VARTA', lines: ['VARTA'] });
    expect(await cache.get(key(SHA))).toEqual({ text: 'VARTA', lines: ['VARTA'] });
    expect(await readings.get('b'.repeat(64))).toBeUndefined();
  });

  it('treats an entry of another shape as a miss, not as a failure', async () => {
    const cache = new MemoryResultCache();
    const errors: CacheOperation[] = [];
    await cache.set(key(SHA), { objects: [] }, 60);
    const readings = bestEffortCache(cache, { key, accept: isReading, ttlSeconds: 60, onError: (_e, op) => errors.push(op) });
    expect(await readings.get(SHA)).toBeUndefined();
    await cache.set(key(SHA), null, 60);
    expect(await readings.get(SHA)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('returns what accept makes of the entry', async () => {
    const cache = new MemoryResultCache();
    await cache.set(key(SHA), { text: ' VARTA ', lines: [] }, 60);
    const trimmed = bestEffortCache(cache, {
      key,
      accept: (entry) => {
        const reading = isReading(entry);
        return reading && { ...reading, text: reading.text.trim() };
      },
      ttlSeconds: 60,
    });
    expect(await trimmed.get(SHA)).toEqual({ text: 'VARTA', lines: [] });
  });

  it('reports a failed read as a miss and a failed write as skipped, never throwing', async () => {
    const errors: Array<[string, CacheOperation]> = [];
    const readings = bestEffortCache(failing, {
      key,
      accept: isReading,
      ttlSeconds: 60,
      onError: (error, op) => errors.push([(error as Error).message, op]),
    });
    expect(await readings.get(SHA)).toBeUndefined();
    await expect(readings.set(SHA, { text: 'x', lines: [] })).resolves.toBeUndefined();
    expect(errors).toEqual([
      ['cache down', 'get'],
      ['cache down', 'set'],
    ]);
    // Without onError the failures are still swallowed.
    const quiet = bestEffortCache(failing, { key, accept: isReading, ttlSeconds: 60 });
    expect(await quiet.get(SHA)).toBeUndefined();
    await expect(quiet.set(SHA, { text: 'x', lines: [] })).resolves.toBeUndefined();
  });

  it('counts an accept that throws as a failed read', async () => {
    const cache = new MemoryResultCache();
    await cache.set(key(SHA), { text: 'x', lines: [] }, 60);
    const errors: CacheOperation[] = [];
    const readings = bestEffortCache<Reading>(cache, {
      key,
      accept: () => {
        throw new Error('unreadable');
      },
      ttlSeconds: 60,
      onError: (_e, op) => errors.push(op),
    });
    expect(await readings.get(SHA)).toBeUndefined();
    expect(errors).toEqual(['get']);
  });
});
