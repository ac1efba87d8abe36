import { describe, expect, it } from 'vitest';
import { MemoryJoinStore } from './join-store.js';
import { describeJoinStoreContract, det, manifest, POST } from './test-support/join-store-contract.js';

describeJoinStoreContract('MemoryJoinStore', (options) => new MemoryJoinStore(options));

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
});
