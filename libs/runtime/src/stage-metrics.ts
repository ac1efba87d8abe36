/**
 * Translates the runner's stage events into the Prometheus metrics of the deployment guide, so
 * every stage is counted the same way whatever transport carries it. Never throws.
 */
import type { MediaAiMetrics } from '@media-ai/telemetry';
import type { StageEvent } from '@media-ai/stream';

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
      default:
        break;
    }
  };
}
