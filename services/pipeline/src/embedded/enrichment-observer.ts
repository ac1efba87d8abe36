/**
 * The embedded API's view of the stream: a consumer (its own group, like any downstream reader)
 * of the enrichment topic, the photo records and the post manifests, keeping the latest enrichment
 * per post and the photos of each post, so the CLI and REST API can answer and wait. It never
 * changes a record.
 *
 * A post deleted or resolved (its manifest says so) is forgotten here too: its enrichments, photos
 * and uploaded photo bytes go, and only a tombstone (post id, event type, time) stays, for
 * tombstoneTtlMs, so the API answers 410 Gone. An enrichment that reaches this consumer after the
 * manifest (the aggregator published it before it handled the deletion) is not kept: the tombstone wins.
 *
 * Bounded: at most `maxPosts` posts are held (enrichments and photos); past it the post heard of least
 * recently goes first, as if never seen (the API answers 404 for it, and a new enrichment of it is kept
 * again). The tombstones are bounded by their TTL.
 */
import { TOPICS, type PhotoRecord, type PostEnhancedEvent, type PostManifest, type ProcessingErrorEvent } from '@media-ai/contracts';
import { isPostEndingEvent, type PostTombstone } from '@media-ai/state';
import type { InboundRecord, Stage } from '@media-ai/stream';
import type { UploadedPhotos } from './uploaded-photos.js';

export type EnrichmentEvent = PostEnhancedEvent | ProcessingErrorEvent;

interface Waiter {
  /** How many events of the post it waits for (1: the first). */
  count: number;
  resolve(event: EnrichmentEvent): void;
}

/** Events kept per post for enrichmentsOf (the latest is always kept); bounds a long-running serve. */
const HISTORY_PER_POST = 16;

export interface EnrichmentObserverOptions {
  /** The photos uploaded to the API: a forgotten post's are dropped. */
  uploads: UploadedPhotos;
  /** MEDIA_AI_TOMBSTONE_TTL_HOURS: how long a forgotten post answers 410 rather than 404. */
  tombstoneTtlMs: number;
  /** Posts held at most (default 10,000); the one heard of least recently is evicted first. */
  maxPosts?: number;
  clock?: () => number;
}

export class EnrichmentObserver {
  private readonly history = new Map<string, EnrichmentEvent[]>();
  private readonly seen = new Map<string, number>();
  private readonly photos = new Map<string, Map<string, PhotoRecord>>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** In the order they were made (a Map keeps insertion order), so expired ones are pruned from the front. */
  private readonly tombstones = new Map<string, { tombstone: PostTombstone; expiresAt: number }>();
  /** Every post held (an enrichment or a photo), least recently heard of first: the eviction order. */
  private readonly recency = new Set<string>();
  private readonly maxPosts: number;
  private readonly clock: () => number;

  constructor(
    private readonly enrichmentTopic: string,
    private readonly options: EnrichmentObserverOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.maxPosts = options.maxPosts ?? 10_000;
  }

  /** Posts held now (enrichments or photos), at most maxPosts. */
  get postCount(): number {
    return this.recency.size;
  }

  /** The stage the runner drives; it publishes nothing. */
  asStage(): Stage {
    return {
      name: 'api-observer',
      inputs: [this.enrichmentTopic, TOPICS.photos, TOPICS.posts],
      handle: async (record: InboundRecord) => {
        if (record.topic === TOPICS.photos) this.rememberPhoto(record.value as PhotoRecord);
        else if (record.topic === TOPICS.posts) this.onManifest(record.value as PostManifest);
        else this.rememberEnrichment(record.key, record.value as EnrichmentEvent);
        return [];
      },
    };
  }

  /** The post's tombstone while it lasts: the post was deleted or resolved and is forgotten. */
  tombstoneOf(postId: string): PostTombstone | undefined {
    this.pruneTombstones();
    const held = this.tombstones.get(postId)?.tombstone;
    return held ? { ...held } : undefined;
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

  private onManifest(manifest: PostManifest): void {
    if (isPostEndingEvent(manifest.event_type)) {
      this.forget({ post_id: manifest.post_id, event_type: manifest.event_type, at: manifest.received_at });
    }
  }

  private forget(tombstone: PostTombstone): void {
    const postId = tombstone.post_id;
    this.drop(postId);
    this.options.uploads.release(postId);
    // As the join store: the first ending event stays, except that a deletion overrides a resolution.
    const held = this.tombstoneOf(postId);
    const kept = held && !(tombstone.event_type === 'post.deleted' && held.event_type !== 'post.deleted') ? held : tombstone;
    this.tombstones.delete(postId);
    this.tombstones.set(postId, { tombstone: kept, expiresAt: this.clock() + this.options.tombstoneTtlMs });
  }

  private pruneTombstones(): void {
    const now = this.clock();
    for (const [postId, { expiresAt }] of this.tombstones) {
      if (expiresAt > now) break;
      this.tombstones.delete(postId);
    }
  }

  private drop(postId: string): void {
    this.history.delete(postId);
    this.seen.delete(postId);
    this.photos.delete(postId);
    this.recency.delete(postId);
  }

  /** Moves the post to the most recent end, then evicts from the least recent one past maxPosts. */
  private touch(postId: string): void {
    this.recency.delete(postId);
    this.recency.add(postId);
    for (const oldest of this.recency) {
      if (this.recency.size <= this.maxPosts) break;
      this.drop(oldest);
    }
  }

  private rememberPhoto(photo: PhotoRecord): void {
    if (this.tombstoneOf(photo.post_id)) return;
    this.touch(photo.post_id);
    const byId = this.photos.get(photo.post_id) ?? new Map<string, PhotoRecord>();
    byId.set(photo.photo_id, photo);
    this.photos.set(photo.post_id, byId);
  }

  private rememberEnrichment(key: string | null, event: EnrichmentEvent): void {
    const postId = key ?? postIdOf(event);
    if (!postId || this.tombstoneOf(postId)) return;
    this.touch(postId);
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
