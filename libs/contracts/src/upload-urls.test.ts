import { describe, expect, it } from 'vitest';
import { isUploadUrl, publishedPhotoUrl } from './upload-urls.js';

describe('upload URLs', () => {
  it('recognises upload:// in any case and behind spaces, and nothing else', () => {
    for (const url of ['upload://a', 'UPLOAD://a', '  Upload://a', 'upload:a']) expect(isUploadUrl(url), url).toBe(true);
    for (const url of ['https://upload.example/a.jpg', 'gs://b/upload://a', 'file:///tmp/upload:'])
      expect(isUploadUrl(url), url).toBe(false);
  });

  it('publishes an upload as an inert name of its photo, any other URL unchanged', () => {
    expect(publishedPhotoUrl('upload://4f1d0b2e', 'photo-1')).toBe('urn:media-ai:upload:photo-1');
    expect(publishedPhotoUrl('gs://bucket/p.jpg', 'photo-1')).toBe('gs://bucket/p.jpg');
  });
});
