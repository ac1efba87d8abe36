/**
 * Recogniser input and output for PP-OCRv4 rec (and the cls model's input): crops resized to
 * height 48 keeping their aspect, right-padded with 0 to the batch width, B,G,R planes as
 * (v/255 - 0.5)/0.5; greedy CTC decoding of the [N, T, 6625] softmax. Pure except for the sharp
 * resize. It must never pad past MAX_REC_WIDTH: a very long crop is squeezed instead, so one
 * strange box cannot allocate an arbitrary tensor.
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

/** Width a crop is resized to inside a batch of width batchWidth. */
export function recResizedWidth(crop: { width: number; height: number }, batchWidth: number): number {
  return Math.max(1, Math.min(batchWidth, Math.ceil((REC_HEIGHT * crop.width) / crop.height)));
}

/**
 * One [N, 3, 48, batchWidth] tensor: each crop resized to (resizedWidth, 48), B,G,R planes as
 * (v/255 - 0.5)/0.5, the rest of its row 0.
 */
export async function batchTensorData(crops: readonly RgbImage[], batchWidth: number): Promise<Float32Array> {
  const plane = REC_HEIGHT * batchWidth;
  const out = new Float32Array(crops.length * 3 * plane);
  for (let n = 0; n < crops.length; n++) {
    const crop = crops[n]!;
    const w = recResizedWidth(crop, batchWidth);
    const resized = await resizeRgb(crop, w, REC_HEIGHT);
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

export interface Decoded {
  text: string;
  /** Mean of the kept characters' probabilities (0 when nothing was kept). */
  confidence: number;
  /** Timestep of each kept character (same length as text). */
  steps: number[];
}

/**
 * Greedy CTC over one sequence: argmax per timestep, blank (0) dropped, repeats collapsed;
 * index i >= 1 is keys[i - 1], and index keys.length + 1 is a space.
 */
export function ctcDecode(probs: Float32Array, offset: number, steps: number, classes: number, keys: readonly string[]): Decoded {
  let text = '';
  let sum = 0;
  const kept: number[] = [];
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let k = 1; k < classes; k++) {
      const p = probs[base + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += best === keys.length + 1 ? ' ' : (keys[best - 1] ?? '');
      sum += bestP;
      kept.push(t);
    }
    previous = best;
  }
  return { text, confidence: kept.length ? sum / kept.length : 0, steps: kept };
}

/** Shortest digit run looked at by splitGappedDigits: a 3-digit run is a number, not a grid. */
const MIN_DIGIT_RUN = 4;

/**
 * Puts back the spaces the rec model drops between numbers set apart on a grid: a calendar row
 * reads "12131415" where the print says "12 13 14 15". Between two digits the CTC alignment shows
 * the gap: inside a number the characters are 2-3 timesteps apart, between the calendar's numbers
 * 6-8. A digit-to-digit gap of at least max(2.5 x the run's smallest gap, smallest + 4) becomes a
 * space. Measured on ../shared/photos: the smartwatch calendar's rows split into their days; phone
 * numbers (gaps 2-5), the 9-digit member id, MRZ lines and serials (uniform gaps) stay whole.
 * Letters are never split (a gap rule breaks "IBM" into "IB M": see the notes on OCR pitfalls).
 */
export function splitGappedDigits(decoded: Decoded): string {
  const { text, steps } = decoded;
  if (steps.length !== text.length) return text;
  let out = '';
  let runStart = 0;
  const isDigit = (i: number) => i < text.length && text[i]! >= '0' && text[i]! <= '9';
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(i)) {
      out += text[i];
      continue;
    }
    runStart = i;
    while (isDigit(i + 1)) i++;
    const run = text.slice(runStart, i + 1);
    if (run.length < MIN_DIGIT_RUN) {
      out += run;
      continue;
    }
    const gaps = Array.from({ length: run.length - 1 }, (_, k) => steps[runStart + k + 1]! - steps[runStart + k]!);
    const smallest = Math.min(...gaps);
    const wide = Math.max(2.5 * smallest, smallest + 4);
    out += run[0];
    gaps.forEach((gap, k) => (out += (gap >= wide ? ' ' : '') + run[k + 1]));
  }
  return out;
}

/** The cls model's [N, 3, 48, 192] input: resized to height 48 (at most 192 wide), padded with 0. */
export async function clsTensorData(crops: readonly RgbImage[]): Promise<Float32Array> {
  const plane = REC_HEIGHT * CLS_WIDTH;
  const out = new Float32Array(crops.length * 3 * plane);
  for (let n = 0; n < crops.length; n++) {
    const crop = crops[n]!;
    const w = recResizedWidth(crop, CLS_WIDTH);
    const resized = await resizeRgb(crop, w, REC_HEIGHT);
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
