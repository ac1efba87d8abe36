/**
 * How media-ai talks to Google Cloud Storage, shared by the photo source (reads of users' photos)
 * and the blob store (normalized photos): endpoint, project, credentials, timeouts and retries.
 * Never logs or returns the credentials it is given.
 */
import type { Storage, StorageOptions } from '@google-cloud/storage';

const DEFAULT_ENDPOINT = 'https://storage.googleapis.com';

export interface GcsClientOptions {
  /** JSON API endpoint, e.g. http://127.0.0.1:4443 for an emulator. Default: the real GCS. */
  apiEndpoint?: string;
  projectId?: string;
  /** Service-account key file (GOOGLE_APPLICATION_CREDENTIALS); read by the client (.json, .pem, .p12). */
  keyFilename?: string;
  /** Service-account key as JSON text or object (GOOGLE_APPLICATION_CREDENTIALS_JSON). */
  keyJson?: string | Record<string, unknown>;
  /** Budget of one request, the client's retries included (GCS_DOWNLOAD_TIMEOUT). Default 30 s. */
  timeoutMs?: number;
  /** Retries the client makes on 5xx/network errors. Default 2. */
  retries?: number;
}

/** The @google-cloud/storage options (exported for tests: the anonymous mode leans on client behaviour). */
export function storageOptions(options: GcsClientOptions): StorageOptions {
  const result: StorageOptions = {
    projectId: options.projectId,
    retryOptions: { autoRetry: true, maxRetries: options.retries ?? 2, totalTimeout: Math.ceil((options.timeoutMs ?? 30_000) / 1000) },
    timeout: options.timeoutMs ?? 30_000,
  };
  if (options.keyFilename || options.keyJson) {
    if (options.keyJson) result.credentials = typeof options.keyJson === 'string' ? JSON.parse(options.keyJson) : options.keyJson;
    else result.keyFilename = options.keyFilename;
    if (options.apiEndpoint) {
      result.apiEndpoint = options.apiEndpoint;
      // The client skips authentication on custom endpoints unless told otherwise.
      result.useAuthWithCustomEndpoint = true;
    }
    return result;
  }
  // No credentials: anonymous reads (public buckets, emulators, the test stand-in). The client only
  // skips authentication for a *custom* endpoint, and it compares the raw string before trimming
  // the slash, so the real endpoint spelt with a trailing slash is the documented-by-code way to
  // read public objects anonymously instead of failing on missing default credentials.
  result.apiEndpoint = options.apiEndpoint ?? `${DEFAULT_ENDPOINT}/`;
  result.useAuthWithCustomEndpoint = false;
  return result;
}

/**
 * A client made on first use. @google-cloud/storage costs ~6 MiB of V8 heap (~7 MiB of RSS) and
 * ~0.4 s at import, which a process that never touches GCS (the embedded pipeline, a local blob
 * store) should not pay. The options are built now, so bad credentials still fail at start-up.
 */
export function storageOnFirstUse(options: GcsClientOptions): () => Promise<Storage> {
  const resolved = storageOptions(options);
  let client: Promise<Storage> | undefined;
  return () => (client ??= import('@google-cloud/storage').then(({ Storage }) => new Storage(resolved)));
}
