import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../detection/decoded-image.js';
import { paintedImage, type Paint } from '../test-support/painted-image.js';
import { salientObject } from './salient-object.js';

/** A w x h RGB image painted by `paint(x, y)`, with this file's grain (±12, seed 11). */
const image = (width: number, height: number, paint: Paint, noise = 12): DecodedImage => paintedImage(width, height, paint, noise, 11);

/** Lined paper: off-white with faint blue rules every 16 px. */
const paper = (_x: number, y: number): [number, number, number] => (y % 16 === 0 ? [170, 190, 230] : [236, 234, 228]);

describe('salientObject', () => {
  it('finds a blue pen lying on lined paper with no box given: its box and its colour, not the paper', () => {
    // The pen: 40 x 180 px near the middle of a 240 x 320 photo.
    const photo = image(240, 320, (x, y) => (x >= 100 && x < 140 && y >= 70 && y < 250 ? [30, 60, 170] : paper(x, y)));
    const found = salientObject(photo)!;
    expect(found.colors[0]?.name).toBe('blue');
    expect(found.colors.map((c) => c.name)).not.toContain('white');
    // The box holds the pen and little else (grid cells are 8 px).
    expect(found.box.x).toBeGreaterThan(80 / 240);
    expect(found.box.x).toBeLessThanOrEqual(100 / 240);
    expect(found.box.x + found.box.width).toBeGreaterThanOrEqual(140 / 240);
    expect(found.box.x + found.box.width).toBeLessThan(160 / 240);
    expect(found.box.y).toBeLessThanOrEqual(70 / 320);
    expect(found.box.y + found.box.height).toBeGreaterThanOrEqual(250 / 320);
  });

  it('prefers the object in the middle to a larger one at the edge', () => {
    // A red card in the middle; a dark band along the right edge (a table's edge, a shadow).
    const photo = image(320, 240, (x, y) =>
      x >= 130 && x < 190 && y >= 90 && y < 150 ? [200, 30, 30] : x >= 270 && y >= 20 && y < 220 ? [40, 40, 40] : [200, 200, 196],
    );
    expect(salientObject(photo)!.colors[0]?.name).toBe('red');
  });

  it('finds an item that fills most of the frame and runs off its left edge: its own ring cells are not the background', () => {
    // A red wallet from the left edge to x = 200 of 240, y 48..272 of 320, on a grey-beige table.
    const photo = image(240, 320, (x, y) => (x < 200 && y >= 48 && y < 272 ? [190, 30, 40] : [200, 196, 186]));
    const found = salientObject(photo)!;
    expect(found.colors[0]?.name).toBe('red');
    expect(found.box.x).toBeLessThanOrEqual(0.1);
    expect(found.box.width).toBeGreaterThan(0.7);
  });

  it('returns null when nothing stands out from the border, and the same answer every time', () => {
    const flat = image(200, 150, () => [120, 120, 120]);
    expect(salientObject(flat)).toBeNull();
    const photo = image(160, 120, (x, y) => (x > 50 && x < 110 && y > 30 && y < 90 ? [240, 200, 20] : [60, 90, 60]));
    expect(salientObject(photo)).toEqual(salientObject(photo));
  });
});
