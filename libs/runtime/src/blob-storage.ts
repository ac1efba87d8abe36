/**
 * The blob store of normalized photos, chosen by MEDIA_AI_BLOB_STORE: a local folder (embedded
 * default) or a GCS bucket prefix (production), plus the sweeper that deletes photos past their TTL
 * (MEDIA_AI_BLOB_TTL_HOURS; off with MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES=0, e.g. where a bucket
 * lifecycle rule does the job). Every read, write and deletion of a photo is a span (`blob get`,
 * `blob put`, `blob delete`), so a trace shows the time a stage spent fetching its photo. Never starts
 * a sweep for a store it did not build.
 */
import type { AppConfig } from '@media-ai/config';
import { BlobSweeper, GcsBlobStore, LocalFolderBlobStore, type GcsClientOptions, type SweepableBlobStore } from '@media-ai/storage';
import { SpanKind, tracerFor, withSpan, type Logger } from '@media-ai/telemetry';

export interface BlobStorage {
  blobs: SweepableBlobStore;
  /** Null when sweeping is off. Started; stop it on shutdown. */
  sweeper: BlobSweeper | null;
}

/** The GCS client settings (GCS_* and GOOGLE_APPLICATION_CREDENTIALS*) for every GCS user. */
export function gcsClientOptions({ gcs }: AppConfig): GcsClientOptions {
  return {
    apiEndpoint: gcs.apiEndpoint,
    projectId: gcs.projectId,
    keyFilename: gcs.credentialsFile,
    keyJson: gcs.credentials,
    timeoutMs: gcs.downloadTimeoutMs,
  };
}

export function buildBlobStorage(config: AppConfig, logger: Logger): BlobStorage {
  const { pipeline, photos } = config;
  const store: SweepableBlobStore =
    pipeline.blobStore === 'gcs'
      ? new GcsBlobStore({
          // The config refuses MEDIA_AI_BLOB_STORE=gcs without a bucket.
          ...gcsClientOptions(config),
          bucket: pipeline.blobBucket!,
          prefix: pipeline.blobPrefix,
          maxBytes: photos.maxImageBytes,
        })
      : new LocalFolderBlobStore(pipeline.blobDir);
  const blobs = tracedBlobStore(store, pipeline.blobStore);
  if (pipeline.blobSweepIntervalMs === 0) return { blobs, sweeper: null };
  const sweeper = new BlobSweeper({
    store: blobs,
    ttlMs: pipeline.blobTtlMs,
    intervalMs: pipeline.blobSweepIntervalMs,
    onSweep: (result) => logger.info({ ...result, store: blobs.describe() }, 'blob sweep'),
    onError: (error) => logger.warn({ err: error, store: blobs.describe() }, 'blob sweep failed'),
  });
  sweeper.start();
  return { blobs, sweeper };
}

const tracer = tracerFor('@media-ai/runtime');

/** The store with a span around each photo read and write (the key is a sha256: no personal data). */
function tracedBlobStore(store: SweepableBlobStore, kind: string): SweepableBlobStore {
  const attributes = { 'media_ai.blob_store': kind };
  return {
    put: (key, bytes, contentType) =>
      withSpan(tracer, 'blob put', { kind: SpanKind.CLIENT, attributes: { ...attributes, 'media_ai.photo.bytes': bytes.length } }, () =>
        store.put(key, bytes, contentType),
      ),
    get: (key) =>
      withSpan(tracer, 'blob get', { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const bytes = await store.get(key);
        span.setAttribute('media_ai.photo.bytes', bytes.length);
        return bytes;
      }),
    has: (key) => store.has(key),
    delete: (key) => withSpan(tracer, 'blob delete', { kind: SpanKind.CLIENT, attributes }, () => store.delete(key)),
    describe: () => store.describe(),
    sweepExpired: (options) => store.sweepExpired(options),
  };
}
