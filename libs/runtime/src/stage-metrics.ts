/**
 * Translates the runner's stage events into the Prometheus metrics of the deployment guide, so
 * every stage is counted the same way whatever transport carries it; the confidence distribution
 * comes from the post.enhanced events as they are published. Never throws.
 */
import type { PostEnhancedEvent } from '@media-ai/contracts';
import type { MediaAiMetrics } from '@media-ai/telemetry';
import type { StageEvent } from '@media-ai/stream';

/**
 * ai_confidence_score_distribution: every graded tag under the one source that claimed it (or
 * `fused` when several agree), and the post's overall confidence under `post`.
 */
export function observeConfidence(metrics: MediaAiMetrics, event: PostEnhancedEvent): void {
  for (const grade of event.data.tag_grades) {
    metrics.confidenceScore.observe({ source: grade.sources.length === 1 ? grade.sources[0]! : 'fused' }, grade.confidence);
  }
  metrics.confidenceScore.observe({ source: 'post' }, event.data.ai_confidence);
}

export function stageMetricsHook(metrics: MediaAiMetrics, stage: string): (event: StageEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'processed':
        metrics.recordsProcessed.inc({ stage });
        metrics.aiProcessingDuration.observe({ stage }, event.durationMs / 1000);
        break;
      case 'failed':
        metrics.recordsFailed.inc({ stage, code: event.code });
        break;
      case 'dead-lettered':
        metrics.recordsDeadLettered.inc({ stage, code: event.code });
        break;
      case 'batch':
        metrics.batchSize.observe({ stage }, event.size);
        break;
      case 'published':
        if ((event.value as { event_type?: unknown } | null)?.event_type === 'post.enhanced')
          observeConfidence(metrics, event.value as PostEnhancedEvent);
        break;
      default:
        break;
    }
  };
}
