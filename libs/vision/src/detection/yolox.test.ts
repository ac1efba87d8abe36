import { describe, expect, it } from 'vitest';
import {
  decodeYoloxOutput,
  intersectionOverUnion,
  letterboxFor,
  nonMaxSuppressionPerClass,
  yoloxInputTensor,
  YOLOX_PAD_VALUE,
  type PixelDetection,
} from './yolox.js';

const CLASSES = 80;
const COLUMNS = 5 + CLASSES;
const ANCHORS = 52 * 52 + 26 * 26 + 13 * 13;

/** An all-background output with chosen anchors set (obj and cls are post-sigmoid, like the export). */
function output(cells: Array<{ row: number; t: [number, number, number, number]; obj: number; cls: number; score: number }>): Float32Array {
  const data = new Float32Array(ANCHORS * COLUMNS);
  for (const cell of cells) {
    const base = cell.row * COLUMNS;
    data.set(cell.t, base);
    data[base + 4] = cell.obj;
    data[base + 5 + cell.cls] = cell.score;
  }
  return data;
}

describe('letterboxFor', () => {
  it('scales the longer side to 416 and rounds the other', () => {
    expect(letterboxFor(640, 426)).toEqual({ ratio: 0.65, width: 416, height: 277 });
    expect(letterboxFor(1200, 1800)).toMatchObject({ width: 277, height: 416 });
  });
});

describe('yoloxInputTensor', () => {
  it('writes BGR planes of raw 0..255 values at the top-left and pads with 114', () => {
    // 2x1 image: pixel (0,0) = RGB(10,20,30), pixel (1,0) = RGB(200,100,50).
    const rgb = Buffer.from([10, 20, 30, 200, 100, 50]);
    const tensor = yoloxInputTensor(rgb, { ratio: 1, width: 2, height: 1 }, 4);
    const plane = 16;
    expect([tensor[0], tensor[plane], tensor[2 * plane]]).toEqual([30, 20, 10]);
    expect([tensor[1], tensor[plane + 1], tensor[2 * plane + 1]]).toEqual([50, 100, 200]);
    // Right of the image and the whole second row are padding, not centred.
    expect(tensor[2]).toBe(YOLOX_PAD_VALUE);
    expect(tensor[4]).toBe(YOLOX_PAD_VALUE);
    expect(tensor[2 * plane + 15]).toBe(YOLOX_PAD_VALUE);
  });
});

describe('decodeYoloxOutput', () => {
  const base = { imageWidth: 640, imageHeight: 426, numClasses: CLASSES, scoreThreshold: 0.3, nmsIouThreshold: 0.45 };

  it('decodes grid offsets, strides and exp sizes into original pixels', () => {
    // Stride 16 block starts after 52*52 rows; cell (x=10, y=5) -> row 2704 + 5*26 + 10.
    const row = 52 * 52 + 5 * 26 + 10;
    const data = output([{ row, t: [0.5, 0.5, Math.log(4), Math.log(2)], obj: 0.9, cls: 67, score: 0.8 }]);
    const [d] = decodeYoloxOutput(data, { ...base, ratio: 0.5 });
    // cx = (0.5+10)*16 = 168, cy = (0.5+5)*16 = 88, w = 64, h = 32 in letterbox px; / 0.5 to original.
    expect(d).toMatchObject({ classIndex: 67 });
    expect(d!.score).toBeCloseTo(0.72, 5);
    expect(d!.x1).toBeCloseTo(272, 3);
    expect(d!.y1).toBeCloseTo(144, 3);
    expect(d!.x2).toBeCloseTo(400, 3);
    expect(d!.y2).toBeCloseTo(208, 3);
  });

  it('uses obj * max(cls) against the threshold and clamps boxes to the image', () => {
    const strideThirtyTwoLast = ANCHORS - 1; // cell (12,12) at stride 32: centre beyond a small image
    const data = output([
      { row: 0, t: [0, 0, 0, 0], obj: 0.9, cls: 1, score: 0.3 }, // 0.27: below 0.3
      { row: strideThirtyTwoLast, t: [0.5, 0.5, Math.log(4), Math.log(4)], obj: 0.8, cls: 2, score: 0.9 },
    ]);
    const detections = decodeYoloxOutput(data, { ...base, ratio: 1, imageWidth: 416, imageHeight: 416 });
    expect(detections).toHaveLength(1);
    expect(detections[0]).toMatchObject({ classIndex: 2, x2: 416, y2: 416 });
    expect(detections[0]!.x1).toBeCloseTo(400 - 64, 3);
  });

  it('returns nothing for an all-background output', () => {
    expect(decodeYoloxOutput(output([]), { ...base, ratio: 1 })).toEqual([]);
  });

  it('refuses an output with too few anchors', () => {
    expect(() => decodeYoloxOutput(new Float32Array(10 * COLUMNS), { ...base, ratio: 1 })).toThrow(/anchors/);
  });
});

describe('nonMaxSuppressionPerClass', () => {
  const box = (classIndex: number, score: number, x1: number): PixelDetection => ({ classIndex, score, x1, y1: 0, x2: x1 + 100, y2: 100 });

  it('keeps the best of overlapping boxes of one class, and overlapping boxes of other classes', () => {
    const kept = nonMaxSuppressionPerClass([box(0, 0.5, 10), box(0, 0.9, 0), box(1, 0.6, 0), box(0, 0.4, 300)], 0.45);
    expect(kept.map((d) => [d.classIndex, d.score])).toEqual([
      [0, 0.9],
      [1, 0.6],
      [0, 0.4],
    ]);
  });

  it('computes IoU', () => {
    expect(intersectionOverUnion(box(0, 1, 0), box(0, 1, 50))).toBeCloseTo(50 / 150, 6);
    expect(intersectionOverUnion(box(0, 1, 0), box(0, 1, 200))).toBe(0);
  });
});
