/**
 * Reads photos from Google Cloud Storage (gs://bucket/object and
 * https://storage.googleapis.com/bucket/object) through @google-cloud/storage, so private buckets
 * work with the service account and the client's own retry policy applies. The API endpoint is
 * configurable (emulators, the test stand-in). The size limit is checked against the object's
 * metadata and again while streaming. Must never write to a bucket, and never fall back to another
 * source when GCS refuses.
 */
import { MediaAiError } from '@media-ai/contracts';
import { readLimited, tooLarge } from './limited-read.js';
import { storageOnFirstUse, type GcsClientOptions } from './gcs-client.js';
import { parsePhotoUrl, type FetchedPhoto, type RoutedPhotoSource, type UrlGuard } from './photo-source.js';

export interface GcsSourceOptions extends GcsClientOptions {
  /** MAX_IMAGE_SIZE in bytes. */
  maxBytes: number;
  /** Hosts whose https URLs are path-style GCS URLs. Default ['storage.googleapis.com']. */
  httpsHosts?: readonly string[];
  /**
   * Only these buckets may be read; undefined allows every bucket the credentials can read. This is
   * the control for https://storage.googleapis.com/... URLs too: they are routed here, not through
   * the https host allow-list.
   */
  allowedBuckets?: readonly string[];
  guard?: UrlGuard;
}

export interface GcsObjectRef {
  bucket: string;
  object: string;
}

export function createGcsPhotoSource(options: GcsSourceOptions): RoutedPhotoSource {
  const httpsHosts = options.httpsHosts ?? ['storage.googleapis.com'];
  const storageClient = storageOnFirstUse(options);
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    kind: 'gcs',
    accepts: (url) => url.protocol === 'gs:' || (url.protocol === 'https:' && httpsHosts.includes(url.hostname.toLowerCase())),
    async fetch(rawUrl, callerSignal) {
      const url = parsePhotoUrl(rawUrl);
      const ref = parseGcsUrl(url);
      if (options.allowedBuckets && !options.allowedBuckets.includes(ref.bucket)) {
        throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'The bucket is not on the allow-list', {
          details: { bucket: ref.bucket },
        });
      }
      if (url.username || url.password) {
        throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'Photo URLs must not carry credentials', {
          details: { reason: 'credentials' },
        });
      }
      // The request goes to the configured endpoint, never to a host the URL names, so the guard
      // sees the canonical gs:// form (policy on the object, nothing to resolve).
      await options.guard?.(new URL(`gs://${ref.bucket}/${encodeURIComponent(ref.object)}`));
      const signal = AbortSignal.any(callerSignal ? [callerSignal, AbortSignal.timeout(timeoutMs)] : [AbortSignal.timeout(timeoutMs)]);
      const storage = await storageClient();
      const file = storage.bucket(ref.bucket).file(ref.object);
      try {
        // Metadata first: a too-large or missing photo is refused before a byte of it is downloaded,
        // and the generation pins the read to the object we measured.
        const [metadata] = await abortable(file.getMetadata(), signal);
        const size = Number(metadata.size);
        if (Number.isFinite(size) && size > options.maxBytes) throw tooLarge(options.maxBytes, size);
        const pinned =
          metadata.generation === undefined ? file : storage.bucket(ref.bucket).file(ref.object, { generation: metadata.generation });
        const stream = pinned.createReadStream();
        const onAbort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const bytes = await readLimited(stream, options.maxBytes);
          return { bytes, declaredType: metadata.contentType } satisfies FetchedPhoto;
        } finally {
          signal.removeEventListener('abort', onAbort);
          stream.destroy();
        }
      } catch (error) {
        throw gcsError(error, signal, callerSignal, timeoutMs);
      }
    },
  };
}

/**
 * The characters GCS allows in bucket names (lowercase, digits, dot, dash, underscore): anything else
 * (percent-encoded bytes, upper case, spaces) cannot name a real bucket and is refused before a request.
 */
const BUCKET_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,220}[a-z0-9])?$/;
/** Control characters GCS forbids in object names (CR/LF) or that no uploader produces. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** gs://bucket/a/b.jpg or https://storage.googleapis.com/bucket/a%20b.jpg -> { bucket, object }. */
export function parseGcsUrl(url: URL): GcsObjectRef {
  let bucket: string;
  let object: string;
  try {
    if (url.protocol === 'gs:') {
      bucket = url.hostname;
      object = decodeURIComponent(url.pathname.replace(/^\//, ''));
    } else {
      const [first, ...rest] = url.pathname.replace(/^\//, '').split('/');
      bucket = decodeURIComponent(first ?? '');
      object = rest.map((part) => decodeURIComponent(part)).join('/');
    }
  } catch (error) {
    // Malformed percent-encoding (%E0%A4%A): a bad URL, not an internal failure worth retrying.
    throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The GCS photo URL has malformed percent-encoding', { cause: error });
  }
  if (!bucket || !object) {
    throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'A GCS photo URL must name a bucket and an object');
  }
  if (!BUCKET_NAME.test(bucket)) {
    throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The GCS bucket name is not valid', { details: { reason: 'bucket-name' } });
  }
  // GCS's own object naming rules: 1..1024 bytes of UTF-8, no CR/LF, not "." or "..".
  if (Buffer.byteLength(object) > 1024 || CONTROL.test(object) || object === '.' || object === '..') {
    throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The GCS object name is not valid', { details: { reason: 'object-name' } });
  }
  return { bucket, object };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function gcsError(error: unknown, signal: AbortSignal, callerSignal: AbortSignal | undefined, timeoutMs: number): MediaAiError {
  if (error instanceof MediaAiError) return error;
  if (callerSignal?.aborted) return new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', 'The download was cancelled', { cause: error });
  if (signal.aborted) {
    return new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', `The GCS download did not finish within ${timeoutMs} ms`, { cause: error });
  }
  const status = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : undefined;
  const details: Record<string, number> = status === undefined ? {} : { status };
  if (status === 401 || status === 403) return new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', undefined, { cause: error, details });
  if (status === 404) return new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', undefined, { cause: error, details });
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', `GCS answered HTTP ${status}`, { cause: error, details });
  }
  // 5xx after the client's own retries, 408/429, network errors, checksum mismatches.
  const message = error instanceof Error ? `GCS download failed: ${error.message}` : 'GCS download failed';
  return new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', message, { cause: error, details });
}
