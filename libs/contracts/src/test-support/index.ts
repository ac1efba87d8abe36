// Test-only stand-ins and fixtures of @media-ai/contracts. Exported under the package's
// `./test-support` subpath for the development condition only, so builds never ship them.
export {
  SCHEMA_REGISTRY_ROUTES,
  startSchemaRegistryServer,
  type SchemaRegistryServer,
  type SchemaRegistryServerOptions,
} from './schema-registry-server.js';
export * from './sample-records.js';
