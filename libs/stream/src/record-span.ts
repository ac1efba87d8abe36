/**
 * The runner's spans: one consumer span per input record, a child of the trace context the record
 * arrived with (a record without one starts a trace: the post's first stage), ended once when the
 * record's batch ends; and, for a stage that handles several records in one call, a span for that
 * call linked to each record's span. Through the OpenTelemetry API: with no SDK they are no-ops.
 * Must never put a record's value on a span, only where it sits (topic, partition, offset, key).
 */
import {
  context as contextApi,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
} from '@opentelemetry/api';
import type { MediaAiError } from '@media-ai/contracts';
import { extractTraceContext, markSpanFailed, tracerFor } from '@media-ai/telemetry';
import type { RawMessage } from './transport.js';

const tracer = tracerFor('@media-ai/stream');

/** Starts the input's span; returns the context holding it (the parent of what its handling starts). */
export function startRecordSpan(stage: string, batch: { topic: string; partition: number }, message: RawMessage): Context {
  // The record's own trace, never the transport's active context: that is a per-batch span (the
  // kafkajs poll) shared by unrelated posts. It is linked instead, so the two can be navigated.
  const parent = extractTraceContext(message.headers, ROOT_CONTEXT);
  const polled = trace.getSpanContext(contextApi.active());
  const span = tracer.startSpan(
    `${stage} process ${batch.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.operation.type': 'process',
        'messaging.destination.name': batch.topic,
        'messaging.destination.partition.id': String(batch.partition),
        'messaging.kafka.offset': Number(message.offset),
        ...(message.key !== null ? { 'messaging.kafka.message.key': message.key } : {}),
        'media_ai.stage': stage,
      },
      ...(polled && isSpanContextValid(polled) ? { links: [{ context: polled }] } : {}),
    },
    parent,
  );
  return trace.setSpan(parent, span);
}

/** A failed attempt, as an event on the input's span (the span ends when the batch does). */
export function noteFailedAttempt(context: Context, error: MediaAiError, attempt: number, willRetry: boolean): void {
  const span = trace.getSpan(context);
  if (!span?.isRecording()) return;
  span.addEvent('attempt failed', { 'error.type': error.code, 'media_ai.attempt': attempt, 'media_ai.will_retry': willRetry });
}

/** Ends the input's span with what became of it. */
export function endRecordSpan(
  context: Context,
  item: { outputs?: unknown[]; error?: MediaAiError; attempts: number },
  batch: 'committed' | 'failed' | 'abandoned',
): void {
  const span = trace.getSpan(context);
  if (!span) return;
  if (span.isRecording()) {
    span.setAttribute('media_ai.attempts', item.attempts);
    if (batch !== 'committed') {
      // Nothing of the batch was committed: the record is redelivered and gets a span again then.
      span.setAttribute('media_ai.outcome', batch === 'abandoned' ? 'abandoned' : 'redelivered');
      span.setStatus({ code: SpanStatusCode.ERROR, message: batch === 'abandoned' ? 'batch abandoned' : 'batch failed' });
    } else if (item.outputs) {
      span.setAttributes({ 'media_ai.outcome': 'published', 'media_ai.outputs': item.outputs.length });
    } else {
      span.setAttribute('media_ai.outcome', 'dead_lettered');
      if (item.error) markSpanFailed(span, item.error);
    }
  }
  span.end();
}

/**
 * Runs a stage's batched call: inside the record's own span when it holds one record, else inside a
 * span of the call linked to every record's span (one inference over N photos belongs to N traces).
 */
export function withBatchSpan<T>(stage: string, records: Context[], work: () => Promise<T>): Promise<T> {
  if (records.length === 1) return contextApi.with(records[0]!, work);
  const links: Link[] = [];
  for (const record of records) {
    const spanContext = trace.getSpanContext(record);
    if (spanContext && isSpanContextValid(spanContext)) links.push({ context: spanContext });
  }
  return tracer.startActiveSpan(
    `${stage} handle batch`,
    { links, attributes: { 'messaging.batch.message_count': records.length, 'media_ai.stage': stage } },
    async (span) => {
      try {
        return await work();
      } catch (error) {
        markSpanFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
