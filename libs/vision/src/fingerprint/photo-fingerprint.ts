/**
 * The parts of a photo's visual fingerprint that need pixels: which region is the main item, its
 * crop, the perceptual hash of the whole photo, and the compact form an embedding travels in.
 * The embedding itself comes from the classifier's session (ItemClassifier.embed), so the
 * fingerprint costs one more small session run per photo, not another model.
 *
 * Must never publish raw float vectors (every digit travels in every record and every post.enhanced):
 * embeddings leave as L2-normalised int8, whose cosine differs from the float one by < 0.01.
 */
import type { Box } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { clamp } from '../detection/geometry.js';
import { chroma, rgbToLab } from '../colors/color-space.js';
import type { ItemMask } from '../colors/salient-object.js';

/** Labels that are never the lost item: people hold, wear or stand beside it; furniture carries it. */
const NOT_AN_ITEM = new Set(['person', 'dining table', 'bed', 'couch', 'chair', 'bench', 'toilet', 'sink', 'car', 'truck', 'bus', 'train']);

/** An object too small to be what the photo is of (share of the photo's area). */
const MIN_ITEM_AREA = 0.01;

/** The crop's label when it is the photo's salient object, not a detected object. */
export const SALIENT_OBJECT_LABEL = 'salient_object';

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

/** Share of box a's area that box b also covers. */
export function coveredShare(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.width * a.height || 1) : 0;
}

/** Side of the square the item is drawn into for its embedding (the classifier resizes to 256, then centre-crops 224). */
export const ITEM_IMAGE_SIDE = 256;
/** Where the item is not: the ImageNet mean, which the classifier's normalisation turns into zeros. */
export const NEUTRAL = [124, 116, 104] as const;

/**
 * The item alone, for its embedding: its box (with the crop margin) drawn centred into a square of
 * ITEM_IMAGE_SIDE filled with a neutral grey, so neither the classifier's centre crop cuts a long item
 * (a phone, a pen) nor the table around it fills the rest; with a mask, every pixel whose cell (or a
 * neighbour of it) is not the item's is grey too. Each output pixel is the mean of up to 2 × 2 source
 * samples, a quarter of a cell from its centre each way (cheaper than a resize; the classifier's own resize smooths it). Also returns the item's
 * pixels' colour histogram (itemColorHistogram), from every 4th output pixel each way.
 */
export function itemImage(image: DecodedImage, box: Box, mask: ItemMask | null): { image: DecodedImage; colorHistogram: Float32Array } {
  const mx = box.width * ITEM_CROP_MARGIN;
  const my = box.height * ITEM_CROP_MARGIN;
  const left = clamp(box.x - mx, 0, 1) * image.width;
  const top = clamp(box.y - my, 0, 1) * image.height;
  const width = Math.max(1, clamp(box.x + box.width + mx, 0, 1) * image.width - left);
  const height = Math.max(1, clamp(box.y + box.height + my, 0, 1) * image.height - top);
  const side = ITEM_IMAGE_SIDE;
  const scale = Math.max(width, height) / side; // source pixels per output pixel
  const offsetX = (side - width / scale) / 2;
  const offsetY = (side - height / scale) / 2;
  // Per output column and row: the two source columns (rows) it averages, or -1 outside the item's box,
  // and its mask column (row); the pixel loop then only reads.
  const axis = (start: number, extent: number, offset: number, limit: number, origin: number, step: number) => {
    const a = new Int32Array(side).fill(-1);
    const b = new Int32Array(side).fill(-1);
    const cell = new Int32Array(side).fill(-1);
    for (let o = 0; o < side; o++) {
      const at = start + (o - offset + 0.5) * scale;
      if (at < start || at >= start + extent) continue;
      a[o] = Math.min(limit - 1, Math.max(0, Math.floor(at - scale / 4)));
      b[o] = Math.min(limit - 1, Math.max(0, Math.floor(at + scale / 4)));
      cell[o] = Math.floor((at - origin) / step);
    }
    return { a, b, cell };
  };
  const cols = axis(left, width, offsetX, image.width, mask?.x0 ?? 0, mask?.step ?? 1);
  const rows = axis(top, height, offsetY, image.height, mask?.y0 ?? 0, mask?.step ?? 1);
  const grown = dilated(mask);
  const data = Buffer.alloc(side * side * 3);
  const histogram = new Float32Array(COLOR_BINS);
  const src = image.data;
  const rowBytes = image.width * 3;
  for (let y = 0; y < side; y++) {
    const ya = rows.a[y]!;
    const gy = rows.cell[y]!;
    for (let x = 0; x < side; x++) {
      const o = (y * side + x) * 3;
      const xa = cols.a[x]!;
      const gx = cols.cell[x]!;
      const masked = mask && (gx < 0 || gy < 0 || gx >= mask.columns || gy >= mask.rows || grown![gy * mask.columns + gx] !== 1);
      if (ya < 0 || xa < 0 || masked) {
        data[o] = NEUTRAL[0];
        data[o + 1] = NEUTRAL[1];
        data[o + 2] = NEUTRAL[2];
        continue;
      }
      const p00 = ya * rowBytes + xa * 3;
      const p01 = ya * rowBytes + cols.b[x]! * 3;
      const p10 = rows.b[y]! * rowBytes + xa * 3;
      const p11 = rows.b[y]! * rowBytes + cols.b[x]! * 3;
      for (let c = 0; c < 3; c++) data[o + c] = (src[p00 + c]! + src[p01 + c]! + src[p10 + c]! + src[p11 + c]!) >> 2;
      if ((x & 3) === 0 && (y & 3) === 0) addToHistogram(histogram, data[o]!, data[o + 1]!, data[o + 2]!);
    }
  }
  let total = 0;
  for (const v of histogram) total += v;
  if (total > 0) for (let i = 0; i < histogram.length; i++) histogram[i]! /= total;
  return { image: { data, width: side, height: side }, colorHistogram: histogram };
}

/** The mask grown by one cell each way (8 neighbours): its cells are coarse, and the item's edge must stay. */
function dilated(mask: ItemMask | null): Uint8Array | null {
  if (!mask) return null;
  const { columns, rows, cells } = mask;
  const grown = new Uint8Array(cells.length);
  for (let gy = 0; gy < rows; gy++) {
    for (let gx = 0; gx < columns; gx++) {
      if (!cells[gy * columns + gx]) continue;
      for (let ny = Math.max(0, gy - 1); ny <= Math.min(rows - 1, gy + 1); ny++)
        for (let nx = Math.max(0, gx - 1); nx <= Math.min(columns - 1, gx + 1); nx++) grown[ny * columns + nx] = 1;
    }
  }
  return grown;
}

/**
 * The item's colour histogram: CIELAB, greys (chroma < GREY_CHROMA) in 4 lightness bins, colours in
 * 12 hue bins × 2 lightness bins; a colour's weight is shared linearly between its two nearest hue bins,
 * so a small hue shift (another camera, another light) moves it smoothly. Sums to 1 (all 0 for no pixel).
 */
export const COLOR_BINS = 4 + 12 * 2;
const GREY_CHROMA = 12;

function addToHistogram(histogram: Float32Array, r: number, g: number, b: number): void {
  const lab = rgbToLab(r, g, b);
  if (chroma(lab) < GREY_CHROMA) {
    histogram[Math.min(3, Math.max(0, Math.floor(lab.l / 25)))]! += 1;
    return;
  }
  const hue = ((Math.atan2(lab.b, lab.a) / (2 * Math.PI)) * 12 + 12) % 12;
  const low = Math.floor(hue);
  const share = hue - low;
  const base = 4 + (lab.l < 55 ? 0 : 12);
  histogram[base + low]! += 1 - share;
  histogram[base + ((low + 1) % 12)]! += share;
}

/** A colour histogram as it travels: each bin × 255, rounded, as hex (two digits a bin). */
export function encodeColorHistogram(histogram: ArrayLike<number>): string {
  let hex = '';
  for (let i = 0; i < histogram.length; i++)
    hex += Math.round(Math.min(1, Math.max(0, histogram[i]!)) * 255)
      .toString(16)
      .padStart(2, '0');
  return hex;
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
 * 64 kept coefficients, separably) and its `require('sharp')` fails under vitest's loader. The grey
 * thumbnail is our own area mean too: sharp's greyscale-and-resize of a whole decoded photo cost 6 ms
 * of CPU per photo (libvips' pipeline over every pixel), this one reads at most 4 × 4 pixels a cell.
 */
export async function perceptualHash(image: DecodedImage): Promise<string> {
  const grey = greyThumbnail(image, PHASH_SAMPLE);
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

/** The photo in grey (Rec. 601 luma) at side × side, each cell the mean of up to 4 × 4 pixels spread over it. */
function greyThumbnail(image: DecodedImage, side: number): Float64Array {
  const out = new Float64Array(side * side);
  const cellW = image.width / side;
  const cellH = image.height / side;
  const samplesX = Math.min(4, Math.max(1, Math.floor(cellW)));
  const samplesY = Math.min(4, Math.max(1, Math.floor(cellH)));
  for (let cy = 0; cy < side; cy++) {
    for (let cx = 0; cx < side; cx++) {
      let sum = 0;
      for (let sy = 0; sy < samplesY; sy++) {
        const y = Math.min(image.height - 1, Math.floor((cy + (sy + 0.5) / samplesY) * cellH));
        for (let sx = 0; sx < samplesX; sx++) {
          const x = Math.min(image.width - 1, Math.floor((cx + (sx + 0.5) / samplesX) * cellW));
          const i = (y * image.width + x) * 3;
          sum += 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
        }
      }
      out[cy * side + cx] = sum / (samplesX * samplesY);
    }
  }
  return out;
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
