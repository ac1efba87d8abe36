import { describe, expect, it } from 'vitest';
import { MemoryJoinStore } from './join-store.js';
import { describeJoinStoreContract, det, manifest, POST, withImages } from './test-support/join-store-contract.js';

describeJoinStoreContract(
  'MemoryJoinStore',
  (options) => new MemoryJoinStore(options),
  async (store, needle) =>
    (store as MemoryJoinStore)
      .heldEntries()
      .filter(([key, value]) => key.includes(needle) || JSON.stringify(value).includes(needle))
      .map(([key]) => key)
      .sort(),
);

describe('MemoryJoinStore', () => {
  it('forgets published posts after the published TTL, at the next listExpired', async () => {
    let now = 0;
    const store = new MemoryJoinStore({ clock: () => now, orphanTtlMs: 1_000, publishedTtlMs: 5_000 });
    await store.putManifest({ ...manifest(1, [['a', 'ok']], 1_000), post_id: 'done' });
    await store.putManifest({ ...manifest(1, [['a', 'ok']], 50_000), post_id: 'on-time' });
    await store.markPublished('done', 1);
    now = 4_000;
    await store.listExpired(now);
    expect(store.size).toBe(2);
    now = 6_000;
    await store.listExpired(now);
    expect(store.size).toBe(1);
    expect(await store.get('done')).toBeNull();
  });

  it('drop frees the memory', async () => {
    const store = new MemoryJoinStore();
    await store.putManifest(manifest());
    await store.putPart('detector', det('a'));
    expect(store.size).toBe(1);
    await store.drop(POST);
    expect(store.size).toBe(0);
  });

  it('a tombstone lasts tombstoneTtlMs and image references imageReferenceTtlMs, then both are gone', async () => {
    let now = 0;
    const store = new MemoryJoinStore({ clock: () => now, tombstoneTtlMs: 1_000, imageReferenceTtlMs: 500 });
    await store.putManifest({ ...withImages(manifest(), ['img-1']), post_id: 'other' });
    await store.forget({ post_id: POST, event_type: 'post.deleted', at: 0 });
    now = 499;
    expect(await store.unusedImages(['img-1'])).toEqual([]);
    now = 500;
    expect(await store.unusedImages(['img-1'])).toEqual(['img-1']);
    now = 999;
    expect((await store.putPart('detector', det('a'))).forgotten).not.toBeNull();
    now = 1_000;
    await store.listExpired(now);
    expect(await store.tombstoneOf(POST)).toBeNull();
    expect(store.heldEntries().map(([key]) => key)).toEqual(['post:other']);
  });
});
