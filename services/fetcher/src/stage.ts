/**
 * The fetcher stage: reads a posts.events record, downloads the post's photos, normalizes them,
 * stores each normalized JPEG by its sha256, and publishes one PostManifest (media-ai.posts) plus one
 * PhotoRecord per good photo (media-ai.photos), all keyed by post id.
 *
 * - Irrelevant event types produce nothing; `onSkippedEvent` hears of each (the wiring counts and logs them).
 * - An event asking to fetch more photos than a post may have (`maxPhotosPerPost`) fails with
 *   MEDIA_AI_TOO_MANY_PHOTOS, so the runner dead-letters it with that reason.
 * - post.created fetches every photo; post.photo.added fetches its one photo. post.photo.removed,
 *   post.resolved and post.deleted publish a manifest without photos: the aggregator decides what the
 *   lifecycle change means for the published enrichment.
 * - post.updated that changes the title or description (changesPostText) while a stage reading the
 *   post text is expected for the post (textDependentStages: the llm, when it is on and the tenant
 *   allows it) fetches every photo of the post again, as post.created does, with the new text: photo
 *   records that ask those stages to answer anew (`reasked_stages`, so the llm does not answer from
 *   its cache, whose key deliberately leaves the text out) and a manifest whose `stale_before` tells
 *   the aggregator not to reuse their older answers. The other stages' parts are reused by the
 *   aggregator (same images); they answer the records from their result cache. Any other update
 *   publishes a manifest without photos, which changes nothing.
 * - A photo that fails is listed in the manifest as failed with its error code and the post goes on.
 *   Only when no photo succeeded and a retry could help (source down, timeouts) does the whole event
 *   fail, so the runner retries it; if it gives up, `onGiveUp` still publishes a manifest listing every
 *   photo as failed, so the aggregator never waits for a post that will not come.
 *
 * Faces are found here, once per photo, because every image that leaves the process derives from the
 * photo stored here and the llm reads it in parallel with the detector: the photo record carries the
 * boxes (`faces`), the stored photo stays as it is, and each exit blurs with those boxes (measured:
 * blurring the stored photo cost the detector and OCR the items under BlazeFace's false faces, a cup
 * and a watch face, for no privacy gain inside the process). Without a face model the record says
 * `faces: null` (nobody looked), and such a photo does not leave the process.
 *
 * Tenants that do not allow third-party AI (PostEvent.thirdPartyAiAllowed) get photo records flagged
 * `third_party_ai: false` and manifests that do not wait for the stages sending photos out (llm):
 * those stages then make no call for them.
 *
 * With a malware scanner, each photo's original bytes are scanned before anything decodes them: an
 * infected photo is listed as failed (MEDIA_AI_PHOTO_INFECTED, the signature in its message) and the
 * post's other photos go on; while the scanner is down the event waits (an outage), so no photo is
 * ever published unscanned.
 *
 * Identifiers the post's own title and description name (a serial, an IMEI, a passport number) are
 * masked in the text it passes on and carried beside it as keyed hashes (`post_identifiers`,
 * post-text.ts), so the matcher can pair the post with a photo showing them.
 *
 * Must never publish photo bytes (blob references only) or an identifier's value, never let a photo
 * with metadata reach the blob store, and never read configuration or clocks other than the injected
 * ones.
 */
import {
  HEADERS,
  isRelevantEventType,
  MediaAiError,
  NO_JSON_COPIES,
  peekEventType,
  readPostEvent,
  STAGES,
  toMediaAiError,
  TOPICS,
  type FaceRecord,
  type ManifestPhoto,
  type NamedColor,
  type PhotoRecord,
  type PostEvent,
  type PostEventPhoto,
  type PostManifest,
} from '@media-ai/contracts';
import type { PhotoScanner } from '@media-ai/clamav';
import type { BlobStore, PhotoSource } from '@media-ai/storage';
import { mapBounded, type InboundRecord, type OutboundRecord, type Stage, type StageContext } from '@media-ai/stream';
import { dominantColors, normalizePhoto, type DominantColorOptions, type FaceDetector, type NormalizeOptions } from '@media-ai/vision';
import { identifierKeyId } from '@media-ai/privacy/identifiers';
import { postTextOf, type PostText } from './post-text.js';
import { revisionOf } from './revision.js';

export interface FetcherStageOptions {
  /** The platform topics it reads (KAFKA_CONSUMER_TOPICS); default `posts.events`. */
  inputs?: readonly string[];
  sources: PhotoSource;
  blobs: BlobStore;
  normalize: NormalizeOptions;
  /** Analysis stages the aggregator waits for (only the ones switched on). */
  expectedStages: readonly string[];
  /** How long after receipt the aggregator publishes with what it has. */
  deadlineMs: number;
  /** Photos of one post fetched at the same time (GCS_MAX_CONCURRENT_DOWNLOADS). */
  concurrency: number;
  /** Posts handled at the same time by the runner. Default 1. */
  eventConcurrency?: number;
  colors?: DominantColorOptions;
  /** Epoch ms; injectable for tests. */
  clock?: () => number;
  /**
   * Called once per photo listed as failed in a published manifest, with its error code (the wiring
   * counts media_ai_photo_failures_total{code}). Not called for attempts the runner will retry, so a
   * retried post is not counted twice. Must not throw.
   */
  onPhotoFailure?: (code: string) => void;
  /** Stages that send photos to a third party, not awaited for a tenant that disallows it. Default ['llm']. */
  thirdPartyStages?: readonly string[];
  /** Stages whose answer depends on the post's title and description, asked anew when they change. Default ['llm']. */
  textDependentStages?: readonly string[];
  /** Finds the faces on each normalized photo; null or absent: nobody looks, records say `faces: null`. */
  faces?: Pick<FaceDetector, 'detectInJpeg'> | null;
  /** Called with the number of faces found on each stored photo (media_ai_faces_detected_total). Must not throw. */
  onFacesFound?: (count: number) => void;
  /**
   * Scans each photo's original bytes before anything decodes them (SCAN_FOR_MALWARE): throws
   * MEDIA_AI_PHOTO_INFECTED for a photo carrying a signature, an outage while the scanner is down.
   * Null or absent: photos are not scanned.
   */
  scanner?: Pick<PhotoScanner, 'scanPhoto'> | null;
  /** Most photos one event may ask to fetch (the platform allows 10); absent: no cap. */
  maxPhotosPerPost?: number;
  /** Called for each record skipped: its event type, and why. Must not throw. */
  onSkippedEvent?: (eventType: string, reason: 'unhandled_type' | 'ai_processing_off') => void;
  /**
   * The HMAC key of identifier hashes (MEDIA_AI_IDENTIFIER_KEY, identifierKeyOf in @media-ai/config):
   * the ocr stage hashes what it reads with the same key, so both sides of a match agree.
   */
  identifierKey: Buffer;
}

/** The post fields the text-dependent stages read (the llm's prompt context). */
const TEXT_FIELDS = ['title', 'description'] as const;

type PhotoOutcome = { photo: PostEventPhoto; record: PhotoRecord } | { photo: PostEventPhoto; error: MediaAiError };

const JPEG = 'image/jpeg';

export function createFetcherStage(options: FetcherStageOptions): Stage<unknown> {
  // A key too short to be one fails here, at start-up, not on the first post that names an identifier.
  identifierKeyId(options.identifierKey);
  const clock = options.clock ?? Date.now;
  const thirdPartyStages = new Set(options.thirdPartyStages ?? [STAGES.llm]);
  const textDependentStages = new Set(options.textDependentStages ?? [STAGES.llm]);

  function expectedStages(event: PostEvent): string[] {
    return event.thirdPartyAiAllowed ? [...options.expectedStages] : options.expectedStages.filter((s) => !thirdPartyStages.has(s));
  }

  /** The stages this event asks to answer anew: the expected text-dependent ones, when an update changed the text. */
  function reaskedStages(event: PostEvent): string[] {
    return changesPostText(event) ? expectedStages(event).filter((s) => textDependentStages.has(s)) : [];
  }

  /** The photos an event asks us to fetch (see the module comment for the lifecycle events). */
  function photosToFetch(event: PostEvent): PostEventPhoto[] {
    switch (event.eventType) {
      case 'post.created':
        return event.post.photos;
      case 'post.photo.added':
        return event.photo ? [event.photo] : [];
      case 'post.updated':
        return reaskedStages(event).length > 0 ? event.post.photos : [];
      default:
        return [];
    }
  }

  async function fetchPhoto(photo: PostEventPhoto, event: PostEvent, revision: number, signal: AbortSignal): Promise<PhotoOutcome> {
    try {
      const original = await options.sources.fetch(photo.url, signal);
      // Before any decoder sees the bytes: an infected photo is never decoded nor stored.
      await options.scanner?.scanPhoto(original.bytes, signal);
      const normalized = await normalizePhoto(original.bytes, options.normalize);
      const [colors, faces] = await Promise.all([
        dominantColors(normalized.jpeg, options.colors),
        findFaces(normalized.jpeg),
        options.blobs.put(normalized.sha256, normalized.jpeg, JPEG),
      ]);
      const record = photoRecord(
        event,
        photo,
        revision,
        normalized,
        colors,
        reaskedStages(event),
        postTextOf(event.post, options.identifierKey),
      );
      return { photo, record: { ...record, faces } };
    } catch (error) {
      return { photo, error: toMediaAiError(error) };
    }
  }

  async function findFaces(jpeg: Buffer): Promise<FaceRecord[] | null> {
    if (!options.faces) return null;
    const faces = (await options.faces.detectInJpeg(jpeg)).map(({ confidence, box, keypoints }) => ({ confidence, box, keypoints }));
    options.onFacesFound?.(faces.length);
    return faces;
  }

  function manifest(event: PostEvent, revision: number, receivedAt: number, photos: ManifestPhoto[]): PostManifest {
    const text = postTextOf(event.post, options.identifierKey);
    return {
      post_id: event.postId,
      revision,
      event_id: event.eventId,
      event_type: event.eventType,
      correlation_id: event.correlationId,
      received_at: receivedAt,
      deadline_at: receivedAt + options.deadlineMs,
      post_title: text.title,
      post_description: text.description,
      post_type: event.post.type,
      organization_id: event.organizationId,
      ai_policy: event.aiPolicy,
      // v3 carries the post, owner and organization typed (post_details, post_owner, post_organization).
      ...NO_JSON_COPIES,
      photos,
      expected_stages: expectedStages(event),
      removed_photo_ids: event.eventType === 'post.photo.removed' && event.photo ? [event.photo.id] : [],
      // Answers made before this revision read the old text: the aggregator must not reuse them.
      stale_before: Object.fromEntries(reaskedStages(event).map((stage) => [stage, revision])),
      post_details: event.details,
      post_owner: event.owner,
      post_organization: event.organization,
      post_identifiers: text.identifiers,
    };
  }

  function outputs(event: PostEvent, value: PostManifest, records: PhotoRecord[]): OutboundRecord[] {
    const headers = event.correlationId ? { [HEADERS.correlationId]: event.correlationId } : undefined;
    const out = (topic: string, v: unknown): OutboundRecord => ({ topic, key: event.postId, value: v, ...(headers ? { headers } : {}) });
    // Manifest first: on one partition the aggregator then learns what to wait for before the parts.
    return [out(TOPICS.posts, value), ...records.map((record) => out(TOPICS.photos, record))];
  }

  return {
    name: STAGES.fetcher,
    inputs: options.inputs?.length ? [...options.inputs] : [TOPICS.postsEvents],
    concurrency: options.eventConcurrency ?? 1,

    async handle(record: InboundRecord<unknown>, ctx: StageContext): Promise<OutboundRecord[]> {
      // Skip cheaply before reading the whole event; an event without a type is read (and
      // rejected as MEDIA_AI_BAD_EVENT) below.
      const type = peekEventType(record.value);
      if (type !== null && !isRelevantEventType(type)) {
        options.onSkippedEvent?.(type, 'unhandled_type');
        return [];
      }
      const event = readPostEvent(record.value);
      // The producer said this post is not for AI processing (triggers.ai_processing = false).
      if (!event.aiProcessingRequested) {
        options.onSkippedEvent?.(event.eventType, 'ai_processing_off');
        return [];
      }
      const photos = photosToFetch(event);
      if (options.maxPhotosPerPost !== undefined && photos.length > options.maxPhotosPerPost) {
        throw new MediaAiError(
          'MEDIA_AI_TOO_MANY_PHOTOS',
          `Post ${event.postId} lists ${photos.length} photos; at most ${options.maxPhotosPerPost}`,
          {
            details: { post_id: event.postId, photos: photos.length },
          },
        );
      }

      const receivedAt = clock();
      const revision = revisionOf(event, record.timestamp);
      const outcomes = await mapBounded(photos, options.concurrency, (photo) => fetchPhoto(photo, event, revision, ctx.signal));

      // Stopping mid-post: publish nothing, the uncommitted event is handled again after restart.
      if (ctx.signal.aborted) throw new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', 'The stage stopped while fetching photos');
      const failures = outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
      // An outage (the malware scanner or the blob store down) is no photo's fault: the event waits
      // for the dependency (the runner retries outages without limit) rather than losing the photo.
      const outage = failures.find((error) => error.outage);
      if (outage) throw outage;
      const retryable = failures.find((error) => error.retryable);
      if (outcomes.length > 0 && failures.length === outcomes.length && retryable) {
        // Every photo failed and at least one failure may pass: retry the event rather than
        // publishing an enrichment with no photos.
        throw new MediaAiError(retryable.code, `No photo of post ${event.postId} could be fetched: ${retryable.message}`, {
          cause: retryable,
          details: { ...retryable.details, photos: outcomes.length },
        });
      }

      const manifestPhotos = outcomes.map((outcome): ManifestPhoto =>
        'record' in outcome
          ? {
              photo_id: outcome.photo.id,
              url: outcome.photo.url,
              status: 'ok',
              sha256: outcome.record.sha256,
              error_code: null,
              error_message: null,
              // The aggregator never reads media-ai.photos: the measured colours reach post.enhanced only this way.
              colors: outcome.record.colors,
            }
          : failedPhoto(outcome.photo, outcome.error),
      );
      const records = outcomes.flatMap((o) => ('record' in o ? [o.record] : []));
      for (const failure of failures) options.onPhotoFailure?.(failure.code);
      return outputs(event, manifest(event, revision, receivedAt, manifestPhotos), records);
    },

    onGiveUp(record: InboundRecord<unknown>, error: Error): OutboundRecord[] {
      let event: PostEvent;
      try {
        event = readPostEvent(record.value);
      } catch {
        // Unreadable event: there is no post to tell the aggregator about; the dead-letter copy is all.
        return [];
      }
      if (!isRelevantEventType(event.eventType) || !event.aiProcessingRequested) return [];
      const reason = toMediaAiError(error);
      const photos = photosToFetch(event).map((photo) => failedPhoto(photo, reason));
      for (const _photo of photos) options.onPhotoFailure?.(reason.code);
      return outputs(event, manifest(event, revisionOf(event, record.timestamp), clock(), photos), []);
    },
  };
}

/**
 * Whether a post.updated changed the post's text: `changes` names the title or description with a
 * value other than the one `previous` gives for it (fn-posts lists both fields in both maps, changed
 * or not; a field `previous` does not give counts as changed). An update without `changes` (a status
 * change, a location edit) changes no text. Must never guess from anything else: the fetcher holds no
 * state to compare with.
 */
export function changesPostText(event: Pick<PostEvent, 'eventType' | 'changes' | 'previous'>): boolean {
  const { changes, previous } = event;
  if (event.eventType !== 'post.updated' || !changes) return false;
  return TEXT_FIELDS.some(
    (field) => field in changes && (!previous || !(field in previous) || textOf(changes[field]) !== textOf(previous[field])),
  );
}

/** A field's value for comparison: whitespace around a text is not a change. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : JSON.stringify(value ?? null);
}

function failedPhoto(photo: PostEventPhoto, error: MediaAiError): ManifestPhoto {
  return {
    photo_id: photo.id,
    url: photo.url,
    status: 'failed',
    sha256: null,
    error_code: error.code,
    error_message: error.message,
    colors: [],
  };
}

function photoRecord(
  event: PostEvent,
  photo: PostEventPhoto,
  revision: number,
  normalized: { jpeg: Buffer; sha256: string; width: number; height: number; originalWidth: number; originalHeight: number },
  colors: NamedColor[],
  reaskedStages: string[],
  text: PostText,
): PhotoRecord {
  return {
    post_id: event.postId,
    photo_id: photo.id,
    revision,
    sha256: normalized.sha256,
    // Content-addressed: the blob key is the sha256 itself.
    blob_key: normalized.sha256,
    content_type: JPEG,
    width: normalized.width,
    height: normalized.height,
    original_width: normalized.originalWidth,
    original_height: normalized.originalHeight,
    byte_length: normalized.jpeg.length,
    colors,
    post_title: text.title,
    post_description: text.description,
    post_type: event.post.type,
    correlation_id: event.correlationId,
    third_party_ai: event.thirdPartyAiAllowed,
    reasked_stages: reaskedStages,
  };
}
