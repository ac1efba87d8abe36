import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, sleep } from './backoff.js';

const policy = { initialDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelayMs (full jitter)', () => {
  it('draws from [0, ceiling), the ceiling doubling per retry', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(399);
  });

  it('treats retry 0 like retry 1 (callers that count from zero get the first ceiling)', () => {
    expect(backoffDelayMs(0, policy, () => 0.5)).toBe(backoffDelayMs(1, policy, () => 0.5));
  });

  it('never exceeds maxDelayMs, even after many retries', () => {
    expect(backoffDelayMs(5, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(10_000, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(10_000, policy, () => 0)).toBe(0);
  });

  it('spreads delays over the whole range with the default random source', () => {
    const delays = Array.from({ length: 400 }, () => backoffDelayMs(3, policy));
    for (const d of delays) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(400);
    }
    // Full jitter, not equal jitter: the lower half of the range is used too.
    expect(delays.some((d) => d < 200)).toBe(true);
    expect(delays.some((d) => d >= 200)).toBe(true);
  });
});

describe('sleep', () => {
  it('resolves true after the delay', async () => {
    const started = Date.now();
    expect(await sleep(20)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('resolves false as soon as the signal aborts, and never rejects', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort(new Error('stopping'));
    expect(await slept).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('resolves false at once for a signal that already aborted, true at once for no delay', async () => {
    expect(await sleep(10_000, AbortSignal.abort())).toBe(false);
    expect(await sleep(0)).toBe(true);
    expect(await sleep(-5, new AbortController().signal)).toBe(true);
  });

  it('leaves no listener behind on a long-lived signal, whether it waited or was cut short', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const pending = sleep(10_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await pending;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
