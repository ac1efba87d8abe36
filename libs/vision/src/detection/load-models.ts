/**
 * Start-up wiring for the detector capabilities: resolves YOLOX-Nano and the item classifier through
 * the ModelManager, and NanoDet-g from the file this package builds (models/nanodet-g-416.onnx, no
 * download), and opens their sessions. A model that cannot be resolved (or whose session fails to
 * open) is left out and listed in `unavailable` with the reason, for logs and health/detailed.
 *
 * Must never substitute anything for a missing model, never open a NanoDet file whose sha256 is not
 * the pinned one, and never throw for one missing model: the caller decides whether a partial
 * detector is worth starting.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ModelManager } from '../models/model-manager.js';
import { COCO80_LABELS } from './coco-labels.js';
import type { InferenceOptions } from './inference-session.js';
import { DetectorEnsemble, ensembleFloor } from './detector-ensemble.js';
import { ItemClassifier } from './item-classifier.js';
import { foldPoolPadding } from './fold-pool-padding.js';
import { NANODET_MODEL } from './nanodet-model.js';
import { ObjectDetector } from './object-detector.js';

/**
 * Where the build puts NanoDet: <package>/models/, two levels above both src/detection and
 * dist/detection, so tests (src, no build) and the image (dist) find the same file.
 */
export const NANODET_MODEL_PATH = fileURLToPath(new URL(`../../models/${NANODET_MODEL.file}`, import.meta.url));

export interface DetectionModelsOptions extends InferenceOptions {
  models: ModelManager;
  /** YOLOX's score threshold when it reports an object alone (AI_DETECTOR_SCORE_THRESHOLD); default 0.3. */
  scoreThreshold?: number;
  /** Which COCO detectors to run (AI_DETECTOR_MODELS); default both. */
  detectorModels?: readonly DetectorModelName[];
  /** Another NanoDet file (tests); default NANODET_MODEL_PATH. It must still match the pinned sha256. */
  nanodetModelPath?: string;
  nmsIouThreshold?: number;
  topK?: number;
}

export const DETECTOR_MODEL_NAMES = ['yolox-nano', 'nanodet-g'] as const;
export type DetectorModelName = (typeof DETECTOR_MODEL_NAMES)[number];

export interface DetectionModels {
  /**
   * Every COCO detector that loaded, YOLOX first (the better single model when present), then
   * NanoDet, each running at its ensemble floor (DetectorEnsemble applies the real thresholds).
   */
  detectors: ObjectDetector[];
  /** The ensemble of `detectors`, null when none loaded: what the detector stage runs. */
  detector: DetectorEnsemble | null;
  classifier: ItemClassifier | null;
  unavailable: Array<{ model: string; reason: string }>;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Opens the package-local NanoDet after checking the file against its pin. */
export async function loadNanodetDetector(
  options: InferenceOptions & { modelPath?: string; scoreThreshold?: number; nmsIouThreshold?: number } = {},
): Promise<ObjectDetector> {
  const { modelPath = NANODET_MODEL_PATH, ...rest } = options;
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath);
  } catch (error) {
    throw new Error(
      `${modelPath} cannot be read (${describe(error)}): it is generated at build, run \`${NANODET_MODEL.buildCommand}\` (or \`npm run build -w @media-ai/vision\`)`,
      { cause: error },
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== NANODET_MODEL.sha256) {
    throw new Error(
      `${modelPath} has sha256 ${sha256}, not the pinned ${NANODET_MODEL.sha256}: rebuild it with \`${NANODET_MODEL.buildCommand}\``,
    );
  }
  return ObjectDetector.create({
    ...rest,
    // Its tf2onnx -inf Pad before the stem MaxPool folded into the pool (fold-pool-padding.ts).
    modelPath: foldPoolPadding(bytes).model,
    family: 'nanodet',
    labels: [...COCO80_LABELS],
    name: NANODET_MODEL.name,
    version: NANODET_MODEL.version,
  });
}

export async function loadDetectionModels(options: DetectionModelsOptions): Promise<DetectionModels> {
  const { models, nanodetModelPath, scoreThreshold: yoloxSolo = 0.3, detectorModels = DETECTOR_MODEL_NAMES, ...inference } = options;
  const unavailable: DetectionModels['unavailable'] = [];
  const wanted = new Set<string>(detectorModels);

  const [yolox, nanodet, classifier] = await Promise.all([
    !wanted.has('yolox-nano')
      ? null
      : models
          .resolveModel('yolox-nano')
          .then((m) =>
            ObjectDetector.create({
              ...inference,
              family: 'yolox',
              modelPath: m.modelPath,
              labels: m.labels,
              name: m.spec.name,
              version: m.spec.version,
              scoreThreshold: ensembleFloor('yolox-nano', yoloxSolo),
            }),
          )
          .catch((error: unknown) => {
            unavailable.push({ model: 'yolox-nano', reason: describe(error) });
            return null;
          }),
    !wanted.has(NANODET_MODEL.name)
      ? null
      : loadNanodetDetector({ ...inference, modelPath: nanodetModelPath, scoreThreshold: ensembleFloor(NANODET_MODEL.name) }).catch(
          (error: unknown) => {
            unavailable.push({ model: NANODET_MODEL.name, reason: describe(error) });
            return null;
          },
        ),
    models
      .resolveModel('mobilenetv2-int8')
      .then((m) =>
        ItemClassifier.create({ ...inference, modelPath: m.modelPath, labels: m.labels, name: m.spec.name, version: m.spec.version }),
      )
      .catch((error: unknown) => {
        unavailable.push({ model: 'mobilenetv2-int8', reason: describe(error) });
        return null;
      }),
  ]);
  const detectors = [yolox, nanodet].filter((d): d is ObjectDetector => d !== null);
  // Promise.all settles in any order: keep the list stable for logs and tests.
  unavailable.sort((a, b) => a.model.localeCompare(b.model));
  const detector = detectors.length > 0 ? new DetectorEnsemble(detectors, { yoloxSolo }) : null;
  return { detectors, detector, classifier, unavailable };
}
