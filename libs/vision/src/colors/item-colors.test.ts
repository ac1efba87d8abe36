import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../detection/decoded-image.js';
import { paintedImage, type Paint } from '../test-support/painted-image.js';
import { itemColors, itemModel } from './item-colors.js';

/** A w x h RGB image painted by `paint(x, y)`, with this file's grain (±12, seed 7). */
const image = (width: number, height: number, paint: Paint, noise = 12): DecodedImage => paintedImage(width, height, paint, noise, 7);

/** Wood: brown with darker grain stripes, the table a phone lies on. */
const wood = (x: number, y: number): [number, number, number] =>
  Math.sin(x / 3 + Math.sin(y / 17) * 4) > 0.6 ? [96, 60, 30] : [150, 98, 56];

describe('itemColors', () => {
  it('names a black phone on a wooden table black, not brown', () => {
    // The phone covers 60 x 110 px; the detector's box is a little loose around it.
    const photo = image(320, 240, (x, y) => (x >= 130 && x < 190 && y >= 60 && y < 170 ? [22, 22, 26] : wood(x, y)));
    const colours = itemColors(photo, { x: 122 / 320, y: 52 / 240, width: 76 / 320, height: 126 / 240 });
    expect(colours[0]?.name).toBe('black');
    expect(colours.map((c) => c.name)).not.toContain('brown');
    expect(colours[0]?.hex).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('keeps both colours of a two-coloured item and ranks them by share of the item', () => {
    // A red bag with a white band over its lower third, on a blue-grey floor.
    const photo = image(300, 300, (x, y) => {
      if (x < 90 || x >= 210 || y < 80 || y >= 230) return [90, 100, 120];
      return y >= 180 ? [240, 240, 238] : [200, 30, 30];
    });
    const colours = itemColors(photo, { x: 0.28, y: 0.24, width: 0.44, height: 0.56 });
    expect(colours.map((c) => c.name)).toEqual(['red', 'white']);
    expect(colours[0]!.share).toBeGreaterThan(colours[1]!.share);
  });

  it('measures an item that fills the whole photo (no surroundings to model)', () => {
    const photo = image(200, 150, () => [30, 80, 190]);
    expect(itemColors(photo, { x: 0, y: 0, width: 1, height: 1 }).map((c) => c.name)).toEqual(['blue']);
  });

  it('returns nothing for a box that covers no pixel, and the same answer every time', () => {
    const photo = image(160, 120, wood);
    expect(itemColors(photo, { x: 0.5, y: 0.5, width: 0, height: 0.2 })).toEqual([]);
    const box = { x: 0.2, y: 0.2, width: 0.5, height: 0.5 };
    expect(itemColors(photo, box)).toEqual(itemColors(photo, box));
  });

  it('adds a small logo of another colour as an accent after the item colours, not its outline', () => {
    // A white card (140 x 90 px) with a 24 x 18 px green logo, about 3 % of the card, on a wooden table.
    const card = (x: number, y: number) => x >= 90 && x < 230 && y >= 75 && y < 165;
    const logo = (x: number, y: number) => x >= 110 && x < 134 && y >= 95 && y < 113;
    const photo = image(320, 240, (x, y) => (logo(x, y) ? [30, 140, 60] : card(x, y) ? [238, 238, 235] : wood(x, y)));
    const box = { x: 84 / 320, y: 70 / 240, width: 152 / 320, height: 100 / 240 };
    const colours = itemColors(photo, box);
    const plain = itemColors(photo, box, { accents: false });
    expect(plain.map((c) => c.name)).toEqual(['white']);
    expect(colours.map((c) => c.name)).toEqual(['white', 'green']);
    expect(colours[1]!.share).toBeLessThan(0.1);
  });

  it('finds no accent on a plain item, nor in the background seen through its hole', () => {
    const plainCard = image(320, 240, (x, y) => (x >= 90 && x < 230 && y >= 75 && y < 165 ? [238, 238, 235] : wood(x, y)));
    const box = { x: 84 / 320, y: 70 / 240, width: 152 / 320, height: 100 / 240 };
    expect(itemColors(plainCard, box)).toEqual(itemColors(plainCard, box, { accents: false }));
    // A blue luggage tag with a round hole the table shows through.
    const tag = image(320, 240, (x, y) => {
      const inTag = x >= 90 && x < 230 && y >= 75 && y < 165 && Math.hypot(x - 120, y - 110) > 14;
      return inTag ? [30, 80, 190] : wood(x, y);
    });
    expect(itemColors(tag, box).map((c) => c.name)).toEqual(['blue']);
  });
  it('finds no accent in the shadow a badge casts into its own slot', () => {
    // A white badge with a lanyard slot (50 x 16 px); the badge's shadow falls on the table inside the slot's
    // lower half, darker than any wood around the badge. Only the badge's white is named.
    const box = { x: 84 / 320, y: 70 / 240, width: 152 / 320, height: 100 / 240 };
    const slot = (x: number, y: number) => x >= 135 && x < 185 && y >= 90 && y < 106;
    const badge = image(320, 240, (x, y) => {
      if (!(x >= 90 && x < 230 && y >= 75 && y < 165)) return wood(x, y);
      if (!slot(x, y)) return [238, 238, 235];
      return y < 98 ? wood(x, y) : [40, 30, 24];
    });
    expect(itemColors(badge, box).map((c) => c.name)).toEqual(['white']);
  });

  it('names a thin rod by its colour, not the wall that fills most of its box', () => {
    // A blue rod 8 px thick along the diagonal of a 160 x 100 px box on a light grey wall: about 8 % of the box.
    const wall: [number, number, number] = [200, 200, 196];
    const onRod = (x: number, y: number) => x >= 80 && x < 240 && y >= 70 && y < 170 && Math.abs(y - 70 - ((x - 80) * 100) / 160) < 5;
    const photo = image(320, 240, (x, y) => (onRod(x, y) ? [30, 70, 180] : wall));
    const colours = itemColors(photo, { x: 76 / 320, y: 66 / 240, width: 168 / 320, height: 108 / 240 });
    expect(colours[0]?.name).toBe('blue');
    expect(colours.map((c) => c.name)).not.toContain('white');
  });

  it('keeps a solid item the colour of the wall behind it, where an open one drops it', () => {
    // A black phone (a 70 x 130 px slab, turned 20 degrees, a 3 px white rim round its face) held over a black wall,
    // in the detector's box round the turned slab: the wall shows in the box's corners, the hand below it.
    const turn = (20 * Math.PI) / 180;
    const slab = (x: number, y: number) => {
      const u = (x - 160) * Math.cos(turn) + (y - 120) * Math.sin(turn);
      const v = -(x - 160) * Math.sin(turn) + (y - 120) * Math.cos(turn);
      return { inside: Math.abs(u) < 35 && Math.abs(v) < 65, face: Math.abs(u) < 32 && Math.abs(v) < 62 };
    };
    const photo = image(320, 240, (x, y) => {
      const { inside, face } = slab(x, y);
      if (face) return [20, 20, 24];
      if (inside) return [236, 236, 232];
      return Math.hypot((x - 170) / 40, (y - 200) / 50) < 1 ? [205, 160, 130] : [24, 22, 26];
    });
    const box = { x: 94 / 320, y: 44 / 240, width: 132 / 320, height: 152 / 240 };
    expect(itemColors(photo, box, { outline: 'solid' })[0]?.name).toBe('black');
    expect(itemColors(photo, box)[0]?.name).not.toBe('black');
  });
});

describe('itemModel', () => {
  const lab = (l: number, a = 0, b = 0) => ({ l, a, b });
  it("drops the item model's clusters the surroundings explain, and keeps it whole where none would stay", () => {
    const wall = { centre: lab(80), weight: 100 };
    const rod = { centre: lab(35, 10, -45), weight: 10 };
    const wallAsItem = { centre: lab(81, 1, 0), weight: 30 };
    expect(itemModel([rod, wallAsItem], [wall])).toEqual([rod]);
    expect(itemModel([wallAsItem], [wall])).toEqual([wallAsItem]);
    expect(itemModel([rod, wallAsItem], null)).toEqual([rod, wallAsItem]);
  });
});
