// Test-only stand-ins, fixtures and assertions of @media-ai/contracts (import
// '@media-ai/contracts/test-support'). Exported under that subpath for the development condition
// only, so builds never ship them; never part of the product API.
export {
  SCHEMA_REGISTRY_ROUTES,
  startSchemaRegistryServer,
  type SchemaRegistryServer,
  type SchemaRegistryServerOptions,
} from './schema-registry-server.js';
export * from './sample-records.js';
export * from './platform-contract.js';
export * from './labelled-photos.js';
export * from './failure-of.js';
export * from './free-port.js';
