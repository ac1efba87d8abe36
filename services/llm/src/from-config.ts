/**
 * The llm stage as configuration asks for it: the OpenAI (or OpenAI-compatible) vision model of
 * OPENAI_*, behind its rate limiter and circuit breaker, counted in the openai_* metrics when the
 * host passes its metrics. Off, with the reason, without an API key or base URL: no photo leaves
 * the process then.
 */
import type { AppConfig } from '@media-ai/config';
import type { BuiltCapability } from '@media-ai/runtime';
import type { ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { StageLogger } from '@media-ai/stream';
import type { MediaAiMetrics } from '@media-ai/telemetry';
import { CircuitBreaker, OpenAiVisionClient, visionClientOptions } from '@media-ai/openai';
import { VisionDescriber } from './item-describer.js';
import { createLlmTelemetry } from './llm-telemetry.js';
import { createLlmStage, llmStageEnabled } from './stage.js';

export interface LlmDeps {
  blobs: BlobStore;
  cache: ResultCache;
  /** The openai_* metrics land here when given. */
  metrics?: MediaAiMetrics;
  /** Per-photo cost lines, breaker changes, response-format fallbacks. */
  logger?: StageLogger;
}

/** Photos described at the same time: each is an open API request, paced by the limiter anyway. */
const LLM_CONCURRENCY = 4;

export function llmFromConfig(config: AppConfig, { blobs, cache, metrics, logger }: LlmDeps): BuiltCapability {
  const settings = config.openai;
  if (!llmStageEnabled(settings)) {
    return {
      stage: null,
      status: {
        stage: 'llm',
        enabled: false,
        reason: 'OPENAI_API_KEY is not set (nor OPENAI_BASE_URL for a self-hosted model)',
        versions: {},
      },
    };
  }
  const telemetry = createLlmTelemetry({ metrics, logger, model: settings.model });
  const client = new OpenAiVisionClient({
    ...visionClientOptions(settings),
    onRequest: telemetry.onRequest,
    onResponseFormatChange: telemetry.onResponseFormatChange,
  });
  const describer = new VisionDescriber(client);
  if (!client.price) {
    logger?.warn(
      { stage: 'llm', model: settings.model },
      'no price is known for this model: cost metrics stay at 0 (set OPENAI_INPUT_COST_PER_MILLION_TOKENS and OPENAI_OUTPUT_COST_PER_MILLION_TOKENS)',
    );
  }
  const breaker = new CircuitBreaker({
    threshold: settings.circuitBreakerThreshold,
    cooldownMs: settings.circuitBreakerCooldownMs,
    onStateChange: telemetry.onCircuitStateChange,
  });
  metrics?.openaiCircuitOpen.set(0);
  const stage = createLlmStage({
    describer,
    blobs,
    cache,
    cacheTtlSeconds: config.redis.ttlSeconds.aiResults,
    concurrency: LLM_CONCURRENCY,
    breaker,
    onPhoto: telemetry.onPhoto,
    onCacheError: (error, operation) =>
      logger?.warn(
        { stage: 'llm', operation, err: error instanceof Error ? error.message : String(error) },
        'result cache failed; describing without it',
      ),
  });
  return { stage, status: { stage: 'llm', enabled: true, reason: null, versions: { openai: describer.modelVersion } } };
}
