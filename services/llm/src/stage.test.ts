import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MediaAiError, TOPICS, type DescriptionRecord, type PhotoRecord } from '@media-ai/contracts';
import { MemoryResultCache, type ResultCache } from '@media-ai/state';
import type { StageContext } from '@media-ai/stream';
import { CircuitBreaker, OpenAiVisionClient, type OpenAiVisionClientOptions } from '@media-ai/openai';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiStandIn, type OpenAiTarget } from '@media-ai/openai/test-support';
import { VisionDescriber } from './item-describer.js';
import { createLlmStage, llmCacheKey, llmStageEnabled, type LlmPhotoEvent, type LlmStageOptions } from './stage.js';
import { inbound, MemoryBlobStore, normalizedJpeg, storePhoto } from './test-support/fixtures.js';
import { DESCRIBES_EVERY_PHOTO, VALID_ANSWER } from './test-support/item-answers.js';

let target: OpenAiTarget;
let standIn: OpenAiStandIn;
let jpeg: Buffer;
let blobs: MemoryBlobStore;
let photo: PhotoRecord;
const ctx: StageContext = { signal: new AbortController().signal };

function describer(overrides: Partial<OpenAiVisionClientOptions> = {}) {
  return new VisionDescriber(
    new OpenAiVisionClient({
      apiKey: target.apiKey,
      model: target.model,
      baseURL: target.baseURL,
      timeoutMs: 30_000,
      maxRetries: 2,
      retryDelayMs: 5,
      maxTokens: 400,
      temperature: 0.1,
      imageDetail: 'low',
      maxRequestsPerMinute: 100_000,
      maxTokensPerMinute: 100_000_000,
      ...overrides,
    }),
  );
}

function stage(overrides: Partial<LlmStageOptions> = {}) {
  return createLlmStage({
    describer: describer(),
    blobs,
    cache: new MemoryResultCache(),
    cacheTtlSeconds: 3600,
    concurrency: 4,
    ...overrides,
  });
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

const published = (outputs: { value: unknown }[]) => outputs[0]!.value as DescriptionRecord;

beforeAll(async () => {
  target = await openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO });
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
    const value = published(outputs);
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
    if (!USING_REAL_OPENAI) {
      expect(value).toMatchObject({
        category: 'phone',
        brand: 'Apple',
        model: 'iPhone 13',
        colors: ['black'],
        material: 'glass',
        distinguishing_marks: VALID_ANSWER.distinguishing_marks,
        description: VALID_ANSWER.description,
        // The record's one confidence is the category's.
        confidence: 0.87,
      });
    }
  });

  it.skipIf(USING_REAL_OPENAI)(
    'leaves out fields the model itself rated below 0.5, rather than publish them as sure as the category',
    async () => {
      standIn.enqueue({
        kind: 'answer',
        answer: { ...VALID_ANSWER, confidence: { ...VALID_ANSWER.confidence, brand: 0.3, model: 0.49, colors: 0.2, material: 0.5 } },
      });
      const value = published((await run(stage(), photo)).outputs);
      expect(value).toMatchObject({ category: 'phone', brand: null, model: null, colors: [], material: 'glass', confidence: 0.87 });
    },
  );

  it('answers from the cache for the same photo, model, prompt version and detail, whatever the post says', async () => {
    const cache = new MemoryResultCache();
    const llm = stage({ cache });
    const first = await run(llm, photo);
    const again = await run(llm, { ...photo, revision: 2, post_id: 'post-2', post_title: 'Found: phone' });
    expect(again.error).toBeUndefined();
    const [a, b] = [published(first.outputs), published(again.outputs)];
    expect(b.revision).toBe(2);
    expect(b.post_id).toBe('post-2');
    expect(b.description).toBe(a.description);
    // The second photo never left the process: neither the blob nor the API was read.
    expect(blobs.gets).toBe(1);
    if (standIn) expect(standIn.requests).toHaveLength(1);
    expect(await cache.get(llmCacheKey(`openai/${target.model}`, 'low', photo))).toBeDefined();
  });

  it.skipIf(USING_REAL_OPENAI)(
    'asked anew (the post text changed) it calls the API with the new text despite the cached answer, and caches the fresh one',
    async () => {
      const cache = new MemoryResultCache();
      const llm = stage({ cache });
      const key = llmCacheKey(`openai/${target.model}`, 'low', photo);
      await run(llm, { ...photo, post_description: 'Black phone in a blue case' });
      standIn.enqueue({ kind: 'answer', answer: { ...VALID_ANSWER, description: 'A black phone in a blue case with a cracked corner.' } });
      const reasked = await run(llm, {
        ...photo,
        revision: 7,
        post_description: 'Black phone in a blue case with a cracked corner',
        reasked_stages: ['llm'],
      });
      expect(reasked.error).toBeUndefined();
      expect(published(reasked.outputs)).toMatchObject({ revision: 7, description: 'A black phone in a blue case with a cracked corner.' });
      expect(standIn.requests).toHaveLength(2);
      expect(standIn.requests[1]!.promptText).toContain('with a cracked corner');
      // Still one key per image (no post text in it), now holding the answer to the new text.
      expect(await cache.get(key)).toMatchObject({ description: 'A black phone in a blue case with a cracked corner.' });
      // A record asking another stage anew is answered from the cache as always.
      await run(llm, { ...photo, reasked_stages: ['detector'] });
      expect(standIn.requests).toHaveLength(2);
    },
  );

  it.skipIf(USING_REAL_OPENAI)('asks again at another image detail (another answer, another price)', async () => {
    const cache = new MemoryResultCache();
    await run(stage({ cache }), photo);
    await run(stage({ cache, describer: describer({ imageDetail: 'high' }) }), photo);
    expect(standIn.requests).toHaveLength(2);
  });

  it.skipIf(USING_REAL_OPENAI)(
    'retries a malformed answer once, then fails the photo with a code (dead letter + failed part), caching nothing',
    async () => {
      standIn.enqueue({ kind: 'malformed' }, { kind: 'malformed' });
      const cache = new MemoryResultCache();
      const { outputs, error } = await run(stage({ cache }), photo);
      expect(standIn.requests).toHaveLength(2);
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
      expect(await cache.get(llmCacheKey(`openai/${target.model}`, 'low', photo))).toBeUndefined();
    },
  );

  it('fails retryably when the blob is missing, without calling the API', async () => {
    const { error, outputs } = await run(stage(), { ...photo, blob_key: 'absent', sha256: 'f'.repeat(64) });
    expect(error?.code).toBe('MEDIA_AI_BLOB_MISSING');
    expect(error?.retryable).toBe(true);
    expect(published(outputs).error_code).toBe('MEDIA_AI_BLOB_MISSING');
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

  it('makes no call at all for a tenant that does not allow third-party AI, and publishes a failed part at once', async () => {
    const events: LlmPhotoEvent[] = [];
    const { outputs, error } = await run(stage({ onPhoto: (e) => events.push(e) }), { ...photo, third_party_ai: false });
    expect(error).toBeUndefined();
    expect(published(outputs)).toMatchObject({ status: 'failed', error_code: 'MEDIA_AI_LLM_NOT_PERMITTED', category: null });
    expect(blobs.gets).toBe(0);
    if (standIn) expect(standIn.requests).toHaveLength(0);
    expect(events).toEqual([expect.objectContaining({ outcome: 'not_permitted', usage: null, errorCode: 'MEDIA_AI_LLM_NOT_PERMITTED' })]);
  });

  it('describes a photo whose record says nothing about third-party AI (written before the flag existed)', async () => {
    const { third_party_ai: _absent, ...v1Photo } = { ...photo, third_party_ai: true };
    const { error, outputs } = await run(stage(), v1Photo);
    expect(error).toBeUndefined();
    expect(published(outputs).status).toBe('ok');
  });

  it('reports each handled photo with its usage', async () => {
    const events: LlmPhotoEvent[] = [];
    const llm = stage({ onPhoto: (e) => events.push(e) });
    await run(llm, photo);
    await run(llm, { ...photo, photo_id: 'photo-2' });
    expect(events.map((e) => e.outcome)).toEqual(['described', 'cached']);
    expect(events[0]).toMatchObject({ postId: 'post-1', revision: 1, photoId: 'photo-1', errorCode: null });
    expect(events[0]!.usage?.requests).toBe(1);
    expect(events[1]!.usage).toBeNull();
  });
});

describe.skipIf(USING_REAL_OPENAI)('llm stage circuit breaker', () => {
  it('after repeated failures publishes failed parts at once, without reading the photo or calling the API, then tries again after the cool-down', async () => {
    let clock = 1_000;
    const breaker = new CircuitBreaker({ threshold: 2, cooldownMs: 30_000, now: () => clock });
    const events: LlmPhotoEvent[] = [];
    const llm = stage({ breaker, describer: describer({ maxRetries: 0 }), onPhoto: (e) => events.push(e), now: () => clock });
    standIn.enqueue({ kind: 'server-error', status: 503 }, { kind: 'server-error', status: 503 });

    const first = await run(llm, photo);
    const second = await run(llm, { ...photo, photo_id: 'photo-2' });
    expect([first.error?.code, second.error?.code]).toEqual(['MEDIA_AI_LLM_UNAVAILABLE', 'MEDIA_AI_LLM_UNAVAILABLE']);
    expect(breaker.state).toBe('open');

    const gets = blobs.gets;
    const third = await run(llm, { ...photo, photo_id: 'photo-3' });
    expect(third.error).toBeUndefined();
    expect(published(third.outputs)).toMatchObject({ status: 'failed', error_code: 'MEDIA_AI_LLM_CIRCUIT_OPEN', photo_id: 'photo-3' });
    expect(blobs.gets).toBe(gets);
    expect(standIn.requests).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ outcome: 'circuit_open', errorCode: 'MEDIA_AI_LLM_CIRCUIT_OPEN' });

    clock += 30_000;
    const trial = await run(llm, { ...photo, photo_id: 'photo-4' });
    expect(published(trial.outputs).status).toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('counts an unusable answer as the API being up', async () => {
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 30_000 });
    standIn.enqueue({ kind: 'refusal' }, { kind: 'refusal' });
    const { error } = await run(stage({ breaker }), photo);
    expect(error?.code).toBe('MEDIA_AI_LLM_REFUSED');
    expect(breaker.state).toBe('closed');
  });
});

describe('llmStageEnabled', () => {
  it('needs a non-blank API key or an OpenAI-compatible base URL', () => {
    expect(llmStageEnabled({ apiKey: 'sk-123' })).toBe(true);
    expect(llmStageEnabled({ baseUrl: 'http://127.0.0.1:11434/v1' })).toBe(true);
    expect(llmStageEnabled({ apiKey: '  ' })).toBe(false);
    expect(llmStageEnabled({ apiKey: null })).toBe(false);
    expect(llmStageEnabled({})).toBe(false);
    expect(llmStageEnabled({ enabled: false, apiKey: 'sk-123' })).toBe(false);
  });
});
