import { describe, expect, it } from 'vitest';
import { rgbToLab } from './color-space.js';
import { printColours } from './print-colours.js';

const W = 96;
const H = 72;
type Rgb = [number, number, number];

/** Letters: 1 px stems 4 px tall, 3 px apart, in rows 9 px apart from row 6 on, from x 40 to 90 (x 8-90 on a page). */
const isLetter = (x: number, y: number, from = 40) => (y - 6) % 9 < 4 && y >= 6 && y < 66 && x >= from && x < 90 && x % 3 === 0;
/** A white paper filling the frame, and what `paint` draws on it (RGB per pixel, or null for paper). */
function paper(paint: (x: number, y: number) => Rgb | null): Buffer {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.set(paint(x, y) ?? [242, 242, 238], (y * W + x) * 3);
  return data;
}
const labs = (data: Buffer) => Array.from({ length: W * H }, (_, i) => rgbToLab(data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!));
const WHITE = [{ name: 'white', hex: '#f2f2ee', share: 0.9 }];
/** A card's portrait: skin, with dark hair over its top third (blobs, not strokes). */
const portrait = (x: number, y: number): Rgb | null =>
  x >= 6 && x < 32 && y >= 10 && y < 60 ? (y < 26 ? [50, 36, 30] : [205, 160, 135]) : null;

describe('printColours', () => {
  it("names a page's black text black", () => {
    const page = paper((x, y) => (isLetter(x, y, 8) ? [25, 25, 28] : null));
    expect(printColours(labs(page), W, WHITE).map((c) => c.name)).toEqual(['black']);
  });

  it("names a card's thin blue print beside a portrait, and leaves its few black lines unnamed", () => {
    const card = paper((x, y) => portrait(x, y) ?? (isLetter(x, y) ? (y < 40 ? [40, 80, 170] : [25, 25, 28]) : null));
    expect(printColours(labs(card), W, WHITE).map((c) => c.name)).toEqual(['blue']);
  });

  it('names a greyish-green print of low chroma (C* about 13) green: weak for a surface, clear against the paper', () => {
    const card = paper((x, y) => portrait(x, y) ?? (isLetter(x, y) ? [100, 125, 105] : null));
    expect(printColours(labs(card), W, WHITE).map((c) => c.name)).toEqual(['green']);
  });

  it('names no print on paper with only a portrait or a dark picture: blobs, not strokes', () => {
    const card = paper((x, y) => portrait(x, y) ?? (x >= 50 && x < 90 && y >= 20 && y < 50 ? [40, 40, 44] : null));
    expect(printColours(labs(card), W, WHITE)).toEqual([]);
    expect(printColours(labs(paper(() => null)), W, WHITE)).toEqual([]);
  });

  it('looks for print only on a light, near-neutral paper, and never repeats a name the palette has', () => {
    const text = paper((x, y) => (isLetter(x, y, 8) ? [25, 25, 28] : null));
    expect(printColours(labs(text), W, [{ name: 'brown', hex: '#8b4513', share: 0.9 }])).toEqual([]);
    expect(printColours(labs(text), W, [...WHITE, { name: 'black', hex: '#1a1a1a', share: 0.1 }])).toEqual([]);
  });
});
