/**
 * The detector stage as configuration asks for it: models resolved through the model manager
 * (cache, AI_MODEL_SOURCE, pinned upstream URL; sha256 verified), loaded on the GPU when asked and
 * available. Off, with the reason, when no detection model could be loaded: never a fake detector.
 */
import type { AppConfig } from '@media-ai/config';
import type { BuiltCapability } from '@media-ai/runtime';
import type { ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { MediaAiMetrics } from '@media-ai/telemetry';
import { loadDetectionModels, ModelManager } from '@media-ai/vision';
import { createDetectorStage, DETECTOR_STAGE_NAME, detectorStageEnabled } from './stage.js';

export interface DetectorDeps {
  blobs: BlobStore;
  cache: ResultCache;
  /** Loud notices at start-up (a GPU asked for but not available...). */
  onWarning: (message: string) => void;
  /** model_inference_duration_seconds{model_name} is observed here when given. */
  metrics?: MediaAiMetrics;
  /**
   * The stage shares its process's main thread with the other stages (the embedded pipeline):
   * batches of AI_BATCH_SIZE only, never the service's minimum of 8 (see detectorBatchSize).
   */
  sharesThread?: boolean;
}

/**
 * Photos per detector batch. A stage service batches at least 8 across messages (one classifier run
 * for the batch). In one process with the other stages it must not: onnxruntime-node runs a session
 * synchronously on the calling thread, so a batch of 8 held the event loop for seconds (detector p50
 * 1.1-4.1 s per photo in the embedded pipeline) while OCR threads waited for their next photo.
 */
export function detectorBatchSize(config: AppConfig, sharesThread: boolean): number {
  return sharesThread ? config.ai.batchSize : Math.max(config.ai.batchSize, 8);
}

/** The model manager configuration describes (also used by `media-ai models`). */
export function modelManagerFromConfig(config: AppConfig): ModelManager {
  const source = config.ai.modelSource;
  return new ModelManager({
    cacheDir: config.ai.modelCacheDir,
    source: source ? (source.kind === 'folder' ? source.path : source.url) : undefined,
    downloadTimeoutMs: config.ai.modelDownloadTimeoutMs,
  });
}

export async function detectorFromConfig(
  config: AppConfig,
  { blobs, cache, onWarning, metrics, sharesThread = false }: DetectorDeps,
): Promise<BuiltCapability> {
  const loaded = await loadDetectionModels({
    models: modelManagerFromConfig(config),
    enableGpu: config.ai.enableGpu,
    onWarning,
    scoreThreshold: config.ai.detectorScoreThreshold,
    detectorModels: config.ai.detectorModels,
    onInference: metrics ? (modelName, seconds) => metrics.modelInferenceDuration.observe({ model_name: modelName }, seconds) : undefined,
  });
  const versions: Record<string, string> = {};
  for (const detector of loaded.detectors) versions[detector.name] = detector.version;
  if (loaded.classifier) versions[loaded.classifier.name] = loaded.classifier.version;
  const reason = loaded.unavailable.length > 0 ? loaded.unavailable.map((u) => `${u.model}: ${u.reason}`).join('; ') : null;
  if (!detectorStageEnabled(loaded)) {
    return { stage: null, status: { stage: DETECTOR_STAGE_NAME, enabled: false, reason, versions } };
  }
  const stage = createDetectorStage({
    // The ensemble of every detector that loaded (YOLOX when resolved, NanoDet always); the stage owns it.
    detector: loaded.detector,
    classifier: loaded.classifier,
    unavailable: loaded.unavailable,
    blobs,
    cache,
    cacheTtlSeconds: config.redis.ttlSeconds.aiResults,
    maxBatchSize: detectorBatchSize(config, sharesThread),
  });
  return { stage, status: { stage: DETECTOR_STAGE_NAME, enabled: true, reason, versions } };
}
