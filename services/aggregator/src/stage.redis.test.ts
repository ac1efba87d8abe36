/**
 * The aggregator over the Redis join store (a real redis-server; REDIS_URL overrides the local one):
 * a process that dies mid-join, and replicas that race, lose nothing and publish each revision once;
 * a deleted or resolved post leaves nothing in Redis or the blob folder but its tombstone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, type PostEnhancedEvent, type PostManifest } from '@media-ai/contracts';
import { DEFAULT_THRESHOLDS, enrichmentEventId } from '@media-ai/enrich';
import { RedisJoinStore, RedisResultCache, resultCacheKey } from '@media-ai/state';
import { keysMentioning } from '@media-ai/state/test-support';
import { LocalFolderBlobStore } from '@media-ai/storage';
import type { InboundRecord, OutboundRecord, Stage, StageContext } from '@media-ai/stream';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAggregatorStage, type AggregatorInput } from './stage.js';
import { PHOTO_A, PHOTO_B, POST_ID, T0, backpack, detections, inbound, manifest, partsOf } from './test-support/records.js';

const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const ctx: StageContext = { signal: new AbortController().signal };

let prefix: string;
let clients: Redis[];
let now: number;
let blobDir: string;
beforeEach(async () => {
  prefix = `media-ai-test:${randomUUID()}:`;
  clients = [];
  now = T0 + 5_000;
  blobDir = await mkdtemp(join(tmpdir(), 'aggregator-blobs-'));
});
afterEach(async () => {
  const redis = clients[0] ?? new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await Promise.all([...clients, redis].map((c) => c.quit().catch(() => undefined)));
  await rm(blobDir, { recursive: true, force: true });
});

/** The result cache as the stages use it, its index under the test's prefix; entries carry the prefix too. */
const resultCache = (redis: Redis) => new RedisResultCache({ redis, indexPrefix: `${prefix}media-ai:result-index:` });

/** A fresh aggregator process: its own connection, nothing in memory from an earlier one. */
function startAggregator(): Stage<AggregatorInput> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clients.push(redis);
  const store = new RedisJoinStore({ redis, keyPrefix: prefix, clock: () => now });
  return createAggregatorStage({
    store,
    blobs: new LocalFolderBlobStore(blobDir),
    cache: resultCache(redis),
    thresholds: DEFAULT_THRESHOLDS,
    enrichmentTopic: 'test.enrichment',
    clock: () => now,
    deadlineCheckMs: 1_000,
    lateParts: 'revise',
  });
}

async function feed(stage: Stage<AggregatorInput>, records: Array<InboundRecord<AggregatorInput>>): Promise<OutboundRecord[]> {
  const out: OutboundRecord[] = [];
  for (const record of records) out.push(...(await stage.handle(record, ctx)));
  return out;
}

describe('aggregator on Redis', () => {
  it('a crash mid-join loses nothing: the restarted aggregator completes the post and publishes it once', async () => {
    const m = manifest({ expected_stages: ['detector', 'ocr', 'llm'] });
    const before = [inbound(TOPICS.posts, m), ...partsOf(PHOTO_A), inbound(TOPICS.detections, detections(PHOTO_B))];
    const first = startAggregator();
    expect(await feed(first, before)).toEqual([]);
    // The process dies here. Its offsets were committed up to some point: the new process sees a replay
    // of part of what the old one handled, then the rest.
    now += 2_000;
    const second = startAggregator();
    expect(await feed(second, before.slice(2))).toEqual([]);
    const out = await feed(second, partsOf(PHOTO_B).slice(1));
    expect(out).toHaveLength(1);
    const event = out[0]!.value as PostEnhancedEvent;
    expect(event.id).toBe(enrichmentEventId(POST_ID, 1));
    expect(event.data.missing_stages).toEqual([]);
    expect(event.data.tag_grades.find((t) => t.tag === 'phone')!.sources).toEqual(['detector', 'llm', 'ocr']);

    // A third process replaying everything publishes no other event: redelivered parts the event
    // used re-emit it unchanged, the rest emit nothing.
    now += 60_000;
    const third = startAggregator();
    const replay = await feed(third, [...before, ...partsOf(PHOTO_B)]);
    for (const record of replay) expect(record.value).toEqual(event);
    expect(await third.timers![0]!.fire(ctx)).toEqual([]);
  });

  it('a deadline offer survives the crash of the process that made it: the next one offers the identical event', async () => {
    const first = startAggregator();
    await feed(first, [
      inbound(TOPICS.posts, manifest()),
      inbound(TOPICS.detections, detections(PHOTO_A)),
      inbound(TOPICS.detections, detections(PHOTO_B)),
    ]);
    now = T0 + 30_000;
    const offer = await first.timers![0]!.fire(ctx);
    expect(offer).toHaveLength(1);
    // Dies before the broker acknowledged; the parts that complete the post arrive at the new process.
    now += 10_000;
    const second = startAggregator();
    expect(await feed(second, [...partsOf(PHOTO_A).slice(1), ...partsOf(PHOTO_B).slice(1)])).toEqual([]);
    const again = await second.timers![0]!.fire(ctx);
    expect(again).toEqual(offer);
    await second.timers![0]!.onPublished!(again, ctx);
    expect(await second.timers![0]!.fire(ctx)).toEqual([]);
    expect(await startAggregator().timers![0]!.fire(ctx)).toEqual([]);
  });

  it('two replicas handling the same completing parts at once emit one event, however many times', async () => {
    const replicas = [startAggregator(), startAggregator()];
    const m = manifest({ expected_stages: ['detector'] });
    await feed(replicas[0]!, [inbound(TOPICS.posts, m), inbound(TOPICS.detections, detections(PHOTO_A))]);
    const completing = inbound(TOPICS.detections, backpack(PHOTO_B));
    const outs = (await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.handle(completing, ctx)))).flat();
    expect(outs.length).toBeGreaterThanOrEqual(1);
    const distinct = new Set(outs.map((o) => JSON.stringify(o.value)));
    expect(distinct.size).toBe(1);
    expect((outs[0]!.value as PostEnhancedEvent).data.tag_grades.map((t) => t.tag).sort()).toEqual(['backpack', 'phone']);
  });

  it('lifecycle over Redis: an update asking the llm anew, handled by three processes in turn, publishes its revision once', async () => {
    await feed(startAggregator(), [inbound(TOPICS.posts, manifest()), ...partsOf(PHOTO_A), ...partsOf(PHOTO_B)]);
    const updated = manifest({ revision: 5, event_type: 'post.updated', deadline_at: T0 + 90_000, stale_before: { llm: 5 } });
    const newAnswer = (photo: string) => ({
      ...partsOf(photo, 5)[2]!.value,
      description: 'Black iPhone with a cracked corner.',
      confidence: 0.95,
    });
    expect(await feed(startAggregator(), [inbound(TOPICS.posts, updated), ...partsOf(PHOTO_A)])).toEqual([]);
    const third = startAggregator();
    const out = await feed(third, [inbound(TOPICS.descriptions, newAnswer(PHOTO_A)), inbound(TOPICS.descriptions, newAnswer(PHOTO_B))]);
    expect(out).toHaveLength(1);
    const event = out[0]!.value as PostEnhancedEvent;
    expect(event.id).toBe(enrichmentEventId(POST_ID, 5));
    expect(event.data).toMatchObject({ revision: 5, missing_stages: [], generated_description: 'Black iPhone with a cracked corner.' });
    // The update's detector and OCR answers (lateParts is 'revise' here) neither revise nor re-emit.
    expect(await feed(startAggregator(), [...partsOf(PHOTO_A, 5).slice(0, 2), ...partsOf(PHOTO_B, 5).slice(0, 2)])).toEqual([]);
    expect(await feed(startAggregator(), [inbound(TOPICS.descriptions, newAnswer(PHOTO_B))])).toEqual(out);
  });

  it('lifecycle over Redis: a photo added after a restart joins the photos held before it', async () => {
    const first = startAggregator();
    await feed(first, [
      inbound(TOPICS.posts, manifest({ expected_stages: ['detector'] }, [[PHOTO_A, 'ok']])),
      inbound(TOPICS.detections, detections(PHOTO_A)),
    ]);
    const second = startAggregator();
    const added = manifest({ expected_stages: ['detector'], revision: 2, event_type: 'post.photo.added', deadline_at: T0 + 90_000 }, [
      [PHOTO_B, 'ok'],
    ]);
    expect(await feed(second, [inbound(TOPICS.posts, added)])).toEqual([]);
    const out = await feed(startAggregator(), [inbound(TOPICS.detections, backpack(PHOTO_B, 2))]);
    expect((out[0]!.value as PostEnhancedEvent).data).toMatchObject({ revision: 2 });
    expect((out[0]!.value as PostEnhancedEvent).data.tag_grades.map((t) => t.tag).sort()).toEqual(['backpack', 'phone']);
  });

  it('post.deleted and post.resolved leave nothing of the post in Redis or the blob folder but a tombstone; a shared photo goes with its last post', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    const blobs = new LocalFolderBlobStore(blobDir);
    const cache = resultCache(redis);
    // Fresh images: no other test's keys can mention them.
    const [shared, own] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
    const other = randomUUID();
    const cacheKeys = (sha: string) => [
      `${prefix}${resultCacheKey('detector', 'yolox:1+nanodet:2', sha)}`,
      `${prefix}${resultCacheKey('ocr', 'ppocr:4', sha)}`,
      `${prefix}${resultCacheKey('llm', 'gpt-4o-mini:p7:low', sha)}`,
    ];
    // What the fetcher and the stages leave behind for both images.
    for (const sha of [shared, own]) {
      await blobs.put(sha, Buffer.from(sha), 'image/jpeg');
      for (const key of cacheKeys(sha)) await cache.set(key, { sha }, 3_600);
    }
    const withImages = (m: PostManifest, images: string[]): PostManifest => ({
      ...m,
      photos: m.photos.map((p, i) => ({ ...p, sha256: images[i]! })),
    });
    const post1 = withImages(manifest({ expected_stages: ['detector'] }), [shared, own]);
    // Another post through and through: no field of its manifest names post 1.
    const asOther = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll(POST_ID, other)) as T;
    const post2 = asOther(withImages(manifest({ expected_stages: ['detector'] }, [[PHOTO_A, 'ok']]), [shared]));
    const parts1 = [
      inbound(TOPICS.detections, { ...detections(PHOTO_A), sha256: shared }),
      inbound(TOPICS.detections, { ...detections(PHOTO_B), sha256: own }),
    ];
    expect(await feed(startAggregator(), [inbound(TOPICS.posts, post1), ...parts1])).toHaveLength(1);
    const part2 = inbound(TOPICS.detections, asOther({ ...detections(PHOTO_A), sha256: shared }));
    expect(await feed(startAggregator(), [inbound(TOPICS.posts, post2), part2])).toHaveLength(1);
    const blobFiles = async () =>
      (await readdir(blobDir, { recursive: true })).filter((f) => f.endsWith('.jpg')).map((f) => f.slice(3, 67));
    const mentions = (needle: string) => keysMentioning(redis, prefix, needle);
    expect((await mentions(POST_ID)).length).toBeGreaterThan(0);

    const ended = (type: string, postId: string) => ({ ...manifest({ revision: 2, event_type: type, post_id: postId }), photos: [] });
    expect(await feed(startAggregator(), [inbound(TOPICS.posts, ended('post.deleted', POST_ID))])).toEqual([]);
    expect(await mentions(POST_ID)).toEqual([`tomb:${POST_ID}`]);
    expect(await redis.hgetall(`${prefix}tomb:${POST_ID}`)).toEqual({ event_type: 'post.deleted', at: String(T0) });
    expect(await mentions(own)).toEqual([]);
    expect((await mentions(shared)).sort()).toEqual(
      [
        `image-posts:${shared}`,
        `media-ai:result-index:${shared}`,
        ...cacheKeys(shared).map((k) => k.slice(prefix.length)),
        `post-images:${other}`,
        `post:${other}`,
      ].sort(),
    );
    expect(await blobFiles()).toEqual([shared]);

    // A part in flight and a replay of post.created, after the fetcher and the detector stored the image again.
    await blobs.put(own, Buffer.from(own), 'image/jpeg');
    for (const key of cacheKeys(own)) await cache.set(key, { own }, 3_600);
    expect(await feed(startAggregator(), [...parts1, inbound(TOPICS.posts, post1)])).toEqual([]);
    expect(await mentions(own)).toEqual([]);
    expect(await mentions(POST_ID)).toEqual([`tomb:${POST_ID}`]);
    expect(await blobFiles()).toEqual([shared]);

    expect(await feed(startAggregator(), [inbound(TOPICS.posts, ended('post.resolved', other))])).toEqual([]);
    expect(await mentions(other)).toEqual([`tomb:${other}`]);
    expect(await mentions(shared)).toEqual([]);
    expect(await blobFiles()).toEqual([]);
    now = T0 + 60 * 60_000;
    expect(await startAggregator().timers![0]!.fire(ctx)).toEqual([]);
  });
});
