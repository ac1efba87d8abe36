import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('serves waiters first come, first served, within the request limit', async () => {
    const limiter = new RateLimiter({ requestsPerWindow: 4, tokensPerWindow: 1_000_000, windowMs: 200 });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire(1).then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.waiting).toBe(0);
  });

  it('holds a request back until its estimated tokens fit, and a settled overestimate lets the next one go sooner', async () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
    // 6000 tokens per 600 ms: a bucket of 100, refilled at ~9.7 tokens per ms.
    const run = async (settleTo: number | null) => {
      let now = 0;
      const limiter = new RateLimiter({ requestsPerWindow: 1_000, tokensPerWindow: 6_000, windowMs: 600, now: () => now });
      const first = await limiter.acquire(1_000);
      expect(first.waitedMs).toBe(0);
      if (settleTo !== null) first.settle(settleTo);
      let granted = false;
      void limiter.acquire(100).then(() => (granted = true));
      now = 20;
      limiter.observe({});
      await tick();
      return granted;
    };
    // Charged 1000, used 100: the 900 given back let the next request through after 20 ms...
    expect(await run(100)).toBe(true);
    // ...where the full charge still owes ~900 tokens (~90 ms).
    expect(await run(null)).toBe(false);
  });

  it('pauses everyone for a Retry-After', async () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerWindow: 1_000, tokensPerWindow: 1_000_000, now: () => now });
    limiter.pause(1_000_000);
    let granted = false;
    void limiter.acquire(1).then(() => (granted = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(granted).toBe(false);
    expect(limiter.waiting).toBe(1);
    now = 1_000_000;
    limiter.observe({});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(granted).toBe(true);
  });

  it('pauses when the server says the requests are spent until they reset', async () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerWindow: 1_000, tokensPerWindow: 1_000_000, now: () => now });
    limiter.observe({ remainingRequests: 0, resetRequestsMs: 5_000 });
    let granted = false;
    void limiter.acquire(1).then(() => (granted = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(granted).toBe(false);
    now = 5_000;
    limiter.observe({});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(granted).toBe(true);
  });

  it('drops a waiter whose signal aborts, rejecting with the reason, and serves the next', async () => {
    const limiter = new RateLimiter({ requestsPerWindow: 1, tokensPerWindow: 1_000_000, windowMs: 60_000 });
    await limiter.acquire(1);
    const controller = new AbortController();
    const waiting = limiter.acquire(1, controller.signal);
    expect(limiter.waiting).toBe(1);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    expect(limiter.waiting).toBe(0);
    await expect(limiter.acquire(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
