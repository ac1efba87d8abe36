import { describe, expect, it } from 'vitest';
import { boxesFromMap, boxScore, connectedComponents, sortReadingOrder, type ProbabilityMap } from './db-postprocess.js';
import { minAreaRect, type Quad } from './geometry.js';

/** A map with the given rotated rectangles painted at probability p (pixel centres inside). */
function mapWith(
  width: number,
  height: number,
  rects: { cx: number; cy: number; w: number; h: number; deg: number; p?: number }[],
): ProbabilityMap {
  const data = new Float32Array(width * height);
  for (const r of rects) {
    const t = (r.deg * Math.PI) / 180;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = x - r.cx;
        const dy = y - r.cy;
        const u = dx * Math.cos(t) + dy * Math.sin(t);
        const v = -dx * Math.sin(t) + dy * Math.cos(t);
        if (Math.abs(u) <= r.w / 2 && Math.abs(v) <= r.h / 2) data[y * width + x] = r.p ?? 0.9;
      }
    }
  }
  return { data, width, height };
}

const sides = (q: Quad): [number, number] => {
  const r = minAreaRect(q);
  return [Math.max(r.width, r.height), r.shortSide];
};

describe('connectedComponents', () => {
  it('joins diagonal neighbours (8-connected) and sorts largest first', () => {
    const data = new Float32Array(5 * 5);
    for (const i of [0, 6, 12, 4, 9, 14, 19, 24]) data[i] = 1;
    const components = connectedComponents({ data, width: 5, height: 5 }, 0.3, 10);
    expect(components.map((c) => c.length)).toEqual([5, 3]);
  });

  it('stops at maxCount', () => {
    const data = new Float32Array(10).fill(0);
    data[0] = data[2] = data[4] = 1;
    expect(connectedComponents({ data, width: 10, height: 1 }, 0.3, 2)).toHaveLength(2);
  });
});

describe('boxesFromMap', () => {
  it('returns a rotated rectangle as its min-area rectangle, unclipped, within a pixel', () => {
    const map = mapWith(200, 120, [{ cx: 100, cy: 60, w: 120, h: 16, deg: 15 }]);
    const [box, ...rest] = boxesFromMap(map, 200, 120);
    expect(rest).toEqual([]);
    expect(box!.score).toBeGreaterThan(0.85);
    // Pixel centres span ~w-1 x h-1; unclip grows each side by d = w*h*1.5/(2(w+h)).
    const d = (119 * 15 * 1.5) / (2 * (119 + 15));
    const [long, short] = sides(box!.quad);
    expect(long).toBeGreaterThan(119 + 2 * d - 2.5);
    expect(long).toBeLessThan(119 + 2 * d + 2.5);
    expect(short).toBeGreaterThan(15 + 2 * d - 2.5);
    expect(short).toBeLessThan(15 + 2 * d + 2.5);
    // The long side still runs at ~15 degrees.
    const [tl, tr] = box!.quad;
    expect((Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180) / Math.PI).toBeCloseTo(15, 0);
  });

  it('scales back with separate x and y factors and clamps to the image', () => {
    const map = mapWith(64, 32, [{ cx: 32, cy: 16, w: 40, h: 8, deg: 0 }]);
    const [box] = boxesFromMap(map, 640, 96);
    const xs = box!.quad.map((p) => p[0]);
    const ys = box!.quad.map((p) => p[1]);
    // x scaled by 10, y by 3.
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(390);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(60);
    for (const [x, y] of box!.quad) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(639);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(95);
    }
  });

  it('drops thin specks (short side < 3) and weak regions (mean probability < 0.6)', () => {
    const map = mapWith(200, 100, [
      { cx: 50, cy: 20, w: 60, h: 2, deg: 0 },
      { cx: 100, cy: 60, w: 60, h: 12, deg: 0, p: 0.45 },
    ]);
    expect(boxesFromMap(map, 200, 100)).toEqual([]);
    const strong = mapWith(200, 100, [{ cx: 100, cy: 60, w: 60, h: 12, deg: 0, p: 0.65 }]);
    expect(boxesFromMap(strong, 200, 100)).toHaveLength(1);
  });

  it('sorts top to bottom, and left to right within a row', () => {
    const map = mapWith(300, 120, [
      { cx: 220, cy: 22, w: 60, h: 12, deg: 0 },
      { cx: 60, cy: 25, w: 60, h: 12, deg: 0 },
      { cx: 150, cy: 90, w: 200, h: 12, deg: 0 },
    ]);
    const centres = boxesFromMap(map, 300, 120).map((b) => Math.round(b.quad.reduce((s, p) => s + p[0], 0) / 40));
    expect(centres).toEqual([6, 22, 15]);
  });
});

describe('boxScore', () => {
  it('is the mean probability inside the quad', () => {
    const map = mapWith(20, 20, [{ cx: 10, cy: 10, w: 8, h: 8, deg: 0, p: 0.8 }]);
    // The painted square covers pixel centres 6..14 (9 x 9); the quad 4..16 holds 13 x 13 pixels.
    expect(
      boxScore(map, [
        [4, 4],
        [16, 4],
        [16, 16],
        [4, 16],
      ]),
    ).toBeCloseTo((0.8 * 81) / 169, 5);
    expect(
      boxScore(map, [
        [7, 7],
        [13, 7],
        [13, 13],
        [7, 13],
      ]),
    ).toBeCloseTo(0.8, 5);
  });
});

describe('sortReadingOrder', () => {
  it('treats tops within 10 px as one row', () => {
    const at = (x: number, y: number) => ({
      quad: [
        [x, y],
        [x + 5, y],
        [x + 5, y + 5],
        [x, y + 5],
      ] as Quad,
    });
    const out = sortReadingOrder([at(100, 5), at(0, 12), at(50, 40)]);
    expect(out.map((b) => b.quad[0][0])).toEqual([0, 100, 50]);
  });
});
