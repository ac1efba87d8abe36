import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { failureOf } from '@media-ai/contracts/test-support';
import { OpenAiVisionClient, type OpenAiVisionClientOptions } from '@media-ai/openai';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiStandIn, type OpenAiTarget } from '@media-ai/openai/test-support';
import { VisionDescriber } from './item-describer.js';
import { ITEM_CATEGORIES, ITEM_COLORS } from './item-description.js';
import { normalizedJpeg, SHARED_PHOTOS } from './test-support/fixtures.js';
import { DESCRIBES_EVERY_PHOTO, VALID_ANSWER } from './test-support/item-answers.js';

const context = { title: 'Lost: black iPhone', description: 'Left on a bench near the fountain.', postType: 'lost' };

let target: OpenAiTarget;
let standIn: OpenAiStandIn;
let jpeg: Buffer;

function describer(overrides: Partial<OpenAiVisionClientOptions> = {}): VisionDescriber {
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

beforeAll(async () => {
  target = await openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO });
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

  it('names the model it asks and the detail it sends, for the record and the cache key', () => {
    const d = describer({ imageDetail: 'high' });
    expect(d.modelVersion).toBe(`openai/${target.model}`);
    expect(d.imageDetail).toBe('high');
  });

  it.skipIf(USING_REAL_OPENAI)('asks with the item-description schema, strict', async () => {
    const { answer } = await describer().describe({ jpeg, context });
    expect(answer).toEqual(VALID_ANSWER);
    const [request] = standIn.requests;
    expect(request!.violations).toEqual([]);
    const format = (request!.body as Record<string, unknown>).response_format as {
      json_schema: { name: string; strict: boolean; schema: { properties: Record<string, { enum?: string[] }> } };
    };
    expect(format.json_schema).toMatchObject({ name: 'lost_item_description', strict: true });
    expect(format.json_schema.schema.properties.category!.enum).toEqual([...ITEM_CATEGORIES]);
    expect(Object.keys(format.json_schema.schema.properties)).toEqual(
      expect.arrayContaining(['condition', 'visible_text', 'scene', 'confidence', 'distinguishing_marks', 'material']),
    );
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

  describe.skipIf(USING_REAL_OPENAI)('an answer outside the schema is asked for once more, then MEDIA_AI_LLM_BAD_ANSWER', () => {
    it.each([
      ['a category outside the taxonomy', { ...VALID_ANSWER, category: 'smartphone' }, 'category'],
      ['a confidence above 1', { ...VALID_ANSWER, confidence: { ...VALID_ANSWER.confidence, brand: 1.7 } }, 'confidence.brand'],
      ['a missing field', { ...VALID_ANSWER, scene: undefined }, 'scene'],
    ])('%s', async (_name, answer, reason) => {
      standIn.enqueue({ kind: 'answer', answer }, { kind: 'answer', answer });
      const error = await failureOf(describer().describe({ jpeg, context }));
      expect(error.code).toBe('MEDIA_AI_LLM_BAD_ANSWER');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(reason);
      expect(standIn.requests).toHaveLength(2);
      expect(error.details).toMatchObject({ requests: 2 });
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
      expect(request!.promptText).toContain('[EMAIL]');
    });

    it('refuses to send anything that is not a JPEG', async () => {
      const png = await sharp(jpeg).png().toBuffer();
      const error = await failureOf(describer().describe({ jpeg: png, context }));
      expect(error.code).toBe('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE');
      expect(standIn.requests).toHaveLength(0);
    });
  });
});
