import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { failureOf } from '@media-ai/contracts/test-support';
import { ITEM_CATEGORIES, ITEM_COLORS } from './item-description.js';
import { RateLimiter } from './rate-limiter.js';
import { VisionDescriber, visionDescriberOptions, type ApiRequestEvent, type VisionDescriberOptions } from './vision-client.js';
import { VALID_ANSWER, type OpenAiStandIn } from './test-support/openai-stand-in.js';
import { normalizedJpeg, SHARED_PHOTOS } from './test-support/fixtures.js';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiTarget } from './test-support/openai-target.js';

const context = { title: 'Lost: black iPhone', description: 'Left on a bench near the fountain.', postType: 'lost' };

let target: OpenAiTarget;
let standIn: OpenAiStandIn;
let jpeg: Buffer;

function describer(overrides: Partial<VisionDescriberOptions> = {}): VisionDescriber {
  return new VisionDescriber({
    apiKey: target.apiKey,
    model: target.model,
    baseURL: target.baseURL,
    timeoutMs: 30_000,
    maxRetries: 2,
    retryDelayMs: 5,
    maxTokens: 400,
    temperature: 0.1,
    imageDetail: 'low',
    // Generous: the limiter's own tests are elsewhere; here it must not slow the scenarios down.
    maxRequestsPerMinute: 100_000,
    maxTokensPerMinute: 100_000_000,
    random: () => 0.5,
    ...overrides,
  });
}

beforeAll(async () => {
  target = await openAiTarget();
  standIn = target.standIn!;
  jpeg = await normalizedJpeg('phone_lockscreen_in_hand.jpg');
});
afterAll(() => target.close());
beforeEach(() => standIn?.reset());

describe('VisionDescriber', () => {
  it('describes a photo with an answer that fits the taxonomy', async () => {
    const { answer, usage } = await describer().describe({ jpeg, context });
    expect(ITEM_CATEGORIES).toContain(answer.category);
    for (const color of answer.colors) expect(ITEM_COLORS).toContain(color);
    expect(answer.description.length).toBeLessThan(300);
    for (const value of Object.values(answer.confidence)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(usage.requests).toBe(1);
    expect(usage.promptTokens).toBeGreaterThan(0);
  });

  it.skipIf(USING_REAL_OPENAI)('sends the key, model, limits, image detail and a strict schema', async () => {
    const { answer } = await describer().describe({ jpeg, context });
    expect(answer).toEqual(VALID_ANSWER);
    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request!.violations).toEqual([]);
    expect(request!.headers.authorization).toBe(`Bearer ${target.apiKey}`);
    const body = request!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: target.model, max_tokens: 400, temperature: 0.1, n: 1 });
    expect(JSON.stringify(body.messages)).toContain('"detail":"low"');
    const format = body.response_format as {
      json_schema: { strict: boolean; schema: { properties: Record<string, { enum?: string[] }> } };
    };
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.properties.category!.enum).toEqual([...ITEM_CATEGORIES]);
    expect(Object.keys(format.json_schema.schema.properties)).toEqual(
      expect.arrayContaining(['condition', 'visible_text', 'scene', 'confidence', 'distinguishing_marks', 'material']),
    );
    // The SDK's own retries are off: they would bypass the rate limiter.
    expect(request!.headers['x-stainless-retry-count']).toBe('0');
  });

  it.skipIf(USING_REAL_OPENAI)('reports each request with the usage the server returned and its estimated cost', async () => {
    const events: ApiRequestEvent[] = [];
    const d = describer({ onRequest: (e) => events.push(e) });
    const { usage } = await d.describe({ jpeg, context });
    const served = standIn.requests[0]!.usage!;
    expect(usage).toMatchObject({ requests: 1, promptTokens: served.prompt_tokens, completionTokens: served.completion_tokens });
    // gpt-4o-mini: $0.15 / $0.60 per million tokens.
    const expected = (served.prompt_tokens * 0.15 + served.completion_tokens * 0.6) / 1e6;
    expect(usage.costUsd).toBeCloseTo(expected, 12);
    expect(events).toEqual([
      expect.objectContaining({
        status: 'ok',
        model: target.model,
        promptTokens: served.prompt_tokens,
        completionTokens: served.completion_tokens,
      }),
    ]);
    expect(events[0]!.costUsd).toBeCloseTo(expected, 12);
  });

  it.skipIf(USING_REAL_OPENAI)('tidies a valid answer: empty strings become null, text is clipped, duplicates go', async () => {
    standIn.enqueue({
      kind: 'answer',
      answer: { ...VALID_ANSWER, brand: '  ', colors: ['black', 'black', 'blue'], description: 'word '.repeat(100) },
    });
    const { answer } = await describer().describe({ jpeg, context });
    expect(answer.brand).toBeNull();
    expect(answer.colors).toEqual(['black', 'blue']);
    expect(answer.description.length).toBeLessThan(300);
    expect(answer.description.endsWith('…')).toBe(true);
  });

  it.skipIf(USING_REAL_OPENAI)('redacts personal data the model read off the photo, in every free-text field', async () => {
    standIn.enqueue({
      kind: 'answer',
      answer: {
        ...VALID_ANSWER,
        distinguishing_marks: ['sticker: call 212-555-0199', 'engraved initials'],
        visible_text: ['jane.doe@example.com', 'IMEI 356938035643809', 'Apple'],
        description: 'A black phone; the lock screen shows jane.doe@example.com.',
      },
    });
    const { answer, redactedKinds } = await describer().describe({ jpeg, context });
    const text = JSON.stringify(answer);
    for (const secret of ['555-0199', 'jane.doe', '356938035643809']) expect(text).not.toContain(secret);
    expect(answer.visible_text).toEqual(['IMEI [IMEI]', 'Apple']);
    expect(answer.distinguishing_marks).toEqual(['sticker: call [PHONE]', 'engraved initials']);
    expect(redactedKinds).toEqual(['email', 'imei', 'phone']);
  });

  describe.skipIf(USING_REAL_OPENAI)('an unusable answer is asked for once more, then reported with a code', () => {
    it.each([
      ['text instead of JSON', { kind: 'malformed' as const }, 'MEDIA_AI_LLM_BAD_ANSWER', 'not JSON'],
      ['JSON cut off by max_tokens', { kind: 'truncated' as const }, 'MEDIA_AI_LLM_BAD_ANSWER', 'finish_reason=length'],
      ['a refusal', { kind: 'refusal' as const }, 'MEDIA_AI_LLM_REFUSED', 'refused'],
      [
        'a refusal in prose',
        { kind: 'malformed' as const, content: "I'm sorry, but I can't help with identifying this." },
        'MEDIA_AI_LLM_REFUSED',
        'refused',
      ],
      [
        'a category outside the taxonomy',
        { kind: 'answer' as const, answer: { ...VALID_ANSWER, category: 'smartphone' } },
        'MEDIA_AI_LLM_BAD_ANSWER',
        'category',
      ],
      [
        'a confidence above 1',
        { kind: 'answer' as const, answer: { ...VALID_ANSWER, confidence: { ...VALID_ANSWER.confidence, brand: 1.7 } } },
        'MEDIA_AI_LLM_BAD_ANSWER',
        'confidence.brand',
      ],
      ['a missing field', { kind: 'answer' as const, answer: { ...VALID_ANSWER, scene: undefined } }, 'MEDIA_AI_LLM_BAD_ANSWER', 'scene'],
    ])('%s', async (_name, reply, code, reason) => {
      standIn.enqueue(reply, reply);
      const events: ApiRequestEvent[] = [];
      const error = await failureOf(describer({ onRequest: (e) => events.push(e) }).describe({ jpeg, context }));
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(reason);
      expect(standIn.requests).toHaveLength(2);
      // Both requests were paid for: the error carries what the photo cost.
      expect(error.details).toMatchObject({ requests: 2 });
      expect(error.details.prompt_tokens).toBe(standIn.requests.reduce((sum, r) => sum + r.usage!.prompt_tokens, 0));
      expect(events.map((e) => e.status)).toEqual(
        code === 'MEDIA_AI_LLM_REFUSED' ? ['refused', 'refused'] : ['invalid_answer', 'invalid_answer'],
      );
    });

    it('uses the second answer when it is good', async () => {
      standIn.enqueue({ kind: 'malformed' }, { kind: 'answer', answer: VALID_ANSWER });
      const { answer, usage } = await describer().describe({ jpeg, context });
      expect(answer.category).toBe('phone');
      expect(usage.requests).toBe(2);
    });
  });

  describe.skipIf(USING_REAL_OPENAI)('unavailability is retried, then retryable (MEDIA_AI_LLM_UNAVAILABLE)', () => {
    it('waits out a 429 for its Retry-After, then succeeds', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 150 }, { kind: 'answer', answer: VALID_ANSWER });
      const events: ApiRequestEvent[] = [];
      const { answer } = await describer({ maxRetries: 2, onRequest: (e) => events.push(e) }).describe({ jpeg, context });
      expect(answer.category).toBe('phone');
      expect(standIn.requests.map((r) => r.answeredWith)).toEqual(['rate-limit', 'answer']);
      // Counted on arrival at the server: the retry came no earlier than the server asked.
      expect(standIn.requests[1]!.receivedAt - standIn.requests[0]!.receivedAt).toBeGreaterThanOrEqual(145);
      expect(events.map((e) => e.status)).toEqual(['rate_limited', 'ok']);
    });

    it('backs off exponentially when the server gives no Retry-After', async () => {
      standIn.enqueue(
        { kind: 'server-error', status: 502 },
        { kind: 'server-error', status: 503 },
        { kind: 'answer', answer: VALID_ANSWER },
      );
      const { usage } = await describer({ maxRetries: 2, retryDelayMs: 40, random: () => 0 }).describe({ jpeg, context });
      expect(usage.requests).toBe(3);
      const [a, b, c] = standIn.requests.map((r) => r.receivedAt);
      // Equal jitter with random 0: half of each step, 20 ms then 40 ms.
      expect(b! - a!).toBeGreaterThanOrEqual(18);
      expect(c! - b!).toBeGreaterThanOrEqual(38);
    });

    it('gives up after OPENAI_MAX_RETRIES with the status and API code in the details', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 10 }, { kind: 'rate-limit', retryAfterMs: 10 });
      const error = await failureOf(describer({ maxRetries: 1 }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ status: 429, api_code: 'rate_limit_exceeded', requests: 2 });
      expect(standIn.requests).toHaveLength(2);
    });

    it('does not hold a photo for a Retry-After longer than it is willing to wait', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 120_000 });
      const error = await failureOf(describer({ maxRetries: 3, maxRetryAfterMs: 1_000 }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(standIn.requests).toHaveLength(1);
    });

    it('maps a 500 after retries', async () => {
      standIn.enqueue({ kind: 'server-error', status: 500 });
      const error = await failureOf(describer({ maxRetries: 0 }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ status: 500, api_type: 'server_error' });
    });

    it('maps a timeout (OPENAI_REQUEST_TIMEOUT per attempt) and retries it', async () => {
      const slow = { kind: 'slow' as const, delayMs: 2_000, then: { kind: 'answer' as const, answer: VALID_ANSWER } };
      standIn.enqueue(slow, slow);
      const events: ApiRequestEvent[] = [];
      const error = await failureOf(
        describer({ maxRetries: 1, timeoutMs: 200, onRequest: (e) => events.push(e) }).describe({ jpeg, context }),
      );
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'timeout', requests: 2 });
      expect(events.map((e) => e.status)).toEqual(['timeout', 'timeout']);
    });

    it('maps a refused connection', async () => {
      const closed = describer({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
      const error = await failureOf(closed.describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'connection' });
    });

    it('treats a rejected key as the deployment’s problem, not the photo’s, and does not retry it', async () => {
      const error = await failureOf(describer({ apiKey: 'sk-wrong' }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ status: 401, api_code: 'invalid_api_key' });
      expect(standIn.requests).toHaveLength(1);
    });

    it('maps our own abort (stage stopping) to a retryable failure, also while backing off', async () => {
      standIn.enqueue({ kind: 'slow', delayMs: 2_000, then: { kind: 'answer', answer: VALID_ANSWER } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await failureOf(describer().describe({ jpeg, context }, { signal: controller.signal }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'aborted' });

      standIn.enqueue({ kind: 'server-error', status: 503 });
      const backingOff = new AbortController();
      const pending = failureOf(describer({ retryDelayMs: 60_000 }).describe({ jpeg, context }, { signal: backingOff.signal }));
      setTimeout(() => backingOff.abort(), 100);
      expect((await pending).details).toMatchObject({ reason: 'aborted' });
    });
  });

  describe.skipIf(USING_REAL_OPENAI)('the rate limiter', () => {
    it('charges every request, retries included, and corrects the estimate from the usage', async () => {
      const limiter = new RateLimiter({ requestsPerWindow: 600, tokensPerWindow: 6_000_000, windowMs: 60_000 });
      const d = describer({ limiter });
      expect(d.limiter).toBe(limiter);
      standIn.enqueue({ kind: 'server-error', status: 500 }, { kind: 'answer', answer: VALID_ANSWER });
      await d.describe({ jpeg, context });
      expect(standIn.requests).toHaveLength(2);
      expect(limiter.waiting).toBe(0);
    });
  });

  describe.skipIf(USING_REAL_OPENAI)('privacy', () => {
    it('sends the photo without its EXIF (GPS) even when the input still has it', async () => {
      const withExif = await readFile(`${SHARED_PHOTOS}exif_rotated_landscape_6.jpg`);
      expect((await sharp(withExif).metadata()).exif).toBeDefined();
      await describer().describe({ jpeg: withExif, context });
      const [request] = standIn.requests;
      expect(request!.violations).toEqual([]);
      expect(request!.images).toHaveLength(1);
      expect((await sharp(request!.images[0]!).metadata()).exif).toBeUndefined();
    });

    it('sends at most 1024 px at high detail and 512 px at low detail', async () => {
      // A fetcher configured with AI_MAX_IMAGE_SIZE above 1024 stores bigger photos than may leave.
      const big = await sharp(jpeg).resize({ width: 2000 }).jpeg().toBuffer();
      expect((await sharp(big).metadata()).width).toBe(2000);
      await describer({ imageDetail: 'high' }).describe({ jpeg: big, context });
      await describer({ imageDetail: 'low' }).describe({ jpeg: big, context });
      const [high, low] = await Promise.all(standIn.requests.map((r) => sharp(r.images[0]!).metadata()));
      expect(Math.max(high!.width!, high!.height!)).toBe(1024);
      expect(Math.max(low!.width!, low!.height!)).toBe(512);
      expect(standIn.requests.every((r) => r.violations.length === 0)).toBe(true);
    });

    it('redacts contact details from the post text before sending it', async () => {
      await describer().describe({
        jpeg,
        context: {
          title: 'Lost wallet, mail jane.doe@example.com',
          description: 'Brown leather wallet. Call +1 (415) 555-0134 or see https://example.com/jane. Card 4111 1111 1111 1111.',
          postType: 'lost',
        },
      });
      const [request] = standIn.requests;
      expect(request!.violations).toEqual([]);
      expect(request!.promptText).not.toContain('jane');
      expect(request!.promptText).not.toContain('555');
      expect(request!.promptText).not.toContain('4111');
      expect(request!.promptText).toContain('Brown leather wallet');
      expect(request!.promptText).toContain('[email]');
    });

    it('refuses to send anything that is not a JPEG', async () => {
      const png = await sharp(jpeg).png().toBuffer();
      const error = await failureOf(describer().describe({ jpeg: png, context }));
      expect(error.code).toBe('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE');
      expect(standIn.requests).toHaveLength(0);
    });
  });
});

describe('visionDescriberOptions', () => {
  it('maps the config settings, price overrides included', () => {
    const options = visionDescriberOptions({
      apiKey: 'sk-1',
      model: 'gpt-4o-mini',
      baseUrl: 'http://127.0.0.1:1/v1',
      requestTimeoutMs: 60_000,
      maxRetries: 3,
      retryDelayMs: 1000,
      maxTokens: 1000,
      temperature: 0.1,
      imageDetail: 'low',
      maxRequestsPerMinute: 100,
      maxTokensPerMinute: 50_000,
      responseFormat: 'json_object',
      inputCostPerMillionTokens: 0,
    });
    expect(options).toMatchObject({
      apiKey: 'sk-1',
      model: 'gpt-4o-mini',
      baseURL: 'http://127.0.0.1:1/v1',
      timeoutMs: 60_000,
      maxRetries: 3,
      retryDelayMs: 1000,
      maxTokens: 1000,
      temperature: 0.1,
      imageDetail: 'low',
      responseFormat: 'json_object',
      maxRequestsPerMinute: 100,
      maxTokensPerMinute: 50_000,
      price: { inputCostPerMillionTokens: 0 },
    });
  });

  it('is why VisionDescriber refuses to exist without a key or a base URL', () => {
    const base = { model: 'm', timeoutMs: 1, maxRetries: 0, retryDelayMs: 0, maxTokens: 1, temperature: 0, imageDetail: 'low' as const };
    expect(() => new VisionDescriber({ ...base, apiKey: '' })).toThrow(/API key or an OpenAI-compatible base URL/);
    expect(() => new VisionDescriber({ ...base, baseURL: 'http://127.0.0.1:11434/v1' })).not.toThrow();
  });

  it('knows the price of OpenAI models and admits when it does not', () => {
    const base = { apiKey: 'k', timeoutMs: 1, maxRetries: 0, retryDelayMs: 0, maxTokens: 1, temperature: 0, imageDetail: 'low' as const };
    expect(new VisionDescriber({ ...base, model: 'gpt-4o-mini-2024-07-18' }).price).toEqual({ input: 0.15, output: 0.6 });
    expect(new VisionDescriber({ ...base, model: 'llava:13b' }).price).toBeNull();
    expect(
      new VisionDescriber({ ...base, model: 'llava:13b', price: { inputCostPerMillionTokens: 0, outputCostPerMillionTokens: 0 } }).price,
    ).toEqual({ input: 0, output: 0 });
  });
});
