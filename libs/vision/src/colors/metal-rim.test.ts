import { describe, expect, it } from 'vitest';
import type { NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { paintedImage } from '../test-support/painted-image.js';
import { itemColors } from './item-colors.js';
import { metalRimColors } from './metal-rim.js';

const BLACK: NamedColor[] = [{ name: 'black', hex: '#161616', share: 0.9 }];
/** The slab's box in a 240 x 180 frame: 80 x 130 px at (80, 25), the box 6 px looser all round. */
const BOX = { x: 74 / 240, y: 19 / 180, width: 92 / 240, height: 142 / 180 };

/**
 * A black phone-like slab (80 x 130 px) with a rim `rim` px wide whose grey level `rimGrey(y)` may vary along the
 * slab, a lock screen's white clock in its upper third, over `table`.
 */
function slab(rim: number, rimGrey: (y: number) => number, table: [number, number, number]): DecodedImage {
  return paintedImage(
    240,
    180,
    (x, y) => {
      const inSlab = x >= 80 && x < 160 && y >= 25 && y < 155;
      if (!inSlab) return table;
      const edge = Math.min(x - 80, 159 - x, y - 25, 154 - y);
      if (edge < rim) {
        const g = rimGrey(y);
        return [g, g, g + 4];
      }
      if (y > 55 && y < 62 && x > 100 && x < 140) return [235, 235, 235];
      return [22, 22, 24];
    },
    4,
    7,
  );
}

/** Brushed metal: dark at the top, bright at the bottom, a highlight halfway. */
const metal = (y: number) => Math.min(250, 140 + y * 0.5 + (Math.abs(y - 90) < 8 ? 60 : 0));

describe('metalRimColors', () => {
  it('names a thin metal rim round a dark face silver', () => {
    const found = metalRimColors(slab(3, metal, [70, 110, 60]), BOX, BLACK);
    expect(found.map((c) => c.name)).toEqual(['silver']);
  });

  it('finds no rim on a dark slab lying on a light table, where the bright run never ends', () => {
    expect(metalRimColors(slab(0, metal, [225, 225, 222]), BOX, BLACK)).toEqual([]);
  });

  it('leaves a matte rim of one even grey alone: no lightness swing, no metal', () => {
    expect(
      metalRimColors(
        slab(3, () => 200, [70, 110, 60]),
        BOX,
        BLACK,
      ),
    ).toEqual([]);
  });

  it('leaves a rim as light as paper alone: a white part, not metal, however its lightness swings', () => {
    const white = (y: number) => Math.min(252, 200 + y * 0.4);
    expect(metalRimColors(slab(3, white, [70, 110, 60]), BOX, BLACK)).toEqual([]);
  });

  it('looks for a rim only round a dark item, and adds nothing to an item already named silver', () => {
    const image = slab(3, metal, [70, 110, 60]);
    expect(metalRimColors(image, BOX, [{ name: 'red', hex: '#c02020', share: 0.9 }])).toEqual([]);
    expect(metalRimColors(image, BOX, [...BLACK, { name: 'silver', hex: '#c0c0c0', share: 0.1 }])).toEqual([]);
  });

  it('adds the rim after the colours itemColors measures for the face', () => {
    const names = itemColors(slab(3, metal, [70, 110, 60]), BOX).map((c) => c.name);
    expect(names[0]).toBe('black');
    expect(names).toContain('silver');
  });
});
