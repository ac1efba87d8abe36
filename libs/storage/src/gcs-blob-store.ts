/**
 * The production blob store: normalized photos as objects under a GCS bucket prefix, named by their
 * sha256 (`<prefix><sha256>`), through @google-cloud/storage so the service account and the client's
 * retry policy apply. Uploads carry `ifGenerationMatch: 0`, so concurrent writers of the same photo
 * cannot replace each other (the loser's 412 means "already stored") and the client may retry them
 * safely. Reads are size-bounded like every other read of photo bytes.
 *
 * Expiry: each object carries `customTime` = when it was last stored; a put of an existing object
 * moves it forward. In production a bucket lifecycle rule does the clean-up
 * (`{"action":{"type":"Delete"},"condition":{"daysSinceCustomTime":N,"matchesPrefix":["<prefix>"]}}`),
 * with no listing cost; `sweepExpired` is the same policy for emulators and self-hosted GCS-compatible
 * stores that have no lifecycle management.
 *
 * delete removes one object at once (a forgotten post's photo; a missing one is already deleted).
 *
 * Must never delete or overwrite an object whose name is not `<prefix><sha256>`, and never read the
 * environment (credentials come in as options).
 */
import type { Bucket, File, FileMetadata } from '@google-cloud/storage';
import { MediaAiError } from '@media-ai/contracts';
import type { SweepableBlobStore, SweepOptions, SweepResult } from './blob-store.js';
import { storageOnFirstUse, type GcsClientOptions } from './gcs-client.js';
import { readLimited } from './limited-read.js';

export interface GcsBlobStoreOptions extends GcsClientOptions {
  bucket: string;
  /** Folder-like prefix inside the bucket, e.g. `media-ai/normalized/`; a trailing `/` is added. Default: the bucket root. */
  prefix?: string;
  /** Largest blob `get` will read (MAX_IMAGE_SIZE suits: a normalized photo is smaller than its original). */
  maxBytes: number;
  /**
   * A put of an existing object moves its customTime forward only when it is older than this,
   * so a popular photo does not cost a metadata write on every post. The TTL must exceed this plus
   * the longest time a photo is in flight (aggregator deadline and retries). Default 1 h.
   */
  refreshAfterMs?: number;
  /** Objects per listing page in a sweep. Default 1000 (the JSON API's maximum). */
  listPageSize?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** refreshAfterMs's default: a blob may outlive the TTL counted from its last put by this much. */
export const DEFAULT_BLOB_REFRESH_AFTER_MS = 3_600_000;

export class GcsBlobStore implements SweepableBlobStore {
  private readonly bucket: () => Promise<Bucket>;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly refreshAfterMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GcsBlobStoreOptions) {
    this.prefix = options.prefix ? options.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';
    this.now = options.now ?? Date.now;
    this.refreshAfterMs = options.refreshAfterMs ?? DEFAULT_BLOB_REFRESH_AFTER_MS;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const storage = storageOnFirstUse(options);
    let bucket: Promise<Bucket> | undefined;
    this.bucket = () => (bucket ??= storage().then((client) => client.bucket(options.bucket)));
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const file = await this.fileFor(key);
    const stamp = new Date(this.now()).toISOString();
    // Metadata first: a photo seen before (re-posts, replays) costs one small GET, not an upload.
    const existing = await this.metadataOrUndefined(file);
    if (existing && (await this.refresh(file, existing)) === 'kept') return;
    try {
      await file.save(bytes, {
        // A simple (multipart) upload: one request for photos of a few hundred KB, where a
        // resumable session would cost two and buys nothing.
        resumable: false,
        contentType,
        metadata: { contentType, customTime: stamp },
        preconditionOpts: { ifGenerationMatch: 0 },
        timeout: this.timeoutMs,
      });
    } catch (error) {
      // Another writer stored the same key between our GET and our upload: same bytes, fresh stamp.
      if (statusOf(error) === 412) return;
      throw this.failure('written', error);
    }
  }

  async get(key: string): Promise<Buffer> {
    const stream = (await this.fileFor(key)).createReadStream();
    // A stalled read must not hold a stage's worker forever; the client's own timeout covers only
    // the wait for response headers.
    const timer = setTimeout(
      () => stream.destroy(new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', `The blob read did not finish within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    try {
      return await readLimited(stream, this.options.maxBytes);
    } catch (error) {
      // Too large (readLimited) or stalled (the timer above): already in the catalogue.
      if (error instanceof MediaAiError) throw error;
      if (statusOf(error) === 404) throw new MediaAiError('MEDIA_AI_BLOB_MISSING', undefined, { cause: error, details: { key } });
      throw this.failure('read', error);
    } finally {
      clearTimeout(timer);
      stream.destroy();
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.metadataOrUndefined(await this.fileFor(key))) !== undefined;
  }

  /** Unconditional: whatever generation is there goes (a put racing it is the caller's to order). */
  async delete(key: string): Promise<void> {
    try {
      await (await this.fileFor(key)).delete();
    } catch (error) {
      if (error instanceof MediaAiError) throw error;
      if (statusOf(error) === 404) return; // gone already: a redelivered deletion, or the lifecycle rule
      throw this.failure('deleted', error);
    }
  }

  describe(): string {
    return `gs://${this.options.bucket}/${this.prefix}`;
  }

  /**
   * Lists the prefix page by page and deletes the store's objects whose customTime (or, for objects
   * written without one, timeCreated) is older than the TTL. Each delete is conditional on the
   * generation and metageneration that were listed: an object a put refreshed in the meantime has a
   * new metageneration, answers 412, and stays.
   */
  async sweepExpired({ olderThanMs, limit = Number.POSITIVE_INFINITY, signal }: SweepOptions): Promise<SweepResult> {
    const cutoff = this.now() - olderThanMs;
    const result: SweepResult = { examined: 0, deleted: 0, truncated: false };
    let pageToken: string | undefined;
    do {
      let files: File[];
      let next: { pageToken?: string } | null;
      try {
        [files, next] = await (
          await this.bucket()
        ).getFiles({
          prefix: this.prefix,
          autoPaginate: false,
          maxResults: this.options.listPageSize ?? 1000,
          ...(pageToken ? { pageToken } : {}),
        });
      } catch (error) {
        throw this.failure('listed', error);
      }
      for (const file of files) {
        if (result.deleted >= limit || signal?.aborted) {
          result.truncated = true;
          return result;
        }
        // Objects under a shared prefix that are not ours are never touched.
        if (!SHA256_HEX.test(file.name.slice(this.prefix.length)) || !file.name.startsWith(this.prefix)) continue;
        result.examined++;
        const stored = Date.parse(file.metadata.customTime ?? file.metadata.timeCreated ?? '');
        if (!Number.isFinite(stored) || stored >= cutoff) continue;
        try {
          await file.delete({ ifGenerationMatch: file.metadata.generation, ifMetagenerationMatch: file.metadata.metageneration });
          result.deleted++;
        } catch (error) {
          // 404: another sweeper (or the lifecycle rule) got there first; 412: refreshed since listed.
          const status = statusOf(error);
          if (status !== 404 && status !== 412) throw this.failure('swept', error);
        }
      }
      pageToken = next?.pageToken;
    } while (pageToken);
    return result;
  }

  /**
   * Moves customTime forward when it is stale, so the TTL counts from this put. 'gone' means the
   * object was swept between our GET and the PATCH, and the caller must upload it again.
   */
  private async refresh(file: File, metadata: FileMetadata): Promise<'kept' | 'gone'> {
    const stored = Date.parse(metadata.customTime ?? metadata.timeCreated ?? '');
    if (Number.isFinite(stored) && this.now() - stored < this.refreshAfterMs) return 'kept';
    try {
      await file.setMetadata({ customTime: new Date(this.now()).toISOString() }, { ifMetagenerationMatch: metadata.metageneration });
      return 'kept';
    } catch (error) {
      const status = statusOf(error);
      // 412: a concurrent put refreshed it first. 400: GCS refuses to move customTime back, i.e. a
      // writer whose clock runs ahead already set a later one. Either way it is fresh.
      if (status === 412 || status === 400) return 'kept';
      if (status === 404) return 'gone';
      throw this.failure('written', error);
    }
  }

  private async metadataOrUndefined(file: File): Promise<FileMetadata | undefined> {
    try {
      const [metadata] = await file.getMetadata();
      return metadata;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure('read', error);
    }
  }

  private async fileFor(key: string): Promise<File> {
    if (!SHA256_HEX.test(key)) {
      throw new MediaAiError('MEDIA_AI_INTERNAL', 'Blob keys must be lowercase sha256 hex', { details: { keyLength: key.length } });
    }
    return (await this.bucket()).file(this.prefix + key);
  }

  private failure(what: 'read' | 'written' | 'listed' | 'swept' | 'deleted', error: unknown): MediaAiError {
    const status = statusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    return new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED', `The blob store could not be ${what}: ${message}`, {
      cause: error,
      details: { bucket: this.options.bucket, ...(status === undefined ? {} : { status }) },
    });
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}
