/**
 * Builds the one PhotoSource the fetcher uses from typed options: GCS first (gs:// and the
 * storage.googleapis.com https form), then generic https, then file:// when explicitly allowed.
 * Must never enable file:// by default, and never read configuration from the environment.
 */
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
  return routePhotoSources(sources);
}
