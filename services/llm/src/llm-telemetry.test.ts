import { describe, expect, it } from 'vitest';
import { createMetrics, Registry } from '@media-ai/telemetry';
import { createLlmTelemetry } from './llm-telemetry.js';
import type { LlmPhotoEvent } from './stage.js';

function recordingLogger() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const photo = (overrides: Partial<LlmPhotoEvent>): LlmPhotoEvent => ({
  postId: 'post-1',
  revision: 1,
  photoId: 'photo-1',
  outcome: 'described',
  usage: null,
  errorCode: null,
  durationMs: 12,
  redactedKinds: [],
  ...overrides,
});

describe('llm telemetry', () => {
  it('counts requests by status, tokens in and out, and the estimated spend', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const telemetry = createLlmTelemetry({ metrics, model: 'gpt-4o-mini' });
    telemetry.onRequest({
      status: 'rate_limited',
      model: 'gpt-4o-mini',
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
      limiterWaitMs: 0,
    });
    telemetry.onRequest({
      status: 'ok',
      model: 'gpt-4o-mini',
      promptTokens: 3000,
      completionTokens: 100,
      costUsd: 0.00051,
      limiterWaitMs: 250,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('openai_api_requests_total{status="rate_limited"} 1');
    expect(text).toContain('openai_api_requests_total{status="ok"} 1');
    expect(text).toContain('openai_api_tokens_total{model="gpt-4o-mini",direction="input"} 3000');
    expect(text).toContain('openai_api_tokens_total{model="gpt-4o-mini",direction="output"} 100');
    expect(text).toContain('openai_estimated_cost_usd_total{model="gpt-4o-mini"} 0.00051');
    expect(text).toContain('openai_rate_limiter_wait_seconds_count 2');
  });

  it('keeps a running cost per post revision, counts posts once, and logs one line per photo without post text', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const { lines, logger } = recordingLogger();
    const telemetry = createLlmTelemetry({ metrics, logger, model: 'gpt-4o-mini' });
    const usage = (costUsd: number) => ({ requests: 1, promptTokens: 3000, completionTokens: 100, costUsd });
    telemetry.onPhoto(photo({ photoId: 'a', usage: usage(0.0005) }));
    telemetry.onPhoto(photo({ photoId: 'b', usage: usage(0.0007) }));
    telemetry.onPhoto(photo({ photoId: 'c', outcome: 'cached' }));
    telemetry.onPhoto(photo({ postId: 'post-2', outcome: 'circuit_open', errorCode: 'MEDIA_AI_LLM_CIRCUIT_OPEN' }));
    expect(telemetry.postCostUsd('post-1', 1)).toBeCloseTo(0.0012, 10);
    expect(telemetry.postCostUsd('post-2', 1)).toBe(0);

    const text = await metrics.registry.metrics();
    expect(text).toContain('openai_posts_total 2');
    expect(text).toContain('openai_estimated_cost_per_photo_usd_count{model="gpt-4o-mini"} 2');
    expect(text).toContain('openai_skipped_photos_total{reason="circuit_open"} 1');
    // Counted by the counting result cache around the real lookups, never a second time here.
    expect(text).not.toContain('redis_cache_hits_total{cache="llm"}');
    expect(lines[1]).toMatchObject({
      level: 'info',
      fields: {
        post_id: 'post-1',
        photo_id: 'b',
        outcome: 'described',
        prompt_tokens: 3000,
        estimated_cost_usd: 0.0007,
        post_estimated_cost_usd: 0.0012,
        post_photos_handled: 2,
      },
    });
  });

  it('forgets the oldest posts beyond its bound', () => {
    const telemetry = createLlmTelemetry({ model: 'm', maxTrackedPosts: 2 });
    for (const postId of ['p1', 'p2', 'p3']) telemetry.onPhoto(photo({ postId }));
    expect(telemetry.postCostUsd('p1', 1)).toBeUndefined();
    expect(telemetry.postCostUsd('p3', 1)).toBe(0);
  });

  it('shows the breaker state and says loudly when it opens', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const { lines, logger } = recordingLogger();
    const telemetry = createLlmTelemetry({ metrics, logger, model: 'm' });
    telemetry.onCircuitStateChange('open', 'closed');
    expect(await metrics.registry.metrics()).toContain('openai_circuit_breaker_open 1');
    telemetry.onCircuitStateChange('closed', 'half-open');
    expect(await metrics.registry.metrics()).toContain('openai_circuit_breaker_open 0');
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
  });
});
