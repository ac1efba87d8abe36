/**
 * Join state of the aggregator: per post, the manifest (what to wait for) and the per-photo parts that
 * arrived, so the post can be published once complete or at its deadline. The interface is async so
 * RedisJoinStore (production, redis-join-store.ts) and the embedded MemoryJoinStore are
 * interchangeable; test-support/join-store-contract.ts holds both to the same contract.
 *
 * Every write is idempotent, because delivery is at-least-once: a redelivered part or manifest leaves
 * the state as it was. A store must never decide to publish: it only answers what has arrived; the
 * stage decides (the pure helpers below say when a post is complete).
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

export interface JoinState {
  post_id: string;
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
   * Stores a manifest; an older or equal revision than the one held is ignored. Parts of older
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
  /** Forgets the post entirely (post deleted, orphan expired). */
  drop(postId: string): Promise<void>;
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
}

/** Embedded mode only: one process, state lost on restart (replay from uncommitted offsets rebuilds it). */
export class MemoryJoinStore implements JoinStore {
  private readonly posts = new Map<string, JoinState>();
  private readonly clock: () => number;
  private readonly orphanTtlMs: number;
  private readonly publishedTtlMs: number;

  constructor(options: MemoryJoinStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.orphanTtlMs = options.orphanTtlMs ?? 10 * 60_000;
    this.publishedTtlMs = options.publishedTtlMs ?? 60 * 60_000;
  }

  /** Number of posts held (for tests and a gauge). */
  get size(): number {
    return this.posts.size;
  }

  private stateOf(postId: string): JoinState {
    let state = this.posts.get(postId);
    if (!state) {
      state = {
        post_id: postId,
        manifest: null,
        parts: [],
        published_revision: null,
        first_seen_at: this.clock(),
        published_at: null,
        published_event: null,
        published_parts: [],
        published_records: [],
        pending_offer: null,
      };
      this.posts.set(postId, state);
    }
    return state;
  }

  async get(postId: string): Promise<JoinState | null> {
    const state = this.posts.get(postId);
    return state ? structuredClone(state) : null;
  }

  async putManifest(manifest: PostManifest): Promise<JoinState> {
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

  async listExpired(now: number): Promise<JoinState[]> {
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
