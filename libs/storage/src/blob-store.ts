/**
 * The blob store holds normalized photos by key (their sha256), so photos travel between stages
 * by reference, never as message bytes. A local folder in embedded mode; a GCS prefix in production.
 * Stores that can clean up after themselves also implement SweepableBlobStore; neither a sweep nor a
 * delete may ever remove anything that is not one of the store's own content-addressed blobs.
 */
export interface BlobStore {
  /**
   * Stores bytes under key; storing the same key twice is harmless (content-addressed). Storing an
   * existing key again restarts its TTL: a photo re-posted just before expiry must not be swept
   * while the stages behind the fetcher still need it.
   */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Rejects with MediaAiError MEDIA_AI_BLOB_MISSING when absent. */
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /**
   * Deletes the blob under key, now (a forgotten post's photo that no other post uses). Deleting a
   * key that is not there is not an error: a redelivered deletion finds it gone.
   */
  delete(key: string): Promise<void>;
  /** Human-readable location for logs and health (a folder path, gs://bucket/prefix). */
  describe(): string;
}

export interface SweepOptions {
  /** Blobs last stored longer ago than this are deleted. */
  olderThanMs: number;
  /** At most this many deletions per sweep, so one run has a bounded cost. Default: no bound. */
  limit?: number;
  /** Stops the sweep between deletions (shutdown). */
  signal?: AbortSignal;
}

export interface SweepResult {
  /** Blobs (and leftover temp files) looked at. */
  examined: number;
  deleted: number;
  /** True when the sweep stopped at `limit` or on the signal, with more possibly left to delete. */
  truncated: boolean;
}

export interface SweepableBlobStore extends BlobStore {
  /** Deletes the store's blobs older than the TTL; concurrent puts of a swept key are never lost. */
  sweepExpired(options: SweepOptions): Promise<SweepResult>;
}
