/**
 * YOLOX-Nano input and output encoding, exactly as ../shared/models/README.md specifies for
 * yolox_nano.onnx. Pure functions over pixel buffers and output tensors: no I/O, no session.
 *
 * Must never use the "legacy" RGB + /255 + mean/std preprocessing or a centred letterbox: with this
 * export they yield no detections, or boxes shifted by the padding.
 */
import { clamp, nonMaxSuppressionPerClass, type DecodeOptions, type Letterbox, type PixelDetection } from './geometry.js';

/** Network input side: the export is fixed at [1,3,416,416]. */
export const YOLOX_INPUT_SIZE = 416;
/** Letterbox fill value used in YOLOX training (ValTransform), in raw 0..255 units. */
export const YOLOX_PAD_VALUE = 114;
/** Output anchors per stride in row-major grid order: 52*52 (stride 8), 26*26 (16), 13*13 (32) = 3549. */
export const YOLOX_STRIDES = [8, 16, 32] as const;
/** Columns per anchor: tx, ty, tw, th, obj, then 80 class scores. */
const YOLOX_COLUMNS_BEFORE_CLASSES = 5;

export { letterboxFor, type Letterbox } from './geometry.js';

/**
 * Builds the NCHW float32 tensor from the resized RGB pixels: BGR channel order and raw 0..255
 * values, because the export was traced from Megvii's demo that feeds cv2 (BGR) images unscaled.
 * The resized image sits at the top-left; everything else is 114.
 */
export function yoloxInputTensor(resizedRgb: Buffer, box: Letterbox, size = YOLOX_INPUT_SIZE): Float32Array {
  const plane = size * size;
  const tensor = new Float32Array(3 * plane).fill(YOLOX_PAD_VALUE);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const src = (y * box.width + x) * 3;
      const dst = y * size + x;
      tensor[dst] = resizedRgb[src + 2]!; // B
      tensor[plane + dst] = resizedRgb[src + 1]!; // G
      tensor[2 * plane + dst] = resizedRgb[src]!; // R
    }
  }
  return tensor;
}

export { intersectionOverUnion, nonMaxSuppressionPerClass, type PixelDetection } from './geometry.js';

export interface YoloxDecodeOptions extends DecodeOptions {
  ratio: number;
}

/**
 * Decodes one image's output rows ([3549, 5 + classes]). obj and class scores already went through
 * a sigmoid inside the graph; boxes did not: centre = (t + grid cell) * stride, size = exp(t) * stride.
 */
export function decodeYoloxOutput(output: Float32Array, options: YoloxDecodeOptions): PixelDetection[] {
  const size = options.inputSize ?? YOLOX_INPUT_SIZE;
  const columns = YOLOX_COLUMNS_BEFORE_CLASSES + options.numClasses;
  const candidates: PixelDetection[] = [];
  let row = 0;
  for (const stride of YOLOX_STRIDES) {
    const grid = Math.floor(size / stride);
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++, row++) {
        const base = row * columns;
        if (base + columns > output.length) {
          throw new Error(`YOLOX output has ${output.length} values, fewer than the ${row + 1} anchors expected`);
        }
        const objectness = output[base + 4]!;
        // obj * cls <= obj, so a low objectness can skip the 80-class scan.
        if (objectness < options.scoreThreshold) continue;
        let classIndex = 0;
        let classScore = -Infinity;
        for (let c = 0; c < options.numClasses; c++) {
          const value = output[base + YOLOX_COLUMNS_BEFORE_CLASSES + c]!;
          if (value > classScore) {
            classScore = value;
            classIndex = c;
          }
        }
        const score = objectness * classScore;
        if (score < options.scoreThreshold) continue;
        const cx = (output[base]! + gx) * stride;
        const cy = (output[base + 1]! + gy) * stride;
        const w = Math.exp(output[base + 2]!) * stride;
        const h = Math.exp(output[base + 3]!) * stride;
        candidates.push({
          classIndex,
          score,
          x1: clamp((cx - w / 2) / options.ratio, 0, options.imageWidth),
          y1: clamp((cy - h / 2) / options.ratio, 0, options.imageHeight),
          x2: clamp((cx + w / 2) / options.ratio, 0, options.imageWidth),
          y2: clamp((cy + h / 2) / options.ratio, 0, options.imageHeight),
        });
      }
    }
  }
  return nonMaxSuppressionPerClass(candidates, options.nmsIouThreshold).filter((d) => d.x2 > d.x1 && d.y2 > d.y1);
}
