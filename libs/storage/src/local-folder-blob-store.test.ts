import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { LocalFolderBlobStore } from './local-folder-blob-store.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('LocalFolderBlobStore', () => {
  it('stores content-addressed files in a sharded folder and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
    const store = new LocalFolderBlobStore(dir);
    const bytes = Buffer.from('normalized jpeg bytes');
    const key = sha(bytes);
    expect(await store.has(key)).toBe(false);
    await store.put(key, bytes, 'image/jpeg');
    await store.put(key, bytes, 'image/jpeg');
    expect(await store.has(key)).toBe(true);
    expect((await store.get(key)).equals(bytes)).toBe(true);
    // Only the final file remains: no temp files left behind.
    expect(await readdir(join(dir, key.slice(0, 2)))).toEqual([`${key}.jpg`]);
    expect(store.describe()).toBe(dir);
  });

  it('writes concurrently without corrupting (temp + rename)', async () => {
    const store = new LocalFolderBlobStore(await mkdtemp(join(tmpdir(), 'blobs-')));
    const bytes = Buffer.alloc(256 * 1024, 7);
    const key = sha(bytes);
    await Promise.all(Array.from({ length: 8 }, () => store.put(key, bytes, 'image/jpeg')));
    expect((await store.get(key)).equals(bytes)).toBe(true);
  });

  it('rejects a missing key with MEDIA_AI_BLOB_MISSING and non-sha256 keys outright', async () => {
    const store = new LocalFolderBlobStore(await mkdtemp(join(tmpdir(), 'blobs-')));
    const missing = await store.get('a'.repeat(64)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MediaAiError);
    expect((missing as MediaAiError).code).toBe('MEDIA_AI_BLOB_MISSING');
    await expect(store.put('../../etc/passwd', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/sha256/);
  });
});
