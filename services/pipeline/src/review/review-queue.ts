/**
 * The review desk's queue: a consumer of the stream (its own group, like the API's observer) that
 * keeps, per post, the latest post.enhanced, its photos and what the detector and OCR found on each
 * (boxes, labels, the OCR's already redacted lines), and lists the posts whose enrichment holds tags
 * a person must decide on (suggest, human review), newest first. The decisions made at the desk are
 * kept too, for the eval (decisionsOf).
 *
 * A post deleted or resolved leaves the queue at once, with everything held about it: it must never be
 * reviewable. Bounded: at most maxPosts posts (the one heard of least recently goes first) and
 * maxDecisions decisions (the oldest first). It never changes a record, never holds a photo's bytes
 * (those stay in the blob store, and leave only through photoForRelease) and never text that was not
 * redacted by the ocr stage.
 */
import {
  TOPICS,
  type Box,
  type DetectionsRecord,
  type PhotoRecord,
  type PostEnhancedEvent,
  type PostManifest,
  type ReviewDecisionRecord,
  type TagGrade,
  type TextsRecord,
} from '@media-ai/contracts';
import { REVIEWABLE_TIERS } from '@media-ai/enrich';
import { isPostEndingEvent } from '@media-ai/state';
import type { InboundRecord, Stage } from '@media-ai/stream';

/** The tenant of a post without an organization: only a reviewer of this tenant sees it. */
export const NO_TENANT = 'none';

export interface ReviewPhoto {
  photo_id: string;
  width: number;
  height: number;
  /** What the detector boxed (model labels, relative boxes). */
  objects: Array<{ label: string; confidence: number; box: Box }>;
  /** What OCR read, already redacted by the ocr stage, with its boxes (null when it gave none). */
  lines: Array<{ text: string; box: Box | null }>;
}

export interface ReviewEntry {
  post_id: string;
  tenant: string;
  revision: number;
  /** When the latest enrichment was published (ISO). */
  published_at: string;
  title: string;
  /** Every tag of the enrichment; `reviewable` says which wait for a person. */
  tags: Array<TagGrade & { reviewable: boolean }>;
  photos: ReviewPhoto[];
}

export interface QueueFilter {
  tenant: string;
  tier?: string;
  item?: string;
}

export interface ReviewQueueOptions {
  enrichmentTopic: string;
  /** Posts held at most (default 2,000). */
  maxPosts?: number;
  /** Decisions held at most (default 10,000). */
  maxDecisions?: number;
  /**
   * Whether the post was deleted or resolved (the API's tombstones: one home for them). An
   * enrichment the aggregator published just before it handled the deletion may reach this consumer
   * after the deletion did: such a post still never shows.
   */
  isForgotten?: (postId: string) => boolean;
}

interface HeldPost {
  event?: PostEnhancedEvent;
  photos: Map<string, PhotoRecord>;
  detections: Map<string, DetectionsRecord>;
  texts: Map<string, TextsRecord>;
}

export class ReviewQueue {
  /** Least recently heard of first (a Map keeps insertion order): the eviction order. */
  private readonly posts = new Map<string, HeldPost>();
  private readonly decisions: ReviewDecisionRecord[] = [];
  private readonly maxPosts: number;
  private readonly maxDecisions: number;

  constructor(private readonly options: ReviewQueueOptions) {
    this.maxPosts = options.maxPosts ?? 2_000;
    this.maxDecisions = options.maxDecisions ?? 10_000;
  }

  /** Posts held now (at most maxPosts). */
  get postCount(): number {
    return this.posts.size;
  }

  /** Decisions held now (at most maxDecisions). */
  get decisionCount(): number {
    return this.decisions.length;
  }

  asStage(): Stage {
    return {
      name: 'review-queue',
      inputs: [this.options.enrichmentTopic, TOPICS.posts, TOPICS.photos, TOPICS.detections, TOPICS.texts, TOPICS.reviews],
      handle: async (record: InboundRecord) => {
        this.take(record);
        return [];
      },
    };
  }

  private take(record: InboundRecord): void {
    const value = record.value as { post_id?: string; photo_id?: string; event_type?: string; data?: { post_id: string } };
    switch (record.topic) {
      case TOPICS.posts: {
        const manifest = record.value as PostManifest;
        if (isPostEndingEvent(manifest.event_type)) this.posts.delete(manifest.post_id);
        return;
      }
      case TOPICS.photos:
        this.held(value.post_id!).photos.set(value.photo_id!, record.value as PhotoRecord);
        return;
      case TOPICS.detections:
        this.held(value.post_id!).detections.set(value.photo_id!, record.value as DetectionsRecord);
        return;
      case TOPICS.texts:
        this.held(value.post_id!).texts.set(value.photo_id!, record.value as TextsRecord);
        return;
      case TOPICS.reviews:
        this.decisions.push(record.value as ReviewDecisionRecord);
        if (this.decisions.length > this.maxDecisions) this.decisions.shift();
        return;
      default: {
        if (value.event_type !== 'post.enhanced' || this.forgotten(value.data!.post_id)) return;
        const event = record.value as PostEnhancedEvent;
        const held = this.held(event.data.post_id);
        // Replays and out-of-order copies never roll the desk back to an older revision.
        if (!held.event || held.event.data.revision <= event.data.revision) held.event = event;
      }
    }
  }

  /** The post's entry, refreshed as the most recently heard of (evicting the least recent past the bound). */
  private held(postId: string): HeldPost {
    const held = this.posts.get(postId) ?? { photos: new Map(), detections: new Map(), texts: new Map() };
    this.posts.delete(postId);
    this.posts.set(postId, held);
    while (this.posts.size > this.maxPosts) this.posts.delete(this.posts.keys().next().value!);
    return held;
  }

  /** The tenant's posts with tags waiting for a person, newest first, narrowed by tier and item. */
  list(filter: QueueFilter): ReviewEntry[] {
    const entries: ReviewEntry[] = [];
    for (const [postId, held] of this.posts) {
      const entry = this.entryOf(postId, held);
      if (!entry || entry.tenant !== filter.tenant) continue;
      const waiting = entry.tags.filter((t) => t.reviewable);
      if (waiting.length === 0) continue;
      if (filter.tier && !waiting.some((t) => t.tier === filter.tier)) continue;
      if (filter.item && !entry.tags.some((t) => t.tag === filter.item)) continue;
      entries.push(entry);
    }
    return entries.sort((a, b) => b.published_at.localeCompare(a.published_at) || a.post_id.localeCompare(b.post_id));
  }

  /** The post's entry when it is the tenant's (never another tenant's), else undefined. */
  entry(postId: string, tenant: string): ReviewEntry | undefined {
    const held = this.posts.get(postId);
    const entry = held && this.entryOf(postId, held);
    return entry && entry.tenant === tenant ? entry : undefined;
  }

  /** The stored record of a photo of the tenant's post (for photoForRelease), else undefined. */
  photo(postId: string, photoId: string, tenant: string): PhotoRecord | undefined {
    if (!this.entry(postId, tenant)) return undefined;
    return this.posts.get(postId)?.photos.get(photoId);
  }

  /** The decisions held, oldest first; of one tenant when named. */
  decisionsOf(tenant?: string): ReviewDecisionRecord[] {
    return this.decisions.filter((d) => tenant === undefined || d.tenant === tenant);
  }

  private forgotten(postId: string): boolean {
    return this.options.isForgotten?.(postId) ?? false;
  }

  private entryOf(postId: string, held: HeldPost): ReviewEntry | undefined {
    const event = held.event;
    if (!event || this.forgotten(postId)) return undefined;
    const { data } = event;
    const photos = data.original_post.photos.flatMap((p): ReviewPhoto[] => {
      const record = held.photos.get(p.id);
      if (!record) return [];
      const detections = held.detections.get(p.id);
      const texts = held.texts.get(p.id);
      return [
        {
          photo_id: p.id,
          width: record.width,
          height: record.height,
          objects: (detections?.status === 'ok' ? detections.objects : []).map((o) => ({
            label: o.label,
            confidence: o.confidence,
            box: o.box,
          })),
          lines: (texts?.status === 'ok' ? texts.lines : []).map((l) => ({ text: l.text, box: l.box ?? null })),
        },
      ];
    });
    return {
      post_id: postId,
      tenant: data.original_post.organization_id || NO_TENANT,
      revision: data.revision,
      published_at: event.timestamp,
      title: data.original_post.title,
      tags: data.tag_grades.map((t) => ({ ...t, reviewable: REVIEWABLE_TIERS.has(t.tier) })),
      photos,
    };
  }
}
