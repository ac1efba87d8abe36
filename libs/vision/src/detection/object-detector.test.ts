import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_PHOTOS, sharedModelManager } from '../test-support/shared-models.js';
import { decodeImage, type DecodedImage } from './decoded-image.js';
import { createModelSession } from './inference-session.js';
import { ObjectDetector, type DetectedObject } from './object-detector.js';

const photo = async (file: string) => decodeImage(await readFile(join(SHARED_PHOTOS, file)));
const labels = (objects: DetectedObject[]) => objects.map((o) => o.label);

describe('ObjectDetector (real yolox_nano.onnx)', () => {
  let detector: ObjectDetector;
  let cleanup: () => Promise<void>;
  let modelPath: string;
  let cocoLabels: string[];
  const inferences: Array<[string, number]> = [];

  beforeAll(async () => {
    const shared = await sharedModelManager();
    cleanup = shared.cleanup;
    const model = await shared.models.resolveModel('yolox-nano');
    modelPath = model.modelPath;
    cocoLabels = model.labels;
    detector = await ObjectDetector.create({
      modelPath,
      labels: model.labels,
      name: model.spec.name,
      version: model.spec.version,
      onInference: (name, seconds) => inferences.push([name, seconds]),
    });
  });
  afterAll(async () => {
    await detector?.close();
    await cleanup?.();
  });

  it('finds cell phones and cars, in input order, from one batch call', async () => {
    const images = await Promise.all(['phone_with_powerbank.jpg', 'taxis_street.jpg', 'phone_lockscreen_in_hand.jpg'].map(photo));
    const [phone, taxis, lockscreen] = await detector.detect(images);
    expect(labels(phone!)).toContain('cell phone');
    expect(labels(lockscreen!)).toContain('cell phone');
    expect(labels(taxis!).filter((l) => l === 'car').length).toBeGreaterThanOrEqual(4);
    expect(detector.batchIsFixed).toBe(true);
    // One measurement per session run (one image each: the graph's batch is fixed at 1), for model_inference_duration_seconds.
    expect(inferences.slice(0, 3).map(([name]) => name)).toEqual(['yolox-nano', 'yolox-nano', 'yolox-nano']);
    for (const [, seconds] of inferences) expect(seconds).toBeGreaterThan(0);
  });

  it('returns boxes normalized to the photo, clamped, highest confidence first', async () => {
    const [objects] = await detector.detect([await photo('phone_with_powerbank.jpg')]);
    const phone = objects!.find((o) => o.label === 'cell phone')!;
    expect(phone.confidence).toBeGreaterThan(0.5);
    for (const o of objects!) {
      expect(o.confidence).toBeGreaterThanOrEqual(0.3);
      expect(o.box.x).toBeGreaterThanOrEqual(0);
      expect(o.box.y).toBeGreaterThanOrEqual(0);
      expect(o.box.x + o.box.width).toBeLessThanOrEqual(1 + 1e-9);
      expect(o.box.y + o.box.height).toBeLessThanOrEqual(1 + 1e-9);
      expect(o.box.width).toBeGreaterThan(0);
    }
    expect(objects!.map((o) => o.confidence)).toEqual([...objects!.map((o) => o.confidence)].sort((a, b) => b - a));
  });

  it('maps boxes back through the letterbox ratio, independent of the input size', async () => {
    // The cars of taxis_street must stay on the same pixels whether the photo is letterboxed from
    // 1280 px or 640 px wide: a wrong ratio or a centred letterbox would shift them.
    const full = await photo('taxis_street.jpg');
    const half = await decodeImage(
      await sharp(await readFile(join(SHARED_PHOTOS, 'taxis_street.jpg')))
        .resize(640)
        .jpeg()
        .toBuffer(),
    );
    const [a, b] = await detector.detect([full, half]);
    const best = (objects: DetectedObject[]) => objects.find((o) => o.label === 'car')!.box;
    const [boxA, boxB] = [best(a!), best(b!)];
    expect(Math.abs(boxA.x - boxB.x)).toBeLessThan(0.03);
    expect(Math.abs(boxA.y - boxB.y)).toBeLessThan(0.03);
    expect(Math.abs(boxA.width - boxB.width)).toBeLessThan(0.03);
  });

  it('finds nothing on a blank image', async () => {
    const blank: DecodedImage = { data: Buffer.alloc(640 * 480 * 3, 200), width: 640, height: 480 };
    expect(await detector.detect([blank])).toEqual([[]]);
  });

  it('honours the score threshold', async () => {
    const strict = await ObjectDetector.create({ modelPath, labels: cocoLabels, name: 'x', version: 'x', scoreThreshold: 0.99 });
    // The espresso cup scores about 0.30 (nano model, small dark cup): the README's lower bound finds it.
    const lenient = await ObjectDetector.create({ modelPath, labels: cocoLabels, name: 'x', version: 'x', scoreThreshold: 0.25 });
    try {
      expect(await strict.detect([await photo('taxis_street.jpg')])).toEqual([[]]);
      const [coffee] = await lenient.detect([await photo('coffee_cup_saucer.jpg')]);
      expect(labels(coffee!)).toContain('cup');
    } finally {
      await strict.close();
      await lenient.close();
    }
  });

  it('falls back to CPU loudly when CUDA cannot be loaded', async () => {
    const warnings: string[] = [];
    const { session, executionProvider } = await createModelSession(modelPath, { enableGpu: true, onWarning: (m) => warnings.push(m) });
    try {
      if (executionProvider === 'cpu') {
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/CUDA execution provider unavailable .*falling back to CPU/);
      } else {
        expect(warnings).toEqual([]);
      }
    } finally {
      await session.release();
    }
  });
});

describe('decodeImage', () => {
  it('rejects bytes that are not an image with MEDIA_AI_PHOTO_CORRUPT', async () => {
    await expect(decodeImage(Buffer.from('definitely not a jpeg'))).rejects.toMatchObject({ code: 'MEDIA_AI_PHOTO_CORRUPT' });
  });

  it('flattens alpha and yields packed RGB', async () => {
    const png = await sharp({ create: { width: 3, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const image = await decodeImage(png);
    expect(image).toMatchObject({ width: 3, height: 2 });
    expect(image.data.length).toBe(3 * 2 * 3);
    expect([...image.data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });
});
