import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import { failureOf } from '@media-ai/contracts/test-support';
import type { AnswerCheck } from './answer-reader.js';
import { RateLimiter } from './rate-limiter.js';
import {
  callUsageOf,
  OpenAiVisionClient,
  visionClientOptions,
  type ApiRequestEvent,
  type ImageQuestion,
  type OpenAiVisionClientOptions,
} from './vision-client.js';
import type { OpenAiStandIn } from './test-support/openai-stand-in.js';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiTarget } from './test-support/openai-target.js';

// A question of the client's own tests: any caller's schema works the same way.
const labelSchema = z.object({
  label: z.string().describe('The main object in the photo, in one or two words'),
  confidence: z.number().min(0).max(1),
});
type Label = z.infer<typeof labelSchema>;
const SCHEMA = zodResponseFormat(labelSchema, 'image_label');
const LABEL: Label = { label: 'orange square', confidence: 0.9 };
// The schema as the instructions carry it when the server takes no json_schema ($schema is a URL, and URLs never leave).
const { $schema: _url, ...SCHEMA_IN_PROMPT } = SCHEMA.json_schema.schema ?? {};

function checkLabel(value: unknown): AnswerCheck<Label> {
  const parsed = labelSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: parsed.error.issues[0]?.path.join('.') || 'answer' };
}

let target: OpenAiTarget;
let standIn: OpenAiStandIn;
let image: { jpeg: Buffer; width: number; height: number };
const instructionsAsked: boolean[] = [];

function question(): ImageQuestion<Label> {
  return {
    instructions: ({ schemaInPrompt }) => {
      instructionsAsked.push(schemaInPrompt);
      const ask = 'Name the main object in the photo and how sure you are.';
      return schemaInPrompt ? `${ask} Answer with one JSON object matching ${JSON.stringify(SCHEMA_IN_PROMPT)}` : ask;
    },
    text: 'What is this?',
    image,
    schema: SCHEMA,
    check: checkLabel,
  };
}

function client(overrides: Partial<OpenAiVisionClientOptions> = {}): OpenAiVisionClient {
  return new OpenAiVisionClient({
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
  target = await openAiTarget({ fallback: { kind: 'answer', answer: LABEL } });
  standIn = target.standIn!;
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 240, g: 130, b: 20 } } })
    .jpeg()
    .toBuffer();
  image = { jpeg, width: 320, height: 240 };
});
afterAll(() => target.close());
beforeEach(() => {
  standIn?.reset();
  instructionsAsked.length = 0;
});

describe('OpenAiVisionClient', () => {
  it('asks about an image and returns the answer the check accepted', async () => {
    const { answer, usage } = await client().ask(question());
    expect(typeof answer.label).toBe('string');
    expect(answer.confidence).toBeGreaterThanOrEqual(0);
    expect(answer.confidence).toBeLessThanOrEqual(1);
    expect(usage.requests).toBe(1);
    expect(usage.promptTokens).toBeGreaterThan(0);
  });

  it.skipIf(USING_REAL_OPENAI)(
    'sends the key, model, limits, image detail, the strict schema and exactly the given image and text',
    async () => {
      const { answer } = await client().ask(question());
      expect(answer).toEqual(LABEL);
      expect(standIn.requests).toHaveLength(1);
      const [request] = standIn.requests;
      expect(request!.violations).toEqual([]);
      expect(request!.headers.authorization).toBe(`Bearer ${target.apiKey}`);
      const body = request!.body as { messages: Array<{ role: string; content: unknown }>; response_format: unknown };
      expect(body).toMatchObject({ model: target.model, max_tokens: 400, temperature: 0.1, n: 1 });
      expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(body.messages[0]!.content).toBe('Name the main object in the photo and how sure you are.');
      expect(JSON.stringify(body.messages[1]!.content)).toContain('"detail":"low"');
      expect(request!.promptText).toContain('What is this?');
      expect(request!.images).toEqual([image.jpeg]);
      expect(body.response_format).toEqual(JSON.parse(JSON.stringify(SCHEMA)));
      expect(instructionsAsked).toEqual([false]);
      // The SDK's own retries are off: they would bypass the rate limiter.
      expect(request!.headers['x-stainless-retry-count']).toBe('0');
    },
  );

  it.skipIf(USING_REAL_OPENAI)('reports each request with the usage the server returned and its estimated cost', async () => {
    const events: ApiRequestEvent[] = [];
    const c = client({ onRequest: (e) => events.push(e) });
    const { usage } = await c.ask(question());
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
        'JSON the check rejects',
        { kind: 'answer' as const, answer: { ...LABEL, confidence: 1.7 } },
        'MEDIA_AI_LLM_BAD_ANSWER',
        'confidence',
      ],
    ])('%s', async (_name, reply, code, reason) => {
      standIn.enqueue(reply, reply);
      const events: ApiRequestEvent[] = [];
      const error = await failureOf(client({ onRequest: (e) => events.push(e) }).ask(question()));
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(reason);
      expect(standIn.requests).toHaveLength(2);
      // Both requests were paid for: the error carries what the question cost.
      const usage = callUsageOf(error);
      expect(usage).toMatchObject({
        requests: 2,
        completionTokens: standIn.requests.reduce((sum, r) => sum + r.usage!.completion_tokens, 0),
      });
      expect(usage!.promptTokens).toBe(standIn.requests.reduce((sum, r) => sum + r.usage!.prompt_tokens, 0));
      expect(usage!.costUsd).toBeGreaterThan(0);
      expect(events.map((e) => e.status)).toEqual(
        code === 'MEDIA_AI_LLM_REFUSED' ? ['refused', 'refused'] : ['invalid_answer', 'invalid_answer'],
      );
    });

    it('uses the second answer when it is good', async () => {
      standIn.enqueue({ kind: 'malformed' }, { kind: 'answer', answer: LABEL });
      const { answer, usage } = await client().ask(question());
      expect(answer).toEqual(LABEL);
      expect(usage.requests).toBe(2);
    });
  });

  describe.skipIf(USING_REAL_OPENAI)('unavailability is retried, then retryable (MEDIA_AI_LLM_UNAVAILABLE)', () => {
    it('waits out a 429 for its Retry-After, then succeeds', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 150 }, { kind: 'answer', answer: LABEL });
      const events: ApiRequestEvent[] = [];
      const { answer } = await client({ maxRetries: 2, onRequest: (e) => events.push(e) }).ask(question());
      expect(answer).toEqual(LABEL);
      expect(standIn.requests.map((r) => r.answeredWith)).toEqual(['rate-limit', 'answer']);
      // Counted on arrival at the server: the retry came no earlier than the server asked.
      expect(standIn.requests[1]!.receivedAt - standIn.requests[0]!.receivedAt).toBeGreaterThanOrEqual(145);
      expect(events.map((e) => e.status)).toEqual(['rate_limited', 'ok']);
    });

    it('backs off exponentially when the server gives no Retry-After', async () => {
      standIn.enqueue({ kind: 'server-error', status: 502 }, { kind: 'server-error', status: 503 }, { kind: 'answer', answer: LABEL });
      const { usage } = await client({ maxRetries: 2, retryDelayMs: 40, random: () => 0.5 }).ask(question());
      expect(usage.requests).toBe(3);
      const [a, b, c] = standIn.requests.map((r) => r.receivedAt);
      // Full jitter (@media-ai/retry) with random 0.5: half of each ceiling, 40 ms then 80 ms: 20 ms then 40 ms.
      expect(b! - a!).toBeGreaterThanOrEqual(18);
      expect(c! - b!).toBeGreaterThanOrEqual(38);
    });

    it('is rate-limited through a spell of 429s, whatever is scripted, and answers again once it ends', async () => {
      standIn.enqueue({ kind: 'answer', answer: LABEL });
      standIn.answerEveryRequestWith({ kind: 'rate-limit', retryAfterMs: 10 });
      const error = await failureOf(client({ maxRetries: 1 }).ask(question()));
      expect(error.details).toMatchObject({ status: 429, requests: 2 });
      standIn.answerEveryRequestWith(null);
      // The scripted answer waited for the spell to end.
      expect((await client().ask(question())).answer).toEqual(LABEL);
      expect(standIn.requests.map((r) => r.answeredWith)).toEqual(['rate-limit', 'rate-limit', 'answer']);
    });

    it('gives up after OPENAI_MAX_RETRIES with the status and API code in the details', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 10 }, { kind: 'rate-limit', retryAfterMs: 10 });
      const error = await failureOf(client({ maxRetries: 1 }).ask(question()));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ status: 429, api_code: 'rate_limit_exceeded', requests: 2 });
      expect(callUsageOf(error)).toEqual({ requests: 2, promptTokens: 0, completionTokens: 0, costUsd: 0 });
      expect(standIn.requests).toHaveLength(2);
    });

    it('does not hold a call for a Retry-After longer than it is willing to wait', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 120_000 });
      const error = await failureOf(client({ maxRetries: 3, maxRetryAfterMs: 1_000 }).ask(question()));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(standIn.requests).toHaveLength(1);
    });

    it('maps a 500 after retries', async () => {
      standIn.enqueue({ kind: 'server-error', status: 500 });
      const error = await failureOf(client({ maxRetries: 0 }).ask(question()));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ status: 500, api_type: 'server_error' });
    });

    it('maps a timeout (OPENAI_REQUEST_TIMEOUT per attempt) and retries it', async () => {
      const slow = { kind: 'slow' as const, delayMs: 2_000, then: { kind: 'answer' as const, answer: LABEL } };
      standIn.enqueue(slow, slow);
      const events: ApiRequestEvent[] = [];
      const error = await failureOf(client({ maxRetries: 1, timeoutMs: 200, onRequest: (e) => events.push(e) }).ask(question()));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'timeout', requests: 2 });
      expect(events.map((e) => e.status)).toEqual(['timeout', 'timeout']);
    });

    it('maps a refused connection', async () => {
      const closed = client({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
      const error = await failureOf(closed.ask(question()));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'connection' });
    });

    it('treats a rejected key as the deployment’s problem, not the photo’s, and does not retry it', async () => {
      const error = await failureOf(client({ apiKey: 'sk-wrong' }).ask(question()));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ status: 401, api_code: 'invalid_api_key' });
      expect(standIn.requests).toHaveLength(1);
    });

    it('maps our own abort (stage stopping) to a retryable failure, also while backing off', async () => {
      standIn.enqueue({ kind: 'slow', delayMs: 2_000, then: { kind: 'answer', answer: LABEL } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await failureOf(client().ask(question(), { signal: controller.signal }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'aborted' });

      standIn.enqueue({ kind: 'server-error', status: 503 });
      const backingOff = new AbortController();
      const started = Date.now();
      const pending = failureOf(client({ retryDelayMs: 60_000 }).ask(question(), { signal: backingOff.signal }));
      setTimeout(() => backingOff.abort(), 100);
      expect((await pending).details).toMatchObject({ reason: 'aborted' });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  it.skipIf(USING_REAL_OPENAI)('leaves no listener on a long-lived signal (the stage’s) after its requests and waits', async () => {
    const stage = new AbortController();
    const c = client();
    standIn.enqueue({ kind: 'server-error', status: 503 });
    for (let i = 0; i < 3; i++) await c.ask(question(), { signal: stage.signal });
    expect(standIn.requests).toHaveLength(4);
    expect(getEventListeners(stage.signal, 'abort')).toHaveLength(0);
  });

  describe.skipIf(USING_REAL_OPENAI)('response formats', () => {
    it('steps down to JSON mode once on a server without json_schema, with the schema in the instructions from then on', async () => {
      const supportsNone = await openAiTarget({
        supportsJsonSchema: false,
        fallback: { kind: 'answer', answer: LABEL, wrap: 'fenced' },
      });
      try {
        const changes: string[] = [];
        const c = new OpenAiVisionClient({
          apiKey: supportsNone.apiKey,
          model: supportsNone.model,
          baseURL: supportsNone.baseURL,
          timeoutMs: 30_000,
          maxRetries: 0,
          retryDelayMs: 5,
          maxTokens: 400,
          temperature: 0.1,
          imageDetail: 'low',
          onResponseFormatChange: (mode) => changes.push(mode),
        });
        expect((await c.ask(question())).answer).toEqual(LABEL);
        expect((await c.ask(question())).answer).toEqual(LABEL);
        expect(supportsNone.standIn!.requests.map((r) => `${r.responseFormat}:${r.answeredWith}`)).toEqual([
          'json_schema:unsupported',
          'json_object:answer',
          'json_object:answer',
        ]);
        expect(instructionsAsked).toEqual([false, true, true]);
        expect(changes).toEqual(['json_object']);
        expect(c.responseFormatMode).toBe('json_object');
      } finally {
        await supportsNone.close();
      }
    });

    it('sends no response_format when configured for plain text, and reads the JSON around the prose', async () => {
      standIn.enqueue({ kind: 'answer', answer: LABEL, wrap: 'fenced' });
      const { answer } = await client({ responseFormat: 'text' }).ask(question());
      expect(answer).toEqual(LABEL);
      expect(standIn.requests.map((r) => r.responseFormat)).toEqual(['none']);
      expect(instructionsAsked).toEqual([true]);
    });
  });

  describe.skipIf(USING_REAL_OPENAI)('the rate limiter', () => {
    it('charges every request, retries included, and corrects the estimate from the usage', async () => {
      const limiter = new RateLimiter({ requestsPerWindow: 600, tokensPerWindow: 6_000_000, windowMs: 60_000 });
      const c = client({ limiter });
      expect(c.limiter).toBe(limiter);
      standIn.enqueue({ kind: 'server-error', status: 500 }, { kind: 'answer', answer: LABEL });
      await c.ask(question());
      expect(standIn.requests).toHaveLength(2);
      expect(limiter.waiting).toBe(0);
    });
  });
});

describe('visionClientOptions', () => {
  it('maps the config settings, price overrides included', () => {
    const options = visionClientOptions({
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

  it('is why the client refuses to exist without a key or a base URL', () => {
    const base = { model: 'm', timeoutMs: 1, maxRetries: 0, retryDelayMs: 0, maxTokens: 1, temperature: 0, imageDetail: 'low' as const };
    expect(() => new OpenAiVisionClient({ ...base, apiKey: '' })).toThrow(/API key or an OpenAI-compatible base URL/);
    expect(() => new OpenAiVisionClient({ ...base, baseURL: 'http://127.0.0.1:11434/v1' })).not.toThrow();
  });

  it('knows the price of OpenAI models and admits when it does not', () => {
    const base = { apiKey: 'k', timeoutMs: 1, maxRetries: 0, retryDelayMs: 0, maxTokens: 1, temperature: 0, imageDetail: 'low' as const };
    expect(new OpenAiVisionClient({ ...base, model: 'gpt-4o-mini-2024-07-18' }).price).toEqual({ input: 0.15, output: 0.6 });
    expect(new OpenAiVisionClient({ ...base, model: 'llava:13b' }).price).toBeNull();
    expect(
      new OpenAiVisionClient({ ...base, model: 'llava:13b', price: { inputCostPerMillionTokens: 0, outputCostPerMillionTokens: 0 } }).price,
    ).toEqual({ input: 0, output: 0 });
  });
});
