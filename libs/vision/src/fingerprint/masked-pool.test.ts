import { describe, expect, it } from 'vitest';
import { itemCellsOf, maskedMeanMax } from './masked-pool.js';
import { ITEM_IMAGE_SIDE, NEUTRAL } from './photo-fingerprint.js';

describe('masked pool of a feature map', () => {
  it('finds the item cells of an item image: everything that is not the neutral fill', () => {
    // An item image: neutral grey, a red block over the left half of the classifier's centre crop (pixels 16-240).
    const data = Buffer.alloc(ITEM_IMAGE_SIDE * ITEM_IMAGE_SIDE * 3);
    for (let i = 0; i < ITEM_IMAGE_SIDE * ITEM_IMAGE_SIDE; i++) {
      const x = i % ITEM_IMAGE_SIDE;
      data.set(x >= 16 && x < 128 ? [200, 30, 30] : NEUTRAL, i * 3);
    }
    const cells = itemCellsOf({ data, width: ITEM_IMAGE_SIDE, height: ITEM_IMAGE_SIDE }, 4, 4, 224);
    expect([...cells]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    // All neutral (nothing to pool) or not an item image: every cell.
    const grey = Buffer.alloc(ITEM_IMAGE_SIDE * ITEM_IMAGE_SIDE * 3);
    for (let i = 0; i < ITEM_IMAGE_SIDE * ITEM_IMAGE_SIDE; i++) grey.set(NEUTRAL, i * 3);
    expect([...itemCellsOf({ data: grey, width: ITEM_IMAGE_SIDE, height: ITEM_IMAGE_SIDE }, 2, 2, 224)]).toEqual([1, 1, 1, 1]);
    expect([...itemCellsOf({ data: Buffer.alloc(12), width: 2, height: 2 }, 2, 2, 224)]).toEqual([1, 1, 1, 1]);
  });

  it('pools mean and max over the item cells only, each half of unit length', () => {
    // 2 channels over 2 x 2 cells; the last cell (huge values) is not the item's.
    const map = { data: Float32Array.from([1, 3, -1, 100, 2, 2, 2, -100]), channels: 2, height: 2, width: 2 };
    const pooled = maskedMeanMax(map, Uint8Array.from([1, 1, 1, 0]));
    const half = (a: number, b: number) => [a / Math.hypot(a, b) / Math.SQRT2, b / Math.hypot(a, b) / Math.SQRT2];
    const expected = [...half(1, 2), ...half(3, 2)]; // means 1 and 2, maxima 3 and 2
    [...pooled].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(Math.hypot(...pooled)).toBeCloseTo(1, 6);
  });
});
