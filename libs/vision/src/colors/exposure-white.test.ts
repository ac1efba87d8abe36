import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../detection/decoded-image.js';
import { frameWhitePoint, withExposureWhite } from './exposure-white.js';
import { itemColors } from './item-colors.js';
import { salientObject } from './salient-object.js';

/** A w x h RGB image painted by `paint(x, y)`. */
function image(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): DecodedImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 3);
  return { data, width, height };
}

const SILVER: [number, number, number] = [192, 192, 192]; // #C0C0C0, L* 78: the vocabulary's own silver
const PAPER: [number, number, number] = [250, 250, 250]; // L* 98
const SLATE: [number, number, number] = [40, 60, 110]; // a dark blue table

/** A silver-grey item in the middle of a slate table, with (or without) a sheet of white paper at the left edge. */
const scene = (paper: boolean) =>
  image(320, 240, (x, y) => {
    if (x >= 120 && x < 200 && y >= 70 && y < 170) return SILVER;
    if (paper && x < 40) return PAPER;
    return SLATE;
  });

describe('withExposureWhite', () => {
  it('names a dim white silver when the photo holds a clearly brighter white', () => {
    expect(withExposureWhite([{ name: 'white', hex: '#c0c0c0', share: 1 }], 98).map((c) => c.name)).toEqual(['silver']);
  });

  it('keeps a dim white white when nothing in the photo is brighter (an under-exposed page)', () => {
    expect(withExposureWhite([{ name: 'white', hex: '#c8c8c8', share: 1 }], 81).map((c) => c.name)).toEqual(['white']);
  });

  it('never renames a light white, nor anything but white, and merges a renamed white into the silver named', () => {
    expect(withExposureWhite([{ name: 'white', hex: '#f0f0f0', share: 1 }], 100).map((c) => c.name)).toEqual(['white']);
    const colours = withExposureWhite(
      [
        { name: 'beige', hex: '#d8c8a8', share: 0.45 },
        { name: 'white', hex: '#c4c4c4', share: 0.35 },
        { name: 'silver', hex: '#a8a8a8', share: 0.2 },
      ],
      99,
    );
    expect(colours).toEqual([
      { name: 'silver', hex: '#c4c4c4', share: 0.55 },
      { name: 'beige', hex: '#d8c8a8', share: 0.45 },
    ]);
  });
});

describe('frameWhitePoint', () => {
  it('is the lightness of the brightest part that is more than a speck of the frame', () => {
    expect(frameWhitePoint(scene(true))).toBeGreaterThan(95);
    expect(frameWhitePoint(scene(false))).toBeLessThan(80);
    expect(frameWhitePoint({ data: Buffer.alloc(0), width: 0, height: 0 })).toBe(0);
  });

  it('answers a frame asked again from its first measure, and measures again an image given other pixels', () => {
    const photo = scene(true);
    const bright = frameWhitePoint(photo);
    expect(frameWhitePoint(photo)).toBe(bright);
    photo.data = scene(false).data;
    expect(frameWhitePoint(photo)).toBe(frameWhitePoint(scene(false)));
    expect(frameWhitePoint(photo)).toBeLessThan(80);
  });
});

describe('white against silver in an item', () => {
  it('names a #C0C0C0 item beside white paper silver, in a box and found in the frame', () => {
    const photo = scene(true);
    expect(itemColors(photo, { x: 110 / 320, y: 60 / 240, width: 100 / 320, height: 120 / 240 })[0]?.name).toBe('silver');
    expect(salientObject(photo)?.colors[0]?.name).toBe('silver');
  });

  it('keeps the same item white where it is the brightest thing in the photo (a dim exposure)', () => {
    expect(itemColors(scene(false), { x: 110 / 320, y: 60 / 240, width: 100 / 320, height: 120 / 240 })[0]?.name).toBe('white');
  });
});
