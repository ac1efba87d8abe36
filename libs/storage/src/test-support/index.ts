// Test-only stand-ins (GCS JSON API, a scriptable photo origin). Exported under the package's
// `./test-support` subpath for the development condition only, so builds never ship them.
export { startGcsStandIn, type GcsStandIn } from './gcs-stand-in.js';
export { startPhotoHttpServer, type PhotoHttpServer, type PhotoHttpServerOptions, type RouteHandler } from './photo-http-server.js';
export { ensureTestTls, type TestTls } from './test-tls.js';
export { armNetworkTripwire, type NetworkTripwire } from './network-tripwire.js';
export { MemoryBlobStore } from './memory-blob-store.js';
