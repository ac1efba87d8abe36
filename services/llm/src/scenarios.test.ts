/**
 * The llm stage's scenario suite (`npm run test:llm`): the stage under the real stream runner, on
 * the in-process transport with the real Avro codecs, against a local OpenAI-compatible stand-in
 * (127.0.0.1 only) that plays each way the API behaves in production. Every scenario checks what
 * the aggregator would get on media-ai.descriptions: one part per photo, ok or failed with a code.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCodecs,
  HEADERS,
  InProcessSchemaRegistry,
  registerSchemas,
  TOPICS,
  type Codecs,
  type DescriptionRecord,
  type PhotoRecord,
} from '@media-ai/contracts';
import { CountingResultCache, MemoryResultCache, resultCacheStageOf } from '@media-ai/state';
import { runStage, type RunningStage } from '@media-ai/stream';
import { InProcessTransport } from '@media-ai/stream/transports';
import { createMetrics, Registry, type MediaAiMetrics } from '@media-ai/telemetry';
import { CircuitBreaker, OpenAiVisionClient, RateLimiter, type OpenAiVisionClientOptions } from '@media-ai/openai';
import { OpenAiStandIn, type OpenAiStandInOptions } from '@media-ai/openai/test-support';
import { VisionDescriber } from './item-describer.js';
import { createLlmTelemetry, type LlmTelemetry } from './llm-telemetry.js';
import { createLlmStage } from './stage.js';
import { MemoryBlobStore, normalizedJpeg, storePhoto } from './test-support/fixtures.js';
import { DESCRIBES_EVERY_PHOTO, VALID_ANSWER } from './test-support/item-answers.js';

const DLQ = 'media-ai.dead-letter';
const ENRICHMENT = 'media-ai.enrichment';

interface ScenarioOptions {
  standIn?: OpenAiStandInOptions;
  client?: Partial<OpenAiVisionClientOptions>;
  breaker?: { threshold: number; cooldownMs: number };
  limiter?: RateLimiter;
}

interface Scenario {
  standIn: OpenAiStandIn;
  blobs: MemoryBlobStore;
  metrics: MediaAiMetrics;
  telemetry: LlmTelemetry;
  client: OpenAiVisionClient;
  /** Publishes the photos on media-ai.photos and waits until the stage has handled every one. */
  process(photos: PhotoRecord[]): Promise<void>;
  descriptions(): Promise<DescriptionRecord[]>;
  deadLetters(): Array<{ code: string | undefined }>;
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

async function scenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const standIn = new OpenAiStandIn({ fallback: DESCRIBES_EVERY_PHOTO, ...options.standIn });
  await standIn.start();
  running.push(() => standIn.stop());

  const registry = new InProcessSchemaRegistry();
  const codecs: Codecs = createCodecs({
    registry,
    schemaIds: await registerSchemas(registry),
    enrichmentTopic: ENRICHMENT,
    deadLetterTopic: DLQ,
  });
  const transport = new InProcessTransport({ redeliveryBackoff: { initialDelayMs: 1, maxDelayMs: 5 } });
  running.push(() => transport.close());

  const metrics = createMetrics(new Registry(), { defaultMetrics: false });
  const telemetry = createLlmTelemetry({ metrics, model: standIn.model });
  const client = new OpenAiVisionClient({
    apiKey: standIn.apiKey,
    model: standIn.model,
    baseURL: standIn.baseURL,
    timeoutMs: 10_000,
    maxRetries: 2,
    retryDelayMs: 10,
    maxTokens: 1000,
    temperature: 0.1,
    imageDetail: 'low',
    limiter: options.limiter ?? new RateLimiter({ requestsPerWindow: 100_000, tokensPerWindow: 100_000_000 }),
    onRequest: telemetry.onRequest,
    onResponseFormatChange: telemetry.onResponseFormatChange,
    ...options.client,
  });
  const breaker = new CircuitBreaker({
    ...(options.breaker ?? { threshold: 5, cooldownMs: 60_000 }),
    onStateChange: telemetry.onCircuitStateChange,
  });
  const blobs = new MemoryBlobStore();
  // Counted as the hosts count it (runtime's state stores): around the real lookups.
  const cache = new CountingResultCache(new MemoryResultCache(), (hit, key) => metrics.recordCacheLookup(resultCacheStageOf(key), hit));
  const describer = new VisionDescriber(client);
  const stage = createLlmStage({ describer, blobs, cache, cacheTtlSeconds: 3600, concurrency: 4, breaker, onPhoto: telemetry.onPhoto });
  const started: RunningStage = await runStage(stage, {
    transport,
    codecs,
    groupId: 'fn-media-ai.llm',
    deadLetterTopic: DLQ,
    retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 5 },
  });
  running.push(() => started.stop());

  return {
    standIn,
    blobs,
    metrics,
    telemetry,
    client,
    async process(photos) {
      const codec = codecs.forTopic(TOPICS.photos);
      await transport.send(
        await Promise.all(photos.map(async (p) => ({ topic: TOPICS.photos, key: p.post_id, value: await codec.encode(p) }))),
      );
      await transport.whenIdle();
    },
    async descriptions() {
      const codec = codecs.forTopic(TOPICS.descriptions);
      return Promise.all(transport.readAll(TOPICS.descriptions).map(async (r) => (await codec.decode(r.value)) as DescriptionRecord));
    },
    deadLetters() {
      return transport.readAll(DLQ).map((r) => ({ code: r.headers[HEADERS.dlqErrorCode] }));
    },
  };
}

let typicalJpeg: Buffer | undefined;
/** A typical post photo: a phone held in a hand, normalized by the fetcher's rules (1024 px JPEG). */
async function typicalPhoto(blobs: MemoryBlobStore, overrides: Partial<PhotoRecord> = {}): Promise<PhotoRecord> {
  typicalJpeg ??= await normalizedJpeg('phone_lockscreen_in_hand.jpg', 1024);
  return storePhoto(blobs, typicalJpeg, overrides);
}

/** Distinct small photos (distinct sha256, so no cache hit between them). */
async function distinctPhotos(blobs: MemoryBlobStore, count: number): Promise<PhotoRecord[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const jpeg = await sharp({
        create: { width: 64, height: 48, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: (i * 13) % 256 } },
      })
        .jpeg()
        .toBuffer();
      expect(createHash('sha256').update(jpeg).digest('hex')).toHaveLength(64);
      return storePhoto(blobs, jpeg, { post_id: `post-${i}`, photo_id: `photo-${i}` });
    }),
  );
}

const metricsText = (s: Scenario) => s.metrics.registry.metrics();

describe('llm scenarios against an OpenAI-compatible stand-in', () => {
  it('success: one ok part per photo through Avro, with tokens and the estimated cost of a typical photo counted', async () => {
    const s = await scenario();
    const photo = await typicalPhoto(s.blobs);
    await s.process([photo]);

    const [part] = await s.descriptions();
    expect(part).toMatchObject({
      post_id: 'post-1',
      photo_id: 'photo-1',
      status: 'ok',
      category: 'phone',
      brand: 'Apple',
      confidence: 0.87,
    });
    const [request] = s.standIn.requests;
    expect(request!.violations).toEqual([]);
    const usage = request!.usage!;
    const cost = (usage.prompt_tokens * 0.15 + usage.completion_tokens * 0.6) / 1e6;
    // The README's cost per photo comes from this line (gpt-4o-mini, detail low, list prices).
    console.info(
      `typical photo, ${s.standIn.model} at detail low: ${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion tokens = $${cost.toFixed(6)}`,
    );
    expect(cost).toBeGreaterThan(0.0003);
    expect(cost).toBeLessThan(0.001);
    expect(s.telemetry.postCostUsd('post-1', 1)).toBeCloseTo(cost, 12);

    const text = await metricsText(s);
    expect(text).toContain('openai_api_requests_total{status="ok"} 1');
    expect(text).toContain(`openai_api_tokens_total{model="gpt-4o-mini",direction="input"} ${usage.prompt_tokens}`);
    expect(text).toContain(`openai_api_tokens_total{model="gpt-4o-mini",direction="output"} ${usage.completion_tokens}`);
    expect(text).toContain('openai_posts_total 1');
    expect(text).toMatch(/openai_estimated_cost_usd_total\{model="gpt-4o-mini"\} 0\.000[3-9]/);
  });

  it('the same photo is never paid for twice, whatever post it comes with', async () => {
    const s = await scenario();
    await s.process([await typicalPhoto(s.blobs)]);
    await s.process([await typicalPhoto(s.blobs, { post_id: 'post-2', photo_id: 'photo-9', post_title: 'Found: a phone' })]);
    expect((await s.descriptions()).map((d) => [d.post_id, d.status])).toEqual([
      ['post-1', 'ok'],
      ['post-2', 'ok'],
    ]);
    expect(s.standIn.requests).toHaveLength(1);
    expect(await metricsText(s)).toContain('redis_cache_hits_total{cache="llm"} 1');
  });

  it('429 with Retry-After: waits as long as the server asks, then gets the answer', async () => {
    const s = await scenario();
    s.standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 200 }, { kind: 'answer', answer: VALID_ANSWER });
    await s.process([await typicalPhoto(s.blobs)]);
    expect((await s.descriptions()).map((d) => d.status)).toEqual(['ok']);
    const [limited, answered] = s.standIn.requests;
    expect(answered!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(195);
    const text = await metricsText(s);
    expect(text).toContain('openai_api_requests_total{status="rate_limited"} 1');
    expect(text).toContain('openai_api_requests_total{status="ok"} 1');
  });

  it('a short 5xx burst is ridden out by the retries', async () => {
    const s = await scenario();
    s.standIn.enqueue(
      { kind: 'server-error', status: 502 },
      { kind: 'server-error', status: 503 },
      { kind: 'answer', answer: VALID_ANSWER },
    );
    await s.process([await typicalPhoto(s.blobs)]);
    expect((await s.descriptions()).map((d) => d.status)).toEqual(['ok']);
    expect(s.standIn.requests.map((r) => r.answeredWith)).toEqual(['server-error', 'server-error', 'answer']);
    expect(s.deadLetters()).toEqual([]);
  });

  it('a long 5xx burst opens the circuit breaker: the rest of the photos are published as failed at once, without a call', async () => {
    const s = await scenario({
      standIn: { fallback: { kind: 'server-error', status: 503 } },
      client: { maxRetries: 1 },
      breaker: { threshold: 2, cooldownMs: 60_000 },
    });
    const photos = await distinctPhotos(s.blobs, 6);
    await s.process(photos);

    const parts = await s.descriptions();
    // Every photo got its part: the aggregator waits for none of them.
    expect(new Set(parts.map((p) => p.photo_id))).toEqual(new Set(photos.map((p) => p.photo_id)));
    expect(parts.every((p) => p.status === 'failed')).toBe(true);
    const codes = parts.map((p) => p.error_code);
    expect(codes).toContain('MEDIA_AI_LLM_CIRCUIT_OPEN');
    // Two photo attempts failed (2 requests each) before it opened; nothing was sent after that.
    expect(s.standIn.requests.length).toBeLessThanOrEqual(2 * 2 + 4 * 2);
    const open = codes.filter((c) => c === 'MEDIA_AI_LLM_CIRCUIT_OPEN').length;
    expect(open).toBeGreaterThanOrEqual(2);
    const text = await metricsText(s);
    expect(text).toContain('openai_circuit_breaker_open 1');
    expect(text).toContain(`openai_skipped_photos_total{reason="circuit_open"} ${open}`);
    expect(text).toContain('openai_api_requests_total{status="503"}');
  });

  it('timeouts: a slow answer past OPENAI_REQUEST_TIMEOUT is abandoned and asked again', async () => {
    const s = await scenario({ client: { timeoutMs: 300 } });
    s.standIn.enqueue(
      { kind: 'slow', delayMs: 3_000, then: { kind: 'answer', answer: VALID_ANSWER } },
      { kind: 'answer', answer: VALID_ANSWER },
    );
    await s.process([await typicalPhoto(s.blobs)]);
    expect((await s.descriptions()).map((d) => d.status)).toEqual(['ok']);
    expect(await metricsText(s)).toContain('openai_api_requests_total{status="timeout"} 1');
  });

  it('malformed JSON is asked for once more, then the photo is reported failed with a code (and dead-lettered)', async () => {
    const s = await scenario();
    s.standIn.enqueue({ kind: 'malformed' }, { kind: 'malformed', content: '{"category": "phone", ' });
    await s.process([await typicalPhoto(s.blobs)]);
    expect(await s.descriptions()).toEqual([
      expect.objectContaining({ status: 'failed', error_code: 'MEDIA_AI_LLM_BAD_ANSWER', category: null, brand: null }),
    ]);
    expect(s.standIn.requests).toHaveLength(2);
    expect(s.deadLetters()).toEqual([{ code: 'MEDIA_AI_LLM_BAD_ANSWER' }]);
    expect(await metricsText(s)).toContain('openai_api_requests_total{status="invalid_answer"} 2');
  });

  it('a refusal is asked for once more; a second refusal fails the photo with MEDIA_AI_LLM_REFUSED', async () => {
    const s = await scenario();
    s.standIn.enqueue({ kind: 'refusal' }, { kind: 'refusal' }, { kind: 'refusal' }, { kind: 'answer', answer: VALID_ANSWER });
    const [first, second] = await distinctPhotos(s.blobs, 2);
    await s.process([first!]);
    await s.process([second!]);
    expect((await s.descriptions()).map((d) => [d.photo_id, d.status, d.error_code])).toEqual([
      ['photo-0', 'failed', 'MEDIA_AI_LLM_REFUSED'],
      ['photo-1', 'ok', null],
    ]);
    expect(await metricsText(s)).toContain('openai_api_requests_total{status="refused"} 3');
  });

  it('a server without JSON-schema support: steps down to JSON mode once, then asks in JSON mode from the start', async () => {
    const s = await scenario({
      standIn: { supportsJsonSchema: false, fallback: { kind: 'answer', answer: VALID_ANSWER, wrap: 'fenced' } },
    });
    const photos = await distinctPhotos(s.blobs, 3);
    await s.process([photos[0]!]);
    await s.process(photos.slice(1));
    expect((await s.descriptions()).map((d) => d.status)).toEqual(['ok', 'ok', 'ok']);
    expect(s.standIn.requests.map((r) => `${r.responseFormat}:${r.answeredWith}`)).toEqual([
      'json_schema:unsupported',
      'json_object:answer',
      'json_object:answer',
      'json_object:answer',
    ]);
    // JSON mode carries the schema in the prompt instead.
    expect(s.standIn.requests[1]!.promptText).toContain('"distinguishing_marks"');
    expect(s.client.responseFormatMode).toBe('json_object');
    expect(s.standIn.requests.every((r) => r.violations.length === 0)).toBe(true);
  });

  it('a server configured for plain text gets the schema in the prompt and no response_format', async () => {
    const s = await scenario({
      client: { responseFormat: 'text' },
      standIn: { supportsJsonSchema: false, fallback: { kind: 'answer', answer: VALID_ANSWER, wrap: 'fenced' } },
    });
    await s.process([await typicalPhoto(s.blobs)]);
    expect((await s.descriptions()).map((d) => d.status)).toEqual(['ok']);
    expect(s.standIn.requests.map((r) => r.responseFormat)).toEqual(['none']);
  });

  it('a tenant with third-party AI off: a failed part at once, and no request ever leaves', async () => {
    const s = await scenario();
    await s.process([await typicalPhoto(s.blobs, { third_party_ai: false })]);
    expect(await s.descriptions()).toEqual([expect.objectContaining({ status: 'failed', error_code: 'MEDIA_AI_LLM_NOT_PERMITTED' })]);
    expect(s.standIn.requests).toHaveLength(0);
    expect(s.blobs.gets).toBe(0);
    expect(s.deadLetters()).toEqual([]);
    expect(await metricsText(s)).toContain('openai_skipped_photos_total{reason="not_permitted"} 1');
  });

  it('a burst of 100 photos under a low request limit never exceeds it in any window the server counts', async () => {
    // 10 requests per 800 ms window (a minute, shortened), enforced and counted by the server.
    const limit = { requests: 10, windowMs: 800 };
    const limiter = new RateLimiter({ requestsPerWindow: limit.requests, tokensPerWindow: 100_000_000, windowMs: limit.windowMs });
    const s = await scenario({ standIn: { requestLimit: limit }, limiter });
    const photos = await distinctPhotos(s.blobs, 100);
    await s.process(photos);

    const parts = await s.descriptions();
    expect(parts).toHaveLength(100);
    expect(parts.every((p) => p.status === 'ok')).toBe(true);
    expect(s.standIn.requests).toHaveLength(100);
    expect(s.standIn.requests.filter((r) => r.answeredWith === 'over-limit')).toEqual([]);
    const perWindow = s.standIn.callsPerWindow();
    expect(Math.max(...perWindow)).toBeLessThanOrEqual(limit.requests);
    expect(perWindow.reduce((a, b) => a + b, 0)).toBe(100);
  }, 120_000);
});
