import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, stat, utimes, writeFile } from 'node:fs/promises';
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

  it('deletes one blob whatever its extension, leaves the others, and finds a missing one already deleted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
    const store = new LocalFolderBlobStore(dir);
    const [jpeg, png] = [Buffer.from('a jpeg'), Buffer.from('a png')];
    await store.put(sha(jpeg), jpeg, 'image/jpeg');
    await store.put(sha(png), png, 'image/png');
    await store.delete(sha(png));
    expect(await store.has(sha(png))).toBe(false);
    expect(await store.has(sha(jpeg))).toBe(true);
    await store.delete(sha(png));
    await store.delete(sha(jpeg));
    expect(await readdir(join(dir, sha(jpeg).slice(0, 2)))).toEqual([]);
    await expect(store.delete('../../etc/passwd')).rejects.toThrow(/sha256/);
  });

  describe('sweepExpired', () => {
    const HOUR = 3_600_000;
    /** Moves a file's mtime into the past, as if it had been written `ms` ago. */
    const age = (path: string, ms: number) => utimes(path, new Date(Date.now() - ms), new Date(Date.now() - ms));

    it("deletes expired blobs and crashed writers' temp files, and nothing that is not its own", async () => {
      const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
      const store = new LocalFolderBlobStore(dir);
      const old = Buffer.from('old photo');
      const fresh = Buffer.from('fresh photo');
      await store.put(sha(old), old, 'image/png');
      await store.put(sha(fresh), fresh, 'image/jpeg');
      await age(join(dir, sha(old).slice(0, 2), `${sha(old)}.png`), 25 * HOUR);
      const shard = join(dir, sha(fresh).slice(0, 2));
      const orphan = join(shard, `.${sha(fresh)}.abcdef.tmp`);
      await writeFile(orphan, 'half a photo');
      await age(orphan, 25 * HOUR);
      // Someone else's files in the store's folder: never touched, however old.
      await mkdir(join(dir, 'zz'));
      const foreign = [join(dir, 'README'), join(shard, 'notes.txt'), join(dir, 'zz', `${'a'.repeat(64)}.jpg`)];
      for (const path of foreign) {
        await writeFile(path, 'mine');
        await age(path, 100 * HOUR);
      }

      const result = await store.sweepExpired({ olderThanMs: 24 * HOUR });
      expect(result).toEqual({ examined: 3, deleted: 2, truncated: false });
      expect(await store.has(sha(old))).toBe(false);
      expect(await store.has(sha(fresh))).toBe(true);
      expect(await readdir(shard)).toEqual(['notes.txt', `${sha(fresh)}.jpg`].sort());
      for (const path of foreign) expect((await stat(path)).isFile()).toBe(true);
    });

    it("restarts a blob's TTL when the same photo is stored again", async () => {
      const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
      const store = new LocalFolderBlobStore(dir);
      const bytes = Buffer.from('re-posted');
      await store.put(sha(bytes), bytes, 'image/jpeg');
      await age(join(dir, sha(bytes).slice(0, 2), `${sha(bytes)}.jpg`), 25 * HOUR);
      await store.put(sha(bytes), bytes, 'image/jpeg');
      expect((await store.sweepExpired({ olderThanMs: 24 * HOUR })).deleted).toBe(0);
      expect((await store.get(sha(bytes))).equals(bytes)).toBe(true);
    });

    it('stops at the deletion limit, and sweeps a store that was never written as empty', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
      const store = new LocalFolderBlobStore(dir);
      for (let i = 0; i < 3; i++) {
        const bytes = Buffer.from(`photo ${i}`);
        await store.put(sha(bytes), bytes, 'image/jpeg');
        await age(join(dir, sha(bytes).slice(0, 2), `${sha(bytes)}.jpg`), 2 * HOUR);
      }
      expect(await store.sweepExpired({ olderThanMs: HOUR, limit: 2 })).toMatchObject({ deleted: 2, truncated: true });
      expect(await store.sweepExpired({ olderThanMs: HOUR, limit: 2 })).toMatchObject({ deleted: 1, truncated: false });
      const never = new LocalFolderBlobStore(join(dir, 'not-created-yet'));
      expect(await never.sweepExpired({ olderThanMs: HOUR })).toEqual({ examined: 0, deleted: 0, truncated: false });
    });
  });
});
