/**
 * The blob store of normalized photos, chosen by MEDIA_AI_BLOB_STORE: a local folder (embedded
 * default) or a GCS bucket prefix (production), plus the sweeper that deletes photos past their TTL
 * (MEDIA_AI_BLOB_TTL_HOURS; off with MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES=0, e.g. where a bucket
 * lifecycle rule does the job). Never starts a sweep for a store it did not build.
 */
import type { AppConfig } from '@media-ai/config';
import { BlobSweeper, GcsBlobStore, LocalFolderBlobStore, type GcsClientOptions, type SweepableBlobStore } from '@media-ai/storage';
import type { Logger } from '@media-ai/telemetry';

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
  const blobs: SweepableBlobStore =
    pipeline.blobStore === 'gcs'
      ? new GcsBlobStore({
          // The config refuses MEDIA_AI_BLOB_STORE=gcs without a bucket.
          ...gcsClientOptions(config),
          bucket: pipeline.blobBucket!,
          prefix: pipeline.blobPrefix,
          maxBytes: photos.maxImageBytes,
        })
      : new LocalFolderBlobStore(pipeline.blobDir);
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
