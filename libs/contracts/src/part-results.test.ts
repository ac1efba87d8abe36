import { describe, expect, it } from 'vitest';
import { MediaAiError } from './errors.js';
import { failedPartFields, partIdentity } from './part-results.js';
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
});
