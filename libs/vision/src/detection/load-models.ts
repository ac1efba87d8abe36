/**
 * Start-up wiring for the detector capabilities: resolves each model through the ModelManager and
 * opens its session. A model that cannot be resolved (or whose session fails to open) leaves its
 * capability null and listed in `unavailable` with the reason, for logs and health/detailed.
 *
 * Must never substitute anything for a missing model, and never throw for one missing model: the
 * caller decides whether a partial detector is worth starting.
 */
import type { ModelManager } from '../models/model-manager.js';
import type { InferenceOptions } from './inference-session.js';
import { ItemClassifier } from './item-classifier.js';
import { ObjectDetector } from './object-detector.js';

export interface DetectionModelsOptions extends InferenceOptions {
  models: ModelManager;
  scoreThreshold?: number;
  nmsIouThreshold?: number;
  topK?: number;
}

export interface DetectionModels {
  detector: ObjectDetector | null;
  classifier: ItemClassifier | null;
  unavailable: Array<{ model: string; reason: string }>;
}

export async function loadDetectionModels(options: DetectionModelsOptions): Promise<DetectionModels> {
  const { models, ...inference } = options;
  const unavailable: DetectionModels['unavailable'] = [];
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

  const [detector, classifier] = await Promise.all([
    models
      .resolveModel('yolox-nano')
      .then((m) =>
        ObjectDetector.create({ ...inference, modelPath: m.modelPath, labels: m.labels, name: m.spec.name, version: m.spec.version }),
      )
      .catch((error: unknown) => {
        unavailable.push({ model: 'yolox-nano', reason: describe(error) });
        return null;
      }),
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
  return { detector, classifier, unavailable };
}
