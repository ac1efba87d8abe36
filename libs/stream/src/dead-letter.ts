/**
 * Builds the dead-letter copy of an input the runner gave up on: the original bytes, key and
 * headers untouched (so it can be replayed as is), plus headers saying where it came from and why
 * it failed (names from HEADERS in @media-ai/contracts). It never decodes or rewrites the value,
 * and never puts anything but the error's message and its declared-safe details in headers.
 */
import { HEADERS, type MediaAiError } from '@media-ai/contracts';
import type { Headers, ProducerRecord, RawMessage } from './transport.js';

/** Prefix of headers carrying MediaAiError.details (declared safe to log and to dead-letter). */
export const DLQ_DETAIL_HEADER_PREFIX = 'dlq-detail-';

/** Kafka headers are small by convention; a stack-sized message would only bloat the topic. */
const MAX_HEADER_VALUE_LENGTH = 1_000;

export interface DeadLetterSource {
  topic: string;
  partition: number;
  message: RawMessage;
}

export interface DeadLetterReason {
  stage: string;
  error: MediaAiError;
  attempts: number;
}

export function deadLetterRecord(deadLetterTopic: string, source: DeadLetterSource, reason: DeadLetterReason): ProducerRecord {
  const headers: Headers = { ...source.message.headers };
  for (const [key, value] of Object.entries(reason.error.details)) {
    headers[`${DLQ_DETAIL_HEADER_PREFIX}${key}`] = clip(String(value));
  }
  // Written last so an input that already carries dlq-* headers (a replayed dead letter) gets the new reason.
  Object.assign(headers, {
    [HEADERS.dlqSourceTopic]: source.topic,
    [HEADERS.dlqSourcePartition]: String(source.partition),
    [HEADERS.dlqSourceOffset]: source.message.offset,
    [HEADERS.dlqStage]: reason.stage,
    [HEADERS.dlqErrorCode]: reason.error.code,
    [HEADERS.dlqErrorMessage]: clip(reason.error.message),
    [HEADERS.dlqAttempts]: String(reason.attempts),
  });
  return { topic: deadLetterTopic, key: source.message.key, value: source.message.value, headers };
}

function clip(value: string): string {
  return value.length <= MAX_HEADER_VALUE_LENGTH ? value : `${value.slice(0, MAX_HEADER_VALUE_LENGTH - 1)}…`;
}
