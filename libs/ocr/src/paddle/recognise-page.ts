/**
 * One photo through PP-OCRv4: detect text boxes, cut them out, ask the orientation classifier
 * for a hint, recognise in aspect-sorted batches of up to 6 crops of similar width. Returns every
 * decoded line, unfiltered, in reading order, with its crop (the hybrid reader re-reads some
 * crops). It must never run the detector above the 960-px limit, never trust the classifier alone
 * (it calls long upright lines upside down), and never hold more than one batch of recogniser
 * tensors at a time.
 */
import * as ort from 'onnxruntime-node';
import { boxesFromMap, DEFAULT_DB, type DbOptions } from './db-postprocess.js';
import { cropText, rotate180, type Crop } from './crop.js';
import { detInput, DET_LIMIT_SIDE } from './det-preprocess.js';
import type { Quad } from './geometry.js';
import type { RgbImage } from './image.js';
import type { PaddleModels } from './models.js';
import { ctcDecodeSteps, ctcReduce, splitGappedDigits, type CtcSteps, type Decoded } from './ctc-decode.js';
import { REC_TAIL_OUTPUTS } from './rec-tail.js';
import { batchTensorData, clsTensorData, CLS_WIDTH, recBatches, recBatchWidth, REC_HEIGHT } from './rec-preprocess.js';
import { InputBuffers } from './input-buffers.js';

export const REC_BATCH = 6;
/**
 * A recogniser batch holds crops whose batch widths lie within this factor (recBatches says why).
 * Measured on ../shared/photos (tools/ocr-step-cost.ts --spread, eval): 2 keeps every eval figure
 * (text 0.930, all words 0.718, exact 0.865, glued 0.010) and cuts the passport's worst batch (three
 * crops of 378-516 px padded to 2208) but saves no CPU measurable under load 6-8 (recogniser 447 vs
 * 454 ms per photo); 1.25 saved 12-25 % of the recogniser (447 -> 394, 392 -> 292 ms) with eval all
 * words 0.722 and the rest equal, but read the original passport's MRZ check digit wrong ('<90AN' for
 * '<9CAN'): a crop reads a little differently with its batch and padding, and 2 read both MRZ lines
 * of the fetcher's copy right where plain batches (Infinity) read them wrong.
 */
export const REC_WIDTH_SPREAD = 2;
/** The classifier's 180-degree verdict counts as a hint only above this. */
export const CLS_FLIP_THRESHOLD = 0.9;

/**
 * This isolate's input tensors, reused from run to run (input-buffers.ts says why). Three: the
 * detector's and the largest two batches'.
 */
const inputs = new InputBuffers(3);

export interface RecogniseOptions {
  db: DbOptions;
  detLimitSide: number;
  useCls: boolean;
  /** recBatches' maxSpread: Infinity gives PaddleOCR's plain batches of REC_BATCH. */
  recWidthSpread: number;
}

export const DEFAULT_RECOGNISE: RecogniseOptions = {
  db: DEFAULT_DB,
  detLimitSide: DET_LIMIT_SIDE,
  useCls: true,
  recWidthSpread: REC_WIDTH_SPREAD,
};

export interface PaddleLine {
  /** As decoded (not normalised). */
  text: string;
  /** Mean probability of the decoded characters. */
  confidence: number;
  /** Box corners in image pixels: top-left, top-right, bottom-right, bottom-left of the detected rectangle. */
  quad: Quad;
  /** The crop was turned 90 degrees CCW (text ran down the box). */
  rotated: boolean;
  /** The reading came from the crop turned 180 degrees (text was upside down). */
  flipped: boolean;
  /** The crop exactly as recognised (turned and flipped as above). */
  crop: RgbImage;
  /** The recogniser's reading with its CTC alignment, before any space was added (ctc-gaps.ts reads it). */
  decoded: Decoded;
}

export interface PaddleTimings {
  detMs: number;
  cropMs: number;
  recMs: number;
}

async function runSingle(session: ort.InferenceSession, data: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const input = new ort.Tensor('float32', data, dims);
  const output = await session.run({ [session.inputNames[0]!]: input });
  return output[session.outputNames[0]!]!;
}

/**
 * One recogniser run over a [N, 3, 48, W] batch: the graph's per-timestep reductions (rec-tail.ts),
 * [N, T] each (or the packaged graph's softmax reduced in JS); sequence n starts at n x steps.
 */
export async function runRecogniser(
  models: PaddleModels,
  data: Float32Array,
  dims: number[],
): Promise<{ reduced: CtcSteps; steps: number }> {
  const output = await models.rec.run({ [models.rec.inputNames[0]!]: new ort.Tensor('float32', data, dims) });
  const best = output[REC_TAIL_OUTPUTS.best];
  if (!best) {
    // The graph as packaged (SessionSettings.foldGraphs false): its softmax, reduced here.
    const probs = output[models.rec.outputNames[0]!]!;
    const [n = 0, steps = 0, classes = 0] = probs.dims;
    return { reduced: ctcReduce(probs.data as Float32Array, 0, n * steps, classes, models.keys.length + 1), steps };
  }
  return {
    reduced: {
      best: best.data as Int32Array,
      bestProb: output[REC_TAIL_OUTPUTS.bestProb]!.data as Float32Array,
      spaceProb: output[REC_TAIL_OUTPUTS.spaceProb]!.data as Float32Array,
    },
    steps: best.dims[1] ?? 0,
  };
}

/** Probability of "upside down" per crop. */
async function upsideDown(models: PaddleModels, crops: readonly RgbImage[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < crops.length; i += REC_BATCH) {
    const batch = crops.slice(i, i + REC_BATCH);
    const data = inputs.take(batch.length * 3 * REC_HEIGHT * CLS_WIDTH);
    try {
      const tensor = await runSingle(models.cls, await clsTensorData(batch, data), [batch.length, 3, REC_HEIGHT, CLS_WIDTH]);
      const probs = tensor.data as Float32Array;
      for (let n = 0; n < batch.length; n++) out.push(probs[n * 2 + 1]!);
    } finally {
      inputs.give(data);
    }
  }
  return out;
}

/** Recognises crops in batches sorted by aspect ratio; results come back in input order. */
export async function recogniseCrops(
  models: PaddleModels,
  crops: readonly RgbImage[],
  maxSpread = REC_WIDTH_SPREAD,
): Promise<{ text: string; confidence: number; decoded: Decoded }[]> {
  const ratios = crops.map((c) => c.width / c.height);
  const results: { text: string; confidence: number; decoded: Decoded }[] = new Array(crops.length);
  for (const batch of recBatches(ratios, REC_BATCH, maxSpread)) {
    const width = recBatchWidth(Math.max(...batch.map((i) => ratios[i]!)));
    const data = inputs.take(batch.length * 3 * REC_HEIGHT * width);
    try {
      await batchTensorData(
        batch.map((i) => crops[i]!),
        width,
        data,
      );
      const { reduced, steps } = await runRecogniser(models, data, [batch.length, 3, REC_HEIGHT, width]);
      batch.forEach((i, n) => {
        const decoded = ctcDecodeSteps(reduced, n * steps, steps, models.keys);
        results[i] = { text: splitGappedDigits(decoded), confidence: decoded.confidence, decoded };
      });
    } finally {
      inputs.give(data);
    }
  }
  return results;
}

export async function recognisePage(
  models: PaddleModels,
  image: RgbImage,
  options: RecogniseOptions = DEFAULT_RECOGNISE,
): Promise<{ lines: PaddleLine[]; timings: PaddleTimings }> {
  let t = performance.now();
  const det = await detInput(image, options.detLimitSide, (length) => inputs.take(length));
  let boxes: ReturnType<typeof boxesFromMap>;
  try {
    const map = await runSingle(models.det, det.data, [1, 3, det.height, det.width]);
    boxes = boxesFromMap({ data: map.data as Float32Array, width: det.width, height: det.height }, image.width, image.height, options.db);
  } finally {
    inputs.give(det.data);
  }
  const detMs = performance.now() - t;
  t = performance.now();
  const crops: Crop[] = boxes.map((b) => cropText(image, b.quad));
  const flips = options.useCls && crops.length ? await upsideDown(models, crops) : crops.map(() => 0);
  const candidates: { line: number; crop: RgbImage; flipped: boolean }[] = [];
  crops.forEach((crop, i) => {
    candidates.push({ line: i, crop, flipped: false });
    // A hint, not a verdict: read it both ways and let the recogniser's confidence decide.
    if (flips[i]! > CLS_FLIP_THRESHOLD) candidates.push({ line: i, crop: rotate180(crop), flipped: true });
  });
  const cropMs = performance.now() - t;
  t = performance.now();
  const readings = await recogniseCrops(
    models,
    candidates.map((c) => c.crop),
    options.recWidthSpread,
  );
  const best = new Map<number, number>();
  candidates.forEach((c, k) => {
    const current = best.get(c.line);
    if (current === undefined || readings[k]!.confidence > readings[current]!.confidence) best.set(c.line, k);
  });
  const lines: PaddleLine[] = boxes.map((box, i) => {
    const k = best.get(i)!;
    const c = candidates[k]!;
    return {
      text: readings[k]!.text,
      confidence: readings[k]!.confidence,
      quad: box.quad,
      rotated: crops[i]!.rotated,
      flipped: c.flipped,
      crop: c.crop,
      decoded: readings[k]!.decoded,
    };
  });
  return { lines, timings: { detMs, cropMs, recMs: performance.now() - t } };
}
