import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ITEM_CATEGORIES, ITEM_COLORS } from './item-description.js';
import { VisionDescriber, type VisionDescriberOptions } from './vision-client.js';
import { VALID_ANSWER, type OpenAiStandIn } from './test-support/openai-stand-in.js';
import { normalizedJpeg, SHARED_PHOTOS } from './test-support/fixtures.js';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiTarget } from './test-support/openai-target.js';
import { failureOf } from '@media-ai/contracts/testing';

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
    maxTokens: 400,
    temperature: 0.1,
    imageDetail: 'low',
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
    const answer = await describer().describe({ jpeg, context });
    expect(ITEM_CATEGORIES).toContain(answer.category);
    for (const color of answer.colors) expect(ITEM_COLORS).toContain(color);
    expect(answer.description.length).toBeLessThan(300);
    expect(answer.confidence).toBeGreaterThanOrEqual(0);
    expect(answer.confidence).toBeLessThanOrEqual(1);
  });

  it.skipIf(USING_REAL_OPENAI)('sends the key, model, limits, image detail and a strict schema', async () => {
    const answer = await describer().describe({ jpeg, context });
    expect(answer).toEqual(VALID_ANSWER);
    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request!.violations).toEqual([]);
    expect(request!.headers.authorization).toBe(`Bearer ${target.apiKey}`);
    const body = request!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: target.model, max_tokens: 400, temperature: 0.1, n: 1 });
    expect(JSON.stringify(body.messages)).toContain('"detail":"low"');
    const format = body.response_format as { json_schema: { strict: boolean; schema: { properties: Record<string, { enum?: string[] }> } } };
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.properties.category!.enum).toEqual([...ITEM_CATEGORIES]);
  });

  it.skipIf(USING_REAL_OPENAI)('tidies a valid answer: empty strings become null, text is clipped, duplicates go', async () => {
    standIn.enqueue({
      kind: 'answer',
      answer: { ...VALID_ANSWER, brand: '  ', colors: ['black', 'black', 'blue'], description: 'word '.repeat(100) },
    });
    const answer = await describer().describe({ jpeg, context });
    expect(answer.brand).toBeNull();
    expect(answer.colors).toEqual(['black', 'blue']);
    expect(answer.description.length).toBeLessThan(300);
    expect(answer.description.endsWith('…')).toBe(true);
  });

  describe.skipIf(USING_REAL_OPENAI)('unusable answers are permanent failures (MEDIA_AI_LLM_BAD_ANSWER)', () => {
    it.each([
      ['text instead of JSON', { kind: 'malformed' as const }, 'not JSON'],
      ['JSON cut off by max_tokens', { kind: 'truncated' as const }, 'finish_reason=length'],
      ['a refusal', { kind: 'refusal' as const }, 'refused'],
      ['a category outside the taxonomy', { kind: 'answer' as const, answer: { ...VALID_ANSWER, category: 'smartphone' } }, 'category'],
      ['a confidence above 1', { kind: 'answer' as const, answer: { ...VALID_ANSWER, confidence: 1.7 } }, 'confidence'],
      ['a missing field', { kind: 'answer' as const, answer: { ...VALID_ANSWER, colors: undefined } }, 'colors'],
    ])('%s', async (_name, reply, reason) => {
      standIn.enqueue(reply);
      const error = await failureOf(describer().describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_BAD_ANSWER');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(reason);
      // A bad answer is not retried by the SDK: the same request would get the same answer.
      expect(standIn.requests).toHaveLength(1);
    });
  });

  describe.skipIf(USING_REAL_OPENAI)('unavailability is retryable (MEDIA_AI_LLM_UNAVAILABLE)', () => {
    it('retries a 429 inside the SDK, honouring retry-after-ms, then succeeds', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 30 }, { kind: 'answer', answer: VALID_ANSWER });
      const answer = await describer({ maxRetries: 2 }).describe({ jpeg, context });
      expect(answer.category).toBe('phone');
      expect(standIn.requests.map((r) => r.answeredWith)).toEqual(['rate-limit', 'answer']);
    });

    it('gives up on a persistent 429 with the status and API code in the details', async () => {
      standIn.enqueue({ kind: 'rate-limit', retryAfterMs: 10 }, { kind: 'rate-limit', retryAfterMs: 10 });
      const error = await failureOf(describer({ maxRetries: 1 }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ status: 429, api_code: 'rate_limit_exceeded' });
      expect(standIn.requests).toHaveLength(2);
    });

    it('maps a 500 after retries', async () => {
      standIn.enqueue({ kind: 'server-error', status: 500 });
      const error = await failureOf(describer({ maxRetries: 0 }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ status: 500, api_type: 'server_error' });
    });

    it('maps a timeout', async () => {
      standIn.enqueue({ kind: 'slow', delayMs: 2_000, then: { kind: 'answer', answer: VALID_ANSWER } });
      const error = await failureOf(describer({ maxRetries: 0, timeoutMs: 200 }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'timeout' });
    });

    it('maps a refused connection', async () => {
      const closed = describer({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
      const error = await failureOf(closed.describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'connection' });
    });

    it('treats a rejected key as the deployment’s problem, not the photo’s', async () => {
      const error = await failureOf(describer({ apiKey: 'sk-wrong' }).describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ status: 401, api_code: 'invalid_api_key' });
    });

    it('maps our own abort (stage stopping) to a retryable failure', async () => {
      standIn.enqueue({ kind: 'slow', delayMs: 2_000, then: { kind: 'answer', answer: VALID_ANSWER } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await failureOf(describer().describe({ jpeg, context }, { signal: controller.signal }));
      expect(error.code).toBe('MEDIA_AI_LLM_UNAVAILABLE');
      expect(error.details).toMatchObject({ reason: 'aborted' });
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
