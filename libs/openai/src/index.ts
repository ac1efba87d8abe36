// The OpenAI adapter (OpenAI or any OpenAI-compatible server): the vision client with its quotas,
// retries, response formats, pricing and error mapping, and the circuit breaker in front of it.
// Exported: what the llm stage uses; the rest stays inside.
export {
  callUsageOf,
  OpenAiVisionClient,
  visionClientOptions,
  type ApiRequestEvent,
  type CallUsage,
  type OpenAiVisionClientOptions,
} from './vision-client.js';
export type { ImageDetail } from './token-estimate.js';
export type { ResponseFormatMode } from './response-format.js';
export { RateLimiter } from './rate-limiter.js';
export { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
