/**
 * Settings of the pipeline as a whole: where the embedded blob store keeps normalized photos,
 * how long the aggregator waits for missing parts, where unprocessable records go.
 * Must never create the blob folder; the blob store does that when it opens.
 */
import path from 'node:path';
import { z } from 'zod';
import { TOPICS } from '@media-ai/contracts';
import { integer, text } from './env-fields.js';

export interface PipelineSettings {
  blobDir: string;
  /** After this, the aggregator publishes what it has and lists what is missing. */
  aggregatorDeadlineMs: number;
  deadLetterTopic: string;
}

export function pipelineSchema(context: { cwd: string }) {
  return z
    .object({
      MEDIA_AI_BLOB_DIR: text(),
      AGGREGATOR_DEADLINE_MS: integer(1000, 24 * 3_600_000),
      MEDIA_AI_DLQ_TOPIC: text(),
    })
    .transform(
      (env): PipelineSettings => ({
        blobDir: path.resolve(context.cwd, env.MEDIA_AI_BLOB_DIR ?? '.media-ai/blobs'),
        aggregatorDeadlineMs: env.AGGREGATOR_DEADLINE_MS ?? 120_000,
        deadLetterTopic: env.MEDIA_AI_DLQ_TOPIC ?? TOPICS.deadLetter,
      }),
    );
}
