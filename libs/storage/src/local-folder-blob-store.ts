/**
 * The embedded-mode blob store: normalized photos in a local folder, content-addressed by sha256
 * and sharded by the first two hex digits (`ab/abcdef….jpg`) so no folder grows to millions of
 * entries. Writes are atomic (temp file + rename), so a reader never sees half a photo even if the
 * process dies mid-write. Must never accept a key that is not a sha256 (keys become paths).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MediaAiError } from '@media-ai/contracts';
import type { BlobStore } from './blob-store.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};
/** Lookup order for get/has: the store holds JPEGs in practice, so the first probe nearly always hits. */
const PROBE_ORDER = ['.jpg', '.png', '.webp', '.bin'];

export class LocalFolderBlobStore implements BlobStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const target = this.pathFor(key, EXTENSIONS[contentType.toLowerCase()] ?? '.bin');
    // Content-addressed: an existing file already holds exactly these bytes.
    if (await exists(target)) return;
    const folder = join(this.dir, key.slice(0, 2));
    await mkdir(folder, { recursive: true });
    // The temp file sits in the same folder so rename stays on one filesystem (atomic).
    const temp = join(folder, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw new MediaAiError('MEDIA_AI_INTERNAL', 'The photo could not be written to the blob store', { cause: error });
    }
  }

  async get(key: string): Promise<Buffer> {
    for (const extension of PROBE_ORDER) {
      try {
        return await readFile(this.pathFor(key, extension));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new MediaAiError('MEDIA_AI_INTERNAL', 'The blob store could not be read', { cause: error });
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

  describe(): string {
    return this.dir;
  }

  private pathFor(key: string, extension: string): string {
    if (!SHA256_HEX.test(key)) {
      throw new MediaAiError('MEDIA_AI_INTERNAL', 'Blob keys must be lowercase sha256 hex', { details: { keyLength: key.length } });
    }
    return join(this.dir, key.slice(0, 2), key + extension);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
