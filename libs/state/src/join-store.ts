/**
 * Join state of the aggregator: per post, the manifest (what to wait for) and the per-photo parts that
 * arrived, so the post can be published once complete or at its deadline. The interface is async so
 * RedisJoinStore (production, redis-join-store.ts) and the embedded MemoryJoinStore are
 * interchangeable; test-support/join-store-contract.ts holds both to the same contract.
 *
 * Every write is idempotent, because delivery is at-least-once: a redelivered part or manifest leaves
 * the state as it was. A store must never decide to publish: it only answers what has arrived; the
 * stage decides (the pure helpers below say when a post is complete).
 *
 * Forgetting (post.deleted / post.resolved). Photos are content-addressed: two posts with the same
 * photo share its blob and its cached results. So the store also keeps, beside the join, which images
 * (sha256) each post uses and which posts use each image, recorded by putManifest for the photos the
 * fetcher stored, whatever the manifest's revision. forget() removes the post's join state and its
 * references in one atomic step and answers which images no post uses any more: only those may go
 * from the blob store and the result cache. The post id stays as a tombstone without content (event
 * type and time) for tombstoneTtlMs, so a late part or a replayed manifest of the post stores nothing
 * (putManifest and putPart answer `forgotten`), and no revision of it is ever published again.
 * A store must never keep anything of a forgotten post but its tombstone.
 */
import type { AnalysisStage, DescriptionRecord, DetectionsRecord, PartRecord, PostManifest, TextsRecord } from '@media-ai/contracts';

export interface JoinPart {
  stage: AnalysisStage;
  /** Its `revision` is the revision the part serves (the one it is stored under). */
  record: PartRecord;
  /**
   * Set only on a part carried over from an older revision: the revision it was made for, i.e. the
   * `revision` of the record the stage published. It tells a redelivery of that very record apart
   * from another answer for the same photo (see the aggregator), and whether the part is current
   * for a manifest's stale_before.
   */
  carried_from?: number;
}

/** What is left of a post after post.deleted or post.resolved: that it ended, how and when. Nothing of its content. */
export interface PostTombstone {
  post_id: string;
  event_type: PostEndingEvent;
  /** Epoch ms the ending event was received (its manifest's received_at). */
  at: number;
}

/** The lifecycle events after which a post is forgotten. */
export const POST_ENDING_EVENTS = ['post.deleted', 'post.resolved'] as const;
export type PostEndingEvent = (typeof POST_ENDING_EVENTS)[number];

export function isPostEndingEvent(eventType: string): eventType is PostEndingEvent {
  return (POST_ENDING_EVENTS as readonly string[]).includes(eventType);
}

export interface JoinState {
  post_id: string;
  /**
   * Set when the post was forgotten: the write that answered with this state stored nothing, and
   * every other field is empty. Null for a post the store may hold.
   */
  forgotten: PostTombstone | null;
  /** Latest manifest seen; null while only parts have arrived (parts may overtake the manifest). */
  manifest: PostManifest | null;
  /** Parts of the manifest's revision, or of any revision while there is no manifest yet. */
  parts: JoinPart[];
  /** Highest revision published (post.enhanced or processing.error); null before the first. */
  published_revision: number | null;
  /** Epoch ms of the first record seen for this post (orphan expiry). */
  first_seen_at: number;
  /** Epoch ms of the last markPublished (tombstone expiry). */
  published_at: number | null;
  /**
   * The event published for published_revision, kept so a redelivered input of that revision can
   * re-emit exactly the same event: if the process died after markPublished but before the output was
   * acknowledged, the input is redelivered and this is the only copy left.
   */
  published_event: unknown;
  /**
   * Parts ("stage:photo_id") the published event was built from. Which records they were (a part
   * carried over names its carried_from) is in published_records: only their redelivery re-emits.
   */
  published_parts: string[];
  /**
   * The parts themselves, kept after publication as the starting point of the post's next revision
   * (a photo added or removed): a newer manifest that lists one of their photos, same sha256, takes
   * them over (see putManifest).
   */
  published_records: JoinPart[];
  /**
   * The event the deadline timer offered for the manifest's revision and the transport has not
   * acknowledged yet. Kept in the store, not in a process, so every replica (and a restarted one)
   * offers the very same event again: a send that failed may still have reached the broker, so the
   * revision's id must never go out again with different content.
   */
  pending_offer: { revision: number; event: unknown } | null;
}

export interface JoinStore {
  /** The post's current state, or null when nothing is held for it. */
  get(postId: string): Promise<JoinState | null>;
  /**
   * Stores a manifest; an older or equal revision than the one held is ignored. Whatever its
   * revision, the images of its fetched photos are recorded as used by the post (see forget). Parts of older
   * revisions (held or published) whose photo the new manifest lists as ok with the same sha256 are
   * carried over to the new revision: an analysis is of the image, not of the revision, so a photo
   * added to a post does not send the others through the models again. Except a part of a stage the
   * manifest wants current answers of (stale_before: made for an earlier revision than its entry),
   * as the llm's after post.updated changed the text it reads. Other older parts are dropped. The
   * carry-over is part of this one atomic write.
   */
  putManifest(manifest: PostManifest): Promise<JoinState>;
  /**
   * Stores one part and returns the post's state after it. A duplicate changes nothing. A part of an
   * older revision than the manifest's counts for the manifest's revision when it could have been
   * carried over (see putManifest, stale_before included) and that revision is still open; otherwise
   * it is ignored.
   */
  putPart(stage: AnalysisStage, record: PartRecord): Promise<JoinState>;
  /**
   * Records that this revision was published (with the event, for re-emission on redelivery): later
   * parts of it no longer change the state. Returns the event the store holds as published for the
   * revision, which is not always `event`: the first one recorded wins, and an event already offered
   * for the revision (see offer) wins over a newly built one, so concurrent publishers (two replicas,
   * a part racing the timer) all emit the same content. Nothing is recorded for a post the store does
   * not hold (deleted meanwhile): returns null.
   */
  markPublished(postId: string, revision: number, event?: unknown): Promise<unknown>;
  /**
   * The deadline timer's offer of `event` for the revision before the transport acknowledged it.
   * Returns the event to send: the one already pending for the revision if there is one, else `event`
   * (now pending). Returns null, recording nothing, when the revision is no longer the post's
   * current, unpublished one (published meanwhile, replaced by a newer manifest, post dropped).
   */
  offer(postId: string, revision: number, event: unknown): Promise<unknown>;
  /** Drops what is held for the post (an orphan whose manifest never came): no tombstone, references kept. */
  drop(postId: string): Promise<void>;
  /**
   * Forgets the post, in one atomic step: its join state, its deadline and its image references go,
   * the tombstone stays (tombstoneTtlMs; a repeat restarts it). A post.deleted after a post.resolved
   * makes the tombstone a deletion; nothing turns a deletion back.
   *
   * Returns the images (sha256) no post uses now: the caller deletes their blobs and cached results,
   * then calls imagesDeleted. Until then every repeat (the input redelivered after a crash in between)
   * returns them again, those still unused, so a crash leaks nothing. Never returns an image another
   * post's manifest recorded.
   */
  forget(tombstone: PostTombstone): Promise<string[]>;
  /** What forget returned has been deleted: the tombstone stops naming those images. */
  imagesDeleted(postId: string): Promise<void>;
  /** The post's tombstone, or null when it was not forgotten (or longer ago than tombstoneTtlMs). */
  tombstoneOf(postId: string): Promise<PostTombstone | null>;
  /**
   * Of these images, those no post uses: what a late record of a forgotten post may have brought
   * back (the fetcher stores a replayed post's photos again, the stages cache their results again).
   */
  unusedImages(sha256s: readonly string[]): Promise<string[]>;
  /**
   * Posts whose manifest deadline has passed without publishing the manifest's revision, and orphans
   * (parts without a manifest) older than the orphan TTL. Sorted by deadline, oldest first.
   */
  listExpired(now: number): Promise<JoinState[]>;
}

// ---------------------------------------------------------------------------------------------
// Pure helpers shared by every implementation and by the aggregator stage
// ---------------------------------------------------------------------------------------------

/** Every (stage, photo) the manifest waits for: expected stages x photos the fetcher got. */
export function expectedParts(manifest: PostManifest): Array<{ stage: string; photo_id: string }> {
  const okPhotos = manifest.photos.filter((p) => p.status === 'ok').map((p) => p.photo_id);
  return manifest.expected_stages.flatMap((stage) => okPhotos.map((photo_id) => ({ stage, photo_id })));
}

/** Key of one part in published_parts. */
export function partKey(stage: string, photoId: string): string {
  return `${stage}:${photoId}`;
}

/** The expected parts not yet in (a failed part counts as in: nothing more will come for it). */
export function missingParts(state: JoinState): Array<{ stage: string; photo_id: string }> {
  if (!state.manifest) return [];
  const have = new Set(
    state.parts.filter((p) => p.record.revision === state.manifest!.revision).map((p) => `${p.stage}\u0000${p.record.photo_id}`),
  );
  return expectedParts(state.manifest).filter((e) => !have.has(`${e.stage}\u0000${e.photo_id}`));
}

export function isPublished(state: JoinState): boolean {
  return state.manifest !== null && state.published_revision !== null && state.published_revision >= state.manifest.revision;
}

/**
 * Whether a part of an older revision can serve the manifest's: the manifest lists its photo as
 * fetched, with the very image (sha256) the part analysed, and the part was made (`madeFor`: the
 * revision of the record the stage published) no earlier than the revision from which the manifest
 * wants its stage's answers current (stale_before).
 */
export function carries(manifest: PostManifest, stage: string, record: PartRecord, madeFor: number = record.revision): boolean {
  if (!record.sha256) return false;
  const currentFrom = manifest.stale_before?.[stage];
  if (currentFrom !== undefined && madeFor < currentFrom) return false;
  return manifest.photos.some((p) => p.status === 'ok' && p.photo_id === record.photo_id && p.sha256 === record.sha256);
}

/** The revision a stored part was made for (the record the stage published). */
export function madeFor(part: JoinPart): number {
  return part.carried_from ?? part.record.revision;
}

/** The images (sha256) of the photos the fetcher stored for the manifest: what the post uses. */
export function manifestImages(manifest: PostManifest): string[] {
  return [...new Set(manifest.photos.flatMap((p) => (p.status === 'ok' && p.sha256 ? [p.sha256] : [])))];
}

/** The answer of a write to a forgotten post: its tombstone, nothing else. */
export function forgottenState(tombstone: PostTombstone, now: number): JoinState {
  return { ...emptyState(tombstone.post_id, now), forgotten: { ...tombstone } };
}

function emptyState(postId: string, now: number): JoinState {
  return {
    post_id: postId,
    forgotten: null,
    manifest: null,
    parts: [],
    published_revision: null,
    first_seen_at: now,
    published_at: null,
    published_event: null,
    published_parts: [],
    published_records: [],
    pending_offer: null,
  };
}

/** Manifest in, every expected part in, not yet published. */
export function isReadyToPublish(state: JoinState): boolean {
  return state.manifest !== null && !isPublished(state) && missingParts(state).length === 0;
}

/** The manifest revision's parts, split by record type, for fusion. */
export function partsByType(state: JoinState): { detections: DetectionsRecord[]; texts: TextsRecord[]; descriptions: DescriptionRecord[] } {
  const revision = state.manifest?.revision;
  const of = (stage: AnalysisStage) =>
    state.parts.filter((p) => p.stage === stage && (revision === undefined || p.record.revision === revision)).map((p) => p.record);
  return {
    detections: of('detector') as DetectionsRecord[],
    texts: of('ocr') as TextsRecord[],
    descriptions: of('llm') as DescriptionRecord[],
  };
}

// ---------------------------------------------------------------------------------------------
// Embedded implementation
// ---------------------------------------------------------------------------------------------

export interface MemoryJoinStoreOptions {
  clock?: () => number;
  /** Parts with no manifest are reported as expired after this long (default 10 min). */
  orphanTtlMs?: number;
  /**
   * A published post is remembered this long (default 1 h) so late parts and redelivered records of
   * that revision are recognised as duplicates and not published twice.
   */
  publishedTtlMs?: number;
  /** A forgotten post's tombstone lives this long (default 7 days; MEDIA_AI_TOMBSTONE_TTL_HOURS). */
  tombstoneTtlMs?: number;
  /**
   * A post's use of an image is remembered this long after the last manifest listing it (default 7
   * days). It must outlive the blob and the cached results of the image: the runtime derives it.
   */
  imageReferenceTtlMs?: number;
}

/** Defaults of both stores: a week, Kafka's default retention (see MEDIA_AI_TOMBSTONE_TTL_HOURS). */
export const DEFAULT_TOMBSTONE_TTL_MS = 7 * 24 * 3_600_000;
export const DEFAULT_IMAGE_REFERENCE_TTL_MS = 7 * 24 * 3_600_000;

/** An entry of MemoryJoinStore's forgetting maps, with its expiry (the Redis keys' TTL). */
interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/** Embedded mode only: one process, state lost on restart (replay from uncommitted offsets rebuilds it). */
export class MemoryJoinStore implements JoinStore {
  private readonly posts = new Map<string, JoinState>();
  private readonly tombstones = new Map<string, Expiring<{ tombstone: PostTombstone; pending: string[] }>>();
  private readonly postImages = new Map<string, Expiring<Set<string>>>();
  private readonly imagePosts = new Map<string, Expiring<Set<string>>>();
  private readonly clock: () => number;
  private readonly orphanTtlMs: number;
  private readonly publishedTtlMs: number;
  private readonly tombstoneTtlMs: number;
  private readonly imageReferenceTtlMs: number;

  constructor(options: MemoryJoinStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.orphanTtlMs = options.orphanTtlMs ?? 10 * 60_000;
    this.publishedTtlMs = options.publishedTtlMs ?? 60 * 60_000;
    this.tombstoneTtlMs = options.tombstoneTtlMs ?? DEFAULT_TOMBSTONE_TTL_MS;
    this.imageReferenceTtlMs = options.imageReferenceTtlMs ?? DEFAULT_IMAGE_REFERENCE_TTL_MS;
  }

  /** Number of posts held (for tests and a gauge). */
  get size(): number {
    return this.posts.size;
  }

  /**
   * Everything held, named as RedisJoinStore names its keys (`post:<id>`, `post-images:<id>`,
   * `image-posts:<sha256>`, `tomb:<id>`), expired entries left out: for tests.
   */
  heldEntries(): Array<[string, unknown]> {
    this.pruneExpired(this.clock());
    const named = <T>(prefix: string, map: Map<string, T>, value: (v: T) => unknown) =>
      [...map].map(([key, v]): [string, unknown] => [`${prefix}${key}`, structuredClone(value(v))]);
    return [
      ...named('post:', this.posts, (state) => state),
      ...named('post-images:', this.postImages, (entry) => [...entry.value]),
      ...named('image-posts:', this.imagePosts, (entry) => [...entry.value]),
      ...named('tomb:', this.tombstones, (entry) => entry.value),
    ];
  }

  private stateOf(postId: string): JoinState {
    let state = this.posts.get(postId);
    if (!state) {
      state = emptyState(postId, this.clock());
      this.posts.set(postId, state);
    }
    return state;
  }

  /** The entry unless it expired (then it is removed, as Redis would have). */
  private live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.clock()) return entry.value;
    map.delete(key);
    return undefined;
  }

  private tombstone(postId: string): PostTombstone | null {
    return this.live(this.tombstones, postId)?.tombstone ?? null;
  }

  /** Records that the post uses these images, restarting both references' TTL. */
  private reference(postId: string, images: readonly string[]): void {
    if (images.length === 0) return;
    const expiresAt = this.clock() + this.imageReferenceTtlMs;
    const used = this.live(this.postImages, postId) ?? new Set<string>();
    for (const sha of images) {
      used.add(sha);
      const users = this.live(this.imagePosts, sha) ?? new Set<string>();
      users.add(postId);
      this.imagePosts.set(sha, { value: users, expiresAt });
    }
    this.postImages.set(postId, { value: used, expiresAt });
  }

  async get(postId: string): Promise<JoinState | null> {
    const state = this.posts.get(postId);
    return state ? structuredClone(state) : null;
  }

  async putManifest(manifest: PostManifest): Promise<JoinState> {
    const tombstone = this.tombstone(manifest.post_id);
    if (tombstone) return forgottenState(tombstone, this.clock());
    this.reference(manifest.post_id, manifestImages(manifest));
    const state = this.stateOf(manifest.post_id);
    const alreadyPublished = state.published_revision !== null && manifest.revision <= state.published_revision;
    const notNewer = state.manifest !== null && manifest.revision <= state.manifest.revision;
    if (!alreadyPublished && !notNewer) {
      state.manifest = structuredClone(manifest);
      const older = [...state.published_records, ...state.parts.filter((p) => p.record.revision < manifest.revision)];
      // Parts of older revisions complete this one only when carried over (same photo, same image, current).
      state.parts = state.parts.filter((p) => p.record.revision >= manifest.revision);
      for (const part of older) {
        if (carries(manifest, part.stage, part.record, madeFor(part)))
          this.upsert(state, part.stage, { ...part.record, revision: manifest.revision }, madeFor(part));
      }
      // An older revision's offer will never be offered again: this revision is the post's now.
      if (state.pending_offer && state.pending_offer.revision < manifest.revision) state.pending_offer = null;
    }
    return structuredClone(state);
  }

  async putPart(stage: AnalysisStage, record: PartRecord): Promise<JoinState> {
    const tombstone = this.tombstone(record.post_id);
    if (tombstone) return forgottenState(tombstone, this.clock());
    const state = this.stateOf(record.post_id);
    if (state.manifest !== null && record.revision < state.manifest.revision) {
      // Late for its own revision; it may still serve the open one.
      if (!isPublished(state) && carries(state.manifest, stage, record))
        this.upsert(state, stage, { ...record, revision: state.manifest.revision }, record.revision);
    } else if (state.published_revision === null || record.revision > state.published_revision) {
      this.upsert(state, stage, record);
    }
    return structuredClone(state);
  }

  /** `carriedFrom`: the revision the record was made for, when it is carried into a later one. */
  private upsert(state: JoinState, stage: AnalysisStage, record: PartRecord, carriedFrom?: number): void {
    const part: JoinPart = { stage, record: structuredClone(record) };
    if (carriedFrom !== undefined && carriedFrom !== record.revision) part.carried_from = carriedFrom;
    const index = state.parts.findIndex(
      (p) => p.stage === stage && p.record.photo_id === record.photo_id && p.record.revision === record.revision,
    );
    if (index === -1) state.parts.push(part);
    // First write wins, except that a success replaces a give-up (the stage retried and got through).
    else if (state.parts[index]!.record.status !== 'ok' && record.status === 'ok') state.parts[index] = part;
  }

  async markPublished(postId: string, revision: number, event?: unknown): Promise<unknown> {
    const state = this.posts.get(postId);
    if (!state) return null; // dropped meanwhile: it stays forgotten (no tombstone)
    if (state.published_revision !== null && revision < state.published_revision) return null; // an older revision: nothing to record
    if (state.published_revision !== revision) {
      const offered = state.pending_offer?.revision === revision ? state.pending_offer.event : undefined;
      const published = offered ?? event;
      state.published_revision = revision;
      state.published_event = published === undefined ? null : structuredClone(published);
      state.published_records = state.parts.filter((p) => p.record.revision === revision);
      state.published_parts = state.published_records.map((p) => partKey(p.stage, p.record.photo_id));
    }
    if (state.pending_offer && state.pending_offer.revision <= revision) state.pending_offer = null;
    state.published_at = this.clock();
    // The parts have done their job; keep only those of later revisions.
    state.parts = state.parts.filter((p) => p.record.revision > revision);
    return structuredClone(state.published_event);
  }

  async offer(postId: string, revision: number, event: unknown): Promise<unknown> {
    const state = this.posts.get(postId);
    if (!state?.manifest || state.manifest.revision !== revision || isPublished(state)) return null;
    if (state.pending_offer?.revision !== revision) state.pending_offer = { revision, event: structuredClone(event) };
    return structuredClone(state.pending_offer.event);
  }

  async drop(postId: string): Promise<void> {
    this.posts.delete(postId);
  }

  async forget(tombstone: PostTombstone): Promise<string[]> {
    const postId = tombstone.post_id;
    this.posts.delete(postId);
    const held = this.live(this.tombstones, postId);
    // The first ending event stays, except that a deletion overrides a resolution.
    const kept = held && !(tombstone.event_type === 'post.deleted' && held.tombstone.event_type !== 'post.deleted') ? held.tombstone : null;
    const candidates = new Set(held?.pending ?? []);
    for (const sha of this.live(this.postImages, postId) ?? []) {
      candidates.add(sha);
      const users = this.live(this.imagePosts, sha);
      users?.delete(postId);
      if (users?.size === 0) this.imagePosts.delete(sha);
    }
    this.postImages.delete(postId);
    const unused = [...candidates].filter((sha) => !this.live(this.imagePosts, sha)).sort();
    this.tombstones.set(postId, {
      value: { tombstone: kept ?? { ...tombstone }, pending: unused },
      expiresAt: this.clock() + this.tombstoneTtlMs,
    });
    return unused;
  }

  async imagesDeleted(postId: string): Promise<void> {
    const held = this.live(this.tombstones, postId);
    if (held) held.pending = [];
  }

  async tombstoneOf(postId: string): Promise<PostTombstone | null> {
    const tombstone = this.tombstone(postId);
    return tombstone ? { ...tombstone } : null;
  }

  async unusedImages(sha256s: readonly string[]): Promise<string[]> {
    return [...new Set(sha256s)].filter((sha) => !this.live(this.imagePosts, sha));
  }

  /** Forgetting's maps expire like Redis keys; pruned here so a long-running process stays bounded. */
  private pruneExpired(now: number): void {
    for (const map of [this.tombstones, this.postImages, this.imagePosts] as Array<Map<string, Expiring<unknown>>>) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
  }

  async listExpired(now: number): Promise<JoinState[]> {
    this.pruneExpired(now);
    const due: JoinState[] = [];
    for (const [postId, state] of this.posts) {
      if (state.manifest && !isPublished(state)) {
        if (state.manifest.deadline_at <= now) due.push(structuredClone(state));
        continue;
      }
      if (!state.manifest && state.published_revision === null) {
        if (state.first_seen_at + this.orphanTtlMs <= now) due.push(structuredClone(state));
        continue;
      }
      // Published (any parts left are of a newer revision whose manifest never came): forget it once
      // duplicates of the published revision are no longer likely.
      if (state.published_at !== null && state.published_at + this.publishedTtlMs <= now) this.posts.delete(postId);
    }
    const deadline = (s: JoinState) => s.manifest?.deadline_at ?? s.first_seen_at + this.orphanTtlMs;
    return due.sort((a, b) => deadline(a) - deadline(b));
  }
}
