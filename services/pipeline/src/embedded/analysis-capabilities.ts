/**
 * Builds the three analysis capabilities (detector, ocr, llm) from configuration, each either
 * ready with its stage or off with the reason. A capability that is off is left out of the
 * manifest's expected stages so no post waits for it, and health/detailed says why: nothing is
 * ever faked in its place.
 */
import type { AppConfig } from '@media-ai/config';
import { createDetectorStage, detectorStageEnabled } from '@media-ai/detector-service';
import { createLlmStage, llmStageEnabled, VisionDescriber, visionDescriberOptions } from '@media-ai/llm-service';
import { TextReader } from '@media-ai/ocr';
import { createOcrStage } from '@media-ai/ocr-service';
import type { ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { Stage } from '@media-ai/stream';
import { loadDetectionModels, ModelManager } from '@media-ai/vision';

export interface CapabilityStatus {
  stage: 'detector' | 'ocr' | 'llm';
  enabled: boolean;
  /** Why it is off or partial (a model that could not be resolved, no API key...). */
  reason: string | null;
  /** Model or engine versions in use. */
  versions: Record<string, string>;
}

export interface AnalysisCapabilities {
  stages: Stage[];
  status: CapabilityStatus[];
}

export interface CapabilityDeps {
  config: AppConfig;
  blobs: BlobStore;
  cache: ResultCache;
  /** Loud notices at start-up (a GPU asked for but not available...). */
  onWarning: (message: string) => void;
}

function modelSourceOf(config: AppConfig): string | undefined {
  const source = config.ai.modelSource;
  if (!source) return undefined;
  return source.kind === 'folder' ? source.path : source.url;
}

async function detectorCapability({ config, blobs, cache, onWarning }: CapabilityDeps): Promise<{ stage: Stage | null; status: CapabilityStatus }> {
  const models = new ModelManager({
    cacheDir: config.ai.modelCacheDir,
    source: modelSourceOf(config),
    downloadTimeoutMs: config.ai.modelDownloadTimeoutMs,
  });
  const loaded = await loadDetectionModels({
    models,
    enableGpu: config.ai.enableGpu,
    onWarning,
    scoreThreshold: config.ai.detectorScoreThreshold,
  });
  const versions: Record<string, string> = {};
  if (loaded.detector) versions[loaded.detector.name] = loaded.detector.version;
  if (loaded.classifier) versions[loaded.classifier.name] = loaded.classifier.version;
  const reason = loaded.unavailable.length > 0 ? loaded.unavailable.map((u) => `${u.model}: ${u.reason}`).join('; ') : null;
  if (!detectorStageEnabled(loaded)) {
    return { stage: null, status: { stage: 'detector', enabled: false, reason, versions } };
  }
  const stage = createDetectorStage({
    detector: loaded.detector,
    classifier: loaded.classifier,
    unavailable: loaded.unavailable,
    blobs,
    cache,
    cacheTtlSeconds: config.redis.ttlSeconds.aiResults,
    maxBatchSize: Math.max(config.ai.batchSize, 8),
  });
  return { stage, status: { stage: 'detector', enabled: true, reason, versions } };
}

function ocrCapability({ config, blobs, cache }: CapabilityDeps): { stage: Stage; status: CapabilityStatus } {
  const reader = new TextReader({ poolSize: config.ai.ocr.workers });
  const stage = createOcrStage({
    reader,
    ownsReader: true,
    blobs,
    cache,
    cacheTtlSeconds: config.redis.ttlSeconds.aiResults,
    concurrency: config.ai.ocr.workers,
  });
  return {
    stage,
    status: {
      stage: 'ocr',
      enabled: true,
      reason: null,
      versions: { tesseract: TextReader.engineVersion, traineddata: TextReader.trainedDataVersion },
    },
  };
}

function llmCapability({ config, blobs, cache }: CapabilityDeps): { stage: Stage | null; status: CapabilityStatus } {
  if (!llmStageEnabled(config.openai)) {
    return { stage: null, status: { stage: 'llm', enabled: false, reason: 'OPENAI_API_KEY is not set', versions: {} } };
  }
  const describer = new VisionDescriber(visionDescriberOptions(config.openai));
  const stage = createLlmStage({
    describer,
    blobs,
    cache,
    cacheTtlSeconds: config.redis.ttlSeconds.aiResults,
    concurrency: 4,
  });
  return { stage, status: { stage: 'llm', enabled: true, reason: null, versions: { openai: describer.modelVersion } } };
}

export async function buildAnalysisCapabilities(deps: CapabilityDeps): Promise<AnalysisCapabilities> {
  const built = [await detectorCapability(deps), ocrCapability(deps), llmCapability(deps)];
  return {
    stages: built.flatMap((b) => (b.stage ? [b.stage] : [])),
    status: built.map((b) => b.status),
  };
}
