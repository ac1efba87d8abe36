/**
 * Runs benchmark images through the real ocr stage: the fetcher's normalisation (normalizePhoto at
 * the configured size and quality), the OCR_ENGINE reader sized to OCR_WORKERS exactly as
 * services/ocr/src/from-config.ts builds it, and createOcrStage's handle(), whose TextsRecord is what
 * the service would publish. Whatever redactor the stage calls is what gets measured; nothing here
 * redacts. The raw reading is kept beside it (for over-redaction), and cached per engine and model
 * versions (the stage's own cache key, ocrCacheVersion) so a rerun measures a new redactor in
 * seconds; --fresh reads every image again. The photo record carries the faces the fetcher's own
 * detector (loadFaceDetector) finds on the normalized photo, as the fetcher's record does, so the
 * stage sees what it sees in service (a printed portrait makes it fail closed). `readingVersion`
 * scores the readings an earlier OCR version cached (a held-out set read cold once is scored again
 * without being read again): then nothing is read, and a photo with no such reading is an error.
 *
 * Must never score, and never publish or keep anything but what the stage returns and the reading.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { identifierKeyOf, type AppConfig } from '@media-ai/config';
import type { PhotoRecord, TextsRecord } from '@media-ai/contracts';
import { createTextReader, type OcrResult, type OcrTextReader } from '@media-ai/ocr';
import { loadFaceDetector, normalizeOptionsOf } from '@media-ai/fetcher-service';
import { createOcrStage, ocrCacheVersion, printedPortraitOn, type PhotoTextReader } from '@media-ai/ocr-service';
import { MemoryResultCache } from '@media-ai/state';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import type { InboundRecord } from '@media-ai/stream';
import { normalizePhoto } from '@media-ai/vision';
import type { Published } from './score.js';

export interface StageOutcome {
  id: string;
  /** What the reader read (the unredacted lines the stage starts from). */
  raw: string[];
  /** Every line the reader read, low-confidence ones too (the redaction context the stage passes on). */
  context: string;
  record: TextsRecord;
  /** Faces the fetcher's detector found on the normalized photo (the record's `faces`). */
  faces: number;
  /** Whether the stage took one of them for a portrait printed beside the text (printedPortraitOn). */
  portrait: boolean;
  fromCache: boolean;
  readMs: number;
}

export interface OcrHarness {
  readonly engine: string;
  readonly modelVersions: Readonly<Record<string, string>>;
  /** Photos the reader takes at once. */
  readonly concurrency: number;
  run(id: string, image: Buffer): Promise<StageOutcome>;
  stop(): Promise<void>;
}

/** A reader that answers from the reading cache, and reads (then remembers) otherwise. */
class CachingReader implements PhotoTextReader {
  readonly pending = new Map<string, { id: string; fromCache: boolean; reading?: OcrResult }>();

  constructor(
    private readonly reader: OcrTextReader,
    private readonly dir: string | null,
    /** Answer from the cache only: a reading not in it is an error, never read. */
    private readonly cachedOnly = false,
  ) {}

  get modelVersions() {
    return this.reader.modelVersions;
  }

  async read(image: Buffer): Promise<OcrResult> {
    const sha = createHash('sha256').update(image).digest('hex');
    const job = this.pending.get(sha);
    const file = job && this.dir ? path.join(this.dir, `${job.id}-${sha.slice(0, 16)}.json`) : null;
    if (file) {
      try {
        const reading = JSON.parse(await readFile(file, 'utf8')) as OcrResult;
        job!.fromCache = true;
        job!.reading = reading;
        return reading;
      } catch {
        // Not read yet: read it now.
      }
    }
    if (this.cachedOnly) throw new Error(`no reading of ${job?.id ?? sha.slice(0, 16)} in ${this.dir ?? 'the reading cache'}`);
    const reading = await this.reader.read(image);
    if (job) job.reading = reading;
    if (file) {
      await writeFile(`${file}.tmp`, JSON.stringify(reading));
      await rename(`${file}.tmp`, file);
    }
    return reading;
  }
}

export async function createOcrHarness(
  config: AppConfig,
  options: { readingCacheDir: string | null; readingVersion?: string },
): Promise<OcrHarness> {
  if (options.readingVersion && !options.readingCacheDir) throw new Error('a reading version needs the reading cache');
  const { engine, workers } = config.ai.ocr;
  // The fetcher's face step: without its model the bench would measure a stage that never sees a face.
  const { faces: faceDetector, reason } = await loadFaceDetector(config);
  if (!faceDetector) throw new Error(`the fetcher's face detector cannot be opened: ${reason}`);
  const reader = createTextReader({ engine, workers });
  await reader.start();
  const version = options.readingVersion ?? ocrCacheVersion(reader.modelVersions);
  const versionDir = options.readingCacheDir ? path.join(options.readingCacheDir, version) : null;
  if (versionDir && !options.readingVersion) await mkdir(versionDir, { recursive: true });
  const caching = new CachingReader(reader, versionDir, options.readingVersion !== undefined);
  const blobs = new MemoryBlobStore();
  const concurrency = reader.stats().size;
  const stage = createOcrStage({
    reader: caching,
    blobs,
    cache: new MemoryResultCache(),
    cacheTtlSeconds: 60,
    concurrency,
    ownsReader: false,
    // The development key (ENVIRONMENT=development), or MEDIA_AI_IDENTIFIER_KEY when set.
    identifierKey: identifierKeyOf(config).key,
  });
  let offset = 0;
  return {
    engine,
    modelVersions: reader.modelVersions,
    concurrency,
    async run(id, image) {
      const photo = await normalizePhoto(image, normalizeOptionsOf(config));
      const sha256 = createHash('sha256').update(photo.jpeg).digest('hex');
      await blobs.put(sha256, photo.jpeg);
      // As the fetcher records them (services/fetcher/src/stage.ts): confidence, box and keypoints of each face.
      const faces = (await faceDetector.detectInJpeg(photo.jpeg)).map(({ confidence, box, keypoints }) => ({ confidence, box, keypoints }));
      const job: { id: string; fromCache: boolean; reading?: OcrResult } = { id, fromCache: false };
      caching.pending.set(sha256, job);
      const value: PhotoRecord = {
        post_id: `privacy-bench-${id}`,
        photo_id: `privacy-bench-${id}-p1`,
        revision: 1,
        sha256,
        blob_key: sha256,
        content_type: 'image/jpeg',
        width: photo.width,
        height: photo.height,
        original_width: photo.width,
        original_height: photo.height,
        byte_length: photo.jpeg.length,
        colors: [],
        post_title: null,
        post_description: null,
        post_type: null,
        correlation_id: null,
        faces,
      };
      const inbound: InboundRecord<PhotoRecord> = {
        topic: 'media-ai.photos',
        partition: 0,
        offset: String(offset++),
        key: value.post_id,
        value,
        headers: {},
        timestamp: 0,
      };
      const started = performance.now();
      try {
        const out = await stage.handle(inbound, { signal: new AbortController().signal });
        const record = out[0]!.value as TextsRecord;
        return {
          id,
          raw: (job.reading?.lines ?? []).map((l) => l.text),
          context: job.reading?.contextText ?? '',
          record,
          faces: faces.length,
          portrait: job.reading ? printedPortraitOn(job.reading, value) : false,
          fromCache: job.fromCache,
          readMs: performance.now() - started,
        };
      } finally {
        caching.pending.delete(sha256);
      }
    },
    async stop() {
      await Promise.all([reader.stop(), faceDetector.close()]);
    },
  };
}

/** The document type the ocr stage recognised in a photo's text (texts v2 `document`), or null. */
export function documentTypeOf(record: TextsRecord): string | null {
  return record.document?.type ?? null;
}

/**
 * Everything of the stage's record a reader of media-ai.texts sees, for scoring: the lines (leaks and
 * over-redaction), and for the leak check alone every other string it carries: identifiers (the raw
 * `sensitive_identifiers`, which must stay empty, and each hash and last-four of `identifiers`) and
 * the recognised document's evidence.
 */
export function publishedByStage(record: TextsRecord): Published {
  return {
    lines: record.lines.map((l) => l.text),
    identifiers: [
      ...record.sensitive_identifiers,
      ...record.identifiers.flatMap((i) => [
        { kind: i.kind, value: i.hash },
        { kind: i.kind, value: i.last4 },
      ]),
      ...(record.document?.evidence ?? []).map((value) => ({ kind: 'document_evidence', value })),
    ],
  };
}
