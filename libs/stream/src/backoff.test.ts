import { describe, expect, it } from 'vitest';
import { backoffDelayMs, sleep } from './backoff.js';

const policy = { initialDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelayMs', () => {
  it('doubles per attempt between half and all of the step', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(100);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(400);
  });

  it('never exceeds maxDelayMs, even after many attempts', () => {
    expect(backoffDelayMs(5, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(10_000, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(10_000, policy, () => 0)).toBe(500);
  });

  it('spreads delays with the random source', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3, policy)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('sleep', () => {
  it('ends early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits roughly the requested time otherwise', async () => {
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
