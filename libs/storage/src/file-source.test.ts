import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { createPhotoSources } from './photo-sources.js';

async function failure(promise: Promise<unknown>): Promise<MediaAiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaAiError);
  return error as MediaAiError;
}

describe('file:// photos and scheme dispatch', () => {
  it('refuses file:// unless it was enabled', async () => {
    const sources = createPhotoSources({ maxBytes: 100, gcs: false });
    const error = await failure(sources.fetch(pathToFileURL('/etc/hostname').href));
    expect(error.code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
  });

  it('reads files under the allowed root only, with the size limit', async () => {
    const root = await mkdtemp(join(tmpdir(), 'photos-'));
    await writeFile(join(root, 'a.jpg'), Buffer.from('abc'));
    await writeFile(join(root, 'big.jpg'), Buffer.alloc(200));
    const sources = createPhotoSources({ maxBytes: 100, gcs: false, https: false, file: { root } });
    expect((await sources.fetch(pathToFileURL(join(root, 'a.jpg')).href)).bytes.toString()).toBe('abc');
    expect((await failure(sources.fetch(pathToFileURL(join(root, 'big.jpg')).href))).code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
    expect((await failure(sources.fetch(pathToFileURL(join(root, 'none.jpg')).href))).code).toBe('MEDIA_AI_PHOTO_NOT_FOUND');
    expect((await failure(sources.fetch(pathToFileURL(join(root, '..', 'x')).href))).code).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect((await failure(sources.fetch('file:///etc/hostname'))).code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
  });

  it('rejects malformed URLs and unknown schemes as invalid', async () => {
    const sources = createPhotoSources({ maxBytes: 100, gcs: false });
    expect((await failure(sources.fetch('not a url'))).code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
    expect((await failure(sources.fetch('ftp://example.com/a.jpg'))).code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
  });
});
