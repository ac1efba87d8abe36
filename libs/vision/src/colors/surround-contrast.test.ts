import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../detection/decoded-image.js';
import { paintedImage, type Paint } from '../test-support/painted-image.js';
import { itemColors } from './item-colors.js';
import { surroundContrastColors } from './surround-contrast.js';

/** A w x h RGB image painted by `paint(x, y)`, with this file's grain (±10, seed 11). */
const image = (width: number, height: number, paint: Paint, noise = 10): DecodedImage => paintedImage(width, height, paint, noise, 11);

/** Distance from (x, y) to the segment a-b. */
function toSegment(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay));
}

/**
 * A bicycle-like wire outline (two wheels, a triangle; lines 2 px wide, a fifth of an itemColors grid cell) in
 * `wire` colour over a porch: an ochre wall with darker board seams above a grey floor, both running past the
 * box, and a dark dog sitting in front of the rear wheel. The box is 300 x 210 px at (90, 75) of 480 x 360.
 */
function bicycleOnPorch(wire: [number, number, number]): DecodedImage {
  const k = 1.5;
  const at = (x: number, y: number): [number, number] => [x * k, y * k];
  const tubes: Array<[[number, number], [number, number]]> = [
    [at(110, 150), at(150, 90)],
    [at(150, 90), at(210, 90)],
    [at(210, 90), at(215, 150)],
    [at(110, 150), at(165, 150)],
    [at(150, 90), at(165, 150)],
  ];
  return image(480, 360, (x, y) => {
    const onWheel =
      Math.abs(Math.hypot(x - 110 * k, y - 150 * k) - 36 * k) < 1 || Math.abs(Math.hypot(x - 215 * k, y - 150 * k) - 36 * k) < 1;
    if (onWheel || tubes.some(([a, b]) => toSegment(x, y, a, b) < 1)) return wire;
    if (Math.hypot((x - 95 * k) / (22 * k), (y - 150 * k) / (36 * k)) < 1) return [40, 36, 34];
    if (y >= 175 * k) return [150, 150, 146];
    return y % 21 < 3 ? [150, 128, 50] : [205, 180, 80];
  });
}

const box = { x: 90 / 480, y: 75 / 360, width: 300 / 480, height: 210 / 360 };

describe('surroundContrastColors', () => {
  it("names a thin red frame over a wall by the frame's colour, not only the wall's and the dog's", () => {
    // Without it the box's cell means average the 2 px tubes into the ochre wall behind them: no red.
    const photo = bicycleOnPorch([200, 24, 30]);
    expect(itemColors(photo, box).map((c) => c.name)).toContain('red');
    expect(surroundContrastColors(photo, box, [])[0]?.name).toBe('red');
  });

  it('names nothing the surroundings also hold, nor a colour the item already has', () => {
    // The same porch with a red door beside the bicycle (inside the ring round the box): red is no longer the box's own.
    const door = bicycleOnPorch([200, 24, 30]);
    for (let y = 0; y < 240; y++) for (let x = 270; x < 320; x++) door.data.set([200, 24, 30], (y * 320 + x) * 3);
    expect(surroundContrastColors(door, box, [])).toEqual([]);
    expect(surroundContrastColors(bicycleOnPorch([200, 24, 30]), box, [{ name: 'red', hex: '#c8181e', share: 0.5 }])).toEqual([]);
  });

  it('leaves a neutral thin part to the segmentation: a grey frame is shading, print or a reflection as often as a part', () => {
    expect(surroundContrastColors(bicycleOnPorch([120, 120, 124]), box, [])).toEqual([]);
  });
});
