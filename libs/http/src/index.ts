// Fastify server every service shares: health, ready, live, metrics, the error envelope, API tokens, rate limits and /docs.
export { createHttpServer, CORRELATION_ID_HEADER, type HttpServerOptions } from './server.js';
export {
  HealthRegistry,
  overallStatus,
  type HealthStatus,
  type CheckOutcome,
  type DependencyCheck,
  type DependencyReport,
  type HealthReport,
  type ReadinessCondition,
  type ReadinessState,
  type ReadinessReport,
  type ReadinessFlag,
  type HealthRegistryOptions,
} from './health-registry.js';
export { errorBody, type ErrorBody } from './error-handler.js';
export { type ApiClient, type ApiToken } from './api-access.js';
export { type RateLimitOptions } from './rate-limits.js';
export { MAX_JSON_DEPTH } from './json-body.js';
