// The detector stage batches whatever photos arrive together, so a photo's batch companions depend on
// timing alone. Its objects and classes must not: the same photo alone, in a batch, or in another
// place of the batch gives byte-identical answers (checked on the real models, default thread counts).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelManager, SHARED_PHOTOS } from '../test-support/shared-models.js';
import { decodeImage, type DecodedImage } from './decoded-image.js';
import { loadDetectionModels, type DetectionModels } from './load-models.js';

const FILES = ['phone_lockscreen_in_hand.jpg', 'batteries_varta.jpg', 'laptop_on_kitchen_table.jpg', 'person_with_dog.jpg'];

let loaded: DetectionModels;
let cleanup: () => Promise<void>;
let images: DecodedImage[];

beforeAll(async () => {
  const shared = await sharedModelManager();
  cleanup = shared.cleanup;
  loaded = await loadDetectionModels({ models: shared.models });
  images = await Promise.all(FILES.map((file) => decodeImage(readFileSync(SHARED_PHOTOS + file))));
}, 300_000);
afterAll(async () => {
  for (const d of loaded.detectors) await d.close();
  await loaded.classifier?.close();
  await cleanup();
});

/** What the detector stage publishes per photo, serialized. */
async function answers(batch: DecodedImage[]): Promise<string[]> {
  const [objects, classes] = await Promise.all([loaded.detector!.detect(batch), loaded.classifier!.classify(batch)]);
  return batch.map((_, i) => JSON.stringify({ objects: objects[i], classes: classes[i] }));
}

describe('detector and classifier answers do not depend on the batch', () => {
  it('gives each photo the same answer alone, in a batch, and in reverse order', async () => {
    expect(loaded.unavailable).toEqual([]);
    const alone: string[] = [];
    for (const image of images) alone.push(...(await answers([image])));
    expect(await answers(images)).toEqual(alone);
    expect((await answers([...images].reverse())).reverse()).toEqual(alone);
    // Twice in a row in one batch (the same image posted twice) and at a new batch size.
    const doubled = await answers([images[1]!, images[1]!, images[0]!]);
    expect(doubled).toEqual([alone[1], alone[1], alone[0]]);
  }, 300_000);
});
