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
 * - the deadline timer: nothing redelivers a timer's output, so fire() only offers the event and
 *   onPublished (called by the runner once the transport acknowledged it) marks it published. Until
 *   then every firing offers the same event object again.
 */
import {
  HEADERS,
  MediaAiError,
  TOPICS,
  validatePostEnhanced,
  type AnalysisStage,
  type DescriptionRecord,
  type DetectionsRecord,
  type PartRecord,
  type PostEnhancedEvent,
  type PostManifest,
  type ProcessingErrorEvent,
  type TextsRecord,
} from '@media-ai/contracts';
import { buildProcessingError, fusePost, unenrichableReason, type ConfidenceThresholds } from '@media-ai/enrich';
import { isPublished, isReadyToPublish, partKey, partsByType, type JoinState, type JoinStore } from '@media-ai/state';
import type { InboundRecord, OutboundRecord, Stage, StageTimer } from '@media-ai/stream';

export type AggregatorInput = PostManifest | DetectionsRecord | TextsRecord | DescriptionRecord;

export interface AggregatorStageOptions {
  store: JoinStore;
  thresholds: ConfidenceThresholds;
  /** KAFKA_POST_ENHANCED_TOPIC (default media-ai.enrichment). */
  enrichmentTopic: string;
  /** Epoch ms; injectable so tests control deadlines. */
  clock?: () => number;
  /** How often the deadline timer looks for posts past their deadline_at. */
  deadlineCheckMs: number;
}

/** Part topic -> the analysis stage that reports on it. */
const PART_TOPICS: Record<string, AnalysisStage> = {
  [TOPICS.detections]: 'detector',
  [TOPICS.texts]: 'ocr',
  [TOPICS.descriptions]: 'llm',
};

/** Lifecycle events after which nothing should be published for the post. */
const ENDING_EVENTS = new Set(['post.deleted', 'post.resolved']);

type OutputEvent = PostEnhancedEvent | ProcessingErrorEvent;

export function createAggregatorStage(options: AggregatorStageOptions): Stage<AggregatorInput> {
  const { store, thresholds, enrichmentTopic } = options;
  const clock = options.clock ?? Date.now;

  /**
   * Deadline events offered but not yet acknowledged, by post id. Later firings re-offer this very
   * event rather than building another: a send that failed may still have reached the broker (a
   * timeout after the write), so the revision's id must never go out again with different content
   * (a new timestamp, parts that came since). While an offer is pending the timer owns the revision,
   * and handle() publishes nothing for it. In memory only: after a restart the post is still
   * unpublished in the store and is offered afresh.
   */
  const offered = new Map<string, { revision: number; event: OutputEvent }>();

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
    return { topic: enrichmentTopic, key: postId, value: event, headers };
  }

  /** The revision's event: the one already offered for it, else built now (enhanced, or error when it cannot be). */
  function eventFor(state: JoinState): OutputEvent {
    const manifest = state.manifest!;
    const pending = offered.get(manifest.post_id);
    if (pending?.revision === manifest.revision) return pending.event;
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
          event = buildProcessingError({ manifest, code: 'MEDIA_AI_INTERNAL', message: `post.enhanced failed its schema: ${check.errors.slice(0, 3).join('; ')}`, now });
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
    // The deadline already offered this revision and re-offers it until acknowledged: publishing
    // it here as well would only send it twice.
    if (offered.get(manifest.post_id)?.revision === manifest.revision) return [];
    const event = eventFor(state);
    await store.markPublished(manifest.post_id, manifest.revision, event);
    return [toOutbound(event, manifest.post_id, manifest.correlation_id)];
  }

  /** A redelivered input of the published revision re-emits the same event (same id): see JoinState. */
  function republish(state: JoinState): OutboundRecord[] {
    if (!state.published_event || !state.manifest) return [];
    return [toOutbound(state.published_event as OutputEvent, state.post_id, state.manifest.correlation_id)];
  }

  async function onManifest(manifest: PostManifest): Promise<OutboundRecord[]> {
    if (ENDING_EVENTS.has(manifest.event_type)) {
      await store.drop(manifest.post_id);
      offered.delete(manifest.post_id);
      return [];
    }
    const state = await store.putManifest(manifest);
    if (!state.manifest || state.manifest.revision !== manifest.revision) return []; // an older revision
    // This revision is now the post's: an older one's unacknowledged offer will never be offered again.
    const pending = offered.get(manifest.post_id);
    if (pending && pending.revision < manifest.revision) offered.delete(manifest.post_id);
    if (isPublished(state)) return state.published_revision === manifest.revision ? republish(state) : [];
    if (unenrichableReason(manifest) || isReadyToPublish(state)) return publish(state);
    return [];
  }

  async function onPart(stage: AnalysisStage, part: PartRecord): Promise<OutboundRecord[]> {
    const state = await store.putPart(stage, part);
    if (state.manifest && isPublished(state)) {
      // Only a part the published event was built from is a redelivery; a late one is simply too late.
      const wasIncluded = part.revision === state.published_revision && state.published_parts.includes(partKey(stage, part.photo_id));
      return wasIncluded ? republish(state) : [];
    }
    return isReadyToPublish(state) ? publish(state) : [];
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
          const event = eventFor(state);
          offered.set(state.post_id, { revision: state.manifest.revision, event });
          return [toOutbound(event, state.post_id, state.manifest.correlation_id)];
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
        await withPostLock(postId, async () => {
          // A post deleted since the offer stays forgotten (marking it would leave a tombstone behind).
          if (await store.get(postId)) await store.markPublished(postId, revision, event);
          if (offered.get(postId)?.revision === revision) offered.delete(postId);
        });
      }
    },
  };

  return {
    name: 'aggregator',
    inputs: [TOPICS.posts, TOPICS.detections, TOPICS.texts, TOPICS.descriptions],
    timers: [deadlineTimer],
    async handle(record: InboundRecord<AggregatorInput>): Promise<OutboundRecord[]> {
      if (record.topic === TOPICS.posts) {
        const manifest = record.value as PostManifest;
        return withPostLock(manifest.post_id, () => onManifest(manifest));
      }
      const stage = PART_TOPICS[record.topic];
      if (!stage) throw new MediaAiError('MEDIA_AI_BAD_RECORD', `aggregator does not read topic ${record.topic}`);
      const part = record.value as PartRecord;
      return withPostLock(part.post_id, () => onPart(stage, part));
    },
  };
}
