/**
 * Makes the llm stage's spend visible: turns the OpenAI client's per-request events and the stage's
 * per-photo events into the openai_* metrics (requests by status, tokens in and out, estimated
 * cost, cost per photo, posts, skipped photos, breaker state, limiter waits) and one log line per
 * photo carrying its tokens, its cost and the running cost of its post.
 *
 * Cost per post: all photos of a post share its Kafka key, so one replica sees them all; the
 * running total is kept per post revision in a bounded map (oldest forgotten first), and
 * openai_estimated_cost_usd_total / openai_posts_total gives the average across replicas.
 *
 * Must never throw into the stage, and never log post text, answers or anything but ids, counts
 * and codes.
 */
import type { StageLogger } from '@media-ai/stream';
import type { MediaAiMetrics } from '@media-ai/telemetry';
import type { ApiRequestEvent, CircuitState, ResponseFormatMode } from '@media-ai/openai';
import type { LlmPhotoEvent } from './stage.js';

export interface LlmTelemetryOptions {
  metrics?: MediaAiMetrics | undefined;
  logger?: StageLogger | undefined;
  /** Model label for per-photo cost (the configured OPENAI_MODEL). */
  model: string;
  /** Post revisions whose running cost is remembered. Default 10 000. */
  maxTrackedPosts?: number;
}

export interface LlmTelemetry {
  onRequest(event: ApiRequestEvent): void;
  onPhoto(event: LlmPhotoEvent): void;
  onCircuitStateChange(state: CircuitState, previous: CircuitState): void;
  onResponseFormatChange(mode: ResponseFormatMode): void;
  /** Running cost of a post revision in this process (for tests and logs). */
  postCostUsd(postId: string, revision: number): number | undefined;
}

interface PostTally {
  photos: number;
  requests: number;
  costUsd: number;
}

export function createLlmTelemetry(options: LlmTelemetryOptions): LlmTelemetry {
  const { metrics, logger, model } = options;
  const maxPosts = options.maxTrackedPosts ?? 10_000;
  const posts = new Map<string, PostTally>();

  function tally(event: LlmPhotoEvent): PostTally {
    const key = `${event.postId}:${event.revision}`;
    let entry = posts.get(key);
    if (!entry) {
      entry = { photos: 0, requests: 0, costUsd: 0 };
      metrics?.openaiPosts.inc();
      if (posts.size >= maxPosts) posts.delete(posts.keys().next().value as string);
    } else {
      posts.delete(key);
    }
    posts.set(key, entry);
    entry.photos += 1;
    entry.requests += event.usage?.requests ?? 0;
    entry.costUsd += event.usage?.costUsd ?? 0;
    return entry;
  }

  return {
    onRequest(event) {
      if (!metrics) return;
      metrics.openaiApiRequests.inc({ status: event.status });
      if (event.promptTokens > 0) metrics.openaiTokens.inc({ model: event.model, direction: 'input' }, event.promptTokens);
      if (event.completionTokens > 0) metrics.openaiTokens.inc({ model: event.model, direction: 'output' }, event.completionTokens);
      if (event.costUsd !== null && event.costUsd > 0) metrics.openaiEstimatedCost.inc({ model: event.model }, event.costUsd);
      metrics.openaiRateLimiterWait.observe(event.limiterWaitMs / 1000);
    },

    onPhoto(event) {
      const post = tally(event);
      if (metrics) {
        if (event.outcome === 'circuit_open' || event.outcome === 'not_permitted')
          metrics.openaiSkippedPhotos.inc({ reason: event.outcome });
        // Cache hits and misses are counted where the lookups happen (the host's counting cache), not here.
        if (event.usage?.costUsd != null) metrics.openaiPhotoCost.observe({ model }, event.usage.costUsd);
      }
      const fields: Record<string, unknown> = {
        stage: 'llm',
        post_id: event.postId,
        revision: event.revision,
        photo_id: event.photoId,
        outcome: event.outcome,
        duration_ms: event.durationMs,
        requests: event.usage?.requests ?? 0,
        prompt_tokens: event.usage?.promptTokens ?? 0,
        completion_tokens: event.usage?.completionTokens ?? 0,
        estimated_cost_usd: event.usage?.costUsd ?? null,
        post_estimated_cost_usd: round(post.costUsd),
        post_photos_handled: post.photos,
      };
      if (event.errorCode) fields.error_code = event.errorCode;
      if (event.redactedKinds.length > 0) fields.redacted_kinds = event.redactedKinds;
      if (event.outcome === 'failed') logger?.warn(fields, 'llm photo failed');
      else logger?.info(fields, 'llm photo handled');
    },

    onCircuitStateChange(state, previous) {
      metrics?.openaiCircuitOpen.set(state === 'closed' ? 0 : 1);
      const fields = { stage: 'llm', circuit: state, previous };
      if (state === 'open')
        logger?.error(fields, 'vision model circuit breaker opened: photos are published without the llm until it closes');
      else logger?.info(fields, `vision model circuit breaker ${state}`);
    },

    onResponseFormatChange(mode) {
      logger?.warn(
        { stage: 'llm', response_format: mode },
        'the vision model server rejected the response format; asking in a simpler one from now on',
      );
    },

    postCostUsd(postId, revision) {
      return posts.get(`${postId}:${revision}`)?.costUsd;
    },
  };
}

/** Micro-dollars are enough for a log line; the metric keeps full precision. */
function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
