/**
 * Forgetting end to end, as `media-ai serve` runs it (buildServer, driven with app.inject): real
 * stages, models and photos; one post created with uploaded photos, another through POST
 * /api/v1/events with one of the same photos. After post.deleted (and post.resolved) the API answers
 * 410 Gone and nothing of the post is left: no key or value in Redis names the post (its tombstone
 * apart) or its photos, the blob folder and the uploads no longer hold them, the result cache misses
 * them; the photo the other post shares stays until that post goes too. A replayed post.created of
 * a forgotten post brings nothing back. Once with the memory stores (the embedded default), once with
 * Redis.
 *
 * The photos are made for each run (a real photo, downscaled, with a patch of random pixels), so no
 * other suite sharing the Redis can hold anything about them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { keysMentioning, TEST_REDIS_URL } from '@media-ai/state/test-support';
import type { MediaAiMetrics } from '@media-ai/telemetry';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type EmbeddedServer } from '../cli/serve.js';
import { contractExample, photoPath, setPostId, testEnv, testRuntime, withPhotos, type TestEnv } from '../test-support/pipeline-env.js';
import type { EmbeddedPipeline } from './embedded-pipeline.js';

/** A real photo made unique: downscaled (quick to analyse) with 16x16 random pixels in a corner. */
async function uniquePhoto(): Promise<Buffer> {
  return sharp(photoPath('coffee_cup_saucer.jpg'))
    .resize({ width: 320 })
    .composite([{ input: randomBytes(16 * 16 * 3), raw: { width: 16, height: 16, channels: 3 }, top: 0, left: 0 }])
    .jpeg()
    .toBuffer();
}

async function multipartBody(files: Buffer[]) {
  const form = new FormData();
  files.forEach((bytes, i) => form.append('photos', new Blob([bytes], { type: 'image/jpeg' }), `photo-${i}.jpg`));
  const response = new Response(form);
  return { payload: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

/** Inputs the aggregator has handled to the end (its outputs sent, its offset committed). */
async function aggregatorHandled(metrics: MediaAiMetrics): Promise<number> {
  const { values } = await metrics.recordsProcessed.get();
  return values.find((v) => v.labels.stage === 'aggregator')?.value ?? 0;
}

async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(['memory', 'redis'] as const)('forgetting a deleted or resolved post (%s stores)', (kind) => {
  let env: TestEnv;
  let server: EmbeddedServer;
  let pipeline: EmbeddedPipeline;
  let metrics: MediaAiMetrics;
  let redis: Redis | undefined;
  let shared: Buffer;
  let own: Buffer;
  let sharedUrl: string;
  const posts = { uploaded: '', byEvent: randomUUID(), later: randomUUID() };
  const images = { shared: '', own: '' };
  /** How many inputs the aggregator should have handled once the step in hand is through. */
  let expectedHandled = 0;

  beforeAll(async () => {
    env = testEnv({
      ...(kind === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
      // Short lives for what this suite leaves in a shared Redis; afterAll removes the rest.
      REDIS_AI_RESULTS_TTL: '600',
      MEDIA_AI_TOMBSTONE_TTL_HOURS: '1',
    });
    const runtime = testRuntime(env.env);
    metrics = runtime.metrics;
    server = await buildServer(runtime);
    pipeline = await server.start();
    expect(pipeline.stateStore).toBe(kind);
    if (kind === 'redis') redis = new Redis(TEST_REDIS_URL);
    [shared, own] = await Promise.all([uniquePhoto(), uniquePhoto()]);
    sharedUrl = pathToFileURL(path.join(env.dir, 'shared.jpg')).href;
    await writeFile(path.join(env.dir, 'shared.jpg'), shared);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    // Tombstones outlive the suite on purpose; remove them from the shared Redis.
    if (redis) await redis.del(...Object.values(posts).map((id) => `media-ai:join:tomb:${id}`));
    await redis?.quit();
    env?.cleanup();
  });

  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    server.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const enrichment = (postId: string) => api('GET', `/api/v1/posts/${postId}/enrichment`);
  const lifecycle = (example: string, postId: string, urls = [sharedUrl]) =>
    api('POST', '/api/v1/events', setPostId(withPhotos(contractExample(example), urls), postId));
  /** The normalized photos in the blob folder, by sha256. */
  const blobs = async () =>
    (await readdir(env.env['MEDIA_AI_BLOB_DIR']!, { recursive: true }).catch(() => [] as string[]))
      .map((file) => path.basename(file))
      .filter((name) => /^[0-9a-f]{64}\.jpg$/.test(name))
      .map((name) => name.slice(0, 64))
      .sort();
  /** Every key of this Redis (any prefix) whose name or content names `needle`. */
  const inRedis = (needle: string) => keysMentioning(redis!, '', needle);
  const handledThrough = (count: number) => {
    expectedHandled += count;
    return waitFor(`the aggregator to handle ${expectedHandled} inputs`, async () => (await aggregatorHandled(metrics)) >= expectedHandled);
  };

  it('enriches a post of uploaded photos and a post sharing one of them', async () => {
    const { payload, contentType } = await multipartBody([shared, own]);
    const analyzed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload,
      headers: { 'content-type': contentType },
    });
    expect(analyzed.statusCode, analyzed.body).toBe(200);
    posts.uploaded = (analyzed.json() as { data: { post_id: string } }).data.post_id;
    // An upload is read once and released with its request: the bytes live on only as the post's blobs.
    expect(pipeline.uploads.size).toBe(0);

    expect((await lifecycle('post.created.json', posts.byEvent)).statusCode).toBe(202);
    await pipeline.waitForEnrichment(posts.byEvent);
    // Each post: its manifest, then the detector's and the OCR's answer for each photo (the llm is off).
    await handledThrough(1 + 2 * 2 + 1 + 2);

    images.shared = pipeline.photosOf(posts.byEvent)[0]!.sha256;
    const uploadedImages = pipeline.photosOf(posts.uploaded).map((p) => p.sha256);
    // The same pixels normalize to the same blob, whoever posted them.
    expect(uploadedImages).toContain(images.shared);
    images.own = uploadedImages.find((sha) => sha !== images.shared)!;
    expect(await blobs()).toEqual([images.shared, images.own].sort());
    if (redis) {
      expect(await inRedis(posts.uploaded)).toEqual(expect.arrayContaining([`media-ai:join:post:${posts.uploaded}`]));
      expect((await inRedis(images.own)).length).toBeGreaterThan(2);
    }
  }, 300_000);

  it('post.deleted: 410 Gone, and nothing of the post is left but its tombstone; the shared photo stays', async () => {
    expect((await lifecycle('post.deleted.json', posts.uploaded)).statusCode).toBe(202);
    await handledThrough(1);

    const gone = await enrichment(posts.uploaded);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toEqual({
      error: { code: 'MEDIA_AI_POST_GONE', message: `Post ${posts.uploaded} was deleted: its enrichment is forgotten` },
    });
    expect((await enrichment(posts.byEvent)).statusCode).toBe(200);
    expect(pipeline.uploads.size).toBe(0);
    expect(pipeline.photosOf(posts.uploaded)).toEqual([]);
    expect(await blobs()).toEqual([images.shared]);
    if (redis) {
      expect(await inRedis(posts.uploaded)).toEqual([`media-ai:join:tomb:${posts.uploaded}`]);
      expect(Object.keys(await redis.hgetall(`media-ai:join:tomb:${posts.uploaded}`)).sort()).toEqual(['at', 'event_type']);
      expect(await inRedis(images.own)).toEqual([]);
      expect(await inRedis(images.shared)).toEqual(
        expect.arrayContaining([`media-ai:join:image-posts:${images.shared}`, `media-ai:result-index:${images.shared}`]),
      );
    }
  });

  it('post.resolved of the other post: 410 Gone, and the photo both used is gone too', async () => {
    expect((await lifecycle('post.resolved.json', posts.byEvent)).statusCode).toBe(202);
    await handledThrough(1);

    const gone = await enrichment(posts.byEvent);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error).toMatchObject({ code: 'MEDIA_AI_POST_GONE', message: expect.stringMatching(/was resolved/) });
    expect(await blobs()).toEqual([]);
    if (redis) {
      expect(await inRedis(posts.byEvent)).toEqual([`media-ai:join:tomb:${posts.byEvent}`]);
      expect(await inRedis(images.shared)).toEqual([]);
    }
  });

  it('a replayed post.created of the forgotten post publishes nothing and leaves nothing behind', async () => {
    expect((await lifecycle('post.created.json', posts.byEvent)).statusCode).toBe(202);
    // The fetcher fetches it again; the aggregator gets the manifest and both stages' answers, and stores none.
    await handledThrough(1 + 2);

    expect((await enrichment(posts.byEvent)).statusCode).toBe(410);
    expect(pipeline.enrichmentsOf(posts.byEvent)).toEqual([]);
    expect(await blobs()).toEqual([]);
    if (redis) {
      expect(await inRedis(posts.byEvent)).toEqual([`media-ai:join:tomb:${posts.byEvent}`]);
      expect(await inRedis(images.shared)).toEqual([]);
    }
  });

  it('nothing cached about the photo is left: a new post with it is analysed afresh', async () => {
    const lookups = async () => {
      const count = async (counter: MediaAiMetrics['cacheHits']) =>
        (await counter.get()).values.filter((v) => ['detector', 'ocr'].includes(String(v.labels.cache))).reduce((n, v) => n + v.value, 0);
      return { hits: await count(metrics.cacheHits), misses: await count(metrics.cacheMisses) };
    };
    const before = await lookups();
    expect((await lifecycle('post.created.json', posts.later)).statusCode).toBe(202);
    await pipeline.waitForEnrichment(posts.later);
    const after = await lookups();
    expect(after.hits - before.hits).toBe(0);
    expect(after.misses - before.misses).toBe(2);
    await handledThrough(1 + 2);

    // Forgotten in turn, so the suite leaves nothing of it either.
    expect((await lifecycle('post.deleted.json', posts.later)).statusCode).toBe(202);
    await handledThrough(1);
    expect(await blobs()).toEqual([]);
    if (redis) expect(await inRedis(images.shared)).toEqual([]);
  }, 300_000);
});
