/**
 * The BlobStore contract in memory, for stage tests: content-addressed, MEDIA_AI_BLOB_MISSING when
 * absent, and a count of reads so a test can see a cache hit avoid the store. Test-only.
 */
import { MediaAiError } from '@media-ai/contracts';
import type { BlobStore } from '../blob-store.js';

export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, Buffer>();
  gets = 0;

  async put(key: string, bytes: Buffer): Promise<void> {
    this.blobs.set(key, Buffer.from(bytes));
  }

  async get(key: string): Promise<Buffer> {
    this.gets += 1;
    const bytes = this.blobs.get(key);
    if (!bytes) throw new MediaAiError('MEDIA_AI_BLOB_MISSING', `No blob ${key}`, { details: { key } });
    return Buffer.from(bytes);
  }

  async has(key: string): Promise<boolean> {
    return this.blobs.has(key);
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }

  describe(): string {
    return 'memory';
  }
}
