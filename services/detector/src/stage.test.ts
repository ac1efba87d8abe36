import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MediaAiError, TOPICS, type DetectionsRecord, type PhotoRecord } from '@media-ai/contracts';
import { MemoryResultCache, resultCacheKey } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import type { InboundRecord, OutboundRecord, StageContext } from '@media-ai/stream';
import { DetectorEnsemble, ItemClassifier, ModelManager, ObjectDetector, loadDetectionModels, loadNanodetDetector } from '@media-ai/vision';
import { createDetectorStage, detectorStageEnabled, DETECTOR_RESULT_VERSION } from './stage.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const ctx: StageContext = { signal: new AbortController().signal };

/** What the fetcher hands on: EXIF applied, at most 1280 px, JPEG. */
async function normalized(file: string): Promise<Buffer> {
  return sharp(await readFile(join(SHARED, 'photos', file)))
    .rotate()
    .resize(1280, 1280, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const blankJpeg = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: '#d0d0d0' } })
    .jpeg()
    .toBuffer();

let offset = 0;
async function photoRecord(blobs: MemoryBlobStore, bytes: Buffer, postId: string): Promise<InboundRecord<PhotoRecord>> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await blobs.put(sha256, bytes);
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => ({ width: 1, height: 1 }));
  const value: PhotoRecord = {
    post_id: postId,
    photo_id: `${postId}-p1`,
    revision: 1,
    sha256,
    blob_key: sha256,
    content_type: 'image/jpeg',
    width: meta.width ?? 1,
    height: meta.height ?? 1,
    original_width: meta.width ?? 1,
    original_height: meta.height ?? 1,
    byte_length: bytes.length,
    colors: [],
    post_title: null,
    post_description: null,
    post_type: null,
    correlation_id: null,
  };
  return { topic: TOPICS.photos, partition: 0, offset: String(offset++), key: postId, value, headers: {}, timestamp: Date.now() };
}

function detections(result: OutboundRecord[] | Error | undefined): DetectionsRecord {
  if (!result || result instanceof Error) throw result ?? new Error('no result');
  expect(result).toHaveLength(1);
  expect(result[0]!.topic).toBe(TOPICS.detections);
  return result[0]!.value as DetectionsRecord;
}

describe('detector stage (real models, real photos)', () => {
  let cacheDir: string;
  let detector: DetectorEnsemble;
  let classifier: ItemClassifier;
  let models: ModelManager;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-detector-test-'));
    models = new ModelManager({ cacheDir, source: join(SHARED, 'models'), downloadTimeoutMs: 5000, allowUpstream: false });
    const loaded = await loadDetectionModels({ models });
    expect(loaded.unavailable).toEqual([]);
    detector = loaded.detector!;
    classifier = loaded.classifier!;
  });
  afterAll(async () => {
    await detector?.close();
    await classifier?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  function stage(blobs: BlobStore, cache = new MemoryResultCache(), maxBatchSize = 8) {
    return createDetectorStage({ detector, classifier, blobs, cache, cacheTtlSeconds: 3600, maxBatchSize });
  }

  it('is the detector stage on media-ai.photos', () => {
    const s = stage(new MemoryBlobStore(), undefined, 4);
    expect(s.name).toBe('detector');
    expect(s.inputs).toEqual(['media-ai.photos']);
    expect(s.maxBatchSize).toBe(4);
  });

  it('publishes one record per photo, keyed by post, from one classifier run for the batch', async () => {
    const blobs = new MemoryBlobStore();
    const files = ['phone_with_powerbank.jpg', 'phone_lockscreen_in_hand.jpg', 'taxis_street.jpg', 'coffee_cup_saucer.jpg'];
    const records = await Promise.all(files.map(async (f, i) => photoRecord(blobs, await normalized(f), `post-${i}`)));
    records.push(await photoRecord(blobs, await blankJpeg(), 'post-blank'));
    const classify = vi.spyOn(classifier, 'classifyAndEmbed');
    const embed = vi.spyOn(classifier, 'embed');
    try {
      const s = stage(blobs);
      await s.start!();
      classify.mockClear();
      embed.mockClear();
      const results = await s.handleBatch!(records, ctx);
      expect(classify).toHaveBeenCalledTimes(1);
      expect(classify.mock.calls[0]![0]).toHaveLength(5);
      // The fingerprint's item crops: one more run of the same session for the whole batch.
      expect(embed).toHaveBeenCalledTimes(1);

      const [phone, lockscreen, taxis, coffee, blank] = results.map(detections);
      results.forEach((r, i) => expect((r as OutboundRecord[])[0]!.key).toBe(records[i]!.value.post_id));
      const labels = (d: DetectionsRecord) => d.objects.map((o) => o.label);
      expect(labels(phone!)).toContain('cell phone');
      expect(labels(lockscreen!)).toContain('cell phone');
      expect(labels(taxis!).filter((l) => l === 'car').length).toBeGreaterThanOrEqual(3);
      // YOLOX-Nano scores this small dark cup at about 0.30 (0.299 after the fetcher's re-encode), right at
      // the threshold; the classifier is the reliable witness here.
      expect(coffee!.classifications[0]).toMatchObject({ item: 'cup', model: 'mobilenetv2-int8' });
      expect(['espresso', 'cup', 'coffee mug']).toContain(coffee!.classifications[0]!.label);
      expect(phone!.classifications.some((c) => c.item === 'phone')).toBe(true);
      expect(blank!.objects).toEqual([]);

      expect(phone).toMatchObject({
        post_id: 'post-0',
        photo_id: 'post-0-p1',
        revision: 1,
        sha256: records[0]!.value.sha256,
        status: 'ok',
        error_code: null,
        error_message: null,
        model_versions: { ...detector.versions, 'mobilenetv2-int8': classifier.version },
      });
      expect(phone!.duration_ms).toBeGreaterThanOrEqual(0);
      const cellPhone = phone!.objects.find((o) => o.label === 'cell phone')!;
      expect(cellPhone.model).toBe('yolox-nano+nanodet-g');
      expect(cellPhone.box.x).toBeGreaterThanOrEqual(0);
      expect(cellPhone.box.x + cellPhone.box.width).toBeLessThanOrEqual(1.0001);
      // Each object carries its own colours, measured in its box: the black phone, the yellow taxis.
      expect(cellPhone.colors?.[0]?.name).toBe('black');
      expect(taxis!.objects.filter((o) => o.label === 'car').some((o) => o.colors?.[0]?.name === 'yellow')).toBe(true);
      // The classifier ran, so the photo's salient object is measured: a box in the frame, its colours.
      const salient = coffee!.salient_object!;
      expect(salient.colors.length).toBeGreaterThan(0);
      expect(salient.box.x + salient.box.width).toBeLessThanOrEqual(1.0001);
      expect(salient.box.width * salient.box.height).toBeGreaterThan(0.01);

      // The fingerprint: the phone's crop first, then the whole photo; a blank photo has only the latter.
      expect(phone!.fingerprint).toMatchObject({
        model: 'mobilenetv2-int8/global-average-pool+block-28x28x32:3',
        perceptual_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      expect(phone!.fingerprint!.items.map((i) => i.label)).toEqual(['cell phone', null]);
      expect(phone!.fingerprint!.items[0]!.box).toEqual(cellPhone.box);
      // The crop: the global pool (1280) and the item's own pool of the 28 × 28 × 32 block (mean and max, 64);
      // the whole photo: the global pool alone.
      expect(phone!.fingerprint!.items.map((i) => Buffer.from(i.embedding, 'base64').length)).toEqual([1344, 1280]);
      // The crop's colour histogram (28 bins, two hex digits each); none for the whole photo.
      expect(phone!.fingerprint!.items.map((i) => i.color_histogram?.length ?? null)).toEqual([56, null]);
      expect(blank!.fingerprint!.items.map((i) => i.label)).toEqual([null]);
      // Cars are no lost item, so the street's crop is its salient object (the phone's crop above is its detected box).
      expect(taxis!.fingerprint!.items.map((i) => i.label)).toEqual(['salient_object', null]);
      expect(taxis!.fingerprint!.items[0]!.box).toEqual(taxis!.salient_object!.box);
    } finally {
      classify.mockRestore();
      embed.mockRestore();
    }
  });

  it('serves a photo seen before from the cache, keyed by sha256 and model versions', async () => {
    const blobs = new MemoryBlobStore();
    const cache = new MemoryResultCache();
    const bytes = await normalized('taxis_street.jpg');
    const first = detections((await stage(blobs, cache).handleBatch!([await photoRecord(blobs, bytes, 'post-a')], ctx))[0]);
    const key = resultCacheKey('detector', `${detector.version}+${classifier.version}+${DETECTOR_RESULT_VERSION}`, first.sha256);
    // The salient object is part of what is cached, like the objects and classes.
    expect(first.salient_object?.colors.length).toBeGreaterThan(0);
    expect(await cache.get(key)).toEqual({
      objects: first.objects,
      classifications: first.classifications,
      salient_object: first.salient_object,
      fingerprint: first.fingerprint,
    });

    const detect = vi.spyOn(detector, 'detect');
    const classify = vi.spyOn(classifier, 'classifyAndEmbed');
    try {
      const again = await photoRecord(blobs, bytes, 'post-b');
      blobs.blobs.clear(); // a cache hit must not even need the blob
      const second = detections(await stage(blobs, cache).handle(again, ctx));
      expect(detect).not.toHaveBeenCalled();
      expect(classify).not.toHaveBeenCalled();
      expect(second).toMatchObject({
        post_id: 'post-b',
        objects: first.objects,
        classifications: first.classifications,
        salient_object: first.salient_object,
        fingerprint: first.fingerprint,
      });
    } finally {
      detect.mockRestore();
      classify.mockRestore();
    }
  });

  it('analyses a photo that appears twice in a batch once', async () => {
    const blobs = new MemoryBlobStore();
    const bytes = await normalized('coffee_cup_saucer.jpg');
    const records = [await photoRecord(blobs, bytes, 'post-1'), await photoRecord(blobs, bytes, 'post-2')];
    const detect = vi.spyOn(detector, 'detect');
    try {
      const [a, b] = (await stage(blobs).handleBatch!(records, ctx)).map(detections);
      expect(detect).toHaveBeenCalledTimes(1);
      expect(detect.mock.calls[0]![0]).toHaveLength(1);
      expect([a!.post_id, b!.post_id]).toEqual(['post-1', 'post-2']);
      expect(b!.objects).toEqual(a!.objects);
    } finally {
      detect.mockRestore();
    }
  });

  it('fails only the photo whose blob is missing or corrupt, and caches no failure', async () => {
    const blobs = new MemoryBlobStore();
    const cache = new MemoryResultCache();
    const good = await photoRecord(blobs, await normalized('phone_with_powerbank.jpg'), 'post-good');
    const corrupt = await photoRecord(blobs, Buffer.from('this is not a jpeg at all'), 'post-corrupt');
    const missingBytes = await normalized('pen_on_lined_paper.jpg');
    const missing = await photoRecord(blobs, missingBytes, 'post-missing');
    blobs.blobs.delete(missing.value.blob_key);

    const [okResult, corruptResult, missingResult] = await stage(blobs, cache).handleBatch!([good, corrupt, missing], ctx);
    expect(detections(okResult).status).toBe('ok');
    expect(corruptResult).toBeInstanceOf(MediaAiError);
    expect(corruptResult).toMatchObject({ code: 'MEDIA_AI_PHOTO_CORRUPT', retryable: false });
    expect(missingResult).toMatchObject({ code: 'MEDIA_AI_BLOB_MISSING', retryable: true });

    // The blob shows up (a retry after a slow upload): the photo is analysed, nothing stale was cached.
    await blobs.put(missing.value.blob_key, missingBytes);
    const retried = detections((await stage(blobs, cache).handleBatch!([missing], ctx))[0]);
    expect(retried.classifications[0]).toMatchObject({ label: 'ballpoint', item: 'pen' });
  });

  it('reports inference failures as retryable MEDIA_AI_INFERENCE_FAILED for the photos that needed it', async () => {
    const resolved = await models.resolveModel('mobilenetv2-int8');
    const released = await ItemClassifier.create({
      modelPath: resolved.modelPath,
      labels: resolved.labels,
      name: 'mobilenetv2-int8',
      version: 'v',
    });
    await released.close(); // a real session that can no longer run
    const blobs = new MemoryBlobStore();
    const s = createDetectorStage({
      detector,
      classifier: released,
      blobs,
      cache: new MemoryResultCache(),
      cacheTtlSeconds: 60,
      maxBatchSize: 4,
    });
    const [result] = await s.handleBatch!([await photoRecord(blobs, await normalized('taxis_street.jpg'), 'post-x')], ctx);
    expect(result).toMatchObject({ code: 'MEDIA_AI_INFERENCE_FAILED', retryable: true });
    await expect(s.handle(await photoRecord(blobs, await normalized('taxis_street.jpg'), 'post-y'), ctx)).rejects.toMatchObject({
      code: 'MEDIA_AI_INFERENCE_FAILED',
    });
  });

  it('publishes a failed record when a photo is given up on', async () => {
    const blobs = new MemoryBlobStore();
    const record = await photoRecord(blobs, await blankJpeg(), 'post-gone');
    const [out] = stage(blobs).onGiveUp!(record, new MediaAiError('MEDIA_AI_BLOB_MISSING'));
    expect(out).toMatchObject({ topic: 'media-ai.detections', key: 'post-gone' });
    expect(out!.value).toMatchObject({
      post_id: 'post-gone',
      photo_id: 'post-gone-p1',
      status: 'failed',
      error_code: 'MEDIA_AI_BLOB_MISSING',
      objects: [],
      classifications: [],
      duration_ms: 0,
    });
    // An unexpected error's own text is never published (it could quote photo content).
    const [internal] = stage(blobs).onGiveUp!(record, new Error('boom'));
    expect(internal!.value).toMatchObject({
      status: 'failed',
      error_code: 'MEDIA_AI_INTERNAL',
      error_message: 'Unexpected internal failure',
    });
  });

  it('runs with one model missing, marking the part and never inventing the other', async () => {
    const blobs = new MemoryBlobStore();
    const s = createDetectorStage({
      detector,
      classifier: null,
      unavailable: [{ model: 'mobilenetv2-int8', reason: 'sha256 mismatch' }],
      blobs,
      cache: new MemoryResultCache(),
      cacheTtlSeconds: 60,
      maxBatchSize: 4,
    });
    const record = detections((await s.handleBatch!([await photoRecord(blobs, await normalized('taxis_street.jpg'), 'post-p')], ctx))[0]);
    expect(record.status).toBe('ok');
    expect(record.error_code).toBe('MEDIA_AI_MODEL_UNAVAILABLE');
    expect(record.error_message).toMatch(/item classification .*mobilenetv2-int8: sha256 mismatch/);
    expect(record.classifications).toEqual([]);
    expect(record.objects.some((o) => o.label === 'car')).toBe(true);
    expect(record.model_versions).toEqual(detector.versions);
  });

  it('runs the ensemble: both models in model_versions, each object naming the models that saw it; stop closes both', async () => {
    const nanodet = await loadNanodetDetector({ intraOpNumThreads: 1, scoreThreshold: 0.3 });
    const closed: string[] = [];
    const tracked = (d: ObjectDetector) => ({
      name: d.name,
      version: d.version,
      detect: d.detect.bind(d),
      close: async () => {
        closed.push(d.name);
        await d.close();
      },
    });
    const resolved = await models.resolveModel('yolox-nano');
    const yolox = await ObjectDetector.create({
      modelPath: resolved.modelPath,
      labels: resolved.labels,
      name: 'yolox-nano',
      version: resolved.spec.version,
      scoreThreshold: 0.15,
    });
    const blobs = new MemoryBlobStore();
    const s = createDetectorStage({
      detector: new DetectorEnsemble([tracked(yolox), tracked(nanodet)]),
      classifier: null,
      blobs,
      cache: new MemoryResultCache(),
      cacheTtlSeconds: 60,
      maxBatchSize: 4,
    });
    const record = detections((await s.handleBatch!([await photoRecord(blobs, await normalized('taxis_street.jpg'), 'post-d')], ctx))[0]);
    expect(record.model_versions).toEqual({ 'yolox-nano': resolved.spec.version, 'nanodet-g': nanodet.version });
    // The taxis: both models see the nearest cars; a car only one model reports must clear its solo threshold.
    expect(record.objects.filter((o) => o.label === 'car' && o.model === 'yolox-nano+nanodet-g').length).toBeGreaterThan(2);
    for (const o of record.objects.filter((x) => !x.model.includes('+'))) {
      expect(o.confidence).toBeGreaterThanOrEqual(o.model === 'yolox-nano' ? 0.3 : 0.5);
    }
    await s.stop!();
    expect(closed.sort()).toEqual(['nanodet-g', 'yolox-nano']);
  });

  it('refuses to exist without any model', () => {
    expect(detectorStageEnabled({ detector: null, classifier: null })).toBe(false);
    expect(detectorStageEnabled({ detector, classifier: null })).toBe(true);
    expect(() =>
      createDetectorStage({
        detector: null,
        classifier: null,
        unavailable: [{ model: 'yolox-nano', reason: 'not present' }],
        blobs: new MemoryBlobStore(),
        cache: new MemoryResultCache(),
        cacheTtlSeconds: 60,
        maxBatchSize: 4,
      }),
    ).toThrow(expect.objectContaining({ code: 'MEDIA_AI_MODEL_UNAVAILABLE', message: expect.stringMatching(/yolox-nano: not present/) }));
  });
});
