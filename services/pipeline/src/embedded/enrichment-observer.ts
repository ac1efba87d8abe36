/**
 * The embedded API's view of the stream: a consumer (its own group, like any downstream reader)
 * of the enrichment topic and of the photo records, keeping the latest enrichment per post and
 * the photos of each post, so the CLI and REST API can answer and wait. It never changes a record.
 */
import { TOPICS, type PhotoRecord, type PostEnhancedEvent, type ProcessingErrorEvent } from '@media-ai/contracts';
import type { InboundRecord, Stage } from '@media-ai/stream';

export type EnrichmentEvent = PostEnhancedEvent | ProcessingErrorEvent;

interface Waiter {
  /** How many events of the post it waits for (1: the first). */
  count: number;
  resolve(event: EnrichmentEvent): void;
}

/** Events kept per post for enrichmentsOf (the latest is always kept); bounds a long-running serve. */
const HISTORY_PER_POST = 16;

export class EnrichmentObserver {
  private readonly history = new Map<string, EnrichmentEvent[]>();
  private readonly seen = new Map<string, number>();
  private readonly photos = new Map<string, Map<string, PhotoRecord>>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(private readonly enrichmentTopic: string) {}

  /** The stage the runner drives; it publishes nothing. */
  asStage(): Stage {
    return {
      name: 'api-observer',
      inputs: [this.enrichmentTopic, TOPICS.photos],
      handle: async (record: InboundRecord) => {
        if (record.topic === TOPICS.photos) this.rememberPhoto(record.value as PhotoRecord);
        else this.rememberEnrichment(record.key, record.value as EnrichmentEvent);
        return [];
      },
    };
  }

  enrichmentOf(postId: string): EnrichmentEvent | undefined {
    return this.history.get(postId)?.at(-1);
  }

  /** Every event published for the post, oldest first (replays included; the last 16 at most). */
  enrichmentsOf(postId: string): EnrichmentEvent[] {
    return [...(this.history.get(postId) ?? [])];
  }

  photosOf(postId: string): PhotoRecord[] {
    return [...(this.photos.get(postId)?.values() ?? [])];
  }

  /**
   * Resolves with the latest enrichment once the post has had `count` of them (1: any; a replay
   * test waits for 2); rejects after timeoutMs.
   */
  waitFor(postId: string, timeoutMs: number, count = 1): Promise<EnrichmentEvent> {
    const known = this.history.get(postId);
    if (known && (this.seen.get(postId) ?? 0) >= count) return Promise.resolve(known.at(-1)!);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.get(postId)?.delete(waiter);
        reject(new Error(`No enrichment for post ${postId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const set = this.waiters.get(postId) ?? new Set<Waiter>();
      set.add(waiter);
      this.waiters.set(postId, set);
    });
  }

  private rememberPhoto(photo: PhotoRecord): void {
    const byId = this.photos.get(photo.post_id) ?? new Map<string, PhotoRecord>();
    byId.set(photo.photo_id, photo);
    this.photos.set(photo.post_id, byId);
  }

  private rememberEnrichment(key: string | null, event: EnrichmentEvent): void {
    const postId = key ?? postIdOf(event);
    if (!postId) return;
    const events = this.history.get(postId) ?? [];
    events.push(event);
    // Counted from the first event ever, so a waiter for the n-th is not confused by trimming.
    const seen = (this.seen.get(postId) ?? 0) + 1;
    this.seen.set(postId, seen);
    if (events.length > HISTORY_PER_POST) events.shift();
    this.history.set(postId, events);
    const waiting = this.waiters.get(postId);
    for (const waiter of waiting ?? []) {
      if (seen < waiter.count) continue;
      waiting!.delete(waiter);
      waiter.resolve(event);
    }
    if (waiting?.size === 0) this.waiters.delete(postId);
  }
}

function postIdOf(event: EnrichmentEvent): string | undefined {
  const data = (event as { data?: { post_id?: unknown } }).data;
  return typeof data?.post_id === 'string' ? data.post_id : undefined;
}
