import { describe, expect, it } from 'vitest';
import { cropSize, cropText, rotate180, rotate90ccw, warpQuad } from './crop.js';
import type { Quad } from './geometry.js';
import type { RgbImage } from './image.js';

/** Grey background with a red square at (x0..x1, y0..y1). */
function canvas(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 3);
  return { data, width, height };
}
const px = (img: RgbImage, x: number, y: number): number[] => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];

describe('warpQuad', () => {
  it('cuts an axis-aligned box onto trunc(edge) sizes', () => {
    const img = canvas(50, 40, (x) => [x * 5, 0, 0]);
    const quad: Quad = [
      [10, 5],
      [30.7, 5],
      [30.7, 15.9],
      [10, 15.9],
    ];
    expect(cropSize(quad)).toEqual({ width: 20, height: 10 });
    const crop = warpQuad(img, quad);
    expect([crop.width, crop.height]).toEqual([20, 10]);
    expect(px(crop, 0, 0)).toEqual([50, 0, 0]);
    expect(px(crop, 10, 5)[0]).toBeGreaterThan(95);
    expect(px(crop, 10, 5)[0]).toBeLessThan(115);
  });

  it('straightens a tilted band: a stripe along the band comes out as a row', () => {
    // A dark band at 20 degrees: pixels within 3 px of the line through (50, 50) are black.
    const t = (20 * Math.PI) / 180;
    const img = canvas(120, 100, (x, y) => (Math.abs(-(x - 50) * Math.sin(t) + (y - 50) * Math.cos(t)) < 3 ? [0, 0, 0] : [255, 255, 255]));
    const at = (u: number, v: number): [number, number] => [50 + u * Math.cos(t) - v * Math.sin(t), 50 + u * Math.sin(t) + v * Math.cos(t)];
    const quad: Quad = [at(-30, -10), at(30, -10), at(30, 10), at(-30, 10)];
    const crop = warpQuad(img, quad);
    // trunc of a float edge length: 60 x 20 give or take the last bit.
    expect(crop.width).toBeGreaterThanOrEqual(59);
    expect(crop.height).toBeGreaterThanOrEqual(19);
    const middle = Math.round(crop.height / 2);
    for (let x = 2; x < 56; x += 5) {
      expect(px(crop, x, middle)[0]).toBeLessThan(60);
      expect(px(crop, x, 2)[0]).toBeGreaterThan(215);
    }
  });

  it('never reads outside the image (edges replicated)', () => {
    const img = canvas(10, 10, () => [7, 8, 9]);
    const crop = warpQuad(img, [
      [-5, -5],
      [15, -5],
      [15, 15],
      [-5, 15],
    ]);
    expect(px(crop, 0, 0)).toEqual([7, 8, 9]);
  });
});

describe('turning crops', () => {
  it('turns tall crops 90 degrees counter-clockwise (h/w >= 1.5), not others', () => {
    // 2 wide x 4 tall, top-left pixel red.
    const img = canvas(2, 4, (x, y) => (x === 0 && y === 0 ? [255, 0, 0] : [0, 0, 0]));
    const turned = rotate90ccw(img);
    expect([turned.width, turned.height]).toEqual([4, 2]);
    // np.rot90: the top-left corner goes to the bottom-left.
    expect(px(turned, 0, 1)).toEqual([255, 0, 0]);
    expect(
      cropText(img, [
        [0, 0],
        [2, 0],
        [2, 4],
        [0, 4],
      ]).rotated,
    ).toBe(true);
    expect(
      cropText(img, [
        [0, 0],
        [2, 0],
        [2, 2.9],
        [0, 2.9],
      ]).rotated,
    ).toBe(false);
  });

  it('rotate180 moves the top-left pixel to the bottom-right', () => {
    const img = canvas(3, 2, (x, y) => (x === 0 && y === 0 ? [1, 2, 3] : [0, 0, 0]));
    expect(px(rotate180(img), 2, 1)).toEqual([1, 2, 3]);
  });
});
