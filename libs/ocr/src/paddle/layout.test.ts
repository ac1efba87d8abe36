import { describe, expect, it } from 'vitest';
import type { Quad } from './geometry.js';
import { quadSlice, toOcrLine } from './layout.js';

const quad: Quad = [
  [100, 50],
  [300, 50],
  [300, 70],
  [100, 70],
];

describe('toOcrLine', () => {
  it('normalises the line box and gives words proportional boxes with the line confidence', () => {
    const line = toOcrLine({ text: 'HIGH ENERGY', confidence: 0.98765, quad, rotated: false, flipped: false }, 400, 100);
    expect(line.box).toEqual({ x: 0.25, y: 0.5, width: 0.5, height: 0.2 });
    expect(line.confidence).toBe(0.988);
    expect(line.words.map((w) => w.text)).toEqual(['HIGH', 'ENERGY']);
    expect(line.words[0]!.confidence).toBe(0.988);
    // 'HIGH' is characters 0..4 of 11: x 100..172.7 px.
    expect(line.words[0]!.box.x).toBe(0.25);
    expect(line.words[0]!.box.width).toBeCloseTo(72.73 / 400, 3);
    expect(line.words[1]!.box.x + line.words[1]!.box.width).toBeCloseTo(0.75, 4);
  });

  it('runs words down a vertical box that was turned, and backwards when read upside down', () => {
    const tall: Quad = [
      [10, 0],
      [30, 0],
      [30, 100],
      [10, 100],
    ];
    const down = quadSlice(tall, true, false, 0, 0.5);
    expect(Math.max(...down.map((p) => p[1]))).toBeCloseTo(50, 6);
    const up = quadSlice(tall, true, true, 0, 0.5);
    expect(Math.min(...up.map((p) => p[1]))).toBeCloseTo(50, 6);
  });
});
