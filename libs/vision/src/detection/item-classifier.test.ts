import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHARED_PHOTOS, sharedModelManager } from '../test-support/shared-models.js';
import { decodeImage } from './decoded-image.js';
import { ItemClassifier, softmax } from './item-classifier.js';

const photo = async (file: string) => decodeImage(await readFile(join(SHARED_PHOTOS, file)));

describe('ItemClassifier (real mobilenetv2-12-int8.onnx)', () => {
  let classifier: ItemClassifier;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const shared = await sharedModelManager();
    cleanup = shared.cleanup;
    const model = await shared.models.resolveModel('mobilenetv2-int8');
    classifier = await ItemClassifier.create({
      modelPath: model.modelPath,
      labels: model.labels,
      name: model.spec.name,
      version: model.spec.version,
    });
  });
  afterAll(async () => {
    await classifier?.close();
    await cleanup?.();
  });

  it('names the items of known photos and maps them to categories, in one batched run', async () => {
    const files = [
      'coffee_cup_saucer.jpg',
      'phone_lockscreen_in_hand.jpg',
      'pen_on_lined_paper.jpg',
      'smartwatch_calendar.jpg',
      'taxis_street.jpg',
    ];
    const run = vi.spyOn(classifier['session'], 'run');
    const [coffee, phone, pen, watch, taxis] = await classifier.classify(await Promise.all(files.map(photo)));
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]![0]['input']!.dims).toEqual([5, 3, 224, 224]);
    run.mockRestore();
    expect(coffee![0]).toMatchObject({ item: 'cup' });
    expect(['espresso', 'cup', 'coffee mug']).toContain(coffee![0]!.label);
    expect(coffee![0]!.confidence).toBeGreaterThan(0.9);
    expect(phone![0]!.item).toBe('phone');
    expect(pen![0]).toMatchObject({ label: 'ballpoint', item: 'pen' });
    expect(watch![0]).toMatchObject({ label: 'digital watch', item: 'watch' });
    // A taxi is not a lost item: the label stays, the category is null.
    expect(taxis![0]).toMatchObject({ label: 'cab', item: null });
  });

  it('gives the same answer for a photo alone and inside a batch', async () => {
    const images = await Promise.all(['coffee_cup_saucer.jpg', 'pen_on_lined_paper.jpg', 'laptop_on_kitchen_table.jpg'].map(photo));
    const batched = await classifier.classify(images);
    const alone = await classifier.classify([images[1]!]);
    expect(batched).toHaveLength(3);
    expect(alone[0]!.map((c) => c.label)).toEqual(batched[1]!.map((c) => c.label));
    alone[0]!.forEach((c, i) => expect(c.confidence).toBeCloseTo(batched[1]![i]!.confidence, 4));
  });

  it('returns probabilities: sorted, at most top-k, summing to at most 1', async () => {
    const [result] = await classifier.classify([await photo('bicycles_two_riders.jpg')]);
    expect(result!.length).toBeGreaterThan(0);
    expect(result!.length).toBeLessThanOrEqual(5);
    const confidences = result!.map((c) => c.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(confidences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
    for (const c of confidences) expect(c).toBeGreaterThanOrEqual(0.01);
  });

  it('classifies an empty batch as nothing', async () => {
    expect(await classifier.classify([])).toEqual([]);
  });
});

describe('softmax', () => {
  it('is stable for large logits and sums to 1', () => {
    const p = softmax([1000, 1000, 999]);
    expect(p[0]).toBeCloseTo(p[1]!, 6);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 6);
    expect(Number.isFinite(p[2])).toBe(true);
  });
});
