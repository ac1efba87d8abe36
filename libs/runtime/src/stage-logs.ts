/**
 * The log lines of the stream, from the runner's events, in the deployment guide's format: one
 * `AI processing completed` line per published enrichment (post_id, correlation_id, duration_ms,
 * confidence_score, models_used, photo_count), a `batch received` line per batch taken and a
 * `record processed` line per record a stage finished (debug), a warning per dead letter and per
 * processing.error.
 * Must never log a record's content: no photo bytes, OCR or model text, tags, titles, descriptions,
 * URLs or user fields, only ids, counts, scores, codes and model names. Never throws.
 */
import { HEADERS, type PostEnhancedEvent, type ProcessingErrorEvent } from '@media-ai/contracts';
import type { StageEvent } from '@media-ai/stream';
import type { Logger } from '@media-ai/telemetry';

/** The guide's fields for one published post.enhanced; counts and scores only. */
export function enrichmentLogFields(event: PostEnhancedEvent, headers: Record<string, string>): Record<string, unknown> {
  const { data } = event;
  return {
    post_id: data.post_id,
    correlation_id: headers[HEADERS.correlationId] ?? event.correlation_id ?? undefined,
    revision: data.revision,
    duration_ms: data.processing_time_ms,
    confidence_score: data.ai_confidence,
    models_used: Object.keys(data.model_versions),
    photo_count: data.original_post.photos.length,
    enhancement_level: data.enhancement_level,
    tag_count: data.tag_grades.length,
    failed_photo_count: data.failed_photos.length,
    missing_stages: data.missing_stages,
  };
}

function isEnrichment(value: unknown): value is PostEnhancedEvent {
  return (value as { event_type?: unknown } | null)?.event_type === 'post.enhanced';
}

function isProcessingError(value: unknown): value is ProcessingErrorEvent {
  return (value as { event_type?: unknown } | null)?.event_type === 'processing.error';
}

export function stageLogHook(logger: Logger, stage: string): (event: StageEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'batch-received':
        // Where a consumer stands when it hangs or dies mid-batch (the chaos run kills on this line).
        logger.debug(
          { stage, topic: event.topic, partition: event.partition, size: event.size, first_offset: event.firstOffset },
          'batch received',
        );
        break;
      case 'processed':
        logger.debug(
          {
            stage,
            post_id: event.key ?? undefined,
            correlation_id: event.correlationId,
            topic: event.topic,
            partition: event.partition,
            offset: event.offset,
            attempts: event.attempts,
            outputs: event.outputs,
            duration_ms: Math.round(event.durationMs),
          },
          'record processed',
        );
        break;
      case 'dead-lettered':
        logger.warn(
          { stage, topic: event.topic, partition: event.partition, offset: event.offset, code: event.code, attempts: event.attempts },
          'record dead-lettered',
        );
        break;
      case 'published':
        if (isEnrichment(event.value))
          logger.info({ stage, ...enrichmentLogFields(event.value, event.headers) }, 'AI processing completed');
        else if (isProcessingError(event.value)) {
          const { data } = event.value;
          logger.warn(
            {
              stage,
              post_id: data.post_id,
              correlation_id: event.headers[HEADERS.correlationId],
              revision: data.revision,
              code: data.error_code,
              failed_photo_count: data.failed_photos.length,
            },
            'AI processing failed',
          );
        }
        break;
      default:
        break;
    }
  };
}
