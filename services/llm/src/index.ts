// LLM stage: category, brand and description from a vision model (OpenAI or OpenAI-compatible).
export {
  createLlmStage,
  llmCacheKey,
  llmStageEnabled,
  LLM_STAGE_NAME,
  type LlmPhotoEvent,
  type LlmPhotoOutcome,
  type LlmStageOptions,
} from './stage.js';
export { describedRecord, failedRecord, FIELD_CONFIDENCE_FLOOR, LLM_MODEL_VERSION_KEY } from './description-record.js';
export {
  openAiModelVersion,
  VisionDescriber,
  visionDescriberOptions,
  type ApiRequestEvent,
  type CallUsage,
  type DescribeInput,
  type DescribeOptions,
  type DescribeResult,
  type ImageDetail,
  type ItemDescriber,
  type OpenAiSettingsLike,
  type VisionDescriberOptions,
} from './vision-client.js';
export { readAnswer } from './answer-reader.js';
export { isTransientApiError, requestStatusOf, toLlmError } from './api-errors.js';
export { redactAnswer, type RedactedAnswer } from './answer-redaction.js';
export {
  checkItemDescription,
  itemDescriptionAnswerSchema,
  itemDescriptionJsonSchema,
  itemDescriptionResponseFormat,
  ITEM_CATEGORIES,
  ITEM_COLORS,
  ITEM_CONDITIONS,
  ITEM_DESCRIPTION_SCHEMA_NAME,
  MAX_DESCRIPTION_CHARS,
  SCENES,
  type AnswerCheck,
  type FieldConfidence,
  type ItemCategory,
  type ItemColor,
  type ItemCondition,
  type ItemDescription,
  type Scene,
} from './item-description.js';
export { contextText, PROMPT_VERSION, redactContextText, type PostContext } from './prompt.js';
export { isJpeg, stripJpegMetadata, type StrippedJpeg } from './jpeg-metadata.js';
export { LOW_DETAIL_SIDE, MAX_OUTGOING_SIDE, prepareOutgoingImage, type OutgoingImage } from './outgoing-image.js';
export { ResponseFormatNegotiator, parseAnswerJson, type ResponseFormatMode, type ResponseFormatSetting } from './response-format.js';
export { RateLimiter, type RateLimiterOptions, type RateLimitGrant } from './rate-limiter.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
export { readServerLimits, type ServerLimits } from './rate-limit-headers.js';
export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';
export { estimateRequestTokens, imageTokens, textTokens } from './token-estimate.js';
export { costUsd, priceFor, PRICE_TABLE, type ModelPrice, type PriceOverride, type TokenUsage } from './pricing.js';
export { createLlmTelemetry, type LlmTelemetry, type LlmTelemetryOptions } from './llm-telemetry.js';
export * from './from-config.js';
export * from './service.js';
