/**
 * Detector input for PP-OCRv4 det: the photo scaled so its longest side is at most 960
 * (limit_type 'max'), each side rounded to a multiple of 32 on its own, stretched, then B,G,R
 * planes normalised with ImageNet mean/std (the cv2-BGR convention the model was trained with).
 * It must never feed the detector a side above the limit: ORT keeps memory for every new input
 * shape, and a 24 MP photo at full size costs gigabytes.
 */
import { resizeRgb, type RgbImage } from './image.js';

/**
 * 736 was measured against 960 (2026-12-06, ../shared/photos and privacy-bench tune seeds 1 and 8,
 * first 36): detector inference 105 -> 82 ms CPU per photo, but text recall 0.930 -> 0.925 and a
 * booking reference read glued to its label leaked on seed 8 (0 -> 1 of 193): not kept.
 */
export const DET_LIMIT_SIDE = 960;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The detector size for an image: limit the longest side, then round each side to 32 (min 32). */
export function detSize(width: number, height: number, limitSide = DET_LIMIT_SIDE): { width: number; height: number } {
  const ratio = Math.max(width, height) > limitSide ? limitSide / Math.max(width, height) : 1;
  const round32 = (v: number): number => Math.max(Math.round(v / 32) * 32, 32);
  return { width: round32(width * ratio), height: round32(height * ratio) };
}

/**
 * NCHW float tensor data [1,3,H,W]: plane c holds channel (B,G,R)[c], normalised with MEAN[c]/STD[c].
 * `into` (3 x width x height floats) is written whole when given.
 */
export function detTensorData(image: RgbImage, into?: Float32Array): Float32Array {
  const { data, width, height } = image;
  const plane = width * height;
  const out = into ?? new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const src = 2 - c;
    const scale = 1 / (255 * STD[c]!);
    const offset = MEAN[c]! / STD[c]!;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = data[i * 3 + src]! * scale - offset;
  }
  return out;
}

/** `take(length)` lends the tensor's buffer (InputBuffers.take); a fresh one without it. */
export async function detInput(
  image: RgbImage,
  limitSide = DET_LIMIT_SIDE,
  take?: (length: number) => Float32Array,
): Promise<{ data: Float32Array; width: number; height: number }> {
  const size = detSize(image.width, image.height, limitSide);
  const resized = await resizeRgb(image, size.width, size.height);
  return { data: detTensorData(resized, take?.(3 * size.width * size.height)), width: size.width, height: size.height };
}
