import { describe, expect, it } from 'vitest';
import { MediaAiError } from './errors.js';
import { emptyTexts, failedPart, failedPartFields, okPart, partIdentity } from './part-results.js';
import type { PhotoRecord } from './records.js';

const photo = { post_id: 'p1', photo_id: 'f1', revision: 2, sha256: 'ab'.repeat(32) } as PhotoRecord;

describe('part results', () => {
  it('copies the identity of the photo and a private copy of the model versions', () => {
    const versions = { yolox: 'v1' };
    const identity = partIdentity(photo, versions);
    expect(identity).toEqual({ post_id: 'p1', photo_id: 'f1', revision: 2, sha256: photo.sha256, model_versions: { yolox: 'v1' } });
    expect(identity.model_versions).not.toBe(versions);
  });

  it('publishes a MediaAiError message, bounded', () => {
    const failed = failedPartFields(photo, {}, new MediaAiError('MEDIA_AI_BLOB_MISSING', 'x'.repeat(1000)));
    expect(failed).toMatchObject({ status: 'failed', error_code: 'MEDIA_AI_BLOB_MISSING', duration_ms: 0 });
    expect(failed.error_message).toHaveLength(300);
  });

  it('never publishes the text of an unexpected error, only the catalogue words for its code', () => {
    const failed = failedPartFields(photo, {}, new Error('read: JOHN SMITH DOB 01/02/1980'));
    expect(failed.error_code).toBe('MEDIA_AI_INTERNAL');
    expect(failed.error_message).toBe('Unexpected internal failure');
  });

  it('builds an answered part from the payload alone; a partial answer names what did not run', () => {
    const payload = { objects: [], classifications: [] };
    expect(okPart(photo, { yolox: 'v1' }, payload, { durationMs: 41.6 })).toEqual({
      ...partIdentity(photo, { yolox: 'v1' }),
      status: 'ok',
      error_code: null,
      error_message: null,
      duration_ms: 42,
      ...payload,
    });
    const partial = okPart(photo, {}, payload, {
      durationMs: -3,
      notRun: { code: 'MEDIA_AI_MODEL_UNAVAILABLE', message: 'no classifier' },
    });
    expect(partial).toMatchObject({
      status: 'ok',
      error_code: 'MEDIA_AI_MODEL_UNAVAILABLE',
      error_message: 'no classifier',
      duration_ms: 0,
    });
  });

  it('builds a failed part with the empty payload of its kind, each time a fresh one', () => {
    const failed = failedPart(photo, {}, new MediaAiError('MEDIA_AI_OCR_FAILED'), emptyTexts(), 12);
    expect(failed).toEqual({ ...failedPartFields(photo, {}, new MediaAiError('MEDIA_AI_OCR_FAILED')), duration_ms: 12, ...emptyTexts() });
    failed.lines.push({ text: 'x', confidence: 1, box: null });
    expect(emptyTexts().lines).toEqual([]);
  });
});
