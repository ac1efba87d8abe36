import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../detection/decoded-image.js';
import { inkOf } from './ink-colors.js';
import { itemColors } from './item-colors.js';

/** A w x h RGB image painted by `paint(x, y)`, with a fixed-seed ±noise on every channel (camera grain). */
function image(width: number, height: number, paint: (x: number, y: number) => [number, number, number], noise = 10): DecodedImage {
  const data = Buffer.alloc(width * height * 3);
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const rgb = paint(x, y);
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + random() * noise)));
    }
  return { data, width, height };
}

const table = (): [number, number, number] => [150, 98, 56];
/** A white card 480 x 300 px at (160, 120), on a brown table. */
const onCard = (x: number, y: number) => x >= 160 && x < 640 && y >= 120 && y < 420;
/** Lines of thin print (2 px strokes every 7 px, broken into words) across the card's middle. */
const print = (x: number, y: number) => x >= 200 && x < 600 && y >= 160 && y < 380 && y % 24 < 12 && x % 7 < 2 && x % 60 < 50;
const box = { x: 150 / 800, y: 110 / 540, width: 500 / 800, height: 320 / 540 };

describe('inkColors', () => {
  it('names the blue of thin print on a white card, after the card colour and with a small share', () => {
    const photo = image(800, 540, (x, y) => (print(x, y) ? [30, 60, 170] : onCard(x, y) ? [240, 240, 236] : table()));
    const colours = itemColors(photo, box);
    expect(colours[0]?.name).toBe('white');
    const ink = colours.find((c) => c.name === 'blue');
    expect(ink).toBeDefined();
    expect(ink!.share).toBeLessThan(0.3);
    expect(itemColors(photo, box, { ink: false }).map((c) => c.name)).not.toContain('blue');
  });

  it('names black print black, and adds nothing to a plain card', () => {
    const printed = image(800, 540, (x, y) => (print(x, y) ? [20, 20, 22] : onCard(x, y) ? [240, 240, 236] : table()));
    expect(itemColors(printed, box).map((c) => c.name)).toContain('black');
    const plain = image(800, 540, (x, y) => (onCard(x, y) ? [240, 240, 236] : table()));
    expect(itemColors(plain, box).map((c) => c.name)).toEqual(['white']);
  });

  it('sees no ink on a dark surface or where a cell is mostly dark', () => {
    const dark = image(64, 64, (x) => (x % 5 < 2 ? [5, 5, 5] : [60, 60, 60]));
    expect(inkOf(dark, 0, 0, 64, 64)).toBeUndefined();
    const half = image(64, 64, (x) => (x < 32 ? [10, 10, 10] : [240, 240, 240]));
    expect(inkOf(half, 0, 0, 64, 64)).toBeUndefined();
    const stroke = image(64, 64, (x) => (x % 7 < 1 ? [200, 20, 20] : [240, 240, 240]));
    expect(inkOf(stroke, 0, 0, 64, 64)?.share).toBeGreaterThan(0.03);
  });
});
