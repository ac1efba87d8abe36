// Typed configuration from the environment, one zod schema per concern. The only package that reads
// process.env; everything else receives an AppConfig (or the slice it needs).
export { loadConfig, type AppConfig, type LoadConfigOptions } from './load-config.js';
export { ConfigError, type ConfigIssue } from './config-error.js';
export { describeConfig, maskUrlCredentials, REDACTED, type ConfigDescription } from './describe-config.js';
export { ENVIRONMENTS, LOG_LEVELS, type AppSettings, type Environment, type LogLevel } from './app.js';
export type { ApiToken, ServerSettings, CorsSettings } from './server.js';
export {
  TRANSPORTS,
  type KafkaSettings,
  type SchemaRegistrySettings,
  type StageRetrySettings,
  type TransportKind,
  type SecurityProtocol,
  type SaslMechanism,
} from './kafka.js';
export type { GcsSettings } from './gcs.js';
export { IMAGE_DETAILS, type ImageDetail, type OpenAiSettings } from './openai.js';
export type { RedisSettings } from './redis.js';
export type { ReviewSettings, ReviewToken } from './review.js';
export { OCR_ENGINES, DEFAULT_OCR_ENGINE, type AiSettings, type ModelSource, type YoloModelSize, type OcrEngineName } from './ai.js';
export type { ConfidenceThresholds } from './thresholds.js';
export type { PhotoSettings } from './photos.js';
export type { ClamdAddressSettings, MalwareScanSettings } from './malware-scan.js';
export { BLOB_STORES, LATE_PARTS_MODES, type BlobStoreKind, type LatePartsMode, type PipelineSettings } from './pipeline.js';
export {
  OTEL_PROTOCOLS,
  OTEL_SAMPLERS,
  tracingConfigFrom,
  type OtelProtocol,
  type OtelSampler,
  type OtelSettings,
  type TracingConfig,
} from './otel.js';
export {
  DEVELOPMENT_IDENTIFIER_KEY,
  MIN_IDENTIFIER_KEY_CHARS,
  identifierKeyOf,
  type IdentifierKey,
  type PrivacySettings,
} from './privacy.js';
