/**
 * The per-family strategy ObjectDetector runs: how one decoded photo becomes the network input
 * (letterbox placement, channel order, normalisation) and how the outputs become pixel detections.
 * One entry per COCO detector family we ship: YOLOX (from the ModelManager) and NanoDet (built into
 * this package).
 *
 * Must never hold a session or read files: pure encoding and decoding, so a new family is a new
 * entry here and not a second detector class.
 */
import { resizeRgb, type DecodedImage } from './decoded-image.js';
import type { DecodeOptions, PixelDetection, PlacedLetterbox } from './geometry.js';
import { centredLetterboxFor, decodeNanodetOutputs, NANODET_INPUT_SIZE, nanodetInputTensor, type ModelOutput } from './nanodet.js';
import { decodeYoloxOutput, letterboxFor, YOLOX_INPUT_SIZE, yoloxInputTensor } from './yolox.js';

export type DetectorFamily = 'yolox' | 'nanodet';

export type { DecodeOptions } from './geometry.js';

export interface DetectorCodec {
  readonly family: DetectorFamily;
  /** Square network input side. */
  readonly inputSize: number;
  /** Used when the caller sets no threshold: what was measured as this family's sensible default. */
  readonly defaultScoreThreshold: number;
  encode(image: DecodedImage): Promise<{ input: Float32Array; letterbox: PlacedLetterbox }>;
  /** `outputs` in the session's output order. */
  decode(outputs: readonly ModelOutput[], letterbox: PlacedLetterbox, options: DecodeOptions): PixelDetection[];
}

const yolox: DetectorCodec = {
  family: 'yolox',
  inputSize: YOLOX_INPUT_SIZE,
  // The README's tested range is 0.25..0.30; 0.3 keeps it on the strict side.
  defaultScoreThreshold: 0.3,
  async encode(image) {
    const box = letterboxFor(image.width, image.height, YOLOX_INPUT_SIZE);
    const resized = await resizeRgb(image, box.width, box.height);
    return { input: yoloxInputTensor(resized, box), letterbox: { ...box, offsetX: 0, offsetY: 0 } };
  },
  decode(outputs, letterbox, options) {
    const output = outputs[0];
    if (!output) throw new Error('YOLOX session returned no output');
    return decodeYoloxOutput(output.data, { ...options, ratio: letterbox.ratio });
  },
};

const nanodet: DetectorCodec = {
  family: 'nanodet',
  inputSize: NANODET_INPUT_SIZE,
  // For callers that set none (tools, tests): ../shared/reference/npm-shipped-models.md measured 0.45
  // as NanoDet's strict setting. The detector stage sets its own (detector-ensemble.ts).
  defaultScoreThreshold: 0.45,
  async encode(image) {
    const box = centredLetterboxFor(image.width, image.height, NANODET_INPUT_SIZE);
    const resized = await resizeRgb(image, box.width, box.height);
    return { input: nanodetInputTensor(resized, box), letterbox: box };
  },
  decode(outputs, letterbox, options) {
    return decodeNanodetOutputs(outputs, { ...options, letterbox });
  },
};

export const DETECTOR_CODECS: Readonly<Record<DetectorFamily, DetectorCodec>> = { yolox, nanodet };
