/**
 * Boxes for published Paddle lines: the line's upright bounding box, and word boxes cut from the
 * line's quadrilateral in proportion to character positions along the reading direction (the
 * recogniser gives no word geometry). Pure. Boxes are normalised to 0..1 with four decimals and
 * must never leave the image.
 */
import type { OcrBox, OcrLine, OcrWord } from '../lines.js';
import type { Point, Quad } from './geometry.js';

const r4 = (v: number): number => Math.round(v * 10_000) / 10_000;
const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

export function normalizedBox(points: readonly Point[], width: number, height: number): OcrBox {
  const x0 = clamp01(Math.min(...points.map((p) => p[0])) / width);
  const y0 = clamp01(Math.min(...points.map((p) => p[1])) / height);
  const x1 = clamp01(Math.max(...points.map((p) => p[0])) / width);
  const y1 = clamp01(Math.max(...points.map((p) => p[1])) / height);
  return { x: r4(x0), y: r4(y0), width: r4(x1 - x0), height: r4(y1 - y0) };
}

const lerp = (a: Point, b: Point, f: number): Point => [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];

/**
 * The slice [f0, f1] (0..1 along the reading direction) of a text quad. Unturned crops read from
 * edge p0-p3 towards p1-p2; crops turned 90 degrees CCW read from p0-p1 towards p3-p2; a 180-degree
 * reading runs the other way.
 */
export function quadSlice(quad: Quad, rotated: boolean, flipped: boolean, f0: number, f1: number): Point[] {
  const [p0, p1, p2, p3] = quad;
  const [a0, a1, b0, b1] = rotated ? [p0, p3, p1, p2] : [p0, p1, p3, p2];
  const g0 = flipped ? 1 - f1 : f0;
  const g1 = flipped ? 1 - f0 : f1;
  return [lerp(a0, a1, g0), lerp(b0, b1, g0), lerp(a0, a1, g1), lerp(b0, b1, g1)];
}

export interface PlacedLine {
  text: string;
  confidence: number;
  quad: Quad;
  rotated: boolean;
  flipped: boolean;
}

export function toOcrLine(line: PlacedLine, width: number, height: number): OcrLine {
  const confidence = Math.round(line.confidence * 1000) / 1000;
  const words: OcrWord[] = [];
  const n = line.text.length;
  const re = /\S+/g;
  for (let m = re.exec(line.text); m; m = re.exec(line.text)) {
    const f0 = m.index / n;
    const f1 = (m.index + m[0].length) / n;
    words.push({ text: m[0], confidence, box: normalizedBox(quadSlice(line.quad, line.rotated, line.flipped, f0, f1), width, height) });
  }
  return { text: line.text, confidence, box: normalizedBox(line.quad, width, height), words };
}
