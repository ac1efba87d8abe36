/**
 * The LLM stage: for each normalized photo, publish one DescriptionRecord keyed by post id —
 * the cached answer for the same image, model, prompt version and detail when there is one, else
 * the vision model's answer to the photo's JPEG from the blob store.
 *
 * A record that asks the llm anew (`reasked_stages` names it: a post.updated changed the title or
 * description the prompt carries) skips the cache read, because the cached answer was given for the
 * old text, and its fresh answer replaces the cached one. The key still leaves the text out.
 *
 * It publishes a failed part at once, without reading the photo or calling anyone, when
 * - the tenant does not allow third-party AI for the photo (`third_party_ai: false`), or
 * - the circuit breaker is open after repeated failures of the API,
 * so the aggregator publishes the post without the llm instead of holding it to the deadline.
 * When the API fails, the record fails with a retryable error for the runner to retry; when it is
 * given up on, `onGiveUp` publishes a failed part too.
 *
 * Must never call the API without a key or base URL (the wiring leaves the stage off, see
 * llmStageEnabled), never for a tenant that said no, never cache a failure, and never let post text
 * into the cache key: the same photo is paid for once, whatever post it appears in.
 */
import { MediaAiError, STAGES, TOPICS, toMediaAiError, type DescriptionRecord, type PhotoRecord } from '@media-ai/contracts';
import type { InboundRecord, OutboundRecord, Stage, StageContext } from '@media-ai/stream';
import type { BlobStore } from '@media-ai/storage';
import { bestEffortCache, resultCacheKey, type ResultCache } from '@media-ai/state';
import { callUsageOf, CircuitBreaker, type CallUsage, type ImageDetail } from '@media-ai/openai';
import { photoForRelease } from '@media-ai/vision';
import { describedRecord, failedRecord } from './description-record.js';
import type { ItemDescriber } from './item-describer.js';
import { checkItemDescription, type ItemDescription } from './item-description.js';
import { PROMPT_VERSION, type PostContext } from './prompt.js';

export const LLM_STAGE_NAME = STAGES.llm;

/** How one handling of a photo record ended (one per attempt; the runner may retry a failure). */
export type LlmPhotoOutcome = 'described' | 'cached' | 'failed' | 'circuit_open' | 'not_permitted';

export interface LlmPhotoEvent {
  postId: string;
  revision: number;
  photoId: string;
  outcome: LlmPhotoOutcome;
  /** What the API calls for this photo used (null when none were made). */
  usage: CallUsage | null;
  errorCode: string | null;
  durationMs: number;
  /** Kinds of personal data removed from a fresh answer. */
  redactedKinds: string[];
}

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
  /** Default: opens after 5 failed photos in a row, for 60 s. */
  breaker?: CircuitBreaker;
  /** A cache that fails is skipped, not fatal (the API still answers); the wiring logs and counts it. */
  onCacheError?: (error: unknown, operation: 'get' | 'set') => void;
  /** Every handling of a photo (metrics, cost per post, logs). Must not throw. */
  onPhoto?: (event: LlmPhotoEvent) => void;
  now?: () => number;
}

/**
 * Whether the LLM stage should run at all: it needs an API key or an OpenAI-compatible base URL
 * (self-hosted servers need no key), and config may switch it off (`enabled: false`). Structural,
 * so the wiring can pass its settings object as is.
 */
export function llmStageEnabled(config: {
  enabled?: boolean;
  apiKey?: string | null | undefined;
  baseUrl?: string | null | undefined;
}): boolean {
  if (config.enabled === false) return false;
  const given = (value: string | null | undefined) => typeof value === 'string' && value.trim() !== '';
  return given(config.apiKey) || given(config.baseUrl);
}

/** The answer depends on the image, the model, the prompt wording and the detail it was sent at. */
export function llmCacheKey(modelVersion: string, imageDetail: ImageDetail, photo: Pick<PhotoRecord, 'sha256'>): string {
  return resultCacheKey(LLM_STAGE_NAME, `${modelVersion}:${PROMPT_VERSION}:${imageDetail}`, photo.sha256);
}

export function createLlmStage(options: LlmStageOptions): Stage<PhotoRecord> {
  const { describer, blobs, cache, cacheTtlSeconds, onCacheError } = options;
  const modelVersion = options.modelVersion ?? describer.modelVersion;
  const now = options.now ?? Date.now;
  const breaker = options.breaker ?? new CircuitBreaker({ threshold: 5, cooldownMs: 60_000, now });

  const answers = bestEffortCache<ItemDescription>(cache, {
    key: (sha256) => llmCacheKey(modelVersion, describer.imageDetail, { sha256 }),
    // An entry written by another version of this code is treated as a miss, not trusted.
    accept: (entry) => {
      const checked = checkItemDescription(entry);
      return checked.ok ? checked.value : undefined;
    },
    ttlSeconds: cacheTtlSeconds,
    onError: onCacheError,
  });

  function report(photo: PhotoRecord, started: number, outcome: LlmPhotoOutcome, extra: Partial<LlmPhotoEvent> = {}): void {
    try {
      options.onPhoto?.({
        postId: photo.post_id,
        revision: photo.revision,
        photoId: photo.photo_id,
        outcome,
        usage: null,
        errorCode: null,
        durationMs: Math.max(0, now() - started),
        redactedKinds: [],
        ...extra,
      });
    } catch {
      // Observers must never fail a photo.
    }
  }

  /** Published at once: the post goes on without the llm for this photo. */
  function skipped(
    photo: PhotoRecord,
    started: number,
    code: 'MEDIA_AI_LLM_NOT_PERMITTED' | 'MEDIA_AI_FACES_UNCHECKED' | 'MEDIA_AI_LLM_CIRCUIT_OPEN',
  ): OutboundRecord[] {
    const outcome = code === 'MEDIA_AI_LLM_CIRCUIT_OPEN' ? 'circuit_open' : 'not_permitted';
    report(photo, started, outcome, { errorCode: code });
    return [output(photo, failedRecord(photo, new MediaAiError(code), modelVersion, now() - started))];
  }

  async function describe(photo: PhotoRecord, ctx: StageContext) {
    let jpeg: Buffer;
    try {
      // Faces leave blurred, with the boxes the fetcher found (never looked for again here).
      jpeg = await photoForRelease(await blobs.get(photo.blob_key), photo.faces);
    } catch (error) {
      breaker.recordNeutral();
      throw error;
    }
    try {
      const result = await describer.describe({ jpeg, context: postContext(photo) }, { signal: ctx.signal });
      breaker.recordSuccess();
      return result;
    } catch (error) {
      breaker.recordError(error);
      throw error;
    }
  }

  return {
    name: LLM_STAGE_NAME,
    inputs: [TOPICS.photos],
    concurrency: options.concurrency,

    async handle(record: InboundRecord<PhotoRecord>, ctx: StageContext): Promise<OutboundRecord[]> {
      const photo = record.value;
      const started = now();
      // Only an explicit false: a record written before the flag existed reads as allowed.
      if (photo.third_party_ai === false) return skipped(photo, started, 'MEDIA_AI_LLM_NOT_PERMITTED');
      // Nobody looked for faces on it (no face model in the fetcher): it must not leave the process.
      if (photo.faces == null) return skipped(photo, started, 'MEDIA_AI_FACES_UNCHECKED');

      const cached = photo.reasked_stages?.includes(LLM_STAGE_NAME) ? undefined : await answers.get(photo.sha256);
      if (cached) {
        report(photo, started, 'cached');
        return [output(photo, describedRecord(photo, cached, modelVersion, now() - started))];
      }
      if (!breaker.tryAcquire()) return skipped(photo, started, 'MEDIA_AI_LLM_CIRCUIT_OPEN');

      let result;
      try {
        result = await describe(photo, ctx);
      } catch (error) {
        const failure = toMediaAiError(error);
        report(photo, started, 'failed', { errorCode: failure.code, usage: callUsageOf(failure) });
        throw failure;
      }
      await answers.set(photo.sha256, result.answer);
      report(photo, started, 'described', { usage: result.usage, redactedKinds: result.redactedKinds });
      return [output(photo, describedRecord(photo, result.answer, modelVersion, now() - started))];
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
