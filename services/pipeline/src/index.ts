// All stages in one process, with the CLI and the REST API.
export { EmbeddedPipeline, type EmbeddedPipelineOptions } from './embedded/embedded-pipeline.js';
export type { EnrichmentEvent } from './embedded/enrichment-observer.js';
export { registerApiRoutes, type ApiRoutesOptions } from './api/routes.js';
export { buildPostCreatedEvent, type AdHocPost } from './post-events.js';
export { buildServer, type EmbeddedServer } from './cli/serve.js';
