import {
  InProcessSchemaRegistry,
  MediaAiError,
  TOPICS,
  createCodecs,
  registerSchemas,
  validatePostEnhanced,
  validateProcessingError,
  type PostEnhancedEvent,
  type ProcessingErrorEvent,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator, type PlatformValidator } from '@media-ai/contracts/testing';
import { DEFAULT_THRESHOLDS, enrichmentEventId } from '@media-ai/enrich';
import { MemoryJoinStore } from '@media-ai/state';
import { InProcessTransport, runStage, type Codecs, type InboundRecord, type OutboundRecord, type RunningStage, type Stage, type StageContext, type Transport } from '@media-ai/stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAggregatorStage, type AggregatorInput } from './stage.js';
import { PHOTO_A, PHOTO_B, POST_ID, T0, descriptions, detections, inbound, manifest, partsOf } from './test-support/records.js';

const ENRICHMENT = 'test.enrichment';
const ctx: StageContext = { signal: new AbortController().signal };

let platform: PlatformValidator;
beforeAll(() => {
  platform = loadPlatformPostEnhancedValidator();
});

let now: number;
let store: MemoryJoinStore;
let stage: Stage<AggregatorInput>;
beforeEach(() => {
  now = T0 + 5_000;
  store = new MemoryJoinStore({ clock: () => now });
  stage = createAggregatorStage({ store, thresholds: DEFAULT_THRESHOLDS, enrichmentTopic: ENRICHMENT, clock: () => now, deadlineCheckMs: 1_000 });
});

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

describe('aggregator stage', () => {
  it('declares its name, inputs and deadline timer', () => {
    expect(stage.name).toBe('aggregator');
    expect(stage.inputs).toEqual(['media-ai.posts', 'media-ai.detections', 'media-ai.texts', 'media-ai.descriptions']);
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
    await feed([inbound(TOPICS.posts, manifest()), inbound(TOPICS.detections, detections(PHOTO_A)), inbound(TOPICS.detections, detections(PHOTO_B))]);
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

  it('lists failed photos and does not wait for them', async () => {
    const m = manifest({}, [[PHOTO_A, 'ok'], [PHOTO_B, 'failed']]);
    const out = await feed([inbound(TOPICS.posts, m), ...partsOf(PHOTO_A)]);
    expect(out).toHaveLength(1);
    expect(enhanced(out[0]!).data.failed_photos).toEqual([{ photo_id: PHOTO_B, stage: 'fetcher', error_code: 'MEDIA_AI_PHOTO_NOT_FOUND', error_message: '404' }]);
  });

  it.each([
    ['every photo failed', manifest({}, [[PHOTO_A, 'failed'], [PHOTO_B, 'failed']]), 'MEDIA_AI_ALL_PHOTOS_FAILED', 2],
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
    const post = JSON.parse(m.original_post_json);
    delete post.location;
    const out = await feed([inbound(TOPICS.posts, { ...m, original_post_json: JSON.stringify(post) }), inbound(TOPICS.detections, detections(PHOTO_A))]);
    expect(processingError(out[0]!).data.error_code).toBe('MEDIA_AI_BAD_EVENT');
  });

  it('a new revision is joined and published on its own, with a new id; stale parts are ignored', async () => {
    const one = manifest({ expected_stages: ['detector'] }, [[PHOTO_A, 'ok']]);
    const first = await feed([inbound(TOPICS.posts, one), inbound(TOPICS.detections, detections(PHOTO_A))]);
    const two = { ...one, revision: 2, event_type: 'post.photo.added', deadline_at: T0 + 90_000 };
    expect(await feed([inbound(TOPICS.posts, two), inbound(TOPICS.detections, detections(PHOTO_A, 1))])).toEqual([]);
    const second = await feed([inbound(TOPICS.detections, detections(PHOTO_A, 2))]);
    expect(second).toHaveLength(1);
    expect(enhanced(second[0]!).id).not.toBe(enhanced(first[0]!).id);
    expect((second[0]!.value as PostEnhancedEvent).data.revision).toBe(2);
    // An old manifest replayed now is ignored.
    expect(await feed([inbound(TOPICS.posts, one)])).toEqual([]);
  });

  it('a deleted post is forgotten and never published', async () => {
    await feed([inbound(TOPICS.posts, manifest()), inbound(TOPICS.detections, detections(PHOTO_A))]);
    expect(await feed([inbound(TOPICS.posts, manifest({ revision: 2, event_type: 'post.deleted', photos: [] }))])).toEqual([]);
    now = T0 + 60_000;
    expect(await fireDeadlines()).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('orphan parts whose manifest never comes are dropped at expiry without output', async () => {
    await feed(partsOf(PHOTO_A));
    now = T0 + 60 * 60_000;
    expect(await fireDeadlines()).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('a part racing the deadline timer publishes the post once', async () => {
    const m = manifest({ expected_stages: ['detector'] });
    await feed([inbound(TOPICS.posts, m), inbound(TOPICS.detections, detections(PHOTO_A))]);
    now = T0 + 30_000;
    const [fromTimer, fromPart] = await Promise.all([fireDeadlines(), stage.handle(inbound(TOPICS.detections, detections(PHOTO_B)), ctx)]);
    expect(fromTimer.length + fromPart.length).toBe(1);
  });

  it('a deadline publication that is not acknowledged is offered again, identical; once acknowledged, never again', async () => {
    await feed([inbound(TOPICS.posts, manifest()), inbound(TOPICS.detections, detections(PHOTO_A)), inbound(TOPICS.detections, detections(PHOTO_B))]);
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
    await feed([inbound(TOPICS.posts, manifest()), inbound(TOPICS.detections, detections(PHOTO_A)), inbound(TOPICS.detections, detections(PHOTO_B))]);
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
    expect(store.size).toBe(0);
    expect(await offerDeadlines()).toEqual([]);
  });

  it('refuses records from a topic it does not read', async () => {
    await expect(stage.handle(inbound('media-ai.photos', detections(PHOTO_A)), ctx)).rejects.toBeInstanceOf(MediaAiError);
  });
});

/**
 * The stage on the real runner and in-process transport, with real codecs, where the transport
 * refuses the first sends that carry an enrichment event (a broker that did not acknowledge).
 */
describe('aggregator stage on the runner, when a send to the enrichment topic fails', () => {
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
    const aggregator = createAggregatorStage({ store, thresholds: DEFAULT_THRESHOLDS, enrichmentTopic: ENRICHMENT, clock: () => now, deadlineCheckMs: 5 });
    running = await runStage(aggregator, {
      transport,
      codecs,
      groupId: 'fn-media-ai.aggregator',
      deadLetterTopic: DLQ,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
  }

  async function produce(records: Array<InboundRecord<AggregatorInput>>): Promise<void> {
    await inner.send(await Promise.all(records.map(async (r) => ({ topic: r.topic, key: POST_ID, value: await codecs.forTopic(r.topic).encode(r.value) }))));
  }

  it('the input whose send failed is redelivered and re-emits the identical event', async () => {
    await start(1);
    const m = manifest({ expected_stages: ['detector'] });
    await produce([inbound(TOPICS.posts, m), inbound(TOPICS.detections, detections(PHOTO_A)), inbound(TOPICS.detections, detections(PHOTO_B))]);
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
    await produce([inbound(TOPICS.posts, manifest()), inbound(TOPICS.detections, detections(PHOTO_A)), inbound(TOPICS.detections, detections(PHOTO_B))]);
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
