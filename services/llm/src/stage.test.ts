import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MediaAiError, TOPICS, type DescriptionRecord, type PhotoRecord } from '@media-ai/contracts';
import { MemoryResultCache, type ResultCache } from '@media-ai/state';
import type { StageContext } from '@media-ai/stream';
import { createLlmStage, llmCacheKey, llmStageEnabled, type LlmStageOptions } from './stage.js';
import { VisionDescriber, visionDescriberOptions } from './vision-client.js';
import { VALID_ANSWER, type OpenAiStandIn } from './test-support/openai-stand-in.js';
import { inbound, MemoryBlobStore, normalizedJpeg, storePhoto } from './test-support/fixtures.js';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiTarget } from './test-support/openai-target.js';

let target: OpenAiTarget;
let standIn: OpenAiStandIn;
let jpeg: Buffer;
let blobs: MemoryBlobStore;
let photo: PhotoRecord;
const ctx: StageContext = { signal: new AbortController().signal };

function stage(overrides: Partial<LlmStageOptions> = {}) {
  const describer = new VisionDescriber({
    apiKey: target.apiKey,
    model: target.model,
    baseURL: target.baseURL,
    timeoutMs: 30_000,
    maxRetries: 2,
    maxTokens: 400,
    temperature: 0.1,
    imageDetail: 'low',
  });
  return createLlmStage({ describer, blobs, cache: new MemoryResultCache(), cacheTtlSeconds: 3600, concurrency: 4, ...overrides });
}

/** Runs the stage the way the runner does: handle, and onGiveUp when handle fails. */
async function run(llm: ReturnType<typeof stage>, value: PhotoRecord) {
  const record = inbound(value);
  try {
    return { outputs: await llm.handle(record, ctx), error: undefined };
  } catch (error) {
    return { outputs: llm.onGiveUp!(record, error as Error), error: error as MediaAiError };
  }
}

beforeAll(async () => {
  target = await openAiTarget();
  standIn = target.standIn!;
  jpeg = await normalizedJpeg('phone_lockscreen_in_hand.jpg');
});
afterAll(() => target.close());
beforeEach(async () => {
  standIn?.reset();
  blobs = new MemoryBlobStore();
  photo = await storePhoto(blobs, jpeg);
});

describe('llm stage', () => {
  it('reads photos and writes descriptions', () => {
    const llm = stage();
    expect(llm.name).toBe('llm');
    expect(llm.inputs).toEqual([TOPICS.photos]);
    expect(llm.concurrency).toBe(4);
  });

  it('publishes one description keyed by post id', async () => {
    const { outputs, error } = await run(stage(), photo);
    expect(error).toBeUndefined();
    expect(outputs).toHaveLength(1);
    const [out] = outputs;
    expect(out!.topic).toBe(TOPICS.descriptions);
    expect(out!.key).toBe('post-1');
    const value = out!.value as DescriptionRecord;
    expect(value).toMatchObject({
      post_id: 'post-1',
      photo_id: 'photo-1',
      revision: 1,
      sha256: photo.sha256,
      status: 'ok',
      error_code: null,
      error_message: null,
      model_versions: { openai: `openai/${target.model}` },
    });
    expect(value.duration_ms).toBeGreaterThanOrEqual(0);
    expect(value.category).not.toBeNull();
    if (!USING_REAL_OPENAI) expect(value).toMatchObject({ ...VALID_ANSWER, description: VALID_ANSWER.description });
  });

  it('answers from the cache for the same photo, model and post text', async () => {
    const llm = stage();
    const first = await run(llm, photo);
    const again = await run(llm, { ...photo, revision: 2 });
    expect(again.error).toBeUndefined();
    const [a, b] = [first.outputs[0]!.value as DescriptionRecord, again.outputs[0]!.value as DescriptionRecord];
    expect(b.revision).toBe(2);
    expect(b.description).toBe(a.description);
    // The second photo never left the process: neither the blob nor the API was read.
    expect(blobs.gets).toBe(1);
    if (standIn) expect(standIn.requests).toHaveLength(1);
  });

  it.skipIf(USING_REAL_OPENAI)('asks again when the post text, and so the hint, changed', async () => {
    const llm = stage();
    await run(llm, photo);
    await run(llm, { ...photo, post_title: 'Found: phone' });
    expect(standIn.requests).toHaveLength(2);
  });

  it.skipIf(USING_REAL_OPENAI)('publishes a failed part for a malformed answer and caches nothing', async () => {
    standIn.enqueue({ kind: 'malformed' });
    const cache = new MemoryResultCache();
    const { outputs, error } = await run(stage({ cache }), photo);
    expect(error?.code).toBe('MEDIA_AI_LLM_BAD_ANSWER');
    expect(error?.retryable).toBe(false);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.topic).toBe(TOPICS.descriptions);
    expect(outputs[0]!.key).toBe('post-1');
    expect(outputs[0]!.value).toMatchObject({
      post_id: 'post-1',
      photo_id: 'photo-1',
      status: 'failed',
      error_code: 'MEDIA_AI_LLM_BAD_ANSWER',
      category: null,
      colors: [],
      description: null,
      confidence: 0,
    });
    const key = llmCacheKey(`openai/${target.model}`, photo, { title: photo.post_title, description: photo.post_description, postType: photo.post_type });
    expect(await cache.get(key)).toBeUndefined();
  });

  it.skipIf(USING_REAL_OPENAI)('rides out a 429 through the SDK retry', async () => {
    standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 20 }, { kind: 'answer', answer: VALID_ANSWER });
    const { outputs, error } = await run(stage(), photo);
    expect(error).toBeUndefined();
    expect((outputs[0]!.value as DescriptionRecord).status).toBe('ok');
    expect(standIn.requests).toHaveLength(2);
  });

  it('fails retryably when the blob is missing, without calling the API', async () => {
    const { error, outputs } = await run(stage(), { ...photo, blob_key: 'absent', sha256: 'f'.repeat(64) });
    expect(error?.code).toBe('MEDIA_AI_BLOB_MISSING');
    expect(error?.retryable).toBe(true);
    expect((outputs[0]!.value as DescriptionRecord).error_code).toBe('MEDIA_AI_BLOB_MISSING');
    if (standIn) expect(standIn.requests).toHaveLength(0);
  });

  it('keeps describing when the cache is down, and says so', async () => {
    const broken: ResultCache = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
    };
    const cacheErrors: string[] = [];
    const { error } = await run(stage({ cache: broken, onCacheError: (_e, op) => cacheErrors.push(op) }), photo);
    expect(error).toBeUndefined();
    expect(cacheErrors).toEqual(['get', 'set']);
  });

  it.skipIf(USING_REAL_OPENAI)('sends only the normalized image and the post title, description and type', async () => {
    await run(stage(), {
      ...photo,
      post_title: 'Lost: black iPhone',
      post_description: 'Near the fountain. Reach me at owner@example.org or 212-555-0199.',
      post_type: 'lost',
      correlation_id: 'corr-secret-42',
    });
    const [request] = standIn.requests;
    expect(request!.violations).toEqual([]);
    // Byte for byte the blob the fetcher stored (it already carried no metadata).
    expect(request!.images).toEqual([jpeg]);
    const body = JSON.stringify(request!.body);
    for (const forbidden of [photo.blob_key, photo.post_id, photo.photo_id, 'corr-secret-42', 'owner@example.org', '555-0199']) {
      expect(body).not.toContain(forbidden);
    }
    expect(request!.promptText).toContain('Title: Lost: black iPhone');
    expect(request!.promptText).toContain('Description: Near the fountain.');
    expect(request!.promptText).toContain('Type: lost');
  });
});

describe('llmStageEnabled', () => {
  it('needs a non-blank API key', () => {
    expect(llmStageEnabled({ apiKey: 'sk-123' })).toBe(true);
    expect(llmStageEnabled({ apiKey: '  ' })).toBe(false);
    expect(llmStageEnabled({ apiKey: null })).toBe(false);
    expect(llmStageEnabled({})).toBe(false);
    expect(llmStageEnabled({ enabled: false, apiKey: 'sk-123' })).toBe(false);
  });

  it('builds describer options from the config settings', () => {
    const options = visionDescriberOptions({
      apiKey: 'sk-1', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:1/v1', requestTimeoutMs: 60_000,
      maxRetries: 3, maxTokens: 1000, temperature: 0.1, imageDetail: 'low',
    });
    expect(options).toEqual({
      apiKey: 'sk-1', model: 'gpt-4o-mini', baseURL: 'http://127.0.0.1:1/v1', timeoutMs: 60_000,
      maxRetries: 3, maxTokens: 1000, temperature: 0.1, imageDetail: 'low',
    });
  });

  it('is why VisionDescriber refuses to exist without a key', () => {
    expect(() => new VisionDescriber({ apiKey: '', model: 'm', timeoutMs: 1, maxRetries: 0, maxTokens: 1, temperature: 0, imageDetail: 'low' })).toThrow(/API key/);
  });
});
