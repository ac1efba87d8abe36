// Test helper: a synthetic photo painted pixel by pixel, with a fixed-seed grain on every channel, so
// colour tests see camera-like noise and still give the same image every run.
import type { DecodedImage } from '../detection/decoded-image.js';

export type Paint = (x: number, y: number) => [number, number, number];

/** A width x height RGB image painted by `paint(x, y)`, each channel moved by up to ±`noise` (seeded). */
export function paintedImage(width: number, height: number, paint: Paint, noise: number, seed: number): DecodedImage {
  const data = Buffer.alloc(width * height * 3);
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const rgb = paint(x, y);
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + random() * noise)));
    }
  return { data, width, height };
}
