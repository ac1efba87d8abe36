import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded-map.js';

describe('mapBounded', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded([30, 5, 20, 1, 10, 2], 2, async (ms, i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    });
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('treats a limit below 1 as 1 and handles no items', async () => {
    let inFlight = 0;
    let most = 0;
    await mapBounded([1, 2, 3], 0, async () => {
      most = Math.max(most, ++inFlight);
      await Promise.resolve();
      inFlight--;
    });
    expect(most).toBe(1);
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
