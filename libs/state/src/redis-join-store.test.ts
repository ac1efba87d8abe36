import { setTimeout as sleep } from 'node:timers/promises';
import type { PostManifest } from '@media-ai/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { isReadyToPublish } from './join-store.js';
import { RedisJoinStore } from './redis-join-store.js';
import { describeJoinStoreContract, det, manifest, POST, txt, withImages } from './test-support/join-store-contract.js';
import { testRedis, type TestRedis } from './test-support/redis.js';

let redis: TestRedis | undefined;
afterEach(async () => {
  await redis?.cleanup();
  redis = undefined;
});
function fresh(): TestRedis {
  redis = testRedis();
  return redis;
}

// The fixtures' deadlines are a few seconds after the epoch: a store on the wall clock would find
// them an hour past their grace and let Redis expire them at once.
const FIXTURE_CLOCK = () => 0;

describeJoinStoreContract(
  'RedisJoinStore',
  (options) => {
    const { redis: client, prefix } = fresh();
    return new RedisJoinStore({ redis: client, keyPrefix: prefix, clock: FIXTURE_CLOCK, ...options });
  },
  (_store, needle) => redis!.mentions(needle),
);

describe('RedisJoinStore', () => {
  it('keeps everything in Redis: a second client (another replica, a restarted process) continues the join', async () => {
    const r = fresh();
    const first = new RedisJoinStore({ redis: r.redis, keyPrefix: r.prefix, clock: FIXTURE_CLOCK });
    await first.putManifest(manifest());
    await first.putPart('detector', det('a'));
    await first.putPart('ocr', txt('a'));
    await first.putPart('detector', det('b'));

    const second = new RedisJoinStore({ redis: r.connect(), keyPrefix: r.prefix, clock: FIXTURE_CLOCK });
    const state = await second.putPart('ocr', txt('b'));
    expect(isReadyToPublish(state)).toBe(true);
    expect(state.parts.map((p) => `${p.stage}:${p.record.photo_id}`)).toEqual(['detector:a', 'ocr:a', 'detector:b', 'ocr:b']);
    expect(state.parts[0]!.record).toEqual(det('a'));
  });

  it('reads a manifest an older release stored (JSON copies only, no typed post) in its current form', async () => {
    const r = fresh();
    const store = new RedisJoinStore({ redis: r.redis, keyPrefix: r.prefix, clock: FIXTURE_CLOCK });
    const { post_details: _d, post_owner: _o, post_organization: _g, ...stored } = manifest();
    const post = { id: POST, user_id: 'u-1', location: { latitude: 1, longitude: 2 }, photos: [{ id: 'a' }, { id: 'b' }] };
    await store.putManifest({
      ...stored,
      original_post_json: JSON.stringify(post),
      post_owner_json: '{"display_name":"U"}',
    } as PostManifest);
    const read = (await store.get(POST))!.manifest!;
    expect(read.post_details).toMatchObject({
      user_id: 'u-1',
      location: { latitude: 1, longitude: 2, address: null },
      photo_ids: ['a', 'b'],
    });
    expect(read.post_owner).toMatchObject({ display_name: 'U', user_id: null });
    expect(read.post_organization).toBeNull();
  });

  it('concurrent duplicates from two replicas are stored once and agree on the published event', async () => {
    const r = fresh();
    const stores = [
      new RedisJoinStore({ redis: r.redis, keyPrefix: r.prefix, clock: FIXTURE_CLOCK }),
      new RedisJoinStore({ redis: r.connect(), keyPrefix: r.prefix, clock: FIXTURE_CLOCK }),
    ];
    await stores[0]!.putManifest(manifest(1, [['a', 'ok']]));
    const writes = Array.from({ length: 40 }, (_, i) =>
      stores[i % 2]!.putPart(i % 3 === 0 ? 'ocr' : 'detector', i % 3 === 0 ? txt('a') : det('a')),
    );
    const states = await Promise.all(writes);
    const final = (await stores[1]!.get(POST))!;
    expect(final.parts).toHaveLength(2);
    expect(new Set(final.parts.map((p) => p.stage))).toEqual(new Set(['detector', 'ocr']));
    // Whoever saw the post complete publishes; the store keeps the first event for every one of them.
    const ready = states.filter((s) => isReadyToPublish(s));
    expect(ready.length).toBeGreaterThan(0);
    const published = await Promise.all(ready.map((_, i) => stores[i % 2]!.markPublished(POST, 1, { id: 'evt', by: i })));
    expect(new Set(published.map((e) => JSON.stringify(e))).size).toBe(1);
  });

  it('sets the join’s grace period as the key’s TTL, and forgets published posts after the published TTL', async () => {
    const r = fresh();
    let now = 1_000_000;
    const store = new RedisJoinStore({ redis: r.redis, keyPrefix: r.prefix, clock: () => now, graceMs: 60_000, publishedTtlMs: 300 });
    await store.putManifest({ ...manifest(), deadline_at: now + 30_000 });
    const ttl = await r.redis.pttl(`${r.prefix}post:${POST}`);
    expect(ttl).toBeGreaterThan(85_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
    now += 1_000;
    await store.markPublished(POST, 1, { id: 'evt' });
    expect(await r.redis.zcard(`${r.prefix}deadlines`)).toBe(0);
    await sleep(450);
    expect(await store.get(POST)).toBeNull();
  });

  it('keeps a tombstone tombstoneTtlMs from the last forget, and image references imageReferenceTtlMs from the last manifest', async () => {
    const r = fresh();
    const store = new RedisJoinStore({
      redis: r.redis,
      keyPrefix: r.prefix,
      clock: FIXTURE_CLOCK,
      tombstoneTtlMs: 60_000,
      imageReferenceTtlMs: 30_000,
    });
    await store.putManifest({ ...withImages(manifest(), ['img-1']), post_id: 'other' });
    for (const key of ['post-images:other', 'image-posts:img-1']) {
      const ttl = await r.redis.pttl(`${r.prefix}${key}`);
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
    }
    await store.forget({ post_id: POST, event_type: 'post.resolved', at: 0 });
    await r.redis.pexpire(`${r.prefix}tomb:${POST}`, 100);
    await store.forget({ post_id: POST, event_type: 'post.deleted', at: 5 });
    const ttl = await r.redis.pttl(`${r.prefix}tomb:${POST}`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await r.redis.hgetall(`${r.prefix}tomb:${POST}`)).toEqual({ event_type: 'post.deleted', at: '5' });
  });

  it('drops deadline entries whose post expired', async () => {
    const r = fresh();
    let now = 1_000_000;
    const store = new RedisJoinStore({ redis: r.redis, keyPrefix: r.prefix, clock: () => now, graceMs: 1 });
    await store.putManifest({ ...manifest(), deadline_at: now });
    await sleep(20);
    now += 10;
    expect(await store.listExpired(now)).toEqual([]);
    expect(await r.redis.zcard(`${r.prefix}deadlines`)).toBe(0);
  });

  it('reloads its scripts when Redis forgot them', async () => {
    const r = fresh();
    const store = new RedisJoinStore({ redis: r.redis, keyPrefix: r.prefix, clock: FIXTURE_CLOCK });
    await store.putManifest(manifest());
    await r.redis.script('FLUSH');
    expect((await store.putPart('detector', det('a'))).parts).toHaveLength(1);
  });

  it('a Redis it cannot reach is a retryable MEDIA_AI_STATE_UNAVAILABLE', async () => {
    const r = fresh();
    const down = r.connect();
    down.disconnect();
    const store = new RedisJoinStore({ redis: down, keyPrefix: r.prefix });
    await expect(store.putManifest(manifest())).rejects.toMatchObject({ code: 'MEDIA_AI_STATE_UNAVAILABLE', retryable: true });
  });
});
