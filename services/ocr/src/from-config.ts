/**
 * The ocr stage as configuration asks for it: a tesseract.js worker pool of AI_OCR_WORKERS with the
 * bundled English data. Always on: tesseract needs nothing from outside the process.
 */
import type { AppConfig } from '@media-ai/config';
import { TextReader } from '@media-ai/ocr';
import type { BuiltCapability } from '@media-ai/runtime';
import type { ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import { createOcrStage } from './stage.js';

export interface OcrDeps {
  blobs: BlobStore;
  cache: ResultCache;
}

export function ocrFromConfig(config: AppConfig, { blobs, cache }: OcrDeps): BuiltCapability {
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
