import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPhotoSources } from './photo-sources.js';
import { failureOf } from '@media-ai/contracts/test-support';

describe('file:// photos and scheme dispatch', () => {
  it('refuses file:// unless it was enabled', async () => {
    const sources = createPhotoSources({ maxBytes: 100, gcs: false });
    const error = await failureOf(sources.fetch(pathToFileURL('/etc/hostname').href));
    expect(error.code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
  });

  it('reads files under the allowed root only, with the size limit', async () => {
    const root = await mkdtemp(join(tmpdir(), 'photos-'));
    await writeFile(join(root, 'a.jpg'), Buffer.from('abc'));
    await writeFile(join(root, 'big.jpg'), Buffer.alloc(200));
    const sources = createPhotoSources({ maxBytes: 100, gcs: false, https: false, file: { root } });
    expect((await sources.fetch(pathToFileURL(join(root, 'a.jpg')).href)).bytes.toString()).toBe('abc');
    expect((await failureOf(sources.fetch(pathToFileURL(join(root, 'big.jpg')).href))).code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
    expect((await failureOf(sources.fetch(pathToFileURL(join(root, 'none.jpg')).href))).code).toBe('MEDIA_AI_PHOTO_NOT_FOUND');
    expect((await failureOf(sources.fetch(pathToFileURL(join(root, '..', 'x')).href))).code).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect((await failureOf(sources.fetch('file:///etc/hostname'))).code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
  });

  it('a download stopped before it reads rejects, and leaves no stray error to end the process', async () => {
    const root = await mkdtemp(join(tmpdir(), 'photos-'));
    await writeFile(join(root, 'a.jpg'), Buffer.from('abc'));
    const sources = createPhotoSources({ maxBytes: 100, gcs: false, https: false, file: { root } });
    const stop = new AbortController();
    stop.abort();

    await expect(sources.fetch(pathToFileURL(join(root, 'a.jpg')).href, stop.signal)).rejects.toMatchObject({ name: 'AbortError' });
    // An 'error' emitted after the rejection would surface here as an uncaught exception.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('rejects malformed URLs and unknown schemes as invalid', async () => {
    const sources = createPhotoSources({ maxBytes: 100, gcs: false });
    expect((await failureOf(sources.fetch('not a url'))).code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
    expect((await failureOf(sources.fetch('ftp://example.com/a.jpg'))).code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
  });
});
