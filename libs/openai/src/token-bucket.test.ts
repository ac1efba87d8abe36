import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

/** Grants a bucket gives over `durationMs` to a caller that takes `cost` as soon as it may. */
function grantTimes(bucket: TokenBucket, cost: number, durationMs: number): number[] {
  const times: number[] = [];
  let t = 0;
  while (t <= durationMs) {
    const wait = bucket.waitMs(cost, t);
    if (wait === 0) {
      bucket.take(cost, t);
      times.push(t);
    } else {
      t += wait;
    }
  }
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    while (i + n < times.length && times[i + n]! < times[i]! + windowMs) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe('TokenBucket', () => {
  it.each([
    [10, 1_000],
    [60, 60_000],
    [1_000, 60_000],
    [3, 500],
    [1, 1_000],
  ])('never lets more than the limit (%i) through in any window of %i ms, even a little wider', (limit, windowMs) => {
    const times = grantTimes(new TokenBucket({ limit, windowMs }, 0), 1, windowMs * 10);
    // Jitter between our clock and the server's: a window a sixtieth wider still holds the limit.
    expect(maxInAnyWindow(times, windowMs * (1 + 1 / 60))).toBeLessThanOrEqual(limit);
    // ... and still uses what it may: all but the burst's worth and a sixtieth, per window.
    const bucket = new TokenBucket({ limit, windowMs }, 0);
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(Math.max(1, limit - bucket.capacity) * 10 * (60 / 61)));
  });

  it('starts with a small burst, not a whole window of requests', () => {
    const bucket = new TokenBucket({ limit: 600, windowMs: 60_000 }, 0);
    expect(bucket.capacity).toBe(10);
    for (let i = 0; i < 10; i++) {
      expect(bucket.waitMs(1, 0)).toBe(0);
      bucket.take(1, 0);
    }
    expect(bucket.waitMs(1, 0)).toBeGreaterThan(0);
  });

  it('lets a cost larger than the bucket through once it is full, in debt', () => {
    const bucket = new TokenBucket({ limit: 6_000, windowMs: 60_000 }, 0);
    expect(bucket.capacity).toBe(100);
    expect(bucket.waitMs(1_000, 0)).toBe(0);
    bucket.take(1_000, 0);
    // 1000 tokens of debt, paid back at (6000 - 100) / 61 s before the next request.
    const wait = bucket.waitMs(1_000, 0);
    expect(wait).toBeGreaterThan(10_000);
    expect(wait).toBeLessThan(12_000);
  });

  it('gives back what an estimate overcharged, up to its capacity', () => {
    const charged = new TokenBucket({ limit: 6_000, windowMs: 60_000 }, 0);
    charged.take(1_000, 0);
    const corrected = new TokenBucket({ limit: 6_000, windowMs: 60_000 }, 0);
    corrected.take(1_000, 0);
    corrected.adjust(1_000 - 200, 0);
    expect(corrected.waitMs(100, 0)).toBeLessThan(charged.waitMs(100, 0) / 4);
    corrected.adjust(1_000_000, 0);
    expect(corrected.waitMs(100, 0)).toBe(0);
    corrected.take(100, 0);
    expect(corrected.waitMs(1, 0)).toBeGreaterThan(0);
  });

  it('believes the server when it says less is left, and waits out a pause', () => {
    const bucket = new TokenBucket({ limit: 600, windowMs: 60_000 }, 0);
    bucket.clamp(0, 0);
    expect(bucket.waitMs(1, 0)).toBeGreaterThan(0);
    bucket.pauseUntil(5_000);
    expect(bucket.waitMs(1, 1_000)).toBe(4_000);
  });
});
