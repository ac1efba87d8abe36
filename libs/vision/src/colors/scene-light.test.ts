import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../detection/decoded-image.js';
import { nameColor } from './color-names.js';
import { itemColors } from './item-colors.js';
import { frameExposure, liftedColour, liftedWhitePoint, NO_LIFT } from './scene-light.js';

/** A w x h RGB image painted by `paint(x, y)`. */
function image(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): DecodedImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 3);
  return { data, width, height };
}

describe('frameExposure', () => {
  it("lifts an underexposed frame's lightest near-neutral surfaces to white and keeps its dark and coloured ones", () => {
    const exposure = frameExposure(60);
    expect(exposure.lift).toBeGreaterThan(1);
    expect(nameColor({ l: 58, a: 0, b: 1 })).not.toBe('white');
    expect(nameColor(liftedColour({ l: 58, a: 0, b: 1 }, exposure))).toBe('white');
    expect(liftedColour({ l: 20, a: 0, b: 0 }, exposure)).toEqual({ l: 20, a: 0, b: 0 });
    expect(liftedColour({ l: 58, a: 40, b: 30 }, exposure)).toEqual({ l: 58, a: 40, b: 30 });
    expect(liftedWhitePoint(60, exposure)).toBeGreaterThan(85);
  });

  it('leaves a well exposed frame alone, and lifts a very dark one by at most 1.5 stops', () => {
    expect(frameExposure(90)).toBe(NO_LIFT);
    expect(frameExposure(20).lift).toBeCloseTo(2 ** 1.5, 5);
  });

  it('names a white phone on a dark table in a dim photo white, and a black one black', () => {
    // A white phone at L* ~62 (sRGB 150) on a dark table (L* ~15): nothing in the frame is brighter.
    const photo = (phone: [number, number, number]) =>
      image(160, 120, (x, y) => (x >= 50 && x < 110 && y >= 20 && y < 100 ? phone : [35, 33, 30]));
    const box = { x: 0.3, y: 0.15, width: 0.4, height: 0.7 };
    expect(itemColors(photo([150, 150, 152]), box)[0]?.name).toBe('white');
    expect(itemColors(photo([22, 22, 24]), box)[0]?.name).toBe('black');
  });
});
