import { describe, expect, it } from 'vitest';
import { applyHomography, convexHull, growRect, homography, minAreaRect, unclipDistance, type Point, type Quad } from './geometry.js';

/** Corners of a w x h rectangle centred at (cx, cy), turned by deg degrees. */
function rotatedRect(cx: number, cy: number, w: number, h: number, deg: number): Point[] {
  const t = (deg * Math.PI) / 180;
  return [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ].map(([x = 0, y = 0]) => [cx + x * Math.cos(t) - y * Math.sin(t), cy + x * Math.sin(t) + y * Math.cos(t)] as Point);
}

describe('convexHull', () => {
  it('keeps the corners of a square with interior and collinear points', () => {
    const hull = convexHull([
      [0, 0],
      [2, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [2, 2],
      [0, 2],
    ]);
    expect(hull).toHaveLength(4);
    expect(hull).toEqual(
      expect.arrayContaining([
        [0, 0],
        [4, 0],
        [4, 4],
        [0, 4],
      ]),
    );
  });
});

describe('minAreaRect', () => {
  it.each([0, 12, 30, 45, 80, -20])('finds a %d-degree rectangle from its corners and inner points', (deg) => {
    const corners = rotatedRect(100, 60, 80, 20, deg);
    const rect = minAreaRect(convexHull([...corners, [100, 60], [110, 62]]));
    expect(Math.max(rect.width, rect.height)).toBeCloseTo(80, 6);
    expect(rect.shortSide).toBeCloseTo(20, 6);
    // Ordered top-left, top-right, bottom-right, bottom-left by x then y (get_mini_boxes).
    const [tl, tr, br, bl] = rect.quad;
    expect(tl[0]).toBeLessThanOrEqual(tr[0] + 1e-9);
    expect(bl[0]).toBeLessThanOrEqual(br[0] + 1e-9);
    expect(tl[1]).toBeLessThanOrEqual(bl[1] + 1e-9);
  });

  it('gives a degenerate segment zero width', () => {
    const rect = minAreaRect(
      convexHull([
        [0, 0],
        [10, 0],
        [5, 0],
      ]),
    );
    expect(rect.shortSide).toBe(0);
  });
});

describe('unclip', () => {
  it('grows a rectangle by area * ratio / perimeter on every side', () => {
    const d = unclipDistance(100, 20, 1.5);
    expect(d).toBeCloseTo((100 * 20 * 1.5) / 240, 9);
    const quad = minAreaRect(rotatedRect(50, 50, 100, 20, 30)).quad;
    const grown = minAreaRect(growRect(quad, d));
    expect(Math.max(grown.width, grown.height)).toBeCloseTo(100 + 2 * d, 6);
    expect(grown.shortSide).toBeCloseTo(20 + 2 * d, 6);
  });
});

describe('homography', () => {
  it('maps the four corners exactly and is projective in between', () => {
    const from: Quad = [
      [0, 0],
      [100, 0],
      [100, 50],
      [0, 50],
    ];
    const to: Quad = [
      [10, 20],
      [120, 5],
      [130, 80],
      [5, 60],
    ];
    const h = homography(from, to);
    from.forEach((p, i) => {
      const q = applyHomography(h, p[0], p[1]);
      expect(q[0]).toBeCloseTo(to[i]![0], 6);
      expect(q[1]).toBeCloseTo(to[i]![1], 6);
    });
  });

  it('refuses a degenerate quadrilateral', () => {
    expect(() =>
      homography(
        [
          [0, 0],
          [1, 0],
          [2, 0],
          [3, 0],
        ],
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ),
    ).toThrow(RangeError);
  });
});
