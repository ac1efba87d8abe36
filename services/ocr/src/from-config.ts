/**
 * The ocr stage as configuration asks for it: the OCR_ENGINE reader (PP-OCRv4 on onnxruntime-node,
 * tesseract.js, or the hybrid of both) sized to OCR_WORKERS cores (OCR_THREADS: on that many worker threads; unset in the
 * embedded pipeline: on one worker thread beside the other stages), with models shipped in npm
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
  /**
   * The stage shares its process's main thread with the other stages (the embedded pipeline). With
   * OCR_THREADS unset it then reads on one worker thread of its own (readerThreads says why).
   */
  sharesThread?: boolean;
}

/**
 * Worker threads the reader reads on (0: the stage's own thread) and their sessions' intra-op threads.
 * OCR_THREADS=true: one per OCR_WORKERS core, single-threaded sessions. Unset, in a process whose stages
 * share the main thread: one, with sessions on half the OCR_WORKERS cores. onnxruntime-node runs a
 * session synchronously on the calling thread, so in-process OCR held the main thread ~280 ms of CPU
 * per photo and the other stages' work could not overlap it; on its own thread (pipeline-cpu-by-thread,
 * 26 photos of ../shared/photos, 2 shared cores, three back-to-back pairs at load 8-12) the main thread's
 * CPU fell 295/282/289 -> 98/94/97 ms per photo and the process's 671/642/633 -> 591/572/565 (single-
 * threaded sessions waste less on the pool's hand-offs: the reader alone 406 -> 370 ms, ocr-step-cost
 * --intra 1; its readings byte-identical, --dump sha256 e8885c37a290 with --intra 1 and 2), at +70-110 MB peak RSS
 * (bench, 2 alternated pairs, load 8-10: 895/944 against OCR_THREADS=false's 828/836; +270 before the thread
 * kept the recogniser's arena, create-text-reader.ts): a second isolate with its own modules and word lexicon
 * (memory-by-part --part hybrid --ocr-threads 1: +47 MiB loaded) and, not measured apart, the reading overlapping the other
 * stages' work, whose transient buffers used to come one after the other. Measured the same way and not
 * kept (3 pairs each, load 8-12, no clear win): the thread's sessions on both cores (photos/min 71.8/44.5/64.8 vs
 * 78.1/46.0/48.8), the stage holding 2 photos for the one thread (66.8/100.5/69.2 vs 95.2/73.9/61.1, +100-250 MiB),
 * the detector's sessions single-threaded beside it (64.5/49.4/51.7 vs 70.6/53.7/58.5).
 */
export function readerThreads(
  ocr: AppConfig['ai']['ocr'],
  sharesThread: boolean,
): { threads: number; intraOpNumThreads: number | undefined } {
  if (ocr.threads === true) return { threads: ocr.workers, intraOpNumThreads: undefined };
  if (ocr.threads === null && sharesThread) return { threads: 1, intraOpNumThreads: Math.max(1, Math.floor(ocr.workers / 2)) };
  return { threads: 0, intraOpNumThreads: undefined };
}

export function ocrFromConfig(config: AppConfig, { blobs, cache, sharesThread = false }: OcrDeps): BuiltCapability {
  const { engine, workers } = config.ai.ocr;
  // OCR_THREADS: one worker thread per OCR_WORKERS core, each reading one photo with single-threaded
  // sessions (onnxruntime-node runs on the calling thread, so only threads read two photos on two
  // cores). Off by default: measured on ../shared/photos, 2 cores, it raised the embedded pipeline
  // from 88.8 to 116.5 photos/min and its peak RSS from 1174 to 1815 MB (a reader per thread). The
  // threads now share one tesseract engine and keep no recogniser arena: 1425-1521 MB (load 7-11), single
  // photo p95 still above the 1 s bound (one single-threaded session per photo), so still opt-in. Unset, the
  // embedded pipeline reads on one thread of its own (readerThreads).
  const { threads: readOn, intraOpNumThreads } = readerThreads(config.ai.ocr, sharesThread);
  const session = intraOpNumThreads === undefined ? undefined : { session: { intraOpNumThreads } };
  const reader = createTextReader({ engine, workers, threads: readOn, paddle: session, hybrid: session });
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
