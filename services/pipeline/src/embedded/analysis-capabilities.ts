/**
 * The three analysis capabilities (detector, ocr, llm) of the embedded process, each built from
 * configuration by its own service, either ready with its stage or off with the reason. A capability
 * that is off is left out of the manifest's expected stages so no post waits for it, and
 * health/detailed says why: nothing is ever faked in its place.
 */
import type { AppConfig } from '@media-ai/config';
import { detectorFromConfig } from '@media-ai/detector-service';
import { llmFromConfig } from '@media-ai/llm-service';
import { ocrFromConfig } from '@media-ai/ocr-service';
import type { CapabilityStatus } from '@media-ai/runtime';
import type { ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { Stage } from '@media-ai/stream';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';

export interface AnalysisCapabilities {
  stages: Stage[];
  status: CapabilityStatus[];
}

export interface CapabilityDeps {
  config: AppConfig;
  blobs: BlobStore;
  cache: ResultCache;
  metrics: MediaAiMetrics;
  logger: Logger;
}

export async function buildAnalysisCapabilities({ config, blobs, cache, metrics, logger }: CapabilityDeps): Promise<AnalysisCapabilities> {
  const built = [
    // Loud notices at start-up (a GPU asked for but not available...).
    await detectorFromConfig(config, { blobs, cache, metrics, sharesThread: true, onWarning: (message) => logger.warn({ message }) }),
    ocrFromConfig(config, { blobs, cache, sharesThread: true }),
    llmFromConfig(config, { blobs, cache, metrics, logger: logger.child({ stage: 'llm' }) }),
  ];
  return {
    stages: built.flatMap((b) => (b.stage ? [b.stage] : [])),
    status: built.map((b) => b.status),
  };
}
