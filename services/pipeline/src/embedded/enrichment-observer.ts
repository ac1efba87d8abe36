/**
 * The embedded API's view of the stream: a consumer (its own group, like any downstream reader)
 * of the enrichment topic and of the photo records, keeping the latest enrichment per post and
 * the photos of each post, so the CLI and REST API can answer and wait. It never changes a record.
 */
import { TOPICS, type PhotoRecord, type PostEnhancedEvent, type ProcessingErrorEvent } from '@media-ai/contracts';
import type { InboundRecord, Stage } from '@media-ai/stream';

export type EnrichmentEvent = PostEnhancedEvent | ProcessingErrorEvent;

interface Waiter {
  resolve(event: EnrichmentEvent): void;
}

export class EnrichmentObserver {
  private readonly latest = new Map<string, EnrichmentEvent>();
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
    return this.latest.get(postId);
  }

  photosOf(postId: string): PhotoRecord[] {
    return [...(this.photos.get(postId)?.values() ?? [])];
  }

  /** Resolves with the post's first (or latest, if already in) enrichment; rejects after timeoutMs. */
  waitFor(postId: string, timeoutMs: number): Promise<EnrichmentEvent> {
    const known = this.latest.get(postId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
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
    this.latest.set(postId, event);
    const waiting = this.waiters.get(postId);
    this.waiters.delete(postId);
    for (const waiter of waiting ?? []) waiter.resolve(event);
  }
}

function postIdOf(event: EnrichmentEvent): string | undefined {
  const data = (event as { data?: { post_id?: unknown } }).data;
  return typeof data?.post_id === 'string' ? data.post_id : undefined;
}
