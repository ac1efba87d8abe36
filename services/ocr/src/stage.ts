/**
 * The OCR stage: for each normalized photo, read the JPEG from the blob store (or take the cached
 * result for the same image, engine, rules and key), read its text, redact personal data from every
 * line with @media-ai/privacy (the one redactor), and publish one TextsRecord to media-ai.texts keyed
 * by post id, with the document the text is and the identifiers it read (serial numbers, IMEIs,
 * document and card numbers) as keyed hashes. A photo given up on gets a failed record, so the
 * aggregator never waits for it.
 *
 * Must never publish or cache unredacted text or an identifier's value (the cache is shared
 * infrastructure too): identifiers leave only as HMAC-SHA256 under the identifier key, with their
 * kind and at most their last four characters; `sensitive_identifiers` is written empty. Never cache
 * a failure.
 */
import {
  emptyTexts,
  failedPart,
  MediaAiError,
  okPart,
  STAGES,
  TOPICS,
  type FaceRecord,
  type HashedIdentifier,
  type PartPayload,
  type PhotoRecord,
  type TextLineRecord,
  type TextsRecord,
} from '@media-ai/contracts';
import { TESSERACT_VERSION, TRAINEDDATA_VERSION, commonWordLexicon, type OcrResult } from '@media-ai/ocr';
import {
  hasPrintedPortrait,
  hashIdentifier,
  identifierKeyId,
  maskIdentifierValues,
  PRIVACY_RULES_VERSION,
  readUpsideDown,
  redactPersonalData,
  warmUpRedaction,
  type Identifier,
} from '@media-ai/privacy';
import { bestEffortCache, resultCacheKey, type ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { InboundRecord, OutboundRecord, Stage } from '@media-ai/stream';

export const OCR_STAGE_NAME = STAGES.ocr;
/**
 * Part of the cache key besides the engine and data versions: bump it when pre-processing,
 * thresholds, redaction or the record's shape change what the same engine publishes, so old results are
 * not served. (A change of redaction rules changes PRIVACY_RULES_VERSION, also part of the key.)
 * r4: every engine's lines are re-spaced (glued words split) before redaction.
 * r5: texts v2 (identifiers as keyed hashes, the recognised document), redacted by @media-ai/privacy.
 * r6: the hybrid engine re-reads a glued line with tesseract only when the word re-spacing leaves it glued
 * (identical on the 26 shared photos, may differ on others).
 * r7: the Paddle recogniser batches only crops of similar width (REC_WIDTH_SPREAD): less padding; the
 * passport's MRZ and a few other lines read differently.
 */
export const OCR_RESULT_VERSION = 'r7';

/** The text reader as the stage uses it (any reader createTextReader from @media-ai/ocr builds). */
export interface PhotoTextReader {
  read(image: Buffer): Promise<OcrResult>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /**
   * The engine and model versions the reader publishes under: model_versions of every record (with
   * `privacy`, the redaction rules' version) and part of the cache key, so a reading by one engine is never served for another. A reader that
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
  /**
   * The HMAC key of identifier hashes (MEDIA_AI_IDENTIFIER_KEY, identifierKeyOf in @media-ai/config):
   * the fetcher hashes the post's own text with the same key, so both sides of a match agree.
   */
  identifierKey: Buffer;
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
 * next; labels and an MRZ too blurry to publish), then each line again alone as a safety net, then
 * masks every identifier found anywhere (a serial whose label only the context read) wherever its
 * value is written again. Kinds are merged; identifiers are published as keyed hashes, never values.
 * `photo` lends the faces the fetcher found on it: a portrait printed beside the lines makes the
 * text someone's card (hasPrintedPortrait), and the redactor fails closed on it.
 */
export function redactReading(reading: OcrResult, identifierKey: Buffer, photo?: PhotoFaces): CachedTexts {
  const portrait = printedPortraitOn(reading, photo);
  const joined = redactPersonalData(reading.lines.map((l) => l.text.replace(/\n/g, ' ')).join('\n'), {
    context: reading.contextText,
    portrait,
    // The readers' re-spacing lexicon (shared, already loaded by them): a text that fails closed keeps known wording only.
    commonWords: commonWordLexicon(),
    // A page photographed upside down: its lines come last-first, so the rules walk them reversed.
    upsideDown: readUpsideDown(reading),
  });
  const redactedLines = joined.text.split('\n');
  const kinds = new Set<string>(joined.redactedKinds);
  const identifiers: Identifier[] = [...joined.identifiers];
  const again = reading.lines.map((_, i) => {
    const line = redactPersonalData(redactedLines[i] ?? '');
    line.redactedKinds.forEach((k) => kinds.add(k));
    identifiers.push(...line.identifiers);
    return line.text;
  });
  const lines: TextLineRecord[] = reading.lines.map((line, i) => ({
    text: maskIdentifierValues(again[i] ?? '', identifiers),
    confidence: line.confidence,
    box: line.box,
  }));
  const document = joined.document;
  return {
    lines,
    text: lines.map((l) => l.text).join('\n'),
    confidence: reading.confidence,
    redacted_kinds: [...kinds].sort(),
    // v1 readers require the field; values never leave the stage any more.
    sensitive_identifiers: [],
    rotation: reading.rotation,
    identifiers: hashedOnce(identifiers, identifierKey),
    document: document ? { type: document.type, confidence: document.confidence, evidence: [...document.evidence] } : null,
  };
}

/** What redactReading needs of the photo record: the faces the fetcher found (boxes relative to the photo). */
export interface PhotoFaces {
  faces?: readonly FaceRecord[] | null;
}

/** Whether one of the photo's faces is a portrait printed beside the lines read (hasPrintedPortrait). */
export function printedPortraitOn(reading: OcrResult, photo: PhotoFaces | undefined): boolean {
  return (
    !!photo?.faces?.length &&
    hasPrintedPortrait({
      faces: photo.faces.map((f) => f.box),
      lines: reading.lines.map((l) => l.box),
    })
  );
}

/** Each identifier's keyed hash, once (the joined and the per-line pass find the same ones). */
function hashedOnce(identifiers: readonly Identifier[], key: Buffer): HashedIdentifier[] {
  const byHash = new Map<string, HashedIdentifier>();
  for (const id of identifiers) {
    const hashed = hashIdentifier(id, key);
    if (!byHash.has(hashed.hash)) byHash.set(hashed.hash, { kind: hashed.kind, hash: hashed.hash, last4: hashed.last4 });
  }
  return [...byHash.values()];
}

export function createOcrStage(options: OcrStageOptions): Stage<PhotoRecord> {
  const { reader, blobs, cache, cacheTtlSeconds, onCacheError } = options;
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const now = options.now ?? Date.now;
  const modelVersions = Object.freeze({ ...(reader.modelVersions ?? OCR_MODEL_VERSIONS) });
  // Published with every record: which rules redacted it (fusion names them as a document type's model).
  const publishedVersions = Object.freeze({ ...modelVersions, privacy: PRIVACY_RULES_VERSION });
  const { identifierKey } = options;
  // The cached record holds hashes under this key and text redacted by these rules: another key or
  // other rules must not be served it. The key's id says nothing of the key (identifierKeyId).
  const cacheVersion = `${ocrCacheVersion(modelVersions)}+${PRIVACY_RULES_VERSION}+key-${identifierKeyId(identifierKey)}`;
  // A record with faces is redacted with them (a printed portrait fails closed), so its answer is
  // kept apart from one without (a fetcher without its face model); the image stays the key's last
  // part, so forgetting an image (resultCacheImageOf) finds both.
  const readingsOf = (faces: number) =>
    bestEffortCache(cache, {
      key: (sha256) => resultCacheKey(OCR_STAGE_NAME, faces ? `${cacheVersion}+faces-${faces}` : cacheVersion, sha256),
      // An entry of another shape (older code under the same key) is a miss, not trusted.
      accept: (entry) => {
        const value = entry as Partial<CachedTexts> | null;
        return value && Array.isArray(value.lines) && typeof value.text === 'string' && Array.isArray(value.identifiers)
          ? (value as CachedTexts)
          : undefined;
      },
      ttlSeconds: cacheTtlSeconds,
      onError: onCacheError,
    });
  const readingsByFaces = new Map<number, ReturnType<typeof readingsOf>>();

  return {
    name: OCR_STAGE_NAME,
    inputs: [TOPICS.photos],
    concurrency: options.concurrency,

    async start() {
      // The redactor's libraries set up lazily (compromise's lexicon alone takes seconds): pay it here, not on the first photo.
      warmUpRedaction();
      // The known wording of texts that fail closed adds languages to the readers' lexicon (~60 ms once).
      commonWordLexicon();
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
      const faces = photo.faces?.length ?? 0;
      let readings = readingsByFaces.get(faces);
      if (!readings) readingsByFaces.set(faces, (readings = readingsOf(faces)));
      let texts = await readings.get(photo.sha256);
      if (!texts) {
        const bytes = await blobs.get(photo.blob_key);
        texts = redactReading(await reader.read(bytes), identifierKey, photo);
        await readings.set(photo.sha256, texts);
      }
      const value: TextsRecord = okPart(photo, publishedVersions, texts, { durationMs: now() - started });
      return [{ topic: TOPICS.texts, key: photo.post_id, value }];
    },

    onGiveUp(record: InboundRecord<PhotoRecord>, error: Error): OutboundRecord[] {
      const photo = record.value;
      // Without a post id the aggregator cannot be told; the dead-letter copy is all there is.
      if (!photo?.post_id) return [];
      const value: TextsRecord = failedPart(photo, publishedVersions, error, emptyTexts());
      return [{ topic: TOPICS.texts, key: photo.post_id, value }];
    },
  };
}

/**
 * The reading's version: every engine and model version (sorted), then OCR_RESULT_VERSION. The
 * result-cache key adds the privacy rules and the identifier key to it; the privacy benchmark keys
 * its cache of raw readings by it alone.
 */
export function ocrCacheVersion(modelVersions: Readonly<Record<string, string>>): string {
  const parts = Object.keys(modelVersions)
    .sort()
    .map((name) => `${name}@${modelVersions[name]}`.replace(/[^\w.@-]+/g, '_'));
  return [...parts, OCR_RESULT_VERSION].join('+');
}
