import { ERROR_CODES, validateProcessingError } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { buildProcessingError, publicUrl, unenrichableReason } from './processing-error.js';
import { processingErrorEventId, enrichmentEventId } from './event-id.js';
import { NOW, PHOTO_1, PHOTO_2, POST_ID, manifest } from './test-support/fixtures.js';

const failed = (photo_id: string, url: string) => ({
  photo_id,
  url,
  status: 'failed' as const,
  sha256: null,
  error_code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
  error_message: '403 Forbidden',
  colors: [],
});

describe('unenrichableReason', () => {
  it.each([
    ['no photos', [], 'MEDIA_AI_NO_PHOTOS'],
    [
      'every photo failed',
      [failed(PHOTO_1, 'https://x.test/1.jpg'), failed(PHOTO_2, 'https://x.test/2.jpg')],
      'MEDIA_AI_ALL_PHOTOS_FAILED',
    ],
    ['one photo ok', [manifest().photos[0]!, failed(PHOTO_2, 'https://x.test/2.jpg')], null],
  ] as const)('%s -> %s', (_name, photos, code) => {
    expect(unenrichableReason(manifest({ photos: [...photos] }))).toBe(code);
  });
});

describe('buildProcessingError', () => {
  it('builds a schema-valid, deterministic error event without URL credentials', () => {
    const m = manifest({ photos: [failed(PHOTO_1, 'https://storage.googleapis.com/b/p.jpg?X-Goog-Signature=secret#frag')] });
    const event = buildProcessingError({ manifest: m, code: 'MEDIA_AI_ALL_PHOTOS_FAILED', now: NOW });
    expect(validateProcessingError(event).errors).toEqual([]);
    expect(event.id).toBe(processingErrorEventId(POST_ID, 1));
    expect(event.id).not.toBe(enrichmentEventId(POST_ID, 1));
    expect(event.data).toMatchObject({
      error_code: 'MEDIA_AI_ALL_PHOTOS_FAILED',
      error_type: 'all_photos_failed',
      error_message: ERROR_CODES.MEDIA_AI_ALL_PHOTOS_FAILED.message,
      retryable: false,
      will_retry: false,
      failed_photos: [
        {
          photo_id: PHOTO_1,
          url: 'https://storage.googleapis.com/b/p.jpg',
          error_code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
          error: '403 Forbidden',
        },
      ],
    });
    expect(JSON.stringify(event)).not.toContain('secret');
  });

  it('names a failed upload urn:media-ai:upload:<photo id>, never by its upload:// reference', () => {
    const m = manifest({ photos: [failed(PHOTO_1, 'upload://4f1d0b2e-secret-reference')] });
    const event = buildProcessingError({ manifest: m, code: 'MEDIA_AI_ALL_PHOTOS_FAILED', now: NOW });
    expect(validateProcessingError(event).errors).toEqual([]);
    expect(event.data.failed_photos[0]!.url).toBe(`urn:media-ai:upload:${PHOTO_1}`);
    expect(JSON.stringify(event)).not.toContain('secret-reference');
  });

  it('says when a retry is scheduled', () => {
    const event = buildProcessingError({
      manifest: manifest(),
      code: 'MEDIA_AI_TIMEOUT',
      now: NOW,
      retryCount: 1,
      maxRetries: 3,
      nextRetryAt: NOW + 60_000,
    });
    expect(validateProcessingError(event).valid).toBe(true);
    expect(event.data).toMatchObject({
      will_retry: true,
      retryable: true,
      retry_count: 1,
      next_retry_at: new Date(NOW + 60_000).toISOString(),
    });
  });

  it('the schema rejects codes outside the catalogue', () => {
    const event = buildProcessingError({ manifest: manifest(), code: 'MEDIA_AI_NO_PHOTOS', now: NOW });
    expect(validateProcessingError({ ...event, data: { ...event.data, error_code: 'GCS_ACCESS_DENIED' } }).valid).toBe(false);
  });

  it.each([
    ['https://u:p@h.test/a.jpg?sig=1', 'https://h.test/a.jpg'],
    ['not a url', null],
    [null, null],
  ])('publicUrl(%s) = %s', (url, out) => expect(publicUrl(url)).toBe(out));
});
