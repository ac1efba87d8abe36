/**
 * DB (differentiable binarisation) post-processing of the PP-OCRv4 detector: text probability map
 * in, text quadrilaterals in original-image pixels out, sorted in reading order. Pure, no I/O.
 * Parameters are PaddleOCR's DBPostProcess defaults as measured in the prototype
 * (../shared/reference/npm-shipped-models.md, section A). It must never allocate more than a few
 * arrays of the map's size: the map is at most 960 x 960.
 */
import { convexHull, growRect, minAreaRect, unclipDistance, type Point, type Quad } from './geometry.js';

export interface DbOptions {
  /** Pixels with probability above this are text. */
  threshold: number;
  /** A box is kept when the mean probability inside it is at least this. */
  boxThreshold: number;
  /** Components examined, largest first. */
  maxCandidates: number;
  unclipRatio: number;
  /** Boxes whose short side is below this (before unclip; +2 after) are dropped. */
  minSize: number;
}

export const DEFAULT_DB: DbOptions = { threshold: 0.3, boxThreshold: 0.6, maxCandidates: 1000, unclipRatio: 1.5, minSize: 3 };

export interface ProbabilityMap {
  data: Float32Array;
  width: number;
  height: number;
}

export interface TextBox {
  /** Top-left, top-right, bottom-right, bottom-left in original-image pixels. */
  quad: Quad;
  /** Mean probability inside the box before unclip. */
  score: number;
}

/** 8-connected components of prob > threshold, as pixel index lists, largest first. */
export function connectedComponents(map: ProbabilityMap, threshold: number, maxCount: number): Int32Array[] {
  const { data, width, height } = map;
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const components: Int32Array[] = [];
  let next = 1;
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== 0 || !(data[start]! > threshold)) continue;
    let top = 0;
    stack[top++] = start;
    labels[start] = next;
    const members: number[] = [];
    while (top > 0) {
      const i = stack[--top]!;
      members.push(i);
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const j = ny * width + nx;
          if (labels[j] === 0 && data[j]! > threshold) {
            labels[j] = next;
            stack[top++] = j;
          }
        }
      }
    }
    components.push(Int32Array.from(members));
    next++;
  }
  components.sort((a, b) => b.length - a.length);
  return components.slice(0, maxCount);
}

/** Convex hull of a component from its per-row left-most and right-most pixels (pixel centres). */
export function componentHull(pixels: Int32Array, width: number): Point[] {
  const minX = new Map<number, number>();
  const maxX = new Map<number, number>();
  for (const i of pixels) {
    const x = i % width;
    const y = (i - x) / width;
    const lo = minX.get(y);
    if (lo === undefined || x < lo) minX.set(y, x);
    const hi = maxX.get(y);
    if (hi === undefined || x > hi) maxX.set(y, x);
  }
  const points: Point[] = [];
  for (const [y, x] of minX) {
    points.push([x, y]);
    const hi = maxX.get(y)!;
    if (hi !== x) points.push([hi, y]);
  }
  return convexHull(points);
}

/** Inside a convex quadrilateral given clockwise (image coordinates), boundary included. */
function insideQuad(quad: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const a = quad[k]!;
    const b = quad[(k + 1) % 4]!;
    const c = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    if (Math.abs(c) < 1e-6 * (Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]) + 1)) continue;
    const s = c > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** PaddleOCR's box_score_fast: mean probability over the pixels inside the quad. */
export function boxScore(map: ProbabilityMap, quad: Quad): number {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = Math.max(0, Math.min(map.width - 1, Math.floor(Math.min(...xs))));
  const x1 = Math.max(0, Math.min(map.width - 1, Math.ceil(Math.max(...xs))));
  const y0 = Math.max(0, Math.min(map.height - 1, Math.floor(Math.min(...ys))));
  const y1 = Math.max(0, Math.min(map.height - 1, Math.ceil(Math.max(...ys))));
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideQuad(quad, x, y)) continue;
      sum += map.data[y * map.width + x]!;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/**
 * Reading order: top-to-bottom by the top-left corner, then left-to-right among boxes whose tops
 * are within `rowTolerance` pixels (PaddleOCR's sorted_boxes, one bubble pass per box).
 */
export function sortReadingOrder<T extends { quad: Quad }>(boxes: readonly T[], rowTolerance = 10): T[] {
  const out = [...boxes].sort((a, b) => a.quad[0][1] - b.quad[0][1] || a.quad[0][0] - b.quad[0][0]);
  for (let i = 0; i < out.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const a = out[j]!;
      const b = out[j + 1]!;
      if (Math.abs(b.quad[0][1] - a.quad[0][1]) < rowTolerance && b.quad[0][0] < a.quad[0][0]) {
        out[j] = b;
        out[j + 1] = a;
      } else break;
    }
  }
  return out;
}

/**
 * Boxes from a detector map of `map.width x map.height` for an original image of
 * `imageWidth x imageHeight` (the map was stretched, so x and y scale separately).
 */
export function boxesFromMap(map: ProbabilityMap, imageWidth: number, imageHeight: number, options: DbOptions = DEFAULT_DB): TextBox[] {
  const sx = imageWidth / map.width;
  const sy = imageHeight / map.height;
  const boxes: TextBox[] = [];
  for (const component of connectedComponents(map, options.threshold, options.maxCandidates)) {
    const hull = componentHull(component, map.width);
    const rect = minAreaRect(hull);
    if (rect.shortSide < options.minSize) continue;
    const score = boxScore(map, rect.quad);
    if (score < options.boxThreshold) continue;
    const grown = growRect(rect.quad, unclipDistance(rect.width, rect.height, options.unclipRatio));
    const again = minAreaRect(grown);
    if (again.shortSide < options.minSize + 2) continue;
    const clampX = (v: number): number => Math.min(imageWidth - 1, Math.max(0, Math.round(v * sx)));
    const clampY = (v: number): number => Math.min(imageHeight - 1, Math.max(0, Math.round(v * sy)));
    const quad = again.quad.map((p) => [clampX(p[0]), clampY(p[1])] as Point) as Quad;
    // Clamping can flatten a box at the border to nothing.
    if (
      Math.hypot(quad[1][0] - quad[0][0], quad[1][1] - quad[0][1]) <= 3 ||
      Math.hypot(quad[3][0] - quad[0][0], quad[3][1] - quad[0][1]) <= 3
    )
      continue;
    boxes.push({ quad, score });
  }
  return sortReadingOrder(boxes);
}
