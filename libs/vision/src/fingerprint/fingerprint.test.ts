import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { ITEM_FEATURE_MAP, ItemClassifier } from '../detection/item-classifier.js';
import { SHARED_PHOTOS, sharedModelManager } from '../test-support/shared-models.js';
import { boxForegroundMask, fingerprintOptionsNamed } from './crop-variants.js';
import { fingerprintPhotos, type FingerprintOptions } from './fingerprint-photos.js';
import { SALIENT_OBJECT_LABEL } from './photo-fingerprint.js';
import { COLOR_BINS, encodeEmbedding, ITEM_IMAGE_SIDE, itemImage, mainItemOf, perceptualHash } from './photo-fingerprint.js';

const photo = async (file: string, edit?: (s: Sharp) => Sharp) => {
  const bytes = await readFile(join(SHARED_PHOTOS, file));
  return decodeImage(edit ? await edit(sharp(bytes).rotate()).jpeg().toBuffer() : bytes);
};

const vector = (base64: string) => {
  const bytes = Buffer.from(base64, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
};
const cosine = (a: string, b: string) => {
  const x = vector(a);
  const y = vector(b);
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
  return dot / (127 * 127);
};
const hamming = (a: string, b: string) =>
  [...a].reduce((n, c, i) => n + [...(parseInt(c, 16) ^ parseInt(b[i]!, 16)).toString(2)].filter((bit) => bit === '1').length, 0);

/** A 200 x 100 photo: green everywhere, a red square at x 40-80, y 20-80. */
function redSquareOnGreen(): { data: Buffer; width: number; height: number } {
  const width = 200;
  const height = 100;
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    data.set(x >= 40 && x < 80 && y >= 20 && y < 80 ? [220, 20, 30] : [20, 160, 40], i * 3);
  }
  return { data, width, height };
}
describe('photo fingerprint (real mobilenetv2-12-int8.onnx, real photos)', () => {
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

  it('classifies as before and gives 1280 pooled features per image from the same run', async () => {
    const images = [await photo('coffee_cup_saucer.jpg'), await photo('phone_lockscreen_in_hand.jpg')];
    const { classes, embeddings } = await classifier.classifyAndEmbed(images);
    expect(classes).toEqual(await classifier.classify(images));
    expect(classes[0]![0]!.item).toBe('cup');
    expect(embeddings.map((e) => e.length)).toEqual([1280, 1280]);
    expect(Math.min(...embeddings[0]!)).toBeGreaterThanOrEqual(0);
    expect(classifier.embeddingModel).toBe('mobilenetv2-int8/global-average-pool+block-28x28x32:3');
  });

  it("embeds an item image as its global pool and its own cells' pool of the 28 x 28 x 32 block", async () => {
    const image = await photo('skateboard_closeup.jpg');
    const item = itemImage(image, { x: 0.2, y: 0.1, width: 0.5, height: 0.6 }, null).image;
    const [vector] = await classifier.embed([item]);
    const { embeddings, maps } = await classifier.embedWithFeatureMaps([item]);
    expect(vector).toHaveLength(1280 + 64);
    expect(maps[0]![ITEM_FEATURE_MAP]).toMatchObject({ channels: 32, height: 28, width: 28 });
    // Each half is of unit length: the global pool's direction, then the block's mean and max halves.
    const norm = (v: Float32Array) => Math.hypot(...v);
    expect(norm(vector!.subarray(0, 1280))).toBeCloseTo(1, 4);
    expect(norm(vector!.subarray(1280))).toBeCloseTo(1, 4);
    expect(vector![0]! * norm(embeddings[0]!)).toBeCloseTo(embeddings[0]![0]!, 4);
  });

  it('keeps the perceptual hash of a re-encoded, resized photo and tells other photos apart', async () => {
    const original = await perceptualHash(await photo('skateboard_closeup.jpg'));
    const reposted = await perceptualHash(await photo('skateboard_closeup.jpg', (s) => s.resize(400).jpeg({ quality: 40 })));
    const other = await perceptualHash(await photo('coffee_cup_saucer.jpg'));
    expect(original).toMatch(/^[0-9a-f]{16}$/);
    expect(hamming(original, reposted)).toBeLessThanOrEqual(6);
    expect(hamming(original, other)).toBeGreaterThan(16);
  });

  it('embeds the main item crop first, closer to the same item in a second photo than to another item', async () => {
    const box = { x: 0.2, y: 0.1, width: 0.5, height: 0.6 };
    const objects = [
      [
        { label: 'person', confidence: 0.99, box: { x: 0, y: 0, width: 1, height: 1 } },
        { label: 'skateboard', confidence: 0.8, box },
      ],
      [],
    ];
    const images: DecodedImage[] = [await photo('skateboard_closeup.jpg'), await photo('coffee_cup_saucer.jpg')];
    const whole = await classifier.embed(images);
    const [skate, cup] = await fingerprintPhotos(classifier, images, objects, whole);
    expect(skate!.items.map((i) => i.label)).toEqual(['skateboard', null]);
    expect(skate!.items[0]!.box).toEqual(box);
    expect(cup!.items.map((i) => i.label)).toEqual([null]);
    expect(skate!.model).toBe(classifier.embeddingModel);

    // A second photo of the same skateboard: mirrored, darker, cropped differently.
    const second = await photo('skateboard_closeup.jpg', (s) => s.flop().modulate({ brightness: 0.8 }));
    const [again] = await classifier.embed([itemImage(second, { x: 0.25, y: 0.12, width: 0.48, height: 0.55 }, null).image]);
    const secondEmbedding = encodeEmbedding(again!);
    expect(cosine(skate!.items[0]!.embedding, skate!.items[0]!.embedding)).toBeCloseTo(1, 1);
    expect(cosine(skate!.items[0]!.embedding, secondEmbedding)).toBeGreaterThan(cosine(cup!.items[0]!.embedding, secondEmbedding) + 0.2);
  });

  it('crops the salient object unless a detected item is that object, and only then', async () => {
    const images: DecodedImage[] = [await photo('skateboard_closeup.jpg'), await photo('coffee_cup_saucer.jpg')];
    const whole = await classifier.embed(images);
    const salient = { x: 0.3, y: 0.2, width: 0.4, height: 0.5 };
    const cupBox = { x: 0.28, y: 0.25, width: 0.4, height: 0.4 };
    const objects = [
      // A person and, away from the salient object, a laptop in the scene: neither is the item.
      [
        { label: 'person', confidence: 0.99, box: { x: 0, y: 0, width: 1, height: 1 } },
        { label: 'laptop', confidence: 0.9, box: { x: 0.75, y: 0.7, width: 0.25, height: 0.3 } },
      ],
      [{ label: 'cup', confidence: 0.7, box: cupBox }],
    ];
    const region = { box: salient, mask: null };
    const [skate, cup] = await fingerprintPhotos(classifier, images, objects, whole, [region, region]);
    expect(skate!.items.map((i) => i.label)).toEqual([SALIENT_OBJECT_LABEL, null]);
    expect(skate!.items[0]!.box).toEqual(salient);
    const [own] = await classifier.embed([itemImage(images[0]!, salient, null).image]);
    expect(skate!.items[0]!.embedding).toBe(encodeEmbedding(own!));
    // A detected item that is the salient object (its box mostly inside it) names the crop.
    expect(cup!.items.map((i) => i.label)).toEqual(['cup', null]);
    expect(cup!.items[0]!.box).toEqual(cupBox);
    // No salient object separated: the most confident detected item, else the whole photo alone.
    const [laptop, bare] = await fingerprintPhotos(classifier, images, [objects[0]!, []], whole, [null, null]);
    expect(laptop!.items.map((i) => i.label)).toEqual(['laptop', null]);
    expect(bare!.items.map((i) => i.label)).toEqual([null]);
  });

  it('on request (measurement options, off by default): alternate crops, a mirror- or turn-invariant vector, a smaller input side', async () => {
    const image = await photo('skateboard_closeup.jpg');
    const mirrored = await photo('skateboard_closeup.jpg', (s) => s.flop());
    const salient = { x: 0.3, y: 0.2, width: 0.4, height: 0.5 };
    const mirroredSalient = { ...salient, x: 1 - salient.x - salient.width };
    const laptop = { label: 'laptop', confidence: 0.9, box: { x: 0.7, y: 0.6, width: 0.3, height: 0.4 } };
    const region = (box: typeof salient) => [{ box, mask: null }];

    const [plain] = await fingerprintPhotos(classifier, [image], [[laptop]], [], region(salient));
    const [both] = await fingerprintPhotos(classifier, [image], [[laptop]], [], region(salient), { alternates: ['detector', 'loose'] });
    expect(plain!.items.map((i) => i.label)).toEqual([SALIENT_OBJECT_LABEL]);
    // The main crop stays first and unchanged; then the detector's best box, then the main box grown each way.
    expect(both!.items.map((i) => i.label)).toEqual([SALIENT_OBJECT_LABEL, 'laptop', SALIENT_OBJECT_LABEL]);
    expect(both!.items[0]).toEqual(plain!.items[0]);
    expect(both!.items[2]!.box!.width).toBeGreaterThan(salient.width * 1.5);

    // The mean of a crop's and its mirror's vectors: the mirrored photo gives (nearly) the same vector; without it, less so.
    const embedded = async (options: FingerprintOptions) => {
      const [a] = await fingerprintPhotos(classifier, [image], [[]], [], region(salient), options);
      const [b] = await fingerprintPhotos(classifier, [mirrored], [[]], [], region(mirroredSalient), options);
      return cosine(a!.items[0]!.embedding, b!.items[0]!.embedding);
    };
    const invariant = await embedded({ mirrored: true });
    expect(invariant).toBeGreaterThan(0.98);
    expect(invariant).toBeGreaterThan(await embedded({}));

    // The mean over a crop's quarter turns: the photo turned a quarter gives (nearly) the same vector; without it, less so.
    const turnedPhoto = await photo('skateboard_closeup.jpg', (s) => s.rotate(90));
    const turnedSalient = { x: 1 - salient.y - salient.height, y: salient.x, width: salient.height, height: salient.width };
    const turnedCosine = async (options: FingerprintOptions) => {
      const [a] = await fingerprintPhotos(classifier, [image], [[]], [], region(salient), options);
      const [b] = await fingerprintPhotos(classifier, [turnedPhoto], [[]], [], region(turnedSalient), options);
      return cosine(a!.items[0]!.embedding, b!.items[0]!.embedding);
    };
    const turnInvariant = await turnedCosine({ turned: true });
    expect(turnInvariant).toBeGreaterThan(0.98);
    expect(turnInvariant).toBeGreaterThan(await turnedCosine({}));

    // At a 128 px input the vector has the same length and points nearly the same way.
    const [small] = await fingerprintPhotos(classifier, [image], [[]], [], region(salient), { side: 128 });
    expect(Buffer.from(small!.items[0]!.embedding, 'base64')).toHaveLength(1280 + 64);
    expect(cosine(small!.items[0]!.embedding, plain!.items[0]!.embedding)).toBeGreaterThan(0.8);
  });

  it('names the measurement options as the tools do, and refuses a name it cannot read', () => {
    expect(fingerprintOptionsNamed('none')).toEqual({ alternates: [], mirrored: false, main: 'salient' });
    expect(fingerprintOptionsNamed('detector+loose,mirrored,grown,s128')).toEqual({
      alternates: ['detector', 'loose'],
      mirrored: true,
      main: 'grown',
      side: 128,
    });
    // The crops come first: 'grown' there is no alternate crop.
    expect(() => fingerprintOptionsNamed('grown,s128')).toThrow(/unknown grown/);
    expect(() => fingerprintOptionsNamed('none,mirror')).toThrow(/unknown mirror/);
    expect(fingerprintOptionsNamed('none,mirrored,turned')).toEqual({ alternates: [], mirrored: true, main: 'salient', turned: true });
    expect(fingerprintOptionsNamed('none,boxmask').mask).toBe('box');
    expect(fingerprintOptionsNamed('none,bare').mask).toBe('none');
    expect(fingerprintOptionsNamed('none,detmask').mask).toBe('detected-box');
    expect(fingerprintOptionsNamed('none').mask).toBeUndefined();
  });

  it("masks a box by its item-colour foreground: the item's cells kept, the table around it in the box dropped", () => {
    // A 200 x 100 photo: green everywhere, a red square at x 40-80, y 20-80; the box is loose around it (x 20-100, y 5-95).
    const image = redSquareOnGreen();
    const mask = boxForegroundMask(image, { x: 0.1, y: 0.05, width: 0.4, height: 0.9 })!;
    expect(mask).not.toBeNull();
    const at = (x: number, y: number) =>
      mask.cells[Math.floor((y - mask.y0) / mask.step) * mask.columns + Math.floor((x - mask.x0) / mask.step)];
    expect(at(60, 50)).toBe(1);
    expect(at(25, 50)).toBe(0);
    expect(at(60, 10)).toBe(0);
    // A box that covers no pixel has no mask.
    expect(boxForegroundMask(image, { x: 0.5, y: 0.5, width: 0, height: 0 })).toBeNull();
  });

  it('draws the item alone into a neutral square: the mask greys out its background, its colours are its own', () => {
    // A 200 x 100 photo: green everywhere, a red square at x 40-80, y 20-80, which the mask's 10 px cells cover.
    const { data, width, height } = redSquareOnGreen();
    const cells = new Uint8Array(20 * 10);
    for (let gy = 2; gy < 8; gy++) for (let gx = 4; gx < 8; gx++) cells[gy * 20 + gx] = 1;
    const mask = { columns: 20, rows: 10, step: 10, x0: 0, y0: 0, cells };
    const box = { x: 0, y: 0, width: 1, height: 1 };

    const plain = itemImage({ data, width, height }, box, null);
    const masked = itemImage({ data, width, height }, box, mask);
    expect([plain.image.width, plain.image.height]).toEqual([ITEM_IMAGE_SIDE, ITEM_IMAGE_SIDE]);
    const pixel = (image: { data: Buffer }, x: number, y: number) => [
      ...image.data.subarray((y * ITEM_IMAGE_SIDE + x) * 3, (y * ITEM_IMAGE_SIDE + x) * 3 + 3),
    ];
    // The long photo is letterboxed (grey above and below), not cut; the far right is green unmasked, grey masked.
    expect(pixel(plain.image, 128, 5)).toEqual(pixel(masked.image, 128, 5));
    expect(pixel(plain.image, 250, 128)).toEqual([20, 160, 40]);
    expect(pixel(masked.image, 250, 128)).toEqual(pixel(plain.image, 128, 5));
    expect(pixel(masked.image, 76, 128)).toEqual([220, 20, 30]);

    // The masked histogram is mostly the red square's (the mask grows by a cell: a green rim), the plain one mostly green.
    const redBins = itemImage({ data: Buffer.from([220, 20, 30]), width: 1, height: 1 }, box, null).colorHistogram;
    const red = (h: Float32Array) => h.reduce((sum, v, i) => sum + (redBins[i]! > 0 ? v : 0), 0);
    expect(masked.colorHistogram).toHaveLength(COLOR_BINS);
    expect(masked.colorHistogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(red(masked.colorHistogram)).toBeGreaterThan(0.45);
    expect(red(plain.colorHistogram)).toBeLessThan(0.2);
  });

  it('takes the most confident object that can be a lost item, never a person or a table', () => {
    const b = (width: number) => ({ x: 0, y: 0, width, height: 0.5 });
    expect(
      mainItemOf([
        { label: 'person', confidence: 0.9, box: b(0.5) },
        { label: 'dining table', confidence: 0.8, box: b(0.9) },
      ]),
    ).toBeNull();
    expect(
      mainItemOf([
        { label: 'cell phone', confidence: 0.6, box: b(0.2) },
        { label: 'backpack', confidence: 0.7, box: b(0.01) },
      ])?.label,
    ).toBe('cell phone');
  });
});
