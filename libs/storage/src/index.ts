// Photo sources (gs, https, file) and the blob store for normalized photos.
export type * from './blob-store.js';
export type { FetchedPhoto, PhotoSource, RoutedPhotoSource, UrlGuard, UrlVerdict, VettedAddress } from './photo-source.js';
export {
  classifyAddress,
  createSsrfGuard,
  defaultResolver,
  type AddressClass,
  type HostResolver,
  type SsrfGuardOptions,
} from './url-guard.js';
export { parsePhotoUrl, routePhotoSources } from './photo-source.js';
export { createPhotoSources, type PhotoDownloadEvent, type PhotoSourcesOptions } from './photo-sources.js';
export { createHttpsPhotoSource, hostAllowed, pinnedLookup, type HttpsSourceOptions } from './https-source.js';
export { createGcsPhotoSource, parseGcsUrl, type GcsObjectRef, type GcsSourceOptions } from './gcs-source.js';
export type { GcsClientOptions } from './gcs-client.js';
export { createFilePhotoSource, type FileSourceOptions } from './file-source.js';
export { LocalFolderBlobStore } from './local-folder-blob-store.js';
export { DEFAULT_BLOB_REFRESH_AFTER_MS, GcsBlobStore, type GcsBlobStoreOptions } from './gcs-blob-store.js';
export { BlobSweeper, type BlobSweeperOptions } from './blob-sweeper.js';
