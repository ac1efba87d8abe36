/**
 * The OCR stage: for each normalized photo, read the JPEG from the blob store (or take the cached
 * result for the same image and engine), read its text, redact personal data from every line and
 * from the full text, and publish one TextsRecord to media-ai.texts keyed by post id. A photo given
 * up on gets a failed record, so the aggregator never waits for it.
 *
 * Must never publish or cache unredacted text (the cache is shared infrastructure too); never put a
 * serial number or IMEI anywhere but sensitive_identifiers; never cache a failure.
 */
import {
  emptyTexts,
  failedPart,
  MediaAiError,
  okPart,
  STAGES,
  TOPICS,
  type PartPayload,
  type PhotoRecord,
  type SensitiveIdentifier,
  type TextLineRecord,
  type TextsRecord,
} from '@media-ai/contracts';
import { TESSERACT_VERSION, TRAINEDDATA_VERSION, redactPersonalData, type OcrResult } from '@media-ai/ocr';
import { bestEffortCache, resultCacheKey, type ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { InboundRecord, OutboundRecord, Stage } from '@media-ai/stream';

export const OCR_STAGE_NAME = STAGES.ocr;
/**
 * Part of the cache key besides the engine and data versions: bump it when pre-processing,
 * thresholds or redaction rules change what the same engine publishes, so old results are not served.
 * r4: every engine's lines are re-spaced (glued words split) before redaction.
 */
export const OCR_RESULT_VERSION = 'r4';

/** The text reader as the stage uses it (any reader createTextReader from @media-ai/ocr builds). */
export interface PhotoTextReader {
  read(image: Buffer): Promise<OcrResult>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /**
   * The engine and model versions the reader publishes under: model_versions of every record and
   * part of the cache key, so a reading by one engine is never served for another. A reader that
   * names none is taken to be tesseract (OCR_MODEL_VERSIONS).
   */
  readonly modelVersions?: Readonly<Record<string, string>>;
}

export interface OcrStageOptions {
  reader: PhotoTextReader;
  blobs: BlobStore;
  cache: ResultCache;
  /** REDIS_AI_RESULTS_TTL. */
  cacheTtlSeconds: number;
  /** Photos read at the same time; match the reader's pool size (more only queue in the pool). */
  concurrency: number;
  /** Whether stop() stops the reader too (false when the reader is shared). Default true. */
  ownsReader?: boolean;
  /** A cache that fails is skipped, not fatal; the wiring logs and counts it. */
  onCacheError?: (error: unknown, operation: 'get' | 'set') => void;
  now?: () => number;
}

/** Everything in the record that depends only on the pixels, the engine and the rules (the payload). Redacted. */
type CachedTexts = PartPayload<TextsRecord>;

/** The tesseract reader's versions: what a reader without modelVersions is assumed to be. */
export const OCR_MODEL_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  'tesseract.js': TESSERACT_VERSION,
  traineddata: TRAINEDDATA_VERSION,
});

/**
 * Redacts OCR lines with the context of the whole text (a label on one line, its value on the
 * next), then each line again alone as a safety net. Kinds and identifiers are merged.
 */
export function redactReading(reading: OcrResult): CachedTexts {
  const joined = redactPersonalData(reading.lines.map((l) => l.text.replace(/\n/g, ' ')).join('\n'), { context: reading.contextText });
  const redactedLines = joined.text.split('\n');
  const kinds = new Set(joined.redactedKinds);
  const identifiers = [...joined.sensitiveIdentifiers];
  const lines: TextLineRecord[] = reading.lines.map((line, i) => {
    const again = redactPersonalData(redactedLines[i] ?? '');
    again.redactedKinds.forEach((k) => kinds.add(k));
    identifiers.push(...again.sensitiveIdentifiers);
    return { text: again.text, confidence: line.confidence, box: line.box };
  });
  return {
    lines,
    text: lines.map((l) => l.text).join('\n'),
    confidence: reading.confidence,
    redacted_kinds: [...kinds].sort(),
    sensitive_identifiers: dedupe(identifiers),
    rotation: reading.rotation,
  };
}

export function createOcrStage(options: OcrStageOptions): Stage<PhotoRecord> {
  const { reader, blobs, cache, cacheTtlSeconds, onCacheError } = options;
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const now = options.now ?? Date.now;
  const modelVersions = Object.freeze({ ...(reader.modelVersions ?? OCR_MODEL_VERSIONS) });
  const cacheVersion = ocrCacheVersion(modelVersions);
  const readings = bestEffortCache(cache, {
    key: (sha256) => resultCacheKey(OCR_STAGE_NAME, cacheVersion, sha256),
    // An entry of another shape (older code under the same key) is a miss, not trusted.
    accept: (entry) => {
      const value = entry as Partial<CachedTexts> | null;
      return value && Array.isArray(value.lines) && typeof value.text === 'string' ? (value as CachedTexts) : undefined;
    },
    ttlSeconds: cacheTtlSeconds,
    onError: onCacheError,
  });

  return {
    name: OCR_STAGE_NAME,
    inputs: [TOPICS.photos],
    concurrency: options.concurrency,

    async start() {
      await reader.start?.();
    },

    async stop() {
      if (options.ownsReader ?? true) await reader.stop?.();
    },

    async handle(record: InboundRecord<PhotoRecord>): Promise<OutboundRecord[]> {
      const started = now();
      const photo = record.value;
      if (!photo?.post_id || !photo.sha256 || !photo.blob_key) {
        throw new MediaAiError('MEDIA_AI_BAD_RECORD', 'Photo record lacks post_id, sha256 or blob_key');
      }
      let texts = await readings.get(photo.sha256);
      if (!texts) {
        const bytes = await blobs.get(photo.blob_key);
        texts = redactReading(await reader.read(bytes));
        await readings.set(photo.sha256, texts);
      }
      const value: TextsRecord = okPart(photo, modelVersions, texts, { durationMs: now() - started });
      return [{ topic: TOPICS.texts, key: photo.post_id, value }];
    },

    onGiveUp(record: InboundRecord<PhotoRecord>, error: Error): OutboundRecord[] {
      const photo = record.value;
      // Without a post id the aggregator cannot be told; the dead-letter copy is all there is.
      if (!photo?.post_id) return [];
      const value: TextsRecord = failedPart(photo, modelVersions, error, emptyTexts());
      return [{ topic: TOPICS.texts, key: photo.post_id, value }];
    },
  };
}

/** The cache key's version part: every engine and model version (sorted), then OCR_RESULT_VERSION. */
export function ocrCacheVersion(modelVersions: Readonly<Record<string, string>>): string {
  const parts = Object.keys(modelVersions)
    .sort()
    .map((name) => `${name}@${modelVersions[name]}`.replace(/[^\w.@-]+/g, '_'));
  return [...parts, OCR_RESULT_VERSION].join('+');
}

function dedupe(ids: SensitiveIdentifier[]): SensitiveIdentifier[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = `${id.kind}\u0000${id.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
