/**
 * Google Cloud Storage access for gs:// photos and the production blob store (GCS_*, credentials).
 * Must never load credentials from disk here; it only carries the path or the parsed key.
 */
import { z } from 'zod';
import { integer, jsonObject, text, url } from './env-fields.js';

export interface GcsSettings {
  bucketName?: string;
  projectId?: string;
  /** Path to a service-account key file (GOOGLE_APPLICATION_CREDENTIALS). */
  credentialsFile?: string;
  /** Parsed service-account key (GOOGLE_APPLICATION_CREDENTIALS_JSON); a secret. */
  credentials?: Record<string, unknown>;
  downloadTimeoutMs: number;
  chunkSize: number;
  maxConcurrentDownloads: number;
  /** A GCS-compatible endpoint (emulator or test stand-in) instead of storage.googleapis.com. */
  apiEndpoint?: string;
}

export const gcsSchema = z
  .object({
    GCS_BUCKET_NAME: text(),
    GCS_PROJECT_ID: text(),
    GOOGLE_APPLICATION_CREDENTIALS: text(),
    GOOGLE_APPLICATION_CREDENTIALS_JSON: jsonObject(),
    // The guide gives this one in seconds.
    GCS_DOWNLOAD_TIMEOUT: integer(1, 3600),
    GCS_CHUNK_SIZE: integer(1024, 64 * 1024 * 1024),
    GCS_MAX_CONCURRENT_DOWNLOADS: integer(1, 1000),
    GCS_API_ENDPOINT: url(['http:', 'https:']),
  })
  .transform((env): GcsSettings => ({
    ...(env.GCS_BUCKET_NAME !== undefined ? { bucketName: env.GCS_BUCKET_NAME } : {}),
    ...(env.GCS_PROJECT_ID !== undefined ? { projectId: env.GCS_PROJECT_ID } : {}),
    ...(env.GOOGLE_APPLICATION_CREDENTIALS !== undefined ? { credentialsFile: env.GOOGLE_APPLICATION_CREDENTIALS } : {}),
    ...(env.GOOGLE_APPLICATION_CREDENTIALS_JSON !== undefined ? { credentials: env.GOOGLE_APPLICATION_CREDENTIALS_JSON } : {}),
    downloadTimeoutMs: (env.GCS_DOWNLOAD_TIMEOUT ?? 30) * 1000,
    chunkSize: env.GCS_CHUNK_SIZE ?? 8192,
    maxConcurrentDownloads: env.GCS_MAX_CONCURRENT_DOWNLOADS ?? 10,
    ...(env.GCS_API_ENDPOINT !== undefined ? { apiEndpoint: env.GCS_API_ENDPOINT.toString().replace(/\/$/, '') } : {}),
  }));
