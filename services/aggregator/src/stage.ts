/**
 * The aggregator stage: joins each post's manifest with its per-photo parts (detector, OCR, llm) and
 * publishes one post.enhanced per post revision on the enrichment topic — when every expected part is
 * in, or at the manifest's deadline with what it has (missing stages listed). A post that cannot be
 * enriched (no photos, every photo failed, a post the platform contract cannot carry) yields a
 * processing.error instead.
 *
 * It must never publish one revision twice with different content, never block a post forever on a
 * missing part, never record a post as published before its event can no longer be lost, and never
 * know which transport carries it. Fusion itself lives in @media-ai/enrich.
 *
 * When a post counts as published depends on the path:
 * - handle(): marked published before the event is returned. Safe because the runner commits the
 *   input only after the send; a failed send redelivers the input, which re-emits the stored event.
 * - the deadline timer: nothing redelivers a timer's output, so fire() only offers the event (held
 *   in the join store, so every replica and a restarted process offer the very same one) and
 *   onPublished (called by the runner once the transport acknowledged it) marks it published. Until
 *   then every firing offers the same event again.
 * Whoever publishes emits the event the store returns from markPublished: the first one recorded (or
 * offered) for the revision, so two publishers racing (a part and the timer, two replicas during a
 * rebalance) emit duplicates of one event, never two different ones.
 *
 * A part arriving after its revision was published is dropped or, with lateParts 'revise', published
 * in a revision + 1 that includes it (see revise()).
 *
 * Lifecycle (the fetcher's manifests: post.photo.added lists only the new photo, a post.updated that
 * asks the llm again the post's photos, every other change no photo at all):
 * - post.photo.added: the post's photos so far plus the new one, as one new revision; the store
 *   carries the parts of the photos already analysed over to it, so only the new photo is awaited.
 * - post.photo.removed: the photos so far minus the removed one (see removedPhotoIds), published at once.
 * - post.updated: only a new title or description can change the enrichment, and only through the
 *   llm, which reads them. When the fetcher asked the llm again (the manifest's stale_before names it,
 *   its photo records ask the llm to answer anew), the manifest is a new revision: the store carries
 *   the detector's and OCR's parts of the same images over and not the llm's older ones, so it waits
 *   for the llm's answer to the new text only (or its deadline) and publishes revision + event id of
 *   its own. Any other update (status, location, the llm off or not allowed for the tenant, every
 *   photo failing to download again) changes nothing: the published enrichment stays the post's.
 *   An update never reopens a resolved or deleted post. Later revisions keep stale_before, so no
 *   answer to the old text comes back through them (a photo added while the llm is still asked).
 * - post.resolved / post.deleted: the post is forgotten (see forget()): its join state goes and, of
 *   its photos, those no other post uses go too, blob and cached results, so nothing of the post is
 *   left but a tombstone; in-flight parts and replays of its manifests publish nothing.
 *
 * Forgetting. Photos are content-addressed, so a photo posted twice is one blob and one set of cached
 * results. The join store records which images each post's manifests listed and answers, when a post
 * is forgotten, which images no post uses any more; the aggregator deletes exactly those, from the blob
 * store and from the result cache (every stage, every model version), in the per-stage deployment
 * as in the embedded one: it is the one stage that sees a post's whole life, and it has Redis and the
 * blob store. A deletion that fails (a blob store or Redis outage) fails the input, which is retried;
 * the store keeps answering the same images until they are deleted (imagesDeleted), so a crash in
 * between leaks nothing. A record of a forgotten post that arrives later (a part in flight, a replayed
 * post.created the fetcher fetched again) stores nothing, and the images it names are deleted again
 * when no post uses them: the fetcher and the stages may have stored them anew.
 * Known limit: a new post whose photo is the forgotten post's last one, fetched in the moment before
 * the forgetting but with its manifest not yet at the aggregator, loses that blob and its cached
 * results (its parts then fail MEDIA_AI_BLOB_MISSING). The window is the aggregator's lag on
 * media-ai.posts behind the fetcher; closing it would need the fetcher to record the use before it
 * stores the photo.
 *
 * The detector and OCR read every photo record, so they also answer a post.updated's (from their
 * result cache while it holds the image, their models otherwise). Where the revision took their
 * earlier part over, that answer is about the very image the event already has an answer of theirs
 * for: stored or not, it publishes nothing and re-emits nothing (see onPart). It still counts where
 * the store held nothing to carry (the post's state expired): then it completes the revision.
 */
import {
  HEADERS,
  MediaAiError,
  STAGES,
  TOPICS,
  validatePostEnhanced,
  type AnalysisStage,
  type DescriptionRecord,
  type DetectionsRecord,
  type PartRecord,
  type PostEnhancedEvent,
  type PostManifest,
  type ProcessingErrorEvent,
  type ReviewDecisionRecord,
  type TextsRecord,
} from '@media-ai/contracts';
import { applyReviewDecision, buildProcessingError, fusePost, unenrichableReason, type ConfidenceThresholds } from '@media-ai/enrich';
import {
  carries,
  expectedParts,
  isPostEndingEvent,
  isPublished,
  isReadyToPublish,
  madeFor,
  manifestImages,
  partsByType,
  POST_ENDING_EVENTS,
  type ForgettableResultCache,
  type JoinState,
  type JoinStore,
} from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { InboundRecord, OutboundRecord, Stage, StageTimer } from '@media-ai/stream';
import { JoinTraces, tracerFor } from '@media-ai/telemetry';

export type AggregatorInput = PostManifest | DetectionsRecord | TextsRecord | DescriptionRecord | ReviewDecisionRecord;

export interface AggregatorStageOptions {
  store: JoinStore;
  /** The normalized photos: a forgotten post's images no other post uses are deleted from it. */
  blobs: BlobStore;
  /** The analysis stages' result cache: every entry about such an image is dropped from it. */
  cache: ForgettableResultCache;
  thresholds: ConfidenceThresholds;
  /** KAFKA_POST_ENHANCED_TOPIC (default media-ai.enrichment). */
  enrichmentTopic: string;
  /** Epoch ms; injectable so tests control deadlines. */
  clock?: () => number;
  /** How often the deadline timer looks for posts past their deadline_at. */
  deadlineCheckMs: number;
  /**
   * AGGREGATOR_LATE_PARTS: what a part arriving after its revision was published does. 'drop' ignores
   * it; 'revise' publishes revision + 1 with it (see revise()).
   */
  lateParts: 'drop' | 'revise';
}

/** Part topic -> the analysis stage that reports on it. */
const PART_TOPICS: Record<string, AnalysisStage> = {
  [TOPICS.detections]: STAGES.detector,
  [TOPICS.texts]: STAGES.ocr,
  [TOPICS.descriptions]: STAGES.llm,
};

/**
 * Lifecycle events after which nothing should be published for the post. A post closed by a release
 * before tombstones holds a manifest of one of them: the checks below keep such a post closed.
 */
const ENDING_EVENTS = new Set<string>(POST_ENDING_EVENTS);

/** Lifecycle events whose revision is the post's held photos changed by the event (see lifecycleManifest). */
const LIFECYCLE_CHANGES = new Set(['post.photo.added', 'post.photo.removed', 'post.updated']);

/**
 * The photos a post.photo.removed manifest takes away from `held` (the photos of the post's latest
 * revision): the manifest's removed_photo_ids (the fetcher names the event's photo), else — an event
 * that named none — the held photos the post itself (as fn-posts sent it after the removal) no longer
 * lists. Null when neither says: the post's photo list is absent or has an entry without an id
 * (post_details.photo_ids is null), so no removal can be told apart.
 */
export function removedPhotoIds(manifest: PostManifest, held: readonly string[]): string[] | null {
  if (manifest.removed_photo_ids.length > 0) return held.filter((id) => manifest.removed_photo_ids.includes(id));
  const listed = manifest.post_details.photo_ids;
  if (!listed) return null;
  return held.filter((id) => !listed.includes(id));
}

/**
 * The manifest a lifecycle event's revision is joined and fused with: the post's photos so far
 * (`held`, the latest manifest the store has) changed by the event, keeping what held says about
 * stale answers (stale_before). Null when the event changes nothing.
 */
export function lifecycleManifest(manifest: PostManifest, held: PostManifest | null): PostManifest | null {
  const stale_before = mergedStaleBefore(held, manifest);
  if (manifest.event_type === 'post.photo.added') {
    const added = new Set(manifest.photos.map((p) => p.photo_id));
    const kept = (held?.photos ?? []).filter((p) => !added.has(p.photo_id));
    return { ...manifest, photos: [...kept, ...manifest.photos], stale_before };
  }
  if (manifest.event_type === 'post.photo.removed') {
    if (!held) return null; // nothing held to re-aggregate without the photo
    const removed = removedPhotoIds(
      manifest,
      held.photos.map((p) => p.photo_id),
    );
    if (!removed || removed.length === 0) return null;
    return { ...manifest, photos: held.photos.filter((p) => !removed.includes(p.photo_id)), stale_before };
  }
  if (manifest.event_type === 'post.updated') {
    if (!asksAnew(manifest)) return null;
    // A post resolved or deleted stays closed: its content is forgotten, nothing more is published.
    if (held && ENDING_EVENTS.has(held.event_type)) return null;
    return { ...manifest, stale_before };
  }
  return manifest;
}

/**
 * Whether a post.updated manifest is a new revision: the fetcher asked some stage anew (stale_before
 * names it: the title or description changed and the llm is on) and got at least one photo again.
 * With none, the enrichment published before still describes the photos better than an error would.
 */
export function asksAnew(manifest: PostManifest): boolean {
  return Object.keys(manifest.stale_before ?? {}).length > 0 && manifest.photos.some((p) => p.status === 'ok');
}

/** Per stage, the later of the two revisions from which answers are current. */
function mergedStaleBefore(held: PostManifest | null, manifest: PostManifest): Record<string, number> {
  const merged: Record<string, number> = { ...held?.stale_before };
  for (const [stage, revision] of Object.entries(manifest.stale_before ?? {}))
    merged[stage] = Math.max(merged[stage] ?? revision, revision);
  return merged;
}

/**
 * Whether the published event was built from this very record: the part of its revision, or the one
 * carried over to it from the revision the record was made for. Only such a record's redelivery
 * re-emits the event (it may be the input whose send failed).
 */
function usedRecord(state: JoinState, stage: AnalysisStage, part: PartRecord): boolean {
  return state.published_records.some((p) => p.stage === stage && p.record.photo_id === part.photo_id && madeFor(p) === part.revision);
}

/**
 * Whether the published event already has a successful answer of this stage about this very image
 * (photo and sha256): another answer about the same pixels adds nothing, and it cannot have been the
 * input that published the event (it was not stored; see onPart).
 */
function alreadyAnswered(state: JoinState, stage: AnalysisStage, part: PartRecord): boolean {
  return state.published_records.some(
    (p) => p.stage === stage && p.record.photo_id === part.photo_id && p.record.sha256 === part.sha256 && p.record.status === 'ok',
  );
}

type OutputEvent = PostEnhancedEvent | ProcessingErrorEvent;

export function createAggregatorStage(options: AggregatorStageOptions): Stage<AggregatorInput> {
  const { store, blobs, cache, thresholds, enrichmentTopic } = options;
  const clock = options.clock ?? Date.now;
  // Links each published event's span to the spans of the records it joined (a trace viewer then
  // shows where every part came from); in memory only, so a restart loses links, never events.
  const traces = new JoinTraces(tracerFor('@media-ai/aggregator-service'));

  /**
   * One post at a time: a part and the deadline timer finishing the same post concurrently would
   * otherwise both see "not yet published" and publish twice.
   */
  const locks = new Map<string, Promise<unknown>>();
  function withPostLock<T>(postId: string, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(postId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    locks.set(postId, tail);
    void tail.then(() => {
      if (locks.get(postId) === tail) locks.delete(postId);
    });
    return run;
  }

  function toOutbound(event: OutputEvent, postId: string, correlationId: string | null): OutboundRecord {
    // Header names as the Python original set them, so platform consumers can filter by type.
    const headers: Record<string, string> = { event_type: event.event_type, content_type: 'application/json', source: 'fn-media-ai' };
    if (correlationId) headers[HEADERS.correlationId] = correlationId;
    Object.assign(
      headers,
      traces.publishSpan(`aggregator publish ${enrichmentTopic}`, postId, {
        'messaging.destination.name': enrichmentTopic,
        'media_ai.event_type': event.event_type,
      }),
    );
    return { topic: enrichmentTopic, key: postId, value: event, headers };
  }

  /** The revision's event: the one already offered for it, else built now (enhanced, or error when it cannot be). */
  function eventFor(state: JoinState): OutputEvent {
    const manifest = state.manifest!;
    if (state.pending_offer?.revision === manifest.revision) return state.pending_offer.event as OutputEvent;
    const now = clock();
    let event: OutputEvent;
    const reason = unenrichableReason(manifest);
    if (reason) {
      event = buildProcessingError({ manifest, code: reason, now });
    } else {
      try {
        event = fusePost({ manifest, ...partsByType(state), thresholds, now });
        const check = validatePostEnhanced(event);
        if (!check.valid) {
          // A bug on our side, not the post's: say so downstream instead of publishing a broken contract.
          event = buildProcessingError({
            manifest,
            code: 'MEDIA_AI_INTERNAL',
            message: `post.enhanced failed its schema: ${check.errors.slice(0, 3).join('; ')}`,
            now,
          });
        }
      } catch (error) {
        // Only a post the contract cannot carry becomes an error event; anything else is retried.
        if (!(error instanceof MediaAiError) || error.retryable) throw error;
        event = buildProcessingError({ manifest, code: error.code, message: error.message, now });
      }
    }
    return event;
  }

  /**
   * The handle() path: records the revision as published, then returns its event. A failed send
   * fails the batch and redelivers this input, and republish() re-emits the stored event.
   */
  async function publish(state: JoinState): Promise<OutboundRecord[]> {
    const manifest = state.manifest!;
    // A closed revision whose closing was cut short (a crash between its steps): finish closing it.
    if (ENDING_EVENTS.has(manifest.event_type)) {
      await store.markPublished(manifest.post_id, manifest.revision);
      return [];
    }
    // The deadline already offered this revision and re-offers it until acknowledged: publishing
    // it here as well would only send it twice.
    if (state.pending_offer?.revision === manifest.revision) return [];
    const published = (await store.markPublished(manifest.post_id, manifest.revision, eventFor(state))) as OutputEvent | null;
    // Null: the post was dropped meanwhile (deleted); otherwise the revision's one event.
    return published ? [toOutbound(published, manifest.post_id, manifest.correlation_id)] : [];
  }

  /** A redelivered input of the published revision re-emits the same event (same id): see JoinState. */
  function republish(state: JoinState): OutboundRecord[] {
    if (!state.published_event || !state.manifest) return [];
    return [toOutbound(state.published_event as OutputEvent, state.post_id, state.manifest.correlation_id)];
  }

  /**
   * post.resolved / post.deleted: forgets the post. The store drops its join state and references
   * and keeps a tombstone, so parts still in flight and replays of older manifests store and publish
   * nothing; the images no other post uses are deleted, then the store is told so. Repeating it
   * changes nothing (or finishes a forgetting a crash cut short).
   */
  async function forget(manifest: PostManifest): Promise<OutboundRecord[]> {
    const eventType = manifest.event_type;
    if (!isPostEndingEvent(eventType)) throw new MediaAiError('MEDIA_AI_INTERNAL', `${eventType} does not end a post`);
    const unused = await store.forget({ post_id: manifest.post_id, event_type: eventType, at: manifest.received_at });
    if (unused.length === 0) return [];
    await deleteImages(unused);
    await store.imagesDeleted(manifest.post_id);
    return [];
  }

  /** A record of a forgotten post: the images it names go again unless some post uses them. */
  async function forgetAgain(images: ReadonlyArray<string | null>): Promise<OutboundRecord[]> {
    const named = images.filter((sha): sha is string => sha !== null && sha !== '');
    if (named.length > 0) await deleteImages(await store.unusedImages(named));
    return [];
  }

  /** Every trace of images no post uses: the normalized photo and what any stage cached about it. */
  async function deleteImages(images: readonly string[]): Promise<void> {
    for (const sha256 of images) {
      await cache.forgetImage(sha256);
      await blobs.delete(sha256);
    }
  }

  async function onManifest(received: PostManifest): Promise<OutboundRecord[]> {
    if (ENDING_EVENTS.has(received.event_type)) return forget(received);
    // An update that asks nothing anew changes nothing: not even a read of the store.
    if (received.event_type === 'post.updated' && !asksAnew(received)) return [];
    let manifest: PostManifest | null = received;
    if (LIFECYCLE_CHANGES.has(received.event_type)) {
      const held = (await store.get(received.post_id))?.manifest ?? null;
      if (held && held.revision >= received.revision) {
        // A redelivery finds its revision's photos held (a removal could not be told from the post
        // again: the photo is gone from what is held); an older event is simply stale.
        if (held.revision > received.revision) return [];
        manifest = held;
      } else {
        manifest = lifecycleManifest(received, held);
        if (!manifest) return [];
      }
    }
    const state = await store.putManifest(manifest);
    if (state.forgotten) return forgetAgain(manifestImages(manifest));
    if (!state.manifest || state.manifest.revision !== manifest.revision) return []; // an older revision
    if (isPublished(state)) return state.published_revision === manifest.revision ? republish(state) : [];
    if (unenrichableReason(manifest) || isReadyToPublish(state)) return publish(state);
    return [];
  }

  /**
   * Once the revision is published, only a record the event was built from is a redelivery (of its
   * revision, or of an older one the store carried over to it) and re-emits it. Another answer about
   * the same image adds nothing. Any other part is late: dropped, or it revises the post (lateParts).
   *
   * Why an answer that was not stored may stay silent: to publish, a handler needs a state that is
   * complete and unpublished, and a part that is not stored leaves the state as it was, so whoever
   * made it complete (a stored part, the manifest) has either published it or, having crashed before
   * that, is redelivered itself.
   */
  async function onPart(stage: AnalysisStage, part: PartRecord): Promise<OutboundRecord[]> {
    const state = await store.putPart(stage, part);
    if (state.forgotten) return forgetAgain([part.sha256]);
    if (state.manifest && isPublished(state)) {
      if (usedRecord(state, stage, part)) return republish(state);
      if (alreadyAnswered(state, stage, part)) return [];
      const sameRevision =
        part.revision === state.published_revision || (part.revision < state.manifest.revision && carries(state.manifest, stage, part));
      return options.lateParts === 'revise' && sameRevision ? revise(state, stage, part) : [];
    }
    return isReadyToPublish(state) ? publish(state) : [];
  }

  /**
   * A late part of the published revision (R): publishes R + 1, the same manifest with the parts R was
   * built from (putManifest carries them over: same photos, same images) plus this one. Only a
   * successful answer the manifest waited for (an expected stage on a fetched photo) is worth a new
   * event; a closed post never gets one.
   *
   * Exactly once: the event id is derived from post id + R + 1 like every revision's. Its redelivery
   * finds the part in R + 1's published_parts and re-emits that same event (onPart), never R + 2. A
   * crash between the store writes below leaves R + 1 open with R's deadline (already past): the
   * redelivered part joins it (putPart carries it) and the deadline timer publishes it.
   *
   * Known limit: R + 1 is one second of the fetcher's revision clock (see the fetcher's revisionOf); a
   * lifecycle event of the post in the very next second would share it and be kept out as not newer.
   */
  async function revise(state: JoinState, stage: AnalysisStage, part: PartRecord): Promise<OutboundRecord[]> {
    const manifest = state.manifest!;
    if (ENDING_EVENTS.has(manifest.event_type) || part.status !== 'ok') return [];
    if (!expectedParts(manifest).some((e) => e.stage === stage && e.photo_id === part.photo_id)) return [];
    // The part must be of this image for the store to carry it into R + 1 (a part of R itself is, by the fetcher).
    if (!carries(manifest, stage, part)) return [];
    // R's stale_before comes along: R + 1 takes over R's parts, never the older answers R left out.
    const next: PostManifest = { ...manifest, revision: manifest.revision + 1 };
    await store.putManifest(next);
    const revised = await store.putPart(stage, part);
    if (!revised.manifest || revised.manifest.revision !== next.revision || isPublished(revised)) return [];
    // R's deadline has passed (that is why R went out without this part): publish now with what is in.
    return publish(revised);
  }

  /**
   * A reviewer's decision (media-ai.reviews) on a tag of the published enrichment: publishes the next
   * revision with it applied (libs/enrich applyReviewDecision), built from the event last published,
   * so decisions made one after another on the same revision all land. A decision already applied
   * (a redelivery) re-emits the latest event, which may be the one whose send failed. A post that is
   * forgotten, not held, closed, or has a newer revision still open takes no decision: the desk shows
   * what is published, and the decision is still on its topic for the eval.
   * Known limit: a later revision fused anew (a photo added) does not carry earlier decisions over.
   */
  async function onReview(decision: ReviewDecisionRecord): Promise<OutboundRecord[]> {
    const state = await store.get(decision.post_id);
    if (!state?.manifest || state.forgotten || !isPublished(state) || ENDING_EVENTS.has(state.manifest.event_type)) return [];
    if (state.published_revision !== state.manifest.revision) return [];
    const current = state.published_event as OutputEvent | null;
    if (current?.event_type !== 'post.enhanced' || decision.revision > current.data.revision) return [];
    const next = applyReviewDecision(current, decision, clock());
    if (!next) return republish(state);
    // The same photos and parts under the next revision number, published at once with the decision applied.
    await store.putManifest({ ...state.manifest, revision: next.data.revision });
    const published = (await store.markPublished(decision.post_id, next.data.revision, next)) as OutputEvent | null;
    return published ? [toOutbound(published, decision.post_id, state.manifest.correlation_id)] : [];
  }

  const deadlineTimer: StageTimer = {
    everyMs: options.deadlineCheckMs,
    /** Offers each expired post's event; records nothing (see onPublished). Safe to repeat. */
    async fire(): Promise<OutboundRecord[]> {
      const outputs: OutboundRecord[] = [];
      for (const expired of await store.listExpired(clock())) {
        const due = await withPostLock(expired.post_id, async (): Promise<OutboundRecord[]> => {
          if (!expired.manifest) {
            // Parts whose manifest never came: nothing to publish against; forget them.
            await store.drop(expired.post_id);
            return [];
          }
          // Re-read under the lock: a part may have completed the post, or a newer revision (with its
          // own deadline) replaced the manifest, since listExpired.
          const state = await store.get(expired.post_id);
          if (!state?.manifest || state.manifest.revision !== expired.manifest.revision || isPublished(state)) return [];
          if (ENDING_EVENTS.has(state.manifest.event_type)) return publish(state); // closes it, publishes nothing
          // The store keeps the first offer of the revision: this replica may have died after sending it.
          const offer = (await store.offer(state.post_id, state.manifest.revision, eventFor(state))) as OutputEvent | null;
          return offer ? [toOutbound(offer, state.post_id, state.manifest.correlation_id)] : [];
        });
        outputs.push(...due);
      }
      return outputs;
    },
    /** The transport has the events: only now may the store stop offering their posts. */
    async onPublished(records): Promise<void> {
      for (const record of records) {
        const event = record.value as OutputEvent;
        const { post_id: postId, revision } = event.data;
        // A post deleted since the offer stays closed: the store records nothing for a revision
        // older than the closed one, nor for a post it no longer holds.
        await withPostLock(postId, () => store.markPublished(postId, revision, event));
      }
    },
  };

  return {
    name: STAGES.aggregator,
    inputs: [TOPICS.posts, TOPICS.detections, TOPICS.texts, TOPICS.descriptions, TOPICS.reviews],
    timers: [deadlineTimer],
    /** The post-enhanced schema compiles once per process (ajv, ~230 ms of CPU): here, not on the first post published. */
    async start(): Promise<void> {
      validatePostEnhanced({});
    },
    async handle(record: InboundRecord<AggregatorInput>): Promise<OutboundRecord[]> {
      traces.remember((record.value as { post_id: string }).post_id);
      if (record.topic === TOPICS.posts) {
        const manifest = record.value as PostManifest;
        return withPostLock(manifest.post_id, () => onManifest(manifest));
      }
      if (record.topic === TOPICS.reviews) {
        const decision = record.value as ReviewDecisionRecord;
        return withPostLock(decision.post_id, () => onReview(decision));
      }
      const stage = PART_TOPICS[record.topic];
      if (!stage) throw new MediaAiError('MEDIA_AI_BAD_RECORD', `aggregator does not read topic ${record.topic}`);
      const part = record.value as PartRecord;
      return withPostLock(part.post_id, () => onPart(stage, part));
    },
  };
}
