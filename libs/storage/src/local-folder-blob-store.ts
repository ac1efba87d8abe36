/**
 * The embedded-mode blob store: normalized photos in a local folder, content-addressed by sha256
 * and sharded by the first two hex digits (`ab/abcdef….jpg`) so no folder grows to millions of
 * entries. Writes are atomic (temp file + rename), so a reader never sees half a photo even if the
 * process dies mid-write. The TTL runs from a blob's mtime, which every put refreshes; the sweep
 * deletes expired blobs and temp files left by crashed writes; delete removes one blob at once (a
 * forgotten post's photo). Must never accept a key that is not a
 * sha256 (keys become paths), and never delete a file that is not its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MediaAiError } from '@media-ai/contracts';
import type { SweepableBlobStore, SweepOptions, SweepResult } from './blob-store.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SHARD = /^[0-9a-f]{2}$/;
/** A stored blob (`<sha256>.<ext>`) or a temp file of a write or a sweep (`.<sha256>.<hex>.tmp`). */
const BLOB_FILE = /^[0-9a-f]{64}\.(?:jpg|png|webp|bin)$/;
const TEMP_FILE = /^\.[0-9a-f]{64}\.[0-9a-f]+\.tmp$/;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};
/** Lookup order for get/has: the store holds JPEGs in practice, so the first probe nearly always hits. */
const PROBE_ORDER = ['.jpg', '.png', '.webp', '.bin'];

export class LocalFolderBlobStore implements SweepableBlobStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const target = this.pathFor(key, EXTENSIONS[contentType.toLowerCase()] ?? '.bin');
    // Content-addressed: an existing file already holds exactly these bytes; touching it restarts
    // its TTL. One syscall checks and touches, so a sweep that removes the file in between makes
    // this fail with ENOENT and the bytes are written afresh below.
    const now = new Date();
    try {
      await utimes(target, now, now);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', 'The blob store could not be written', { cause: error });
      }
    }
    const folder = join(this.dir, key.slice(0, 2));
    await mkdir(folder, { recursive: true });
    // The temp file sits in the same folder so rename stays on one filesystem (atomic).
    const temp = join(folder, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', 'The photo could not be written to the blob store', { cause: error });
    }
  }

  async get(key: string): Promise<Buffer> {
    for (const extension of PROBE_ORDER) {
      try {
        return await readFile(this.pathFor(key, extension));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', 'The blob store could not be read', { cause: error });
        }
      }
    }
    throw new MediaAiError('MEDIA_AI_BLOB_MISSING', undefined, { details: { key } });
  }

  async has(key: string): Promise<boolean> {
    for (const extension of PROBE_ORDER) {
      if (await exists(this.pathFor(key, extension))) return true;
    }
    return false;
  }

  /** Every extension the key may be stored under goes (a photo is stored under one, in practice). */
  async delete(key: string): Promise<void> {
    try {
      await Promise.all(PROBE_ORDER.map((extension) => rm(this.pathFor(key, extension), { force: true })));
    } catch (error) {
      if (error instanceof MediaAiError) throw error;
      throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', 'The photo could not be deleted from the blob store', { cause: error });
    }
  }

  describe(): string {
    return this.dir;
  }

  /**
   * Deletes blobs whose mtime is older than the TTL, and temp files crashed writers left behind.
   * A blob is first renamed aside and its mtime checked again there: a put that touched it between
   * the first look and the rename is seen and the blob is put back, and a put after the rename finds
   * no file and writes it anew, so a concurrent put is never lost.
   */
  async sweepExpired({ olderThanMs, limit = Number.POSITIVE_INFINITY, signal }: SweepOptions): Promise<SweepResult> {
    const cutoff = Date.now() - olderThanMs;
    const result: SweepResult = { examined: 0, deleted: 0, truncated: false };
    for (const shard of await listNames(this.dir)) {
      if (!SHARD.test(shard)) continue;
      const folder = join(this.dir, shard);
      for (const name of await listNames(folder)) {
        if (result.deleted >= limit || signal?.aborted) {
          result.truncated = true;
          return result;
        }
        const blob = BLOB_FILE.test(name);
        if (!blob && !TEMP_FILE.test(name)) continue;
        result.examined++;
        const path = join(folder, name);
        const before = await stat(path).catch(() => undefined);
        if (!before?.isFile() || before.mtimeMs >= cutoff) continue;
        if (!blob) {
          await rm(path, { force: true });
          result.deleted++;
          continue;
        }
        const aside = join(folder, `.${name.slice(0, 64)}.${randomBytes(6).toString('hex')}.tmp`);
        try {
          await rename(path, aside);
        } catch {
          continue; // Gone already (another sweeper): nothing to do.
        }
        const after = await stat(aside);
        if (after.mtimeMs >= cutoff) {
          await rename(aside, path);
          continue;
        }
        await rm(aside, { force: true });
        result.deleted++;
      }
    }
    return result;
  }

  private pathFor(key: string, extension: string): string {
    if (!SHA256_HEX.test(key)) {
      throw new MediaAiError('MEDIA_AI_INTERNAL', 'Blob keys must be lowercase sha256 hex', { details: { keyLength: key.length } });
    }
    return join(this.dir, key.slice(0, 2), key + extension);
  }
}

async function listNames(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    // A store that has never been written to has no folder yet: nothing to sweep.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', 'The blob store folder could not be listed', { cause: error });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
