/**
 * The LLM stage: for each normalized photo, read its JPEG from the blob store, ask the vision model
 * for category, brand, colours and a description (or take the cached answer for the same image,
 * model, prompt and post text), and publish one DescriptionRecord keyed by post id. When a photo is
 * given up on, it publishes a failed record instead, so the aggregator never waits for it.
 *
 * Must never call the API without a key (the wiring leaves the stage off, see llmStageEnabled), never
 * cache a failure, and never let post text into the cache key except as a digest.
 */
import { createHash } from 'node:crypto';
import { failedPartFields, partIdentity, TOPICS, type DescriptionRecord, type PhotoRecord } from '@media-ai/contracts';
import type { InboundRecord, OutboundRecord, Stage, StageContext } from '@media-ai/stream';
import type { BlobStore } from '@media-ai/storage';
import { resultCacheKey, type ResultCache } from '@media-ai/state';
import { checkItemDescription, type ItemDescription } from './item-description.js';
import { PROMPT_VERSION, type PostContext } from './prompt.js';
import type { ItemDescriber } from './vision-client.js';

export const LLM_STAGE_NAME = 'llm';
/** Key of this stage's entry in model_versions. */
export const LLM_MODEL_VERSION_KEY = 'openai';

export interface LlmStageOptions {
  describer: ItemDescriber;
  blobs: BlobStore;
  cache: ResultCache;
  /** REDIS_AI_RESULTS_TTL. */
  cacheTtlSeconds: number;
  /** 'openai/<model>'; defaults to the describer's. */
  modelVersion?: string;
  /** Photos described at the same time (bounded: each one is an open API request). */
  concurrency: number;
  /** A cache that fails is skipped, not fatal (the API still answers); the wiring logs and counts it. */
  onCacheError?: (error: unknown, operation: 'get' | 'set') => void;
  now?: () => number;
}

/**
 * Whether the LLM stage should run at all: it needs an API key, and config may switch it off
 * (`enabled: false`, as @media-ai/config's OpenAiSettings does without a key). Structural, so the
 * wiring can pass its settings object as is.
 */
export function llmStageEnabled(config: { enabled?: boolean; apiKey?: string | null | undefined }): boolean {
  if (config.enabled === false) return false;
  return typeof config.apiKey === 'string' && config.apiKey.trim() !== '';
}

/**
 * The answer depends on the image, the model, the prompt wording and the post text given as a hint,
 * so all four are in the key; the post text enters only as a digest.
 */
export function llmCacheKey(modelVersion: string, photo: Pick<PhotoRecord, 'sha256'>, context: PostContext): string {
  const contextDigest = createHash('sha256')
    .update(JSON.stringify([context.postType, context.title, context.description]))
    .digest('hex')
    .slice(0, 16);
  return resultCacheKey(LLM_STAGE_NAME, `${modelVersion}:${PROMPT_VERSION}:${contextDigest}`, photo.sha256);
}

export function createLlmStage(options: LlmStageOptions): Stage<PhotoRecord> {
  const { describer, blobs, cache, cacheTtlSeconds, onCacheError } = options;
  const modelVersion = options.modelVersion ?? describer.modelVersion;
  const now = options.now ?? Date.now;

  async function cachedAnswer(key: string): Promise<ItemDescription | undefined> {
    try {
      const cached = await cache.get<unknown>(key);
      if (cached === undefined) return undefined;
      // An entry written by another version of this code is treated as a miss, not trusted.
      const checked = checkItemDescription(cached);
      return checked.ok ? checked.value : undefined;
    } catch (error) {
      onCacheError?.(error, 'get');
      return undefined;
    }
  }

  async function remember(key: string, answer: ItemDescription): Promise<void> {
    try {
      await cache.set(key, answer, cacheTtlSeconds);
    } catch (error) {
      onCacheError?.(error, 'set');
    }
  }

  return {
    name: LLM_STAGE_NAME,
    inputs: [TOPICS.photos],
    concurrency: options.concurrency,

    async handle(record: InboundRecord<PhotoRecord>, ctx: StageContext): Promise<OutboundRecord[]> {
      const photo = record.value;
      const started = now();
      const context = postContext(photo);
      const key = llmCacheKey(modelVersion, photo, context);

      let answer = await cachedAnswer(key);
      if (!answer) {
        const jpeg = await blobs.get(photo.blob_key);
        answer = await describer.describe({ jpeg, context }, { signal: ctx.signal });
        await remember(key, answer);
      }
      return [output(photo, describedRecord(photo, answer, modelVersion, now() - started))];
    },

    onGiveUp(record: InboundRecord<PhotoRecord>, error: Error): OutboundRecord[] {
      return [output(record.value, failedRecord(record.value, error, modelVersion))];
    },
  };
}

function postContext(photo: PhotoRecord): PostContext {
  return { title: photo.post_title, description: photo.post_description, postType: photo.post_type };
}

function output(photo: PhotoRecord, value: DescriptionRecord): OutboundRecord<DescriptionRecord> {
  return { topic: TOPICS.descriptions, key: photo.post_id, value };
}

function describedRecord(photo: PhotoRecord, answer: ItemDescription, modelVersion: string, durationMs: number): DescriptionRecord {
  return {
    ...partIdentity(photo, modelVersionsOf(modelVersion)),
    status: 'ok',
    error_code: null,
    error_message: null,
    duration_ms: Math.max(0, Math.round(durationMs)),
    category: answer.category,
    brand: answer.brand,
    model: answer.model,
    colors: answer.colors,
    material: answer.material,
    distinguishing_marks: answer.distinguishing_marks,
    description: answer.description,
    confidence: answer.confidence,
  };
}

/** A part that says "no description for this photo", so the join can complete without it. */
export function failedRecord(photo: PhotoRecord, error: Error, modelVersion: string): DescriptionRecord {
  return {
    ...failedPartFields(photo, modelVersionsOf(modelVersion), error),
    category: null,
    brand: null,
    model: null,
    colors: [],
    material: null,
    distinguishing_marks: [],
    description: null,
    confidence: 0,
  };
}

function modelVersionsOf(modelVersion: string): Record<string, string> {
  return { [LLM_MODEL_VERSION_KEY]: modelVersion };
}
