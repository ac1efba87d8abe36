/**
 * Builds the one PhotoSource the fetcher uses from typed options: GCS first (gs:// and the
 * storage.googleapis.com https form), then generic https, then file:// when explicitly allowed.
 * Every routed download reports its duration and outcome through `onDownload`, which is how the
 * wiring feeds gcs_download_duration_seconds{source} without this library knowing about Prometheus,
 * and is a `photo download` span (source, bytes, outcome; never the URL, which may name a person).
 * Must never enable file:// by default, and never read configuration from the environment.
 */
import { toMediaAiError, type ErrorCode } from '@media-ai/contracts';
import { SpanKind, tracerFor, withSpan } from '@media-ai/telemetry';
import { createFilePhotoSource, type FileSourceOptions } from './file-source.js';
import { createGcsPhotoSource, type GcsSourceOptions } from './gcs-source.js';
import { createHttpsPhotoSource, type HttpsSourceOptions } from './https-source.js';
import { createSsrfGuard } from './url-guard.js';
import { routePhotoSources, type PhotoSource, type RoutedPhotoSource, type UrlGuard } from './photo-source.js';

export interface PhotoSourcesOptions {
  /** MAX_IMAGE_SIZE in bytes, applied by every source. */
  maxBytes: number;
  /**
   * Every network request passes through it (first URL and redirects): the SSRF seam. Default: the
   * strict `createSsrfGuard()` (no loopback, no private ranges), so forgetting it is never unsafe.
   */
  guard?: UrlGuard;
  /** Generic https:// downloads; false disables them. */
  https?: Omit<HttpsSourceOptions, 'maxBytes' | 'guard'> | false;
  /** gs:// and https://storage.googleapis.com/...; false disables them (they then fail as invalid URLs). */
  gcs?: Omit<GcsSourceOptions, 'maxBytes' | 'guard'> | false;
  /** file:// (embedded/dev mode only). Disabled unless given. */
  file?: Omit<FileSourceOptions, 'maxBytes'>;
  /**
   * Called once per download a source attempted (success or failure), after it ends. Not called for
   * URLs no source accepts: nothing was downloaded. Must be cheap and must not throw (a throw is
   * swallowed so that metrics can never fail a photo).
   */
  onDownload?: (event: PhotoDownloadEvent) => void;
}

export interface PhotoDownloadEvent {
  /** The source that handled the URL: `gcs`, `https` or `file` (a bounded label value). */
  source: string;
  /** Wall time of the whole download, retries and redirects included. */
  durationMs: number;
  outcome: 'ok' | 'error';
  /** Catalogue code of the failure (absent on success). */
  code?: ErrorCode;
  /** Bytes read (on success). */
  bytes?: number;
}

export function createPhotoSources(options: PhotoSourcesOptions): PhotoSource {
  const sources: RoutedPhotoSource[] = [];
  const guard = options.guard ?? createSsrfGuard({ allowInsecureHttp: options.https ? options.https.allowInsecureHttp : false });
  if (options.gcs !== false) {
    sources.push(createGcsPhotoSource({ ...options.gcs, maxBytes: options.maxBytes, guard }));
  }
  if (options.https !== false) {
    sources.push(createHttpsPhotoSource({ ...options.https, maxBytes: options.maxBytes, guard }));
  }
  if (options.file) {
    sources.push(createFilePhotoSource({ ...options.file, maxBytes: options.maxBytes }));
  }
  const { onDownload } = options;
  return routePhotoSources(sources.map((source) => timedSource(source, onDownload)));
}

const tracer = tracerFor('@media-ai/storage');

/** Wraps one routed source so every fetch it makes is measured and traced, including the failing ones. */
function timedSource(source: RoutedPhotoSource, onDownload?: (event: PhotoDownloadEvent) => void): RoutedPhotoSource {
  const report = (event: PhotoDownloadEvent) => {
    try {
      onDownload?.(event);
    } catch {
      // A broken metrics hook must never turn a good download into a failed photo.
    }
  };
  return {
    kind: source.kind,
    accepts: (url) => source.accepts(url),
    fetch(url, signal) {
      return withSpan(
        tracer,
        'photo download',
        { kind: SpanKind.CLIENT, attributes: { 'media_ai.photo.source': source.kind } },
        async (span) => {
          const started = performance.now();
          try {
            const photo = await source.fetch(url, signal);
            report({ source: source.kind, durationMs: performance.now() - started, outcome: 'ok', bytes: photo.bytes.length });
            span.setAttribute('media_ai.photo.bytes', photo.bytes.length);
            return photo;
          } catch (error) {
            report({ source: source.kind, durationMs: performance.now() - started, outcome: 'error', code: toMediaAiError(error).code });
            throw error;
          }
        },
      );
    },
  };
}
