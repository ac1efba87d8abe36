import { createHash } from 'node:crypto';
import { mkdtemp, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepableBlobStore, SweepOptions, SweepResult } from './blob-store.js';
import { BlobSweeper } from './blob-sweeper.js';
import { LocalFolderBlobStore } from './local-folder-blob-store.js';

const DONE: SweepResult = { examined: 1, deleted: 1, truncated: false };

/**
 * A store whose sweeps finish only when the test says so: the sweeper's scheduling is what is under
 * test here, and only a store that can be held mid-sweep shows whether runs ever overlap.
 */
function heldStore() {
  const calls: SweepOptions[] = [];
  const pending: { resolve: (r: SweepResult) => void; reject: (e: unknown) => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const store: SweepableBlobStore = {
    put: () => Promise.resolve(),
    get: () => Promise.reject(new Error('unused')),
    has: () => Promise.resolve(false),
    delete: () => Promise.resolve(),
    describe: () => 'held',
    sweepExpired(options) {
      calls.push(options);
      maxActive = Math.max(maxActive, ++active);
      return new Promise<SweepResult>((resolve, reject) => {
        let settled = false;
        const settle = () => {
          if (!settled) active--;
          settled = true;
        };
        pending.push({ resolve: (r) => (settle(), resolve(r)), reject: (e) => (settle(), reject(e)) });
        options.signal?.addEventListener('abort', () => (settle(), resolve({ examined: 0, deleted: 0, truncated: true })), { once: true });
      });
    },
  };
  return { store, calls, pending, maxActive: () => maxActive };
}

const until = async (condition: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('BlobSweeper', () => {
  it('joins a run in progress instead of starting a second one', async () => {
    const held = heldStore();
    const sweeper = new BlobSweeper({ store: held.store, ttlMs: 1_000, intervalMs: 60_000, maxDeletesPerRun: 50 });
    const first = sweeper.runOnce();
    const second = sweeper.runOnce();
    expect(held.calls).toHaveLength(1);
    expect(held.calls[0]).toMatchObject({ olderThanMs: 1_000, limit: 50 });
    held.pending[0]?.resolve(DONE);
    expect(await first).toEqual(DONE);
    expect(await second).toEqual(DONE);
    await sweeper.stop();
  });

  it('schedules the next run only after the previous one ends', async () => {
    const held = heldStore();
    const results: number[] = [];
    const sweeper = new BlobSweeper({ store: held.store, ttlMs: 1_000, intervalMs: 5, onSweep: (r) => results.push(r.deleted) });
    sweeper.start();
    sweeper.start(); // a second start must not add a second timer chain
    await until(() => held.calls.length === 1);
    // Many intervals pass while the first run is held: still one run.
    await new Promise((r) => setTimeout(r, 40));
    expect(held.calls).toHaveLength(1);
    held.pending[0]?.resolve(DONE);
    await until(() => held.calls.length === 2);
    held.pending[1]?.resolve(DONE);
    await until(() => held.calls.length === 3);
    expect(held.maxActive()).toBe(1);
    expect(results).toEqual([1, 1]);
    await sweeper.stop();
  });

  it('stop aborts the run in progress, waits for it, and is idempotent', async () => {
    const held = heldStore();
    const sweeper = new BlobSweeper({ store: held.store, ttlMs: 1_000, intervalMs: 5 });
    sweeper.start();
    await until(() => held.calls.length === 1);
    await Promise.all([sweeper.stop(), sweeper.stop()]);
    expect(held.calls[0]?.signal?.aborted).toBe(true);
    await sweeper.stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(held.calls).toHaveLength(1);
    expect(await sweeper.runOnce()).toBeUndefined();
  });

  it('reports a failed run and keeps sweeping', async () => {
    const held = heldStore();
    const errors: unknown[] = [];
    const sweeper = new BlobSweeper({
      store: held.store,
      ttlMs: 1_000,
      intervalMs: 5,
      onError: (e) => errors.push(e),
      onSweep: () => {
        throw new Error('a broken logger must not stop the loop');
      },
    });
    sweeper.start();
    await until(() => held.calls.length === 1);
    held.pending[0]?.reject(new Error('listing failed'));
    await until(() => held.calls.length === 2);
    expect(errors).toHaveLength(1);
    held.pending[1]?.resolve(DONE);
    await until(() => held.calls.length === 3);
    await sweeper.stop();
  });

  it('expires real blobs of a local store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweeper-'));
    const store = new LocalFolderBlobStore(dir);
    const bytes = Buffer.from('expired photo');
    const key = createHash('sha256').update(bytes).digest('hex');
    await store.put(key, bytes, 'image/jpeg');
    const past = new Date(Date.now() - 10_000);
    await utimes(join(dir, key.slice(0, 2), `${key}.jpg`), past, past);
    const sweeper = new BlobSweeper({ store, ttlMs: 5_000, intervalMs: 60_000 });
    expect(await sweeper.runOnce()).toMatchObject({ deleted: 1 });
    expect(await store.has(key)).toBe(false);
    await sweeper.stop();
  });

  it('refuses a non-positive TTL or interval', () => {
    const held = heldStore();
    expect(() => new BlobSweeper({ store: held.store, ttlMs: 0, intervalMs: 1 })).toThrow(RangeError);
    expect(() => new BlobSweeper({ store: held.store, ttlMs: 1, intervalMs: Number.NaN })).toThrow(RangeError);
  });
});
