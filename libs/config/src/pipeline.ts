/**
 * Settings of the pipeline as a whole: where normalized photos are kept (a local folder in embedded
 * mode, a GCS bucket prefix in production) and for how long, how long the aggregator waits for
 * missing parts, how long a forgotten post's tombstone lasts, where unprocessable records go.
 * Must never create the blob folder; the blob store does that when it opens.
 */
import path from 'node:path';
import { z } from 'zod';
import { ANALYSIS_STAGES, TOPICS, type AnalysisStage } from '@media-ai/contracts';
import { crossFieldIssue, integer, list, oneOf, text } from './env-fields.js';

export const BLOB_STORES = ['local', 'gcs'] as const;
export type BlobStoreKind = (typeof BLOB_STORES)[number];

/** What the aggregator does with a part that arrives after its revision was published (see aggregator stage). */
export const LATE_PARTS_MODES = ['drop', 'revise'] as const;
export type LatePartsMode = (typeof LATE_PARTS_MODES)[number];

export interface PipelineSettings {
  /** MEDIA_AI_BLOB_STORE: where normalized photos live. */
  blobStore: BlobStoreKind;
  /** The local store's folder. */
  blobDir: string;
  /** The GCS store's bucket (MEDIA_AI_BLOB_BUCKET, else GCS_BUCKET_NAME) and object prefix. */
  blobBucket?: string;
  blobPrefix: string;
  /** Normalized photos older than this are swept (keys are refreshed when a photo is stored again). */
  blobTtlMs: number;
  /** How often the sweep runs; 0 turns it off (use a bucket lifecycle rule on GCS in production). */
  blobSweepIntervalMs: number;
  /** After this, the aggregator publishes what it has and lists what is missing. */
  aggregatorDeadlineMs: number;
  /** AGGREGATOR_LATE_PARTS: drop a late part, or publish a revised enrichment (revision + 1) with it. */
  aggregatorLateParts: LatePartsMode;
  /**
   * MEDIA_AI_TOMBSTONE_TTL_HOURS: how long a deleted or resolved post's id is remembered (join store,
   * and the API's 410), so a replayed post.created or a late part of it stores and publishes nothing.
   * It must outlive every replay: the default, 7 days, is Kafka's default retention (log.retention.hours
   * 168), the oldest a replayed posts.events record can be. Set it to the topic's retention if longer.
   */
  tombstoneTtlMs: number;
  deadLetterTopic: string;
  /**
   * MEDIA_AI_EXPECTED_STAGES: the analysis stages deployed as services, which every manifest tells
   * the aggregator to wait for. Only the per-stage deployment reads it (the embedded process knows
   * which of its stages are on); unset there, the fetcher expects detector and ocr, plus llm when
   * OPENAI_API_KEY is set.
   */
  expectedStages?: AnalysisStage[];
}

/** The TTL must outlive the store's 1 h refresh window plus the aggregator deadline and retries. */
const MIN_BLOB_TTL_HOURS = 2;

export function pipelineSchema(context: { cwd: string }) {
  return z
    .object({
      MEDIA_AI_BLOB_STORE: oneOf(BLOB_STORES),
      MEDIA_AI_BLOB_DIR: text(),
      MEDIA_AI_BLOB_BUCKET: text(),
      GCS_BUCKET_NAME: text(),
      MEDIA_AI_BLOB_PREFIX: text(),
      MEDIA_AI_BLOB_TTL_HOURS: integer(MIN_BLOB_TTL_HOURS, 24 * 365),
      MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES: integer(0, 24 * 60),
      AGGREGATOR_DEADLINE_MS: integer(1000, 24 * 3_600_000),
      AGGREGATOR_LATE_PARTS: oneOf(LATE_PARTS_MODES),
      MEDIA_AI_TOMBSTONE_TTL_HOURS: integer(1, 24 * 3650),
      MEDIA_AI_DLQ_TOPIC: text(),
      MEDIA_AI_EXPECTED_STAGES: list(`analysis stages (${ANALYSIS_STAGES.join(', ')})`, (stage) =>
        (ANALYSIS_STAGES as readonly string[]).includes(stage),
      ),
    })
    .superRefine((env, ctx) => {
      if (env.MEDIA_AI_BLOB_STORE === 'gcs' && !(env.MEDIA_AI_BLOB_BUCKET ?? env.GCS_BUCKET_NAME)) {
        crossFieldIssue(
          ctx,
          'MEDIA_AI_BLOB_BUCKET',
          'expected a bucket name (or GCS_BUCKET_NAME) when MEDIA_AI_BLOB_STORE=gcs, got nothing',
        );
      }
    })
    .transform((env): PipelineSettings => ({
      blobStore: env.MEDIA_AI_BLOB_STORE ?? 'local',
      blobDir: path.resolve(context.cwd, env.MEDIA_AI_BLOB_DIR ?? '.media-ai/blobs'),
      ...((env.MEDIA_AI_BLOB_BUCKET ?? env.GCS_BUCKET_NAME) ? { blobBucket: env.MEDIA_AI_BLOB_BUCKET ?? env.GCS_BUCKET_NAME } : {}),
      blobPrefix: env.MEDIA_AI_BLOB_PREFIX ?? 'media-ai/normalized/',
      blobTtlMs: (env.MEDIA_AI_BLOB_TTL_HOURS ?? 24) * 3_600_000,
      blobSweepIntervalMs: (env.MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES ?? 60) * 60_000,
      aggregatorDeadlineMs: env.AGGREGATOR_DEADLINE_MS ?? 120_000,
      // revise by default: a slow model's answer is worth a second event more than silence.
      aggregatorLateParts: env.AGGREGATOR_LATE_PARTS ?? 'revise',
      tombstoneTtlMs: (env.MEDIA_AI_TOMBSTONE_TTL_HOURS ?? 7 * 24) * 3_600_000,
      deadLetterTopic: env.MEDIA_AI_DLQ_TOPIC ?? TOPICS.deadLetter,
      ...(env.MEDIA_AI_EXPECTED_STAGES ? { expectedStages: [...new Set(env.MEDIA_AI_EXPECTED_STAGES as AnalysisStage[])] } : {}),
    }));
}
