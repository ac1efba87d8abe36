import { describe, expect, it } from 'vitest';
import type { ModelOutput } from '../detection/nanodet.js';
import {
  BLAZEFACE_INPUT_SIZE,
  blazefaceAnchors,
  blazefaceInputTensor,
  blazefaceLetterbox,
  decodeBlazefaceOutputs,
  faceHalfTurnedBack,
  rgbHalfTurn,
  weightedNonMaxSuppression,
  type PixelFace,
} from './blazeface.js';

/** The four outputs at "no face" (raw score -10), in a shuffled order: they are matched by shape. */
function outputs(): { scores: Map<number, ModelOutput>; boxes: Map<number, ModelOutput>; all: ModelOutput[] } {
  const scores = new Map<number, ModelOutput>();
  const boxes = new Map<number, ModelOutput>();
  for (const n of [512, 384]) {
    scores.set(n, { dims: [1, n, 1], data: new Float32Array(n).fill(-10) });
    boxes.set(n, { dims: [1, n, 16], data: new Float32Array(n * 16) });
  }
  return { scores, boxes, all: [boxes.get(384)!, scores.get(512)!, boxes.get(512)!, scores.get(384)!] };
}

const face = (score: number, x1: number, y1: number, x2: number, y2: number): PixelFace => ({
  score,
  x1,
  y1,
  x2,
  y2,
  keypoints: Array.from({ length: 6 }, (): [number, number] => [x1, y1]),
});

describe('blazefaceAnchors', () => {
  it('lays out 16x16 cells x 2 then 8x8 cells x 6, row-major, centred in their cells', () => {
    const anchors = blazefaceAnchors();
    expect(anchors.length).toBe(896 * 2);
    const at = (i: number) => [anchors[2 * i]!, anchors[2 * i + 1]!];
    expect(at(0)).toEqual([0.5 / 16, 0.5 / 16]);
    expect(at(1)).toEqual([0.5 / 16, 0.5 / 16]); // second anchor of the same cell
    expect(at(2)).toEqual([1.5 / 16, 0.5 / 16]); // next cell to the right
    expect(at(32)).toEqual([0.5 / 16, 1.5 / 16]); // next row
    expect(at(511)).toEqual([15.5 / 16, 15.5 / 16]);
    expect(at(512)).toEqual([0.5 / 8, 0.5 / 8]);
    expect(at(517)).toEqual([0.5 / 8, 0.5 / 8]); // sixth anchor of the first 8x8 cell
    expect(at(518)).toEqual([1.5 / 8, 0.5 / 8]);
    expect(at(895)).toEqual([7.5 / 8, 7.5 / 8]);
  });
});

describe('blazefaceInputTensor', () => {
  it('writes NHWC RGB scaled to [-1, 1] at the top-left, -1 (black) elsewhere', () => {
    const letterbox = blazefaceLetterbox(1024, 512);
    expect(letterbox).toEqual({ ratio: 0.25, width: 256, height: 128 });
    const rgb = Buffer.alloc(256 * 128 * 3);
    rgb.set([0, 255, 51], 0); // pixel (0, 0)
    rgb.set([255, 0, 102], (127 * 256 + 255) * 3); // pixel (255, 127), the last one
    const tensor = blazefaceInputTensor(rgb, letterbox);
    expect(tensor.length).toBe(BLAZEFACE_INPUT_SIZE * BLAZEFACE_INPUT_SIZE * 3);
    expect([...tensor.subarray(0, 3)]).toEqual([-1, 1, Math.fround(51 / 127.5 - 1)]);
    const last = (127 * 256 + 255) * 3;
    expect([...tensor.subarray(last, last + 3)]).toEqual([1, -1, Math.fround(102 / 127.5 - 1)]);
    // Row 128 and below is the letterbox padding.
    expect(tensor[128 * 256 * 3]).toBe(-1);
    expect(tensor[tensor.length - 1]).toBe(-1);
  });
});

describe('decodeBlazefaceOutputs', () => {
  // A 1024x512 photo: letterbox ratio 0.25, so one input pixel is four photo pixels.
  const options = {
    imageWidth: 1024,
    imageHeight: 512,
    letterbox: blazefaceLetterbox(1024, 512),
    scoreThreshold: 0.5,
    nmsIouThreshold: 0.3,
  };

  it('decodes an anchor offset, size and keypoints from 256-px input units into photo pixels', () => {
    const { scores, boxes, all } = outputs();
    // 16x16 layer, cell (x 4, y 2), first anchor: index (2 * 16 + 4) * 2; centre (4.5, 2.5) * 16 = (72, 40) px.
    const i = (2 * 16 + 4) * 2;
    scores.get(512)!.data[i] = 2; // sigmoid 0.88
    boxes.get(512)!.data.set([8, -4, 32, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], i * 16);
    const [decoded, ...rest] = decodeBlazefaceOutputs(all, options);
    expect(rest).toEqual([]);
    expect(decoded!.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    // Centre (80, 36), size 32x40 in input pixels; x4 into the photo.
    expect(decoded!.x1).toBeCloseTo((80 - 16) * 4, 3);
    expect(decoded!.y1).toBeCloseTo((36 - 20) * 4, 3);
    expect(decoded!.x2).toBeCloseTo((80 + 16) * 4, 3);
    expect(decoded!.y2).toBeCloseTo((36 + 20) * 4, 3);
    expect(decoded!.keypoints[0]![0]).toBeCloseTo((72 + 1) * 4, 3);
    expect(decoded!.keypoints[0]![1]).toBeCloseTo((40 + 2) * 4, 3);
    expect(decoded!.keypoints[5]![0]).toBeCloseTo((72 + 11) * 4, 3);
    expect(decoded!.keypoints[5]![1]).toBeCloseTo((40 + 12) * 4, 3);
  });

  it('finds the 8x8 layer by shape, clamps to the photo, and drops what is under the threshold', () => {
    const { scores, boxes, all } = outputs();
    // 8x8 layer, cell (7, 3), sixth anchor: centre (240, 112) input px, 40 px wide: past the right edge and the bottom.
    const i = (3 * 8 + 7) * 6 + 5;
    scores.get(384)!.data[i] = 0.1; // sigmoid 0.52
    boxes.get(384)!.data.set([0, 0, 40, 40], i * 16);
    scores.get(384)!.data[0] = -0.1; // 0.475: under 0.5
    boxes.get(384)!.data.set([0, 0, 40, 40], 0);
    const decoded = decodeBlazefaceOutputs(all, options);
    expect(decoded).toHaveLength(1);
    expect(decoded[0]).toMatchObject({ x1: 220 * 4, x2: 1024, y1: 92 * 4, y2: 512 });
  });

  it('fails loudly when an output is missing', () => {
    const { all } = outputs();
    expect(() => decodeBlazefaceOutputs(all.slice(1), options)).toThrow(/\[1,384,16\]/);
  });
});

describe('weightedNonMaxSuppression', () => {
  it('blends overlapping candidates by score, keeps the best score, and keeps separate faces apart', () => {
    const kept = weightedNonMaxSuppression(
      [face(0.6, 10, 10, 30, 30), face(0.9, 0, 0, 20, 20), face(0.7, 100, 100, 120, 120), face(0.3, 2, 2, 22, 22)],
      0.3,
    );
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7, 0.6]);
    const [first, second, third] = kept;
    expect(first!.score).toBe(0.9);
    // IoU(0..20, 10..30) = 100 / 700 < 0.3: not blended; IoU(0..20, 2..22) = 324 / 476 > 0.3: blended.
    expect(first!.x1).toBeCloseTo((0 * 0.9 + 2 * 0.3) / 1.2, 6);
    expect(first!.x2).toBeCloseTo((20 * 0.9 + 22 * 0.3) / 1.2, 6);
    expect(second!.score).toBe(0.7);
    expect(second!.x1).toBe(100);
    // The 0.6 box stays on its own: it overlaps the best one too little to be the same face.
    expect(third!.x1).toBe(10);
  });

  it('blends the keypoints only of candidates that face the same way as the best one (boxes of all)', () => {
    // Eyes at y 8, mouth at y 14, ears at y 9: upright; the same points turned half a turn about (10, 10): upside down.
    const upright: Array<[number, number]> = [
      [7, 8],
      [13, 8],
      [10, 11],
      [10, 14],
      [4, 9],
      [16, 9],
    ];
    const upsideDown = upright.map(([x, y]): [number, number] => [20 - x, 20 - y]);
    const best = { ...face(0.9, 0, 0, 20, 20), keypoints: upright };
    const alike = { ...face(0.6, 1, 1, 21, 21), keypoints: upright.map(([x, y]): [number, number] => [x + 1, y + 1]) };
    const turned = { ...face(0.8, 0, 0, 20, 20), keypoints: upsideDown };
    const [kept] = weightedNonMaxSuppression([alike, turned, best], 0.3);
    expect(kept!.x1).toBeCloseTo((0 * 0.9 + 1 * 0.6 + 0 * 0.8) / 2.3, 6);
    // The upside-down candidate's eyes are where the others put the mouth: left out of the keypoints.
    expect(kept!.keypoints[0]![0]).toBeCloseTo((7 * 0.9 + 8 * 0.6) / 1.5, 6);
    expect(kept!.keypoints[3]![1]).toBeCloseTo((14 * 0.9 + 15 * 0.6) / 1.5, 6);
  });
});

describe('the half-turned pass', () => {
  it('turns packed RGB half a turn: the last pixel first, the channels of each pixel kept in order', () => {
    // 3x2 pixels, each channel numbered.
    const rgb = Buffer.from(Array.from({ length: 18 }, (_, i) => i));
    expect([...rgbHalfTurn(rgb)]).toEqual([15, 16, 17, 12, 13, 14, 9, 10, 11, 6, 7, 8, 3, 4, 5, 0, 1, 2]);
  });

  it('puts a face found on the turned photo back where it is on the photo', () => {
    const turned = { score: 0.8, x1: 10, y1: 20, x2: 50, y2: 70, keypoints: [[30, 40] as [number, number]] };
    expect(faceHalfTurnedBack(turned, 200, 100)).toEqual({ score: 0.8, x1: 150, y1: 30, x2: 190, y2: 80, keypoints: [[170, 60]] });
  });
});
