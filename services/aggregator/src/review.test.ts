import { randomUUID } from 'node:crypto';
import {
  InProcessSchemaRegistry,
  MediaAiError,
  TOPICS,
  createCodecs,
  registerSchemas,
  validatePostEnhanced,
  type PostEnhancedEvent,
  type ReviewDecisionRecord,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator } from '@media-ai/contracts/test-support';
import { DEFAULT_THRESHOLDS, enrichmentEventId } from '@media-ai/enrich';
import { MemoryJoinStore, MemoryResultCache, RedisJoinStore, type JoinStore } from '@media-ai/state';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import type { InboundRecord, OutboundRecord, Stage, StageContext } from '@media-ai/stream';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAggregatorStage, type AggregatorInput } from './stage.js';
import { PHOTO_A, PHOTO_B, POST_ID, T0, detections, inbound, manifest } from './test-support/records.js';

const ENRICHMENT = 'test.enrichment';
const ctx: StageContext = { signal: new AbortController().signal };
const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const platform = loadPlatformPostEnhancedValidator();

/** A backpack the detector barely sees on the second photo: a tag for the desk. */
const unsureBackpack = (photo_id: string) => {
  const record = detections(photo_id);
  return { ...record, objects: [{ ...record.objects[0]!, label: 'backpack', confidence: 0.55 }] };
};

function decision(fields: Partial<ReviewDecisionRecord>): ReviewDecisionRecord {
  return {
    decision_id: randomUUID(),
    post_id: POST_ID,
    revision: 1,
    tenant: 'org-1',
    reviewer: 'moderator-1',
    decided_at: T0 + 20_000,
    tag: 'backpack',
    tier: 'human_review',
    confidence: 0.55,
    action: 'accept',
    corrected_to: null,
    ...fields,
  };
}

describe.each(['memory', 'redis'] as const)('aggregator: review decisions (%s join store)', (kind) => {
  let now: number;
  let store: JoinStore;
  let stage: Stage<AggregatorInput>;
  let redis: { client: Redis; prefix: string } | undefined;

  beforeEach(() => {
    now = T0 + 5_000;
    if (kind === 'redis') {
      redis = { client: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), prefix: `media-ai-test:${randomUUID()}:` };
      store = new RedisJoinStore({ redis: redis.client, keyPrefix: redis.prefix, clock: () => now });
    } else {
      store = new MemoryJoinStore({ clock: () => now });
    }
    stage = createAggregatorStage({
      store,
      blobs: new MemoryBlobStore(),
      cache: new MemoryResultCache(),
      thresholds: DEFAULT_THRESHOLDS,
      enrichmentTopic: ENRICHMENT,
      clock: () => now,
      deadlineCheckMs: 1_000,
      lateParts: 'drop',
    });
  });
  afterEach(async () => {
    if (!redis) return;
    const { client, prefix } = redis;
    redis = undefined;
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  async function feed(records: Array<InboundRecord<AggregatorInput>>): Promise<OutboundRecord[]> {
    const out: OutboundRecord[] = [];
    for (const record of records) out.push(...(await stage.handle(record, ctx)));
    return out;
  }
  function enhanced(out: OutboundRecord[]): PostEnhancedEvent {
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ topic: ENRICHMENT, key: POST_ID, headers: { event_type: 'post.enhanced' } });
    expect(validatePostEnhanced(out[0]!.value).errors).toEqual([]);
    expect(platform(out[0]!.value).errors).toEqual([]);
    return out[0]!.value as PostEnhancedEvent;
  }
  async function published(): Promise<PostEnhancedEvent> {
    return enhanced(
      await feed([
        inbound(TOPICS.posts, manifest({ expected_stages: ['detector'] })),
        inbound(TOPICS.detections, detections(PHOTO_A)),
        inbound(TOPICS.detections, unsureBackpack(PHOTO_B)),
      ]),
    );
  }
  const review = (d: ReviewDecisionRecord) => feed([inbound(TOPICS.reviews, d)]);

  it('publishes the next revision for each decision, each built on the one before', async () => {
    const first = await published();
    const backpack = first.data.tag_grades.find((g) => g.tag === 'backpack')!;
    expect(backpack.tier).toBe('human_review');

    now += 10_000;
    const accepted = enhanced(await review(decision({ action: 'accept' })));
    expect(accepted.data.revision).toBe(2);
    expect(accepted.id).toBe(enrichmentEventId(POST_ID, 2));
    expect(accepted.data.tag_grades.find((g) => g.tag === 'backpack')).toMatchObject({ tier: 'auto_apply' });
    expect(accepted.data.tag_grades.find((g) => g.tag === 'backpack')!.sources).toContain('reviewer');

    // A second decision made on the revision the reviewer saw (1) still lands, on top of revision 2.
    const rejected = enhanced(await review(decision({ action: 'reject', tag: 'phone', tier: 'auto_apply' })));
    expect(rejected.data.revision).toBe(3);
    expect(rejected.data.tag_grades.map((g) => g.tag)).not.toContain('phone');
    expect(rejected.data.tag_grades.find((g) => g.tag === 'backpack')).toMatchObject({ tier: 'auto_apply' });
    expect((await store.get(POST_ID))?.published_revision).toBe(3);
  });

  it('a redelivered decision re-emits the latest event (its send may have failed), never a new revision', async () => {
    await published();
    const d = decision({ action: 'accept' });
    const once = enhanced(await review(d));
    const again = enhanced(await review(d));
    expect(again).toEqual(once);
  });

  it('takes no decision on a post it does not hold or that was deleted', async () => {
    expect(await review(decision({}))).toEqual([]);
    await published();
    await feed([inbound(TOPICS.posts, manifest({ event_type: 'post.deleted', revision: 2, photos: [], expected_stages: [] }))]);
    expect(await review(decision({}))).toEqual([]);
  });

  it('fails a correction to no taxonomy item with a permanent error (the runner dead-letters it)', async () => {
    await published();
    const error = await review(decision({ action: 'correct', corrected_to: 'spaceship' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect(error).toMatchObject({ code: 'MEDIA_AI_BAD_RECORD', retryable: false });
  });
});

describe('media-ai.reviews on the wire', () => {
  it('round-trips a decision through its Avro codec', async () => {
    const registry = new InProcessSchemaRegistry();
    const codecs = createCodecs({
      registry,
      schemaIds: await registerSchemas(registry),
      enrichmentTopic: ENRICHMENT,
      deadLetterTopic: 'dlq',
    });
    const d = decision({ action: 'correct', tag: 'backpack', corrected_to: 'bag' });
    const codec = codecs.forTopic(TOPICS.reviews);
    expect(await codec.decode(await codec.encode(d))).toEqual(d);
  });
});
