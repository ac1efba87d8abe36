import { randomUUID } from 'node:crypto';
import {
  InProcessSchemaRegistry,
  MediaAiError,
  TOPICS,
  createCodecs,
  emptyTexts,
  failedPart,
  loadAvroSchemas,
  registerSchemas,
  validatePostEnhanced,
  validateProcessingError,
  type PostEnhancedEvent,
  type PostManifest,
  type ProcessingErrorEvent,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator, type PlatformValidator } from '@media-ai/contracts/test-support';
import { DEFAULT_THRESHOLDS, enrichmentEventId } from '@media-ai/enrich';
import { MemoryJoinStore, MemoryResultCache, RedisJoinStore, resultCacheKey, type JoinStore } from '@media-ai/state';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import { Redis } from 'ioredis';
import {
  runStage,
  type Codecs,
  type InboundRecord,
  type OutboundRecord,
  type RunningStage,
  type Stage,
  type StageContext,
  type Transport,
} from '@media-ai/stream';
import { InProcessTransport } from '@media-ai/stream/transports';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAggregatorStage, type AggregatorInput } from './stage.js';
import {
  PHOTO_A,
  PHOTO_B,
  POST_ID,
  T0,
  USER_ID,
  backpack,
  descriptions,
  detections,
  inbound,
  manifest,
  partsOf,
  texts,
  writtenByV2,
} from './test-support/records.js';

const ENRICHMENT = 'test.enrichment';
const ctx: StageContext = { signal: new AbortController().signal };

let platform: PlatformValidator;
beforeAll(() => {
  platform = loadPlatformPostEnhancedValidator();
});

/** Every test runs on both join stores: the stage must not care which one the wiring picked. */
const STORES = ['memory', 'redis'] as const;
type StoreKind = (typeof STORES)[number];
// The precedence of every Redis test: npm test's scratch server (MEDIA_AI_TEST_REDIS_URL) first.
const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

let now: number;
let store: JoinStore;
let blobs: MemoryBlobStore;
let cache: MemoryResultCache;
let stage: Stage<AggregatorInput>;
let redis: { client: Redis; prefix: string } | undefined;

function setUp(kind: StoreKind, lateParts: 'drop' | 'revise' = 'drop'): void {
  now = T0 + 5_000;
  if (kind === 'redis') {
    redis = { client: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), prefix: `media-ai-test:${randomUUID()}:` };
    store = new RedisJoinStore({ redis: redis.client, keyPrefix: redis.prefix, clock: () => now });
  } else {
    store = new MemoryJoinStore({ clock: () => now });
  }
  blobs = new MemoryBlobStore();
  cache = new MemoryResultCache();
  stage = createAggregatorStage({
    store,
    blobs,
    cache,
    thresholds: DEFAULT_THRESHOLDS,
    enrichmentTopic: ENRICHMENT,
    clock: () => now,
    deadlineCheckMs: 1_000,
    lateParts,
  });
}

async function tearDown(): Promise<void> {
  if (!redis) return;
  const { client, prefix } = redis;
  redis = undefined;
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}

async function feed(records: Array<InboundRecord<AggregatorInput>>): Promise<OutboundRecord[]> {
  const out: OutboundRecord[] = [];
  for (const record of records) out.push(...(await stage.handle(record, ctx)));
  return out;
}

const deadline = () => stage.timers![0]!;
/** A firing whose send the transport acknowledged: fire, then onPublished, as the runner does. */
async function fireDeadlines(): Promise<OutboundRecord[]> {
  const out = await deadline().fire(ctx);
  if (out.length > 0) await deadline().onPublished!(out, ctx);
  return out;
}
/** A firing whose send failed: the runner never acknowledges it. */
const offerDeadlines = () => deadline().fire(ctx);

/** Every published event must pass our schema; post.enhanced also the platform contract. */
function enhanced(record: OutboundRecord): PostEnhancedEvent {
  expect(record).toMatchObject({ topic: ENRICHMENT, key: POST_ID, headers: { event_type: 'post.enhanced' } });
  expect(validatePostEnhanced(record.value).errors).toEqual([]);
  expect(platform(record.value).errors).toEqual([]);
  return record.value as PostEnhancedEvent;
}
function processingError(record: OutboundRecord): ProcessingErrorEvent {
  expect(record).toMatchObject({ topic: ENRICHMENT, key: POST_ID, headers: { event_type: 'processing.error' } });
  expect(validateProcessingError(record.value).errors).toEqual([]);
  return record.value as ProcessingErrorEvent;
}

describe.each(STORES)('aggregator stage (%s join store)', (kind) => {
  beforeEach(() => setUp(kind));
  afterEach(tearDown);

  it('declares its name, inputs and deadline timer', () => {
    expect(stage.name).toBe('aggregator');
    expect(stage.inputs).toEqual(['media-ai.posts', 'media-ai.detections', 'media-ai.texts', 'media-ai.descriptions', 'media-ai.reviews']);
    expect(stage.timers).toHaveLength(1);
    expect(stage.timers![0]!.everyMs).toBe(1_000);
  });

  it('publishes once when the manifest and every expected part are in, whatever the order', async () => {
    const early = await feed([...partsOf(PHOTO_A), inbound(TOPICS.detections, detections(PHOTO_B))]);
    expect(early).toEqual([]); // parts before the manifest are kept, not published
    expect(await feed([inbound(TOPICS.posts, manifest())])).toEqual([]);
    const out = await feed(partsOf(PHOTO_B).slice(1));
    expect(out).toHaveLength(1);
    const event = enhanced(out[0]!);
    expect(event.id).toBe(enrichmentEventId(POST_ID, 1));
    expect(event.data.missing_stages).toEqual([]);
    expect(event.data.tag_grades.find((t) => t.tag === 'phone')!.sources).toEqual(['detector', 'llm', 'ocr']);
    expect(event.data.processing_time_ms).toBe(5_000);
    expect(out[0]!.headers).toMatchObject({ 'correlation-id': '5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f' });
    // Nothing more for this revision, even at its deadline.
    now = T0 + 60_000;
    expect(await fireDeadlines()).toEqual([]);
  });

  it('a redelivered part re-emits the identical event; a late part the event did not use emits nothing', async () => {
    const m = manifest({ expected_stages: ['detector', 'ocr'] });
    const first = await feed([inbound(TOPICS.posts, m), ...partsOf(PHOTO_A).slice(0, 2), ...partsOf(PHOTO_B).slice(0, 2)]);
    expect(first).toHaveLength(1);
    now += 1_000;
    const again = await feed([inbound(TOPICS.texts, partsOf(PHOTO_B)[1]!.value)]);
    expect(again).toHaveLength(1);
    expect(again[0]!.value).toEqual(first[0]!.value);
    expect(await feed([inbound(TOPICS.descriptions, descriptions(PHOTO_A))])).toEqual([]);
    expect(await feed([inbound(TOPICS.posts, m)])).toHaveLength(1); // manifest redelivery: same event again
  });

  it('publishes at the deadline with what it has and lists the missing stages', async () => {
    await feed([
      inbound(TOPICS.posts, manifest()),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    expect(await fireDeadlines()).toEqual([]);
    now = T0 + 30_000;
    const out = await fireDeadlines();
    expect(out).toHaveLength(1);
    const event = enhanced(out[0]!);
    expect(event.data.missing_stages).toEqual(['ocr', 'llm']);
    expect(event.data.tag_grades.map((t) => t.tag)).toEqual(['phone']);
    expect(await fireDeadlines()).toEqual([]);
    // The llm answering after the deadline changes nothing.
    expect(await feed(partsOf(PHOTO_A).slice(2))).toEqual([]);
  });

  it('processes a manifest a v2 fetcher wrote (JSON copies only, read through the codecs) as it processes the current one', async () => {
    const files = (await loadAvroSchemas()).filter((f) => f.topic === TOPICS.posts);
    const registry = new InProcessSchemaRegistry();
    const codecOf = async (version: number) => {
      const id = await registry.register(files[0]!.subject, files.find((f) => f.version === version)!.schema);
      return createCodecs({ registry, schemaIds: { [TOPICS.posts]: id }, enrichmentTopic: ENRICHMENT, deadLetterTopic: 'dlq' }).forTopic(
        TOPICS.posts,
      );
    };
    const [v2, v3] = [await codecOf(2), await codecOf(3)];
    const legacy = (await v3.decode(await v2.encode(writtenByV2()))) as PostManifest;
    const parts = [...partsOf(PHOTO_A), ...partsOf(PHOTO_B)];
    const fromLegacy = await feed([inbound(TOPICS.posts, legacy), ...parts]);
    expect(fromLegacy).toHaveLength(1);
    const event = enhanced(fromLegacy[0]!);
    expect(event.data.original_post).toMatchObject({ location: { latitude: 40.7291, longitude: -73.9965 }, user_id: USER_ID });

    // The same post written by a v3 fetcher, on a fresh store: the very same event.
    await tearDown();
    setUp(kind);
    const fromCurrent = await feed([inbound(TOPICS.posts, manifest()), ...parts]);
    expect(fromCurrent.map((r) => r.value)).toEqual([event]);
  });

  it('lists failed photos and does not wait for them', async () => {
    const m = manifest({}, [
      [PHOTO_A, 'ok'],
      [PHOTO_B, 'failed'],
    ]);
    const out = await feed([inbound(TOPICS.posts, m), ...partsOf(PHOTO_A)]);
    expect(out).toHaveLength(1);
    expect(enhanced(out[0]!).data.failed_photos).toEqual([
      { photo_id: PHOTO_B, stage: 'fetcher', error_code: 'MEDIA_AI_PHOTO_NOT_FOUND', error_message: '404' },
    ]);
  });

  it.each([
    [
      'every photo failed',
      manifest({}, [
        [PHOTO_A, 'failed'],
        [PHOTO_B, 'failed'],
      ]),
      'MEDIA_AI_ALL_PHOTOS_FAILED',
      2,
    ],
    ['no photos', manifest({}, []), 'MEDIA_AI_NO_PHOTOS', 0],
  ] as const)('%s yields a processing.error (%s) at once, and only once', async (_name, m, code, failed) => {
    const out = await feed([inbound(TOPICS.posts, m)]);
    expect(out).toHaveLength(1);
    const event = processingError(out[0]!);
    expect(event.data).toMatchObject({ post_id: POST_ID, error_code: code, revision: 1 });
    expect(event.data.failed_photos).toHaveLength(failed);
    expect(JSON.stringify(event)).not.toContain('secret');
    now = T0 + 60_000;
    expect(await fireDeadlines()).toEqual([]);
  });

  it('a post the platform contract cannot carry yields MEDIA_AI_BAD_EVENT', async () => {
    const m = manifest({ expected_stages: ['detector'] }, [[PHOTO_A, 'ok']]);
    const out = await feed([
      inbound(TOPICS.posts, { ...m, post_details: { ...m.post_details, location: null } }),
      inbound(TOPICS.detections, detections(PHOTO_A)),
    ]);
    expect(processingError(out[0]!).data.error_code).toBe('MEDIA_AI_BAD_EVENT');
  });

  it('post.photo.added publishes a new revision of the photos so far plus the new one, awaiting only the new photo', async () => {
    const one = manifest({ expected_stages: ['detector'] }, [[PHOTO_A, 'ok']]);
    const first = await feed([inbound(TOPICS.posts, one), inbound(TOPICS.detections, detections(PHOTO_A))]);
    expect(first).toHaveLength(1);
    // As the fetcher writes it: only the new photo.
    const added = manifest({ expected_stages: ['detector'], revision: 2, event_type: 'post.photo.added', deadline_at: T0 + 90_000 }, [
      [PHOTO_B, 'ok'],
    ]);
    // A part of another image under the new photo's id, from an older revision, is stale.
    expect(
      await feed([inbound(TOPICS.posts, added), inbound(TOPICS.detections, { ...detections(PHOTO_B, 1), sha256: 'b'.repeat(64) })]),
    ).toEqual([]);
    const second = await feed([inbound(TOPICS.detections, backpack(PHOTO_B, 2))]);
    expect(second).toHaveLength(1);
    const event = enhanced(second[0]!);
    expect(event.id).toBe(enrichmentEventId(POST_ID, 2));
    expect(event.id).not.toBe(enhanced(first[0]!).id);
    expect(event.data.revision).toBe(2);
    expect(event.data.tag_grades.map((t) => t.tag).sort()).toEqual(['backpack', 'phone']);
    expect(event.data.missing_stages).toEqual([]);
    // An old manifest replayed now is ignored; the added one replayed re-emits its event.
    expect(await feed([inbound(TOPICS.posts, one)])).toEqual([]);
    expect(await feed([inbound(TOPICS.posts, added)])).toEqual(second);
  });

  it('a part of an older revision completes the open one when it analysed the same image, and its redelivery re-emits the event', async () => {
    await feed([
      inbound(TOPICS.posts, manifest({ expected_stages: ['detector'] }, [[PHOTO_A, 'ok']])),
      inbound(TOPICS.detections, detections(PHOTO_A)),
    ]);
    // Photo B's analysis was started for revision 1 (say, a replayed upload) and arrives only after photo.added.
    const added = manifest({ expected_stages: ['detector'], revision: 2, event_type: 'post.photo.added', deadline_at: T0 + 90_000 }, [
      [PHOTO_B, 'ok'],
    ]);
    expect(await feed([inbound(TOPICS.posts, added)])).toEqual([]);
    const late = inbound(TOPICS.detections, backpack(PHOTO_B, 1));
    const out = await feed([late]);
    expect(enhanced(out[0]!).data).toMatchObject({ revision: 2, missing_stages: [] });
    expect(await feed([late])).toEqual(out);
  });

  it('post.photo.removed re-aggregates at once without the photo the post no longer lists', async () => {
    const two = manifest({ expected_stages: ['detector'] });
    const first = await feed([
      inbound(TOPICS.posts, two),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, backpack(PHOTO_B)),
    ]);
    expect(
      enhanced(first[0]!)
        .data.tag_grades.map((t) => t.tag)
        .sort(),
    ).toEqual(['backpack', 'phone']);
    // The fetcher sends no photos; the post (after the removal) lists only photo A.
    const removed = {
      ...manifest({ expected_stages: ['detector'], revision: 3, event_type: 'post.photo.removed' }, [[PHOTO_A, 'ok']]),
      photos: [],
    };
    const out = await feed([inbound(TOPICS.posts, removed)]);
    expect(out).toHaveLength(1);
    const event = enhanced(out[0]!);
    expect(event.data.revision).toBe(3);
    expect(event.data.tag_grades.map((t) => t.tag)).toEqual(['phone']);
    expect(event.data.original_post.photos.map((p) => p.id)).toEqual([PHOTO_A]);
    // A late part of the removed photo changes nothing; the removal redelivered re-emits its event.
    expect(await feed([inbound(TOPICS.detections, backpack(PHOTO_B, 3))])).toEqual([]);
    expect(await feed([inbound(TOPICS.posts, removed)])).toEqual(out);
  });

  it('post.photo.removed follows removed_photo_ids when the manifest carries them, and publishes nothing when no removal can be told', async () => {
    await feed([
      inbound(TOPICS.posts, manifest({ expected_stages: ['detector'] })),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, backpack(PHOTO_B)),
    ]);
    const unreadable = {
      ...manifest({
        expected_stages: ['detector'],
        revision: 3,
        event_type: 'post.photo.removed',
        // The post's list has an entry without an id (the reader says so with null ids).
        post_details: { ...manifest().post_details, photo_ids: null },
      }),
      photos: [],
    };
    expect(await feed([inbound(TOPICS.posts, unreadable)])).toEqual([]);
    const named = {
      ...manifest({
        expected_stages: ['detector'],
        revision: 4,
        event_type: 'post.photo.removed',
      }),
      photos: [],
      removed_photo_ids: [PHOTO_A],
    };
    const out = await feed([inbound(TOPICS.posts, named)]);
    expect(enhanced(out[0]!).data.tag_grades.map((t) => t.tag)).toEqual(['backpack']);
  });

  it('post.updated changes nothing while the llm stage is off', async () => {
    const first = await feed([
      inbound(TOPICS.posts, manifest({ expected_stages: ['detector'] })),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    expect(first).toHaveLength(1);
    const updated = { ...manifest({ revision: 5, event_type: 'post.updated', post_title: 'Lost black iPhone 15 Pro Max' }), photos: [] };
    expect(await feed([inbound(TOPICS.posts, updated)])).toEqual([]);
    now = T0 + 60 * 60_000;
    expect(await fireDeadlines()).toEqual([]);
    expect((await store.get(POST_ID))!.published_revision).toBe(1);
  });

  describe('post.updated asking the llm anew', () => {
    const NEW_TEXT = 'Black iPhone 15 Pro in a blue case with a cracked corner.';
    /** The fetcher's manifest for an update of the title or description with the llm on (revision 5). */
    const updated = (overrides: Partial<PostManifest> = {}, photos?: Array<[string, 'ok' | 'failed']>) =>
      manifest(
        {
          revision: 5,
          event_type: 'post.updated',
          post_description: 'with a cracked corner',
          deadline_at: T0 + 90_000,
          stale_before: { llm: 5 },
          ...overrides,
        },
        photos,
      );
    /** The llm's answer to the new text. */
    const answer = (photo: string, revision = 5, confidence = 0.95) => ({
      ...descriptions(photo, revision),
      description: NEW_TEXT,
      confidence,
    });
    async function publishedFirst(): Promise<PostEnhancedEvent> {
      const out = await feed([inbound(TOPICS.posts, manifest()), ...partsOf(PHOTO_A), ...partsOf(PHOTO_B)]);
      expect(out).toHaveLength(1);
      return enhanced(out[0]!);
    }

    it("publishes revision 5 once, with the detector and OCR parts taken over and the llm's answer to the new text", async () => {
      const first = await publishedFirst();
      expect(first.data.generated_description).toBe('Black iPhone in a blue case.');
      const m = updated();
      expect(await feed([inbound(TOPICS.posts, m)])).toEqual([]);
      // The old answer (redelivered) does not count for the new text, nor do the detector's and OCR's
      // answers to the update's photo records (from their cache): revision 5 already has theirs.
      expect(
        await feed([...partsOf(PHOTO_A), inbound(TOPICS.detections, detections(PHOTO_A, 5)), inbound(TOPICS.texts, texts(PHOTO_A, 5))]),
      ).toEqual([]);
      expect(await feed([inbound(TOPICS.descriptions, answer(PHOTO_A))])).toEqual([]);
      const out = await feed([inbound(TOPICS.descriptions, answer(PHOTO_B))]);
      expect(out).toHaveLength(1);
      const event = enhanced(out[0]!);
      expect(event.id).toBe(enrichmentEventId(POST_ID, 5));
      expect(event.id).not.toBe(first.id);
      expect(event.data).toMatchObject({ revision: 5, missing_stages: [], generated_description: NEW_TEXT });
      expect([...event.data.tag_grades.find((t) => t.tag === 'phone')!.sources].sort()).toEqual(['detector', 'llm', 'ocr']);
      expect(event.data.enhanced_metadata.attributes.text_content).toEqual(first.data.enhanced_metadata.attributes.text_content);

      // The detector's and OCR's answers to photo B's record, after the publication: nothing, not even a duplicate.
      expect(await feed([inbound(TOPICS.detections, detections(PHOTO_B, 5)), inbound(TOPICS.texts, texts(PHOTO_B, 5))])).toEqual([]);
      // Redeliveries of what the event was built from re-emit it, identical; the old answer emits nothing.
      now += 5_000;
      for (const redelivered of [
        inbound(TOPICS.descriptions, answer(PHOTO_B)),
        inbound(TOPICS.descriptions, answer(PHOTO_A)),
        inbound(TOPICS.posts, m),
      ]) {
        expect(await feed([redelivered])).toEqual(out);
      }
      expect(await feed([inbound(TOPICS.descriptions, descriptions(PHOTO_A))])).toEqual([]);
      now = T0 + 60 * 60_000;
      expect(await fireDeadlines()).toEqual([]);
      expect((await store.get(POST_ID))!.published_revision).toBe(5);
    });

    it('publishes at its deadline without the llm when it does not answer, never with the answer to the old text', async () => {
      await publishedFirst();
      await feed([inbound(TOPICS.posts, updated()), ...partsOf(PHOTO_A), ...partsOf(PHOTO_B)]);
      now = T0 + 90_000;
      const [out] = await fireDeadlines();
      const event = enhanced(out!);
      expect(event.data).toMatchObject({ revision: 5, missing_stages: ['llm'] });
      expect(event.data.tag_grades.find((t) => t.tag === 'phone')!.sources).toEqual(['detector', 'ocr']);
    });

    it.each([
      ['asks nothing anew (the text did not change, or the llm is off)', () => updated({ stale_before: {} })],
      [
        'could not fetch any photo again',
        () =>
          updated({}, [
            [PHOTO_A, 'failed'],
            [PHOTO_B, 'failed'],
          ]),
      ],
      ['is older than the revision held', () => updated({ revision: 3 })],
    ])('that %s changes nothing', async (_name, make) => {
      await feed([inbound(TOPICS.posts, manifest({ revision: 4 })), ...partsOf(PHOTO_A, 4), ...partsOf(PHOTO_B, 4)]);
      expect(
        await feed([
          inbound(TOPICS.posts, make()),
          inbound(TOPICS.descriptions, answer(PHOTO_A, 3)),
          inbound(TOPICS.descriptions, answer(PHOTO_B, 3)),
        ]),
      ).toEqual([]);
      now = T0 + 60 * 60_000;
      expect(await fireDeadlines()).toEqual([]);
      expect((await store.get(POST_ID))!.published_revision).toBe(4);
    });

    it.each(['post.resolved', 'post.deleted'])(
      '%s after it drops everything: the answer to the new text publishes nothing',
      async (type) => {
        await publishedFirst();
        await feed([inbound(TOPICS.posts, updated())]);
        expect(await feed([inbound(TOPICS.posts, { ...manifest({ revision: 6, event_type: type }), photos: [] })])).toEqual([]);
        expect(
          await feed([
            inbound(TOPICS.descriptions, answer(PHOTO_A)),
            inbound(TOPICS.descriptions, answer(PHOTO_B)),
            inbound(TOPICS.posts, updated()),
          ]),
        ).toEqual([]);
        now = T0 + 60 * 60_000;
        expect(await fireDeadlines()).toEqual([]);
        expect(await store.get(POST_ID)).toBeNull();
        // An update after the post was closed does not reopen it.
        expect(await feed([inbound(TOPICS.posts, updated({ revision: 7, stale_before: { llm: 7 } }))])).toEqual([]);
        expect(await store.get(POST_ID)).toBeNull();
        expect(await store.tombstoneOf(POST_ID)).toMatchObject({ event_type: type });
      },
    );

    it('a photo added while the llm is asked keeps the old answer out: the answer to the new text completes the next revision', async () => {
      await feed([inbound(TOPICS.posts, manifest({}, [[PHOTO_A, 'ok']])), ...partsOf(PHOTO_A)]);
      await feed([inbound(TOPICS.posts, updated({}, [[PHOTO_A, 'ok']]))]);
      const added = manifest({ revision: 6, event_type: 'post.photo.added', deadline_at: T0 + 90_000 }, [[PHOTO_B, 'ok']]);
      expect(await feed([inbound(TOPICS.posts, added), ...partsOf(PHOTO_B, 6)])).toEqual([]);
      expect((await store.get(POST_ID))!.manifest!.stale_before).toEqual({ llm: 5 });
      const out = await feed([inbound(TOPICS.descriptions, answer(PHOTO_A))]);
      expect(out).toHaveLength(1);
      expect(enhanced(out[0]!).data).toMatchObject({ revision: 6, missing_stages: [], generated_description: NEW_TEXT });
      expect(await feed([inbound(TOPICS.descriptions, answer(PHOTO_A))])).toEqual(out);
    });

    it("for a post the store no longer holds it waits for every stage: the detector's and OCR's answers complete it", async () => {
      await feed([
        inbound(TOPICS.posts, updated({}, [[PHOTO_A, 'ok']])),
        inbound(TOPICS.descriptions, answer(PHOTO_A)),
        inbound(TOPICS.detections, detections(PHOTO_A, 5)),
      ]);
      const completing = inbound(TOPICS.texts, texts(PHOTO_A, 5));
      const out = await feed([completing]);
      expect(out).toHaveLength(1);
      expect(enhanced(out[0]!).data).toMatchObject({ revision: 5, missing_stages: [], generated_description: NEW_TEXT });
      // It published the event, so its redelivery must re-emit it.
      expect(await feed([completing])).toEqual(out);
    });
  });

  it.each(['post.deleted', 'post.resolved'])(
    '%s forgets the post: in-flight parts, replays and deadlines publish nothing after',
    async (type) => {
      const created = manifest();
      await feed([inbound(TOPICS.posts, created), inbound(TOPICS.detections, detections(PHOTO_A))]);
      expect(await feed([inbound(TOPICS.posts, { ...manifest({ revision: 2, event_type: type }), photos: [] })])).toEqual([]);
      expect(await feed([...partsOf(PHOTO_A), ...partsOf(PHOTO_B), inbound(TOPICS.posts, created)])).toEqual([]);
      now = T0 + 60 * 60_000;
      expect(await fireDeadlines()).toEqual([]);
      // Nothing of the post is kept but its tombstone.
      expect(await store.get(POST_ID)).toBeNull();
      expect(await store.tombstoneOf(POST_ID)).toEqual({ post_id: POST_ID, event_type: type, at: T0 });
    },
  );

  describe('forgetting the images of a deleted or resolved post', () => {
    const [X, Y, Z] = ['1'.repeat(64), '2'.repeat(64), '3'.repeat(64)];
    const OTHER_POST = '7c1d9e20-5b3a-4f86-a2d4-0e9b8c7f6a51';
    const STAGE_KEYS = (sha: string) => [
      resultCacheKey('detector', 'yolox:1+nanodet:2', sha),
      resultCacheKey('ocr', 'ppocr:4', sha),
      resultCacheKey('llm', 'gpt-4o-mini:p7:low', sha),
    ];
    /** As the fetcher and the stages leave them: each image stored, each stage's result cached. */
    async function storedAndCached(...images: string[]): Promise<void> {
      for (const sha of images) {
        await blobs.put(sha, Buffer.from(sha));
        for (const key of STAGE_KEYS(sha)) await cache.set(key, { sha }, 3600);
      }
    }
    const kept = async () => {
      const held: string[] = [];
      for (const sha of [X, Y, Z]) {
        const cached = await Promise.all(STAGE_KEYS(sha).map((key) => cache.get(key)));
        if (cached.some((c) => c !== undefined)) held.push(`cache:${sha[0]}`);
        if (await blobs.has(sha)) held.push(`blob:${sha[0]}`);
      }
      return held;
    };
    const withSha = <R extends { sha256: string | null }>(record: R, sha: string): R => ({ ...record, sha256: sha });
    /** Post 1: photo A is image X, photo B image Y. Post 2: one photo, image X again (the same photo posted twice). */
    const post1 = () => {
      const m = manifest({ expected_stages: ['detector'] });
      return { ...m, photos: [withSha(m.photos[0]!, X), withSha(m.photos[1]!, Y)] };
    };
    const post1Parts = () => [
      inbound(TOPICS.detections, withSha(detections(PHOTO_A), X)),
      inbound(TOPICS.detections, withSha(detections(PHOTO_B), Y)),
    ];
    const post2 = () => {
      const m = manifest({ expected_stages: ['detector'], post_id: OTHER_POST }, [[PHOTO_A, 'ok']]);
      return { ...m, photos: [withSha(m.photos[0]!, X)] };
    };
    const ending = (type: string, post_id = POST_ID) => ({ ...manifest({ revision: 2, event_type: type, post_id }), photos: [] });

    it('a shared image stays until its last post goes; images of no post are never touched', async () => {
      await storedAndCached(X, Y, Z);
      expect(await feed([inbound(TOPICS.posts, post1()), ...post1Parts()])).toHaveLength(1);
      const post2Part = inbound(TOPICS.detections, { ...withSha(detections(PHOTO_A), X), post_id: OTHER_POST });
      expect(await feed([inbound(TOPICS.posts, post2()), post2Part])).toHaveLength(1);

      expect(await feed([inbound(TOPICS.posts, ending('post.deleted'))])).toEqual([]);
      expect(await kept()).toEqual(['cache:1', 'blob:1', 'cache:3', 'blob:3']);
      expect(await feed([inbound(TOPICS.posts, ending('post.resolved', OTHER_POST))])).toEqual([]);
      expect(await kept()).toEqual(['cache:3', 'blob:3']);
      expect(await store.tombstoneOf(OTHER_POST)).toMatchObject({ event_type: 'post.resolved' });
    });

    it('a replayed post.created and late parts of a forgotten post publish nothing, and what they brought back goes again', async () => {
      await storedAndCached(X, Y);
      await feed([inbound(TOPICS.posts, post1()), ...post1Parts()]);
      await feed([inbound(TOPICS.posts, ending('post.deleted'))]);
      expect(await kept()).toEqual([]);
      // The fetcher fetched the replayed post again, the detector answered it again (from its models).
      await storedAndCached(X, Y);
      expect(await feed([inbound(TOPICS.posts, post1())])).toEqual([]);
      expect(await kept()).toEqual([]);
      await storedAndCached(X, Y);
      expect(await feed(post1Parts())).toEqual([]);
      expect(await kept()).toEqual([]);
      now = T0 + 60 * 60_000;
      expect(await fireDeadlines()).toEqual([]);
      expect(await store.get(POST_ID)).toBeNull();
    });

    it('a deletion that fails fails the input; its redelivery deletes what the first attempt left', async () => {
      await storedAndCached(X, Y);
      await feed([inbound(TOPICS.posts, post1()), ...post1Parts()]);
      const deleteBlob = blobs.delete.bind(blobs);
      let outage = true;
      blobs.delete = async (key) => {
        if (outage) throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED');
        return deleteBlob(key);
      };
      const deletion = inbound(TOPICS.posts, ending('post.deleted'));
      await expect(stage.handle(deletion, ctx)).rejects.toMatchObject({ code: 'MEDIA_AI_BLOB_STORE_FAILED' });
      expect(await store.get(POST_ID)).toBeNull();
      expect(await kept()).toContain('blob:1');
      outage = false;
      expect(await feed([deletion])).toEqual([]);
      expect(await kept()).toEqual([]);
    });
  });

  it('orphan parts whose manifest never comes are dropped at expiry without output', async () => {
    await feed(partsOf(PHOTO_A));
    now = T0 + 60 * 60_000;
    expect(await fireDeadlines()).toEqual([]);
    expect(await store.get(POST_ID)).toBeNull();
  });

  it('a part racing the deadline timer publishes the post once', async () => {
    const m = manifest({ expected_stages: ['detector'] });
    await feed([inbound(TOPICS.posts, m), inbound(TOPICS.detections, detections(PHOTO_A))]);
    now = T0 + 30_000;
    const [fromTimer, fromPart] = await Promise.all([fireDeadlines(), stage.handle(inbound(TOPICS.detections, detections(PHOTO_B)), ctx)]);
    expect(fromTimer.length + fromPart.length).toBe(1);
  });

  it('a deadline publication that is not acknowledged is offered again, identical; once acknowledged, never again', async () => {
    await feed([
      inbound(TOPICS.posts, manifest()),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    now = T0 + 30_000;
    const offer = await offerDeadlines();
    expect(offer).toHaveLength(1);
    // Offered is not published: the store still waits for it, so the next firing finds it.
    expect((await store.get(POST_ID))!.published_revision).toBeNull();
    now += 5_000; // a rebuilt event would carry a new timestamp and processing time
    const again = await offerDeadlines();
    expect(again).toEqual(offer);
    expect(enhanced(again[0]!).id).toBe(enrichmentEventId(POST_ID, 1));

    await deadline().onPublished!(again, ctx);
    const state = (await store.get(POST_ID))!;
    expect(state.published_revision).toBe(1);
    expect(state.published_event).toEqual(offer[0]!.value);
    expect(await offerDeadlines()).toEqual([]);
  });

  it('while a deadline offer is unacknowledged the parts completing the post publish nothing, and the timer re-offers the same event', async () => {
    await feed([
      inbound(TOPICS.posts, manifest()),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    now = T0 + 30_000;
    const offer = await offerDeadlines();
    const completing = [...partsOf(PHOTO_A).slice(1), ...partsOf(PHOTO_B).slice(1)];
    // The offer may already be on the broker: the revision keeps the content it was offered with.
    expect(await feed(completing)).toEqual([]);
    const again = await offerDeadlines();
    expect(again).toEqual(offer);
    expect(enhanced(again[0]!).data.missing_stages).toEqual(['ocr', 'llm']);
    await deadline().onPublished!(again, ctx);
    // A redelivered part (its batch's send failed) re-emits that same event.
    expect(await feed([completing.at(-1)!])).toEqual(offer);
  });

  it('a post deleted while its deadline offer is unacknowledged stays forgotten', async () => {
    await feed([inbound(TOPICS.posts, manifest()), inbound(TOPICS.detections, detections(PHOTO_A))]);
    now = T0 + 30_000;
    const offer = await offerDeadlines();
    expect(offer).toHaveLength(1);
    await feed([inbound(TOPICS.posts, manifest({ revision: 2, event_type: 'post.deleted', photos: [] }))]);
    await deadline().onPublished!(offer, ctx);
    expect(await store.get(POST_ID)).toBeNull();
    expect(await offerDeadlines()).toEqual([]);
  });

  it('refuses records from a topic it does not read', async () => {
    await expect(stage.handle(inbound('media-ai.photos', detections(PHOTO_A)), ctx)).rejects.toBeInstanceOf(MediaAiError);
  });
});

describe.each(STORES)('aggregator stage with AGGREGATOR_LATE_PARTS=revise (%s join store)', (kind) => {
  beforeEach(() => setUp(kind, 'revise'));
  afterEach(tearDown);

  /** Revision 1 published at its deadline with only the detector in: ocr and llm missing. */
  async function publishedAtDeadline(): Promise<PostEnhancedEvent> {
    await feed([
      inbound(TOPICS.posts, manifest()),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    now = T0 + 30_000;
    const [out] = await fireDeadlines();
    return enhanced(out!);
  }

  it('a late part publishes revision + 1 with it, once; its redelivery re-emits that same event and never revision + 2', async () => {
    const first = await publishedAtDeadline();
    expect(first.data).toMatchObject({ revision: 1, missing_stages: ['ocr', 'llm'] });
    now += 1_000;
    const late = inbound(TOPICS.descriptions, descriptions(PHOTO_A));
    const out = await feed([late]);
    expect(out).toHaveLength(1);
    const revised = enhanced(out[0]!);
    expect(revised.id).toBe(enrichmentEventId(POST_ID, 2));
    expect(revised.id).not.toBe(first.id);
    // Built from revision 1's detections plus the late llm answer; photo B's llm and all ocr still missing.
    expect(revised.data).toMatchObject({ revision: 2, missing_stages: ['ocr', 'llm'] });
    expect(revised.data.tag_grades.find((t) => t.tag === 'phone')!.sources).toEqual(['detector', 'llm']);
    // Redelivered: the identical event again (effectively once), no new revision.
    now += 1_000;
    const again = await feed([late]);
    expect(again).toHaveLength(1);
    expect(again[0]!.value).toEqual(revised);
    expect((await store.get(POST_ID))!.published_revision).toBe(2);
    // The deadline timer has nothing to add.
    expect(await fireDeadlines()).toEqual([]);
  });

  it('each further late part revises again, and a late part completing the post lists nothing missing', async () => {
    await publishedAtDeadline();
    const outs = [];
    for (const part of [...partsOf(PHOTO_A).slice(1), ...partsOf(PHOTO_B).slice(1)]) outs.push(...(await feed([part])));
    const revisions = outs.map((o) => enhanced(o).data.revision);
    expect(revisions).toEqual([2, 3, 4, 5]);
    expect(enhanced(outs.at(-1)!).data.missing_stages).toEqual([]);
    expect(enhanced(outs.at(-1)!).id).toBe(enrichmentEventId(POST_ID, 5));
  });

  it('a failed late part, a stage the manifest did not expect, or a part of another image revises nothing', async () => {
    await feed([
      inbound(TOPICS.posts, manifest({ expected_stages: ['detector', 'ocr'] })),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    now = T0 + 30_000;
    expect(await fireDeadlines()).toHaveLength(1);
    const failed = failedPart(texts(PHOTO_A), {}, new MediaAiError('MEDIA_AI_OCR_FAILED', 'boom'), emptyTexts());
    const otherImage = { ...texts(PHOTO_B), sha256: 'b'.repeat(64) };
    expect(
      await feed([inbound(TOPICS.texts, failed), inbound(TOPICS.descriptions, descriptions(PHOTO_A)), inbound(TOPICS.texts, otherImage)]),
    ).toEqual([]);
    expect((await store.get(POST_ID))!.published_revision).toBe(1);
  });

  it('a crash after the revised manifest was stored: the redelivered part joins it and the timer publishes it once', async () => {
    await publishedAtDeadline();
    // What revise() stores first, as if the process died right after it.
    await store.putManifest({ ...manifest(), revision: 2 });
    const late = inbound(TOPICS.descriptions, descriptions(PHOTO_A));
    expect(await feed([late])).toEqual([]);
    const out = await fireDeadlines();
    expect(out).toHaveLength(1);
    expect(enhanced(out[0]!).data.tag_grades.find((t) => t.tag === 'phone')!.sources).toEqual(['detector', 'llm']);
    expect(enhanced(out[0]!).id).toBe(enrichmentEventId(POST_ID, 2));
    expect(await fireDeadlines()).toEqual([]);
    expect(await feed([late])).toEqual(out);
  });

  it('a late llm answer to an updated text revises without bringing the answer to the old text back', async () => {
    await feed([inbound(TOPICS.posts, manifest()), ...partsOf(PHOTO_A), ...partsOf(PHOTO_B)]);
    const updated = manifest({ revision: 5, event_type: 'post.updated', deadline_at: T0 + 90_000, stale_before: { llm: 5 } });
    const newAnswer = (photo: string) => ({
      ...descriptions(photo, 5),
      description: 'Black iPhone with a cracked corner.',
      confidence: 0.5,
    });
    await feed([inbound(TOPICS.posts, updated), inbound(TOPICS.descriptions, newAnswer(PHOTO_A))]);
    now = T0 + 90_000;
    expect(enhanced((await fireDeadlines())[0]!).data).toMatchObject({ revision: 5, missing_stages: ['llm'] });
    const out = await feed([inbound(TOPICS.descriptions, newAnswer(PHOTO_B))]);
    const revised = enhanced(out[0]!);
    expect(revised.data).toMatchObject({ revision: 6, missing_stages: [], generated_description: 'Black iPhone with a cracked corner.' });
    // The old answers (confidence 0.9) would have won the description had they come along.
    const state = (await store.get(POST_ID))!;
    expect(state.published_records.filter((p) => p.stage === 'llm').map((p) => p.carried_from ?? p.record.revision)).toEqual([5, 5]);
  });

  it("the detector's and OCR's answers to an update's photo records revise nothing: the revision has their earlier parts", async () => {
    await feed([inbound(TOPICS.posts, manifest()), ...partsOf(PHOTO_A), ...partsOf(PHOTO_B)]);
    const updated = manifest({ revision: 5, event_type: 'post.updated', deadline_at: T0 + 90_000, stale_before: { llm: 5 } });
    const out = await feed([
      inbound(TOPICS.posts, updated),
      inbound(TOPICS.descriptions, descriptions(PHOTO_A, 5)),
      inbound(TOPICS.descriptions, descriptions(PHOTO_B, 5)),
    ]);
    expect(enhanced(out[0]!).data.revision).toBe(5);
    expect(await feed([...partsOf(PHOTO_A, 5).slice(0, 2), ...partsOf(PHOTO_B, 5).slice(0, 2)])).toEqual([]);
    expect((await store.get(POST_ID))!.published_revision).toBe(5);
    // A different image under the same photo id is another story: it is not this revision's photo, so not late for it either.
    expect(await feed([inbound(TOPICS.detections, { ...backpack(PHOTO_A, 5), sha256: 'c'.repeat(64) })])).toEqual([]);
  });

  it('a post deleted after publication is not revised', async () => {
    await publishedAtDeadline();
    await feed([inbound(TOPICS.posts, { ...manifest({ revision: 9, event_type: 'post.deleted' }), photos: [] })]);
    expect(await feed(partsOf(PHOTO_A).slice(1))).toEqual([]);
  });
});

/**
 * The stage on the real runner and in-process transport, with real codecs, where the transport
 * refuses the first sends that carry an enrichment event (a broker that did not acknowledge).
 */
describe.each(STORES)('aggregator stage on the runner, when a send to the enrichment topic fails (%s join store)', (kind) => {
  beforeEach(() => setUp(kind));
  afterEach(tearDown);
  const DLQ = 'test.dlq';
  let inner: InProcessTransport;
  let codecs: Codecs;
  let running: RunningStage | undefined;
  /** Each refused send: its enrichment events, and whether the store held the post as published then. */
  let refused: Array<{ events: unknown[]; publishedRevision: number | null }>;

  beforeEach(async () => {
    const registry = new InProcessSchemaRegistry();
    codecs = createCodecs({ registry, schemaIds: await registerSchemas(registry), enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ });
    inner = new InProcessTransport({ redeliveryBackoff: { initialDelayMs: 1, maxDelayMs: 2 } });
    refused = [];
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await inner.close();
  });

  const decode = (value: Buffer): unknown => JSON.parse(value.toString('utf8'));
  const published = () => inner.readAll(ENRICHMENT).map((r) => decode(r.value));

  async function start(refusals: number): Promise<void> {
    let left = refusals;
    const transport: Transport = {
      async send(records) {
        const events = records.filter((r) => r.topic === ENRICHMENT).map((r) => decode(r.value));
        if (events.length > 0 && left > 0) {
          left--;
          refused.push({ events, publishedRevision: (await store.get(POST_ID))?.published_revision ?? null });
          now += 1_000; // so an event rebuilt for the next attempt would differ
          throw new MediaAiError('MEDIA_AI_TIMEOUT', 'enrichment send not acknowledged');
        }
        return inner.send(records);
      },
      subscribe: (options) => inner.subscribe(options),
      close: () => inner.close(),
    };
    const aggregator = createAggregatorStage({
      store,
      blobs,
      cache,
      thresholds: DEFAULT_THRESHOLDS,
      enrichmentTopic: ENRICHMENT,
      clock: () => now,
      deadlineCheckMs: 5,
      lateParts: 'revise',
    });
    running = await runStage(aggregator, {
      transport,
      codecs,
      groupId: 'fn-media-ai.aggregator',
      deadLetterTopic: DLQ,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
  }

  async function produce(records: Array<InboundRecord<AggregatorInput>>): Promise<void> {
    await inner.send(
      await Promise.all(
        records.map(async (r) => ({ topic: r.topic, key: POST_ID, value: await codecs.forTopic(r.topic).encode(r.value) })),
      ),
    );
  }

  it('the input whose send failed is redelivered and re-emits the identical event', async () => {
    await start(1);
    const m = manifest({ expected_stages: ['detector'] });
    await produce([
      inbound(TOPICS.posts, m),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    await inner.whenIdle();
    expect(refused).toHaveLength(1);
    const [lost] = refused[0]!.events;
    expect(lost).toMatchObject({ id: enrichmentEventId(POST_ID, 1), event_type: 'post.enhanced' });
    // Both parts of the redelivered batch were used by the event, so each re-emits it: duplicates of
    // the one event (same id, same content), which consumers already drop; never a different one.
    expect(published().length).toBeGreaterThanOrEqual(1);
    for (const event of published()) expect(event).toEqual(lost);
    expect(inner.readAll(DLQ)).toEqual([]);
  });

  it('a deadline firing whose send fails is offered again, identical, and marked published only once acknowledged', async () => {
    await start(2); // maxAttempts is 2: the whole first firing fails
    await produce([
      inbound(TOPICS.posts, manifest()),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    await inner.whenIdle();
    expect(published()).toEqual([]);

    now = T0 + 30_000;
    await expect.poll(() => published().length).toBe(1);
    expect(refused.map((r) => r.publishedRevision)).toEqual([null, null]);
    expect(refused.map((r) => r.events)).toEqual([published(), published()]);
    expect(published()).toMatchObject([{ id: enrichmentEventId(POST_ID, 1), data: { missing_stages: ['ocr', 'llm'] } }]);
    await expect.poll(async () => (await store.get(POST_ID))?.published_revision).toBe(1);
    // Acknowledged: later firings have nothing more to offer.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published()).toHaveLength(1);
  });
});
