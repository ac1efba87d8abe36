/**
 * The blob store holds normalized photos by key (their sha256), so photos travel between stages
 * by reference, never as message bytes. A local folder in embedded mode; a GCS prefix in production.
 */
export interface BlobStore {
  /** Stores bytes under key; storing the same key twice is harmless (content-addressed). */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Rejects with MediaAiError MEDIA_AI_BLOB_MISSING when absent. */
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** Human-readable location for logs and health (a folder path, gs://bucket/prefix). */
  describe(): string;
}
