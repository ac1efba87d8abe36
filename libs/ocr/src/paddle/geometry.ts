/**
 * Plane geometry for text boxes: convex hull, rotating-calipers minimum-area rectangle, corner
 * ordering and the 3x3 homography of a quadrilateral. Pure numbers in, numbers out; it must never
 * touch pixels or allocate per-pixel memory (callers pass at most a few thousand hull points).
 */

export type Point = readonly [number, number];
/** Four corners: top-left, top-right, bottom-right, bottom-left (clockwise in image coordinates). */
export type Quad = [Point, Point, Point, Point];

export interface MinAreaRect {
  quad: Quad;
  /** Side lengths of the rectangle; shortSide = min of the two. */
  width: number;
  height: number;
  shortSide: number;
}

const cross = (o: Point, a: Point, b: Point): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Andrew's monotone chain; collinear points dropped. Fewer than 3 distinct points come back as they are. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique = sorted.filter((p, i) => i === 0 || p[0] !== sorted[i - 1]![0] || p[1] !== sorted[i - 1]![1]);
  if (unique.length < 3) return unique;
  const lower: Point[] = [];
  for (const p of unique) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = unique.length - 1; i >= 0; i--) {
    const p = unique[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Minimum-area enclosing rectangle of a convex hull (rotating calipers: one side of the optimum
 * lies on a hull edge). Degenerate hulls (a point, a segment) give a zero-width rectangle.
 */
export function minAreaRect(hull: readonly Point[]): MinAreaRect {
  if (hull.length === 0) throw new RangeError('minAreaRect of no points');
  let best: { area: number; ux: number; uy: number; minU: number; maxU: number; minV: number; maxV: number } | undefined;
  const n = hull.length;
  const edges = n === 1 ? 1 : n;
  for (let i = 0; i < edges; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % n]!;
    let ux = b[0] - a[0];
    let uy = b[1] - a[1];
    const len = Math.hypot(ux, uy);
    if (len === 0) {
      ux = 1;
      uy = 0;
    } else {
      ux /= len;
      uy /= len;
    }
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area - 1e-9) best = { area, ux, uy, minU, maxU, minV, maxV };
  }
  const { ux, uy, minU, maxU, minV, maxV } = best!;
  const at = (u: number, v: number): Point => [u * ux - v * uy, u * uy + v * ux];
  const corners = [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)];
  const width = maxU - minU;
  const height = maxV - minV;
  return { quad: orderMiniBox(corners), width, height, shortSide: Math.min(width, height) };
}

/**
 * PaddleOCR's get_mini_boxes ordering: of the two left-most corners the upper is top-left, the
 * other bottom-left; of the two right-most the upper is top-right.
 */
export function orderMiniBox(corners: readonly Point[]): Quad {
  const s = [...corners].sort((a, b) => a[0] - b[0]);
  const [l1, l2, r1, r2] = s as [Point, Point, Point, Point];
  const [tl, bl] = l1[1] <= l2[1] ? [l1, l2] : [l2, l1];
  const [tr, br] = r1[1] <= r2[1] ? [r1, r2] : [r2, r1];
  return [tl, tr, br, bl];
}

/** Grows a rectangle by d on every side, keeping centre and angle (an offset rectangle's min-area rectangle). */
export function growRect(quad: Quad, d: number): Quad {
  const [p0, p1, , p3] = quad;
  const ux = p1[0] - p0[0];
  const uy = p1[1] - p0[1];
  const vx = p3[0] - p0[0];
  const vy = p3[1] - p0[1];
  const lu = Math.hypot(ux, uy) || 1;
  const lv = Math.hypot(vx, vy) || 1;
  const ex = (ux / lu) * d;
  const ey = (uy / lu) * d;
  // A zero-height rectangle still has a normal: perpendicular to its long side.
  const nx = (lv > 1e-9 ? vx / lv : -uy / lu) * d;
  const ny = (lv > 1e-9 ? vy / lv : ux / lu) * d;
  return [
    [p0[0] - ex - nx, p0[1] - ey - ny],
    [p1[0] + ex - nx, p1[1] + ey - ny],
    [quad[2][0] + ex + nx, quad[2][1] + ey + ny],
    [p3[0] - ex + nx, p3[1] - ey + ny],
  ];
}

/** Unclip distance of the DB paper for a w x h rectangle: area * ratio / perimeter. */
export function unclipDistance(width: number, height: number, ratio: number): number {
  const perimeter = 2 * (width + height);
  return perimeter > 0 ? (width * height * ratio) / perimeter : 0;
}

/**
 * Homography H (row-major 3x3, h33 = 1) with H * from[i] ~ to[i], by Gaussian elimination of the
 * 8x8 system. Throws on a degenerate quadrilateral.
 */
export function homography(from: Quad, to: Quad): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new RangeError('degenerate quadrilateral');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const row = a[col]!;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / row[col]!;
      if (f === 0) continue;
      for (let c = col; c < 9; c++) a[r]![c]! -= f * row[c]!;
    }
  }
  const h = a.map((row, i) => row[8]! / row[i]!);
  return [...h, 1];
}

export function applyHomography(h: readonly number[], x: number, y: number): Point {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

export const distance = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
