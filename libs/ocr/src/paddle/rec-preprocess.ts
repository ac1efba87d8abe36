/**
 * Recogniser and classifier input for PP-OCRv4 rec and cls: crops resized to height 48 keeping
 * their aspect, right-padded with 0 to the batch width, B,G,R planes as (v/255 - 0.5)/0.5 (the
 * rec model's output is decoded in ctc-decode.ts). Pure except for the sharp resize. It must never
 * pad past MAX_REC_WIDTH: a very long crop is squeezed instead, so one strange box cannot allocate
 * an arbitrary tensor.
 */
import { resizeRgb, type RgbImage } from './image.js';

export const REC_HEIGHT = 48;
/** PaddleOCR's default rec_image_shape width: the narrowest batch is 320 wide. */
export const REC_MIN_WIDTH = 320;
export const MAX_REC_WIDTH = 2880;
export const CLS_WIDTH = 192;

/** Batch width for crops whose largest width/height ratio is maxRatio. */
export function recBatchWidth(maxRatio: number): number {
  return Math.min(MAX_REC_WIDTH, Math.ceil(REC_HEIGHT * Math.max(REC_MIN_WIDTH / REC_HEIGHT, maxRatio)));
}

/**
 * The recogniser's batches for crops of these width/height ratios: indices sorted by ratio, at
 * most maxBatch to a batch, and a new batch wherever the next crop's batch width would exceed
 * maxSpread x the batch's narrowest. Every crop of a batch is padded to its widest, so one long
 * line in a batch of short ones made the recogniser run over mostly padding (the passport: three
 * crops of 378-516 px padded to 2208). Infinity as maxSpread gives PaddleOCR's plain batches of maxBatch.
 */
export function recBatches(ratios: readonly number[], maxBatch: number, maxSpread: number): number[][] {
  const order = ratios.map((ratio, i) => ({ i, ratio })).sort((a, b) => a.ratio - b.ratio);
  const batches: number[][] = [];
  let first = 0;
  for (const { i, ratio } of order) {
    const current = batches[batches.length - 1];
    if (!current || current.length >= maxBatch || recBatchWidth(ratio) > maxSpread * first) {
      batches.push([i]);
      first = recBatchWidth(ratio);
    } else current.push(i);
  }
  return batches;
}

/** Width a crop is resized to inside a batch of width batchWidth. */
export function recResizedWidth(crop: { width: number; height: number }, batchWidth: number): number {
  return Math.max(1, Math.min(batchWidth, Math.ceil((REC_HEIGHT * crop.width) / crop.height)));
}

/**
 * The last height-48 resize of each crop, kept while the crop lives: the classifier resizes a crop
 * to min(192, its own width at height 48) and the recogniser to its own width, so a crop of ratio up
 * to 4 (most words) is the same resize twice. The same sharp call on the same pixels gives the same
 * bytes, so reusing it changes no reading.
 */
const RESIZED = new WeakMap<RgbImage, RgbImage>();

async function resizedToHeight(crop: RgbImage, width: number): Promise<RgbImage> {
  const kept = RESIZED.get(crop);
  if (kept?.width === width) return kept;
  const resized = await resizeRgb(crop, width, REC_HEIGHT);
  RESIZED.set(crop, resized);
  return resized;
}

/** `into` when given (a reused buffer of exactly `length` floats) zeroed, else a fresh array. */
function zeroed(length: number, into: Float32Array | undefined): Float32Array {
  return into ? into.fill(0) : new Float32Array(length);
}

/**
 * One [N, 3, 48, batchWidth] tensor: each crop resized to (resizedWidth, 48), B,G,R planes as
 * (v/255 - 0.5)/0.5, the rest of its row 0. Written into `into` (N x 3 x 48 x batchWidth floats) when given.
 */
export async function batchTensorData(crops: readonly RgbImage[], batchWidth: number, into?: Float32Array): Promise<Float32Array> {
  const plane = REC_HEIGHT * batchWidth;
  const out = zeroed(crops.length * 3 * plane, into);
  for (let n = 0; n < crops.length; n++) {
    const crop = crops[n]!;
    const w = recResizedWidth(crop, batchWidth);
    const resized = await resizedToHeight(crop, w);
    for (let c = 0; c < 3; c++) {
      const src = 2 - c;
      const base = (n * 3 + c) * plane;
      for (let y = 0; y < REC_HEIGHT; y++) {
        for (let x = 0; x < w; x++) out[base + y * batchWidth + x] = resized.data[(y * w + x) * 3 + src]! / 127.5 - 1;
      }
    }
  }
  return out;
}

/** The cls model's [N, 3, 48, 192] input: resized to height 48 (at most 192 wide), padded with 0; into `into` when given. */
export async function clsTensorData(crops: readonly RgbImage[], into?: Float32Array): Promise<Float32Array> {
  const plane = REC_HEIGHT * CLS_WIDTH;
  const out = zeroed(crops.length * 3 * plane, into);
  for (let n = 0; n < crops.length; n++) {
    const crop = crops[n]!;
    const w = recResizedWidth(crop, CLS_WIDTH);
    const resized = await resizedToHeight(crop, w);
    for (let c = 0; c < 3; c++) {
      const src = 2 - c;
      const base = (n * 3 + c) * plane;
      for (let y = 0; y < REC_HEIGHT; y++) {
        for (let x = 0; x < w; x++) out[base + y * CLS_WIDTH + x] = resized.data[(y * w + x) * 3 + src]! / 127.5 - 1;
      }
    }
  }
  return out;
}
