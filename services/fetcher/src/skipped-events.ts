/**
 * What the fetcher skips, made visible: every posts.events record it does not process is counted
 * (media_ai_events_skipped_total{reason}) and logged, the first of each event type and reason at
 * info and the rest at debug, so a platform that starts sending a new type shows up in the logs at
 * once without a line per record. Must never log more than the type and reason (no content), nor
 * remember an unbounded number of types.
 */
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';

/** Types remembered for the once-at-info rule; past it every skip logs at debug. */
const MAX_REMEMBERED = 100;

export function skippedEventReporter(
  metrics: MediaAiMetrics,
  logger: Logger,
): (eventType: string, reason: 'unhandled_type' | 'ai_processing_off') => void {
  const seen = new Set<string>();
  return (eventType, reason) => {
    metrics.eventsSkipped.inc({ reason });
    // The type comes from the wire: bounded before it reaches a log line.
    const type = eventType.slice(0, 64);
    const key = `${reason}:${type}`;
    const first = !seen.has(key) && seen.size < MAX_REMEMBERED;
    if (first) seen.add(key);
    const fields = { event_type: type, reason };
    if (first)
      logger.info(fields, 'posts.events record skipped (counted in media_ai_events_skipped_total; later ones of this type log at debug)');
    else logger.debug(fields, 'posts.events record skipped');
  };
}
