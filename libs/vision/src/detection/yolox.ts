/**
 * YOLOX-Nano input and output encoding, exactly as ../shared/models/README.md specifies for
 * yolox_nano.onnx. Pure functions over pixel buffers and output tensors: no I/O, no session.
 *
 * Must never use the "legacy" RGB + /255 + mean/std preprocessing or a centred letterbox: with this
 * export they yield no detections, or boxes shifted by the padding.
 */

/** Network input side: the export is fixed at [1,3,416,416]. */
export const YOLOX_INPUT_SIZE = 416;
/** Letterbox fill value used in YOLOX training (ValTransform), in raw 0..255 units. */
export const YOLOX_PAD_VALUE = 114;
/** Output anchors per stride in row-major grid order: 52*52 (stride 8), 26*26 (16), 13*13 (32) = 3549. */
export const YOLOX_STRIDES = [8, 16, 32] as const;
/** Columns per anchor: tx, ty, tw, th, obj, then 80 class scores. */
const YOLOX_COLUMNS_BEFORE_CLASSES = 5;

export interface Letterbox {
  /** Scale from original pixels to letterbox pixels: min(416/W, 416/H). */
  ratio: number;
  /** Size of the resized image placed at the top-left corner of the canvas. */
  width: number;
  height: number;
}

export function letterboxFor(width: number, height: number, size = YOLOX_INPUT_SIZE): Letterbox {
  const ratio = Math.min(size / width, size / height);
  return {
    ratio,
    // Never 0 px (a 1x2000 strip) and never past the canvas through rounding.
    width: Math.min(size, Math.max(1, Math.round(width * ratio))),
    height: Math.min(size, Math.max(1, Math.round(height * ratio))),
  };
}

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

/** A detection in original-image pixels. */
export interface PixelDetection {
  classIndex: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface YoloxDecodeOptions {
  ratio: number;
  imageWidth: number;
  imageHeight: number;
  numClasses: number;
  scoreThreshold: number;
  nmsIouThreshold: number;
  inputSize?: number;
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
  return nonMaxSuppressionPerClass(candidates, options.nmsIouThreshold).filter(
    (d) => d.x2 > d.x1 && d.y2 > d.y1,
  );
}

/** Greedy NMS within each class (a cup on a dining table is two true objects), highest score first. */
export function nonMaxSuppressionPerClass(detections: PixelDetection[], iouThreshold: number): PixelDetection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: PixelDetection[] = [];
  for (const candidate of sorted) {
    const overlaps = kept.some(
      (k) => k.classIndex === candidate.classIndex && intersectionOverUnion(k, candidate) > iouThreshold,
    );
    if (!overlaps) kept.push(candidate);
  }
  return kept;
}

export function intersectionOverUnion(a: PixelDetection, b: PixelDetection): number {
  const iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const intersection = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - intersection;
  return union > 0 ? intersection / union : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
