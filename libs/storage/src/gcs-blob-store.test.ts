import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcsBlobStore, type GcsBlobStoreOptions } from './gcs-blob-store.js';
import { startGcsStandIn, type GcsStandIn } from './test-support/gcs-stand-in.js';
import { failureOf } from '@media-ai/contracts/test-support';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const HOUR = 3_600_000;

let gcs: GcsStandIn;
beforeAll(async () => {
  gcs = await startGcsStandIn();
});
afterAll(() => gcs.close());

let bucketCount = 0;
/** Each test gets its own bucket, so request logs and listings never see another test's objects. */
function store(options: Partial<GcsBlobStoreOptions> = {}): GcsBlobStore {
  return new GcsBlobStore({
    bucket: `blobs-${++bucketCount}`,
    prefix: 'media-ai/normalized',
    maxBytes: 64 * 1024,
    apiEndpoint: gcs.endpoint,
    timeoutMs: 5_000,
    ...options,
  });
}
const bucketOf = (blobs: GcsBlobStore) =>
  blobs
    .describe()
    .replace(/^gs:\/\//, '')
    .split('/')[0] as string;

describe('GcsBlobStore (real @google-cloud/storage client against the stand-in)', () => {
  it('uploads under the prefix with a generation precondition and reads the bytes back', async () => {
    const blobs = store();
    const bytes = Buffer.from('normalized jpeg bytes');
    const key = sha(bytes);
    expect(blobs.describe()).toMatch(/^gs:\/\/blobs-\d+\/media-ai\/normalized\/$/);
    expect(await blobs.has(key)).toBe(false);
    gcs.requests.length = 0;
    await blobs.put(key, bytes, 'image/jpeg');
    const upload = gcs.requests.find((r) => r.startsWith('POST /upload/'));
    expect(upload).toMatch(/uploadType=multipart/);
    expect(upload).toMatch(/ifGenerationMatch=0/);
    const stored = gcs.object(bucketOf(blobs), `media-ai/normalized/${key}`);
    expect(stored?.bytes.equals(bytes)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');
    expect(stored?.customTime).toBeInstanceOf(Date);
    expect(await blobs.has(key)).toBe(true);
    expect((await blobs.get(key)).equals(bytes)).toBe(true);
  });

  it('skips the upload when the object already exists', async () => {
    const blobs = store();
    const bytes = Buffer.from('same photo twice');
    await blobs.put(sha(bytes), bytes, 'image/jpeg');
    gcs.requests.length = 0;
    await blobs.put(sha(bytes), bytes, 'image/jpeg');
    expect(gcs.requests).toHaveLength(1);
    expect(gcs.requests[0]).toMatch(/^GET \/storage\/v1\//);
  });

  it('lets concurrent writers of the same content race harmlessly (the loser gets 412)', async () => {
    const blobs = store();
    const bytes = Buffer.alloc(32 * 1024, 9);
    const key = sha(bytes);
    // The stand-in numbers generations in order: the first upload to land gets the next one.
    gcs.put('generation-probe', 'probe', Buffer.from('x'));
    const firstGeneration = String(Number(gcs.object('generation-probe', 'probe')?.generation) + 1);
    gcs.requests.length = 0;
    await Promise.all(Array.from({ length: 6 }, () => blobs.put(key, bytes, 'image/jpeg')));
    // All six looked before any wrote, so several uploads raced; the precondition kept the first.
    expect(gcs.requests.filter((r) => r.startsWith('POST /upload/')).length).toBeGreaterThan(1);
    expect(gcs.object(bucketOf(blobs), `media-ai/normalized/${key}`)?.generation).toBe(firstGeneration);
    expect((await blobs.get(key)).equals(bytes)).toBe(true);
  });

  it('moves customTime forward when a stale blob is stored again, so the TTL restarts', async () => {
    const blobs = store({ refreshAfterMs: HOUR });
    const bytes = Buffer.from('re-posted photo');
    const key = sha(bytes);
    await blobs.put(key, bytes, 'image/jpeg');
    const name = `media-ai/normalized/${key}`;
    gcs.backdate(bucketOf(blobs), name, 2 * HOUR);
    const before = gcs.object(bucketOf(blobs), name)?.customTime?.getTime() ?? 0;
    await blobs.put(key, bytes, 'image/jpeg');
    const after = gcs.object(bucketOf(blobs), name)?.customTime?.getTime() ?? 0;
    expect(after - before).toBeGreaterThanOrEqual(2 * HOUR - 1000);
    expect(Date.now() - after).toBeLessThan(60_000);
    // A sweep with a 1.5 h TTL now keeps it.
    expect((await blobs.sweepExpired({ olderThanMs: 1.5 * HOUR })).deleted).toBe(0);
  });

  it('answers a missing key with MEDIA_AI_BLOB_MISSING, and refuses keys that are not sha256', async () => {
    const blobs = store();
    const missing = await failureOf(blobs.get('b'.repeat(64)));
    expect(missing.code).toBe('MEDIA_AI_BLOB_MISSING');
    expect(missing.retryable).toBe(true);
    const bad = await failureOf(blobs.put('../x', Buffer.from('x'), 'image/jpeg'));
    expect(bad.message).toMatch(/sha256/);
  });

  it('bounds reads by maxBytes', async () => {
    const big = Buffer.alloc(100 * 1024, 3);
    const writer = store();
    await writer.put(sha(big), big, 'image/jpeg');
    const reader = new GcsBlobStore({
      bucket: bucketOf(writer),
      prefix: 'media-ai/normalized/',
      maxBytes: 64 * 1024,
      apiEndpoint: gcs.endpoint,
    });
    expect((await failureOf(reader.get(sha(big)))).code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
  });

  it('gives up on a read that stalls mid-body within its time budget', async () => {
    const blobs = store({ timeoutMs: 400, retries: 0 });
    const bytes = Buffer.alloc(20_000, 4);
    await blobs.put(sha(bytes), bytes, 'image/jpeg');
    gcs.stallNext(1);
    const started = Date.now();
    const error = await failureOf(blobs.get(sha(bytes)));
    expect(error.code).toBe('MEDIA_AI_BLOB_STORE_FAILED');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('deletes one object under its prefix; a missing one is already deleted; refused access is a failure', async () => {
    const blobs = store();
    const [kept, gone] = [Buffer.from('kept photo'), Buffer.from('forgotten photo')];
    await blobs.put(sha(kept), kept, 'image/jpeg');
    await blobs.put(sha(gone), gone, 'image/jpeg');
    gcs.requests.length = 0;
    await blobs.delete(sha(gone));
    expect(gcs.requests).toEqual([
      expect.stringMatching(new RegExp(`^DELETE /storage/v1/b/${bucketOf(blobs)}/o/media-ai%2Fnormalized%2F${sha(gone)}`)),
    ]);
    expect(gcs.object(bucketOf(blobs), `media-ai/normalized/${sha(gone)}`)).toBeUndefined();
    expect(await blobs.has(sha(kept))).toBe(true);
    await blobs.delete(sha(gone));
    await expect(blobs.delete('not-a-sha')).rejects.toThrow(/sha256/);
    gcs.makePrivate(bucketOf(blobs));
    const error = await failureOf(blobs.delete(sha(kept)));
    expect(error).toMatchObject({ code: 'MEDIA_AI_BLOB_STORE_FAILED', retryable: true, details: { status: 403 } });
  });

  it('reports refused access as a retryable blob-store failure', async () => {
    const blobs = store();
    gcs.makePrivate(bucketOf(blobs));
    const error = await failureOf(blobs.put('c'.repeat(64), Buffer.from('x'), 'image/jpeg'));
    expect(error.code).toBe('MEDIA_AI_BLOB_STORE_FAILED');
    expect(error.details.status).toBe(403);
    expect(error.retryable).toBe(true);
  });

  it('sweeps only its own expired objects, across listing pages', async () => {
    const blobs = store({ listPageSize: 2 });
    const bucket = bucketOf(blobs);
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      const bytes = Buffer.from(`photo ${i}`);
      keys.push(sha(bytes));
      await blobs.put(sha(bytes), bytes, 'image/jpeg');
    }
    // Three expired, two fresh; plus old objects that are not the store's.
    for (const key of keys.slice(0, 3)) gcs.backdate(bucket, `media-ai/normalized/${key}`, 25 * HOUR);
    gcs.put(bucket, 'media-ai/normalized/README.txt', Buffer.from('not a blob'));
    gcs.backdate(bucket, 'media-ai/normalized/README.txt', 100 * HOUR);
    gcs.put(bucket, `originals/${keys[4]}`, Buffer.from('outside the prefix'));
    gcs.backdate(bucket, `originals/${keys[4]}`, 100 * HOUR);

    const result = await blobs.sweepExpired({ olderThanMs: 24 * HOUR });
    expect(result).toEqual({ examined: 5, deleted: 3, truncated: false });
    expect(gcs.names(bucket)).toEqual(
      [`media-ai/normalized/${keys[3]}`, `media-ai/normalized/${keys[4]}`, 'media-ai/normalized/README.txt', `originals/${keys[4]}`].sort(),
    );
    expect(gcs.requests.filter((r) => r.startsWith(`GET /storage/v1/b/${bucket}/o?`)).length).toBeGreaterThanOrEqual(3);
  });

  it('stops at the deletion limit and says the sweep was truncated', async () => {
    const blobs = store();
    const bucket = bucketOf(blobs);
    for (let i = 0; i < 4; i++) {
      const bytes = Buffer.from(`old ${i}`);
      await blobs.put(sha(bytes), bytes, 'image/jpeg');
      gcs.backdate(bucket, `media-ai/normalized/${sha(bytes)}`, 2 * HOUR);
    }
    expect(await blobs.sweepExpired({ olderThanMs: HOUR, limit: 3 })).toMatchObject({ deleted: 3, truncated: true });
    expect(await blobs.sweepExpired({ olderThanMs: HOUR, limit: 3 })).toMatchObject({ deleted: 1, truncated: false });
  });

  it('keeps an object that a put refreshed between the listing and the delete', async () => {
    const blobs = store();
    const bucket = bucketOf(blobs);
    const bytes = Buffer.from('refreshed mid-sweep');
    const key = sha(bytes);
    const name = `media-ai/normalized/${key}`;
    await blobs.put(key, bytes, 'image/jpeg');
    gcs.backdate(bucket, name, 2 * HOUR);
    const writer = store({ bucket, refreshAfterMs: HOUR });
    let staged = false;
    gcs.beforeHandle = (method) => {
      if (method !== 'DELETE' || staged) return;
      staged = true;
      // What a concurrent put does to the object: a metadata write, so a new metageneration.
      const object = gcs.object(bucket, name);
      if (object) {
        object.metageneration++;
        object.customTime = new Date();
      }
    };
    try {
      expect(await blobs.sweepExpired({ olderThanMs: HOUR })).toMatchObject({ examined: 1, deleted: 0 });
    } finally {
      gcs.beforeHandle = undefined;
    }
    expect(staged).toBe(true);
    expect((await writer.get(key)).equals(bytes)).toBe(true);
  });
});
