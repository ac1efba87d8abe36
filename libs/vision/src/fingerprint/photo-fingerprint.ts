/**
 * The parts of a photo's visual fingerprint that need pixels: which region is the main item, its
 * crop, the perceptual hash of the whole photo, and the compact form an embedding travels in.
 * The embedding itself comes from the classifier's session (ItemClassifier.embed), so the
 * fingerprint costs one more small session run per photo, not another model.
 *
 * Must never publish raw float vectors (every digit travels in every record and every post.enhanced):
 * embeddings leave as L2-normalised int8, whose cosine differs from the float one by < 0.01.
 */
import sharp from 'sharp';
import type { Box } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { clamp } from '../detection/geometry.js';

/** Labels that are never the lost item: people hold, wear or stand beside it; furniture carries it. */
const NOT_AN_ITEM = new Set(['person', 'dining table', 'bed', 'couch', 'chair', 'bench', 'toilet', 'sink', 'car', 'truck', 'bus', 'train']);

/** An object too small to be what the photo is of (share of the photo's area). */
const MIN_ITEM_AREA = 0.01;

/** Context kept around the box on each side (share of its size): the item's edges, not its table. */
export const ITEM_CROP_MARGIN = 0.08;

export interface BoxedObject {
  label: string;
  confidence: number;
  box: Box;
}

/** The photo's main item: the most confident object that can be a lost item, or null (the whole photo stands in). */
export function mainItemOf<T extends BoxedObject>(objects: readonly T[]): T | null {
  let best: T | null = null;
  for (const o of objects) {
    if (NOT_AN_ITEM.has(o.label) || o.box.width * o.box.height < MIN_ITEM_AREA) continue;
    if (!best || o.confidence > best.confidence) best = o;
  }
  return best;
}

/** The item's box with a small margin, cut out of the decoded photo (a copy of its rows; no resampling). */
export function cropItem(image: DecodedImage, box: Box): DecodedImage {
  const mx = box.width * ITEM_CROP_MARGIN;
  const my = box.height * ITEM_CROP_MARGIN;
  const left = Math.floor(clamp(box.x - mx, 0, 1) * image.width);
  const top = Math.floor(clamp(box.y - my, 0, 1) * image.height);
  const right = Math.ceil(clamp(box.x + box.width + mx, 0, 1) * image.width);
  const bottom = Math.ceil(clamp(box.y + box.height + my, 0, 1) * image.height);
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = Math.min(image.height - 1, top + y);
    const start = (row * image.width + left) * 3;
    image.data.copy(data, y * width * 3, start, start + width * 3);
  }
  return { data, width, height };
}

/** pHash's sample: the photo in grey at 32 × 32, of whose DCT the lowest 8 × 8 frequencies are kept. */
const PHASH_SAMPLE = 32;
const PHASH_LOW = 8;
/** cos((2x + 1) u π / 2N) for the 8 kept frequencies u and the 32 sample positions x. */
const DCT_BASIS = Array.from({ length: PHASH_LOW }, (_, u) =>
  Float64Array.from({ length: PHASH_SAMPLE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_SAMPLE))),
);

/**
 * The 64-bit DCT perceptual hash (pHash: grey 32 × 32, DCT, the 8 × 8 lowest frequencies against
 * their median) of the whole photo as 16 hex digits: a re-post, a re-encode or a resize keeps it
 * within a few bits; a stock photo repeats it. Own code, not sharp-phash: that package computes the
 * whole 32 × 32 DCT the O(N⁴) way (about 1M multiply-adds per photo, against this one's 10k: only the
 * 64 kept coefficients, separably) and its `require('sharp')` fails under vitest's loader.
 */
export async function perceptualHash(image: DecodedImage): Promise<string> {
  const grey = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .greyscale()
    .resize(PHASH_SAMPLE, PHASH_SAMPLE, { fit: 'fill' })
    .raw()
    .toBuffer();
  const n = PHASH_SAMPLE;
  // Rows first (8 frequencies of each of the 32 rows), then columns of that.
  const rows = new Float64Array(n * PHASH_LOW);
  for (let y = 0; y < n; y++) {
    for (let v = 0; v < PHASH_LOW; v++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += grey[y * n + x]! * DCT_BASIS[v]![x]!;
      rows[y * PHASH_LOW + v] = sum;
    }
  }
  const coefficients = new Float64Array(PHASH_LOW * PHASH_LOW);
  for (let u = 0; u < PHASH_LOW; u++) {
    for (let v = 0; v < PHASH_LOW; v++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += rows[y * PHASH_LOW + v]! * DCT_BASIS[u]![y]!;
      coefficients[u * PHASH_LOW + v] = sum;
    }
  }
  const median = [...coefficients].sort((a, b) => a - b)[coefficients.length / 2]!;
  let hex = '';
  for (let i = 0; i < coefficients.length; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (coefficients[i + b]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** An embedding as it travels: L2-normalised, × 127, rounded to int8, base64. */
export function encodeEmbedding(vector: ArrayLike<number>): string {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm) || 1;
  const out = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = Math.round((vector[i]! / norm) * 127);
  return Buffer.from(out.buffer).toString('base64');
}
