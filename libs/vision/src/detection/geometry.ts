/**
 * What every detector family shares once its output is decoded: the letterbox that maps photo
 * pixels into the square network input (and back), pixel-space detections, IoU and per-class NMS.
 *
 * Must never know about a particular model's tensors: family-specific encoding lives in yolox.ts
 * and nanodet.ts.
 */

export interface Letterbox {
  /** Scale from original pixels to letterbox pixels: min(size/W, size/H). */
  ratio: number;
  /** Size of the resized image on the canvas. */
  width: number;
  height: number;
}

/** A letterbox whose image sits at (offsetX, offsetY) on the canvas: 0,0 for YOLOX, centred for NanoDet. */
export interface PlacedLetterbox extends Letterbox {
  offsetX: number;
  offsetY: number;
}

export function letterboxFor(width: number, height: number, size = 416): Letterbox {
  const ratio = Math.min(size / width, size / height);
  return {
    ratio,
    // Never 0 px (a 1x2000 strip) and never past the canvas through rounding.
    width: Math.min(size, Math.max(1, Math.round(width * ratio))),
    height: Math.min(size, Math.max(1, Math.round(height * ratio))),
  };
}

/** A box by its corners, in original-image pixels. */
export interface PixelCorners {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A detection in original-image pixels. */
export interface PixelDetection extends PixelCorners {
  classIndex: number;
  score: number;
}

/** Greedy NMS within each class (a cup on a dining table is two true objects), highest score first. */
export function nonMaxSuppressionPerClass(detections: PixelDetection[], iouThreshold: number): PixelDetection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: PixelDetection[] = [];
  for (const candidate of sorted) {
    const overlaps = kept.some((k) => k.classIndex === candidate.classIndex && intersectionOverUnion(k, candidate) > iouThreshold);
    if (!overlaps) kept.push(candidate);
  }
  return kept;
}

/** Works on any corner box (detections, faces). */
export function intersectionOverUnion(a: PixelCorners, b: PixelCorners): number {
  const iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const intersection = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - intersection;
  return union > 0 ? intersection / union : 0;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** What every detector decoder needs besides its own geometry: the photo, the classes, the cut-offs. */
export interface DecodeOptions {
  imageWidth: number;
  imageHeight: number;
  numClasses: number;
  scoreThreshold: number;
  nmsIouThreshold: number;
  /** Network input side (each family has its default). */
  inputSize?: number;
}
