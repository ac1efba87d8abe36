/**
 * The detector stage's detector and classifier as the service loads them from its configuration,
 * for the tools that measure the stage's steps one by one (detector-step-cost,
 * fingerprint-variant-cost): a measurement of other models would not be the stage's cost.
 */
import type { AppConfig } from '@media-ai/config';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { loadDetectionModels, type DetectorEnsemble, type ItemClassifier } from '@media-ai/vision';

export interface StageModels {
  detector: DetectorEnsemble;
  classifier: ItemClassifier;
}

/** Throws, naming what did not load, when a model the stage needs is missing. */
export async function stageModels(config: AppConfig): Promise<StageModels> {
  const loaded = await loadDetectionModels({
    models: modelManagerFromConfig(config),
    scoreThreshold: config.ai.detectorScoreThreshold,
    detectorModels: config.ai.detectorModels,
  });
  const { detector, classifier } = loaded;
  if (!detector || !classifier) throw new Error(`models missing: ${JSON.stringify(loaded.unavailable)}`);
  return { detector, classifier };
}
