/**
 * Revision numbers of a post's enrichment. The fetcher is stateless, yet every lifecycle event that
 * changes the enrichment needs a larger revision than the one before, and a replay of the same event
 * must get the same revision (enrichment id = UUID v5 of post id + revision). So the revision is a
 * pure function of the event: 1 for post.created, and for every later event the seconds from
 * 2020-01-01Z to the event's timestamp (the record's append time when the event has none). That is
 * always > 1, grows with fn-posts' own event order, and fits the Avro `int` until 2088.
 * Known limit: two lifecycle events of one post within the same second share a revision; the
 * aggregator keeps the later manifest for a revision. Must never read a clock.
 */
import type { PostEvent } from '@media-ai/contracts';

const REVISION_EPOCH_MS = Date.UTC(2020, 0, 1);

export function revisionOf(event: Pick<PostEvent, 'eventType' | 'timestamp'>, recordTimestampMs: number): number {
  if (event.eventType === 'post.created') return 1;
  const at = event.timestamp ?? recordTimestampMs;
  return Math.max(2, Math.floor((at - REVISION_EPOCH_MS) / 1000));
}
