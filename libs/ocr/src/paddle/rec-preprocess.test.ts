import { describe, expect, it } from 'vitest';
import { batchTensorData, clsTensorData, MAX_REC_WIDTH, recBatches, recBatchWidth, recResizedWidth } from './rec-preprocess.js';

describe('rec batch geometry', () => {
  it('pads to 48 * max(320/48, largest ratio), capped at 2880', () => {
    expect(recBatchWidth(2)).toBe(320);
    expect(recBatchWidth(10)).toBe(480);
    expect(recBatchWidth(10.01)).toBe(481);
    expect(recBatchWidth(200)).toBe(MAX_REC_WIDTH);
    expect(recResizedWidth({ width: 100, height: 30 }, 320)).toBe(160);
    expect(recResizedWidth({ width: 3000, height: 10 }, 2880)).toBe(2880);
  });

  it('writes B,G,R planes as (v/255 - 0.5)/0.5 and pads the row with 0', async () => {
    // 2x1 crop: red then blue; resized to 96x48 keeps the colours at the ends.
    const crop = { data: Uint8Array.from([255, 0, 0, 0, 0, 255]), width: 2, height: 1 };
    const data = await batchTensorData([crop], 320);
    const plane = 48 * 320;
    // Plane 0 is blue, plane 2 red.
    expect(data[0]).toBeCloseTo(-1, 5);
    expect(data[2 * plane]).toBeCloseTo(1, 5);
    expect(data[95]).toBeCloseTo(1, 5);
    expect(data[2 * plane + 95]).toBeCloseTo(-1, 5);
    // Right of the resized crop: zero padding.
    expect(data[96]).toBe(0);
    expect(data[319]).toBe(0);
  });

  it('gives the recogniser the same input after the classifier resized the crop (short and long crops)', async () => {
    // A gradient, so that a resize to another width shows in the values.
    const gradient = (width: number, height: number) => ({
      data: Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7) % 256),
      width,
      height,
    });
    for (const [width, height] of [
      [60, 20],
      [300, 20],
    ] as const) {
      const seen = gradient(width, height);
      await clsTensorData([seen]);
      // 300x20 is 720 wide at height 48: the classifier's 192-wide resize must not be reused.
      const reused = await batchTensorData([seen], 960);
      const fresh = await batchTensorData([gradient(width, height)], 960);
      // Compared here, not with toEqual: a diff of 138k floats takes minutes to print.
      expect(reused.length).toBe(fresh.length);
      expect(reused.every((v, i) => v === fresh[i])).toBe(true);
    }
  });

  it('batches crops by ratio, at most maxBatch, and parts a batch where the width spreads beyond maxSpread', () => {
    // Batch widths: ratios up to 320/48 all pad to 320; 10 -> 480; 12 -> 576; 46 -> 2208.
    const ratios = [46, 2, 10, 3, 12, 1, 5, 6];
    // PaddleOCR's plain batches: six by ratio, whatever the widths.
    expect(recBatches(ratios, 6, Infinity)).toEqual([
      [5, 1, 3, 6, 7, 2],
      [4, 0],
    ]);
    // 480 > 1.25 x 320 starts a batch; 576 <= 1.25 x 480 joins it; 2208 goes alone.
    expect(recBatches(ratios, 6, 1.25)).toEqual([[5, 1, 3, 6, 7], [2, 4], [0]]);
    expect(recBatches(ratios, 2, 1.25)).toEqual([[5, 1], [3, 6], [7], [2, 4], [0]]);
    expect(recBatches([], 6, 1.25)).toEqual([]);
  });
});
