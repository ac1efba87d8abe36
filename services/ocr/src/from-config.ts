/**
 * The ocr stage as configuration asks for it: the OCR_ENGINE reader (PP-OCRv4 on onnxruntime-node,
 * tesseract.js, or the hybrid of both) sized to OCR_WORKERS cores (OCR_THREADS: on that many worker threads), with models shipped in npm
 * packages, identifiers hashed with MEDIA_AI_IDENTIFIER_KEY. Always on: no engine needs anything
 * from outside the process.
 */
import { identifierKeyOf, type AppConfig } from '@media-ai/config';
import { createTextReader } from '@media-ai/ocr';
import { PRIVACY_RULES_VERSION } from '@media-ai/privacy';
import type { BuiltCapability } from '@media-ai/runtime';
import type { ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import { createOcrStage, OCR_STAGE_NAME } from './stage.js';

export interface OcrDeps {
  blobs: BlobStore;
  cache: ResultCache;
}

export function ocrFromConfig(config: AppConfig, { blobs, cache }: OcrDeps): BuiltCapability {
  const { engine, workers, threads } = config.ai.ocr;
  // OCR_THREADS: one worker thread per OCR_WORKERS core, each reading one photo with single-threaded
  // sessions (onnxruntime-node runs on the calling thread, so only threads read two photos on two
  // cores). Off by default: measured on ../shared/photos, 2 cores, it raised the embedded pipeline
  // from 88.8 to 116.5 photos/min and its peak RSS from 1174 to 1815 MB (a reader per thread). The
  // threads now share one tesseract engine and keep no recogniser arena: 1425-1521 MB (load 7-11), single
  // photo p95 still above the 1 s bound (one single-threaded session per photo), so still opt-in.
  const reader = createTextReader({ engine, workers, threads: threads ? workers : 0 });
  const stage = createOcrStage({
    reader,
    ownsReader: true,
    blobs,
    cache,
    cacheTtlSeconds: config.redis.ttlSeconds.aiResults,
    // Throws a ConfigError outside development without MEDIA_AI_IDENTIFIER_KEY.
    identifierKey: identifierKeyOf(config).key,
    // As many photos as the reader admits at once: more than its size only wait in its queue.
    concurrency: reader.stats().size,
  });
  return {
    stage,
    status: {
      stage: OCR_STAGE_NAME,
      enabled: true,
      reason: null,
      versions: { engine, ...reader.modelVersions, privacy: PRIVACY_RULES_VERSION },
    },
  };
}
