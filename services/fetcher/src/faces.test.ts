// Faces are found by the fetcher, once per photo, with the real BlazeFace on real photos: the record
// carries the boxes and keypoints, the stored photo keeps its faces (the detector and OCR read it), and without a
// face model the record says nobody looked.
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { TOPICS, type PhotoRecord } from '@media-ai/contracts';
import { createPhotoSources, createSsrfGuard, LocalFolderBlobStore } from '@media-ai/storage';
import { createMetrics } from '@media-ai/telemetry';
import type { InboundRecord } from '@media-ai/stream';
import { FaceDetector } from '@media-ai/vision';
import { Registry } from 'prom-client';
import { loadFaceDetector } from './from-config.js';
import { createFetcherStage } from './stage.js';

/** The HMAC key of identifier hashes (MEDIA_AI_IDENTIFIER_KEY in production). */
const IDENTIFIER_KEY = Buffer.alloc(32, 7);

const PHOTOS_DIR = fileURLToPath(new URL('../../../../shared/photos/', import.meta.url));
const POST_ID = '6a1f0b3c-2d4e-4f50-8a6b-7c8d9e0f1a2b';

let detector: FaceDetector;
beforeAll(async () => {
  detector = await FaceDetector.create();
});
afterAll(() => detector?.close());

async function fetchPhotos(files: string[], faces: FaceDetector | null) {
  const blobs = new LocalFolderBlobStore(await mkdtemp(join(tmpdir(), 'fetcher-faces-')));
  const counted: number[] = [];
  const stage = createFetcherStage({
    identifierKey: IDENTIFIER_KEY,
    sources: createPhotoSources({ maxBytes: 20_000_000, guard: createSsrfGuard({ allowLoopback: true }), file: { root: PHOTOS_DIR } }),
    blobs,
    normalize: {
      maxSide: 2048,
      quality: 85,
      maxPixels: 50_000_000,
      allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
      stripMetadata: true,
    },
    expectedStages: ['detector', 'ocr', 'llm'],
    deadlineMs: 60_000,
    concurrency: 2,
    faces,
    onFacesFound: (count) => counted.push(count),
  });
  const event = {
    event_type: 'post.created',
    aggregate_id: POST_ID,
    payload: {
      post: {
        id: POST_ID,
        title: 'Found',
        photos: files.map((file, i) => ({ id: `photo-${i + 1}`, url: pathToFileURL(join(PHOTOS_DIR, file)).href })),
      },
    },
  };
  const record: InboundRecord<unknown> = {
    topic: TOPICS.postsEvents,
    partition: 0,
    offset: '0',
    key: POST_ID,
    value: event,
    headers: {},
    timestamp: 0,
  };
  const out = await stage.handle(record, { signal: new AbortController().signal });
  const photos = out.filter((r) => r.topic === TOPICS.photos).map((r) => r.value as PhotoRecord);
  return { photos, blobs, counted };
}

describe('faces in the fetcher', () => {
  it('carries the faces it found on each photo record, [] where there are none, and counts them', async () => {
    const { photos, counted } = await fetchPhotos(['person_with_dog.jpg', 'phone_with_powerbank.jpg', 'bicycles_two_riders.jpg'], detector);
    const byId = new Map(photos.map((p) => [p.photo_id, p]));
    const girl = byId.get('photo-1')!.faces!;
    expect(girl).toHaveLength(1);
    expect(girl[0]!.confidence).toBeGreaterThan(0.5);
    // The girl's face, top left of the photo, in boxes normalized to the stored photo.
    expect(girl[0]!.box.x + girl[0]!.box.width / 2).toBeCloseTo(0.31, 1);
    expect(girl[0]!.box.y + girl[0]!.box.height / 2).toBeCloseTo(0.21, 1);
    // media-ai.photos v5: the six keypoints the model placed, normalized like the box: the eyes in the
    // box's upper half, the subject's right eye on the image's left (an upright face), the mouth below them.
    const [rightEye, leftEye, , mouth] = girl[0]!.keypoints!;
    expect(girl[0]!.keypoints).toHaveLength(6);
    expect(rightEye!.x).toBeLessThan(leftEye!.x);
    expect(mouth!.y).toBeGreaterThan(Math.max(rightEye!.y, leftEye!.y));
    const { box } = girl[0]!;
    for (const eye of [rightEye!, leftEye!]) {
      expect(eye.x).toBeGreaterThan(box.x);
      expect(eye.x).toBeLessThan(box.x + box.width);
      expect(eye.y).toBeGreaterThan(box.y);
      expect(eye.y).toBeLessThan(box.y + box.height / 2);
    }
    expect(byId.get('photo-2')!.faces).toEqual([]);
    expect(byId.get('photo-3')!.faces).toHaveLength(2);
    expect(counted.sort()).toEqual([0, 1, 2]);
  });

  it('stores the photo as normalized, faces and all: only what leaves the process is blurred', async () => {
    const { photos, blobs } = await fetchPhotos(['person_with_dog.jpg'], detector);
    const stored = await blobs.get(photos[0]!.blob_key);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(photos[0]!.sha256);
    const again = await detector.detectInJpeg(stored);
    expect(again).toHaveLength(1);
    expect(again[0]!.box.x).toBeCloseTo(photos[0]!.faces![0]!.box.x, 3);
  });

  it('says nobody looked (faces: null) when it has no face detector', async () => {
    const { photos, counted } = await fetchPhotos(['person_with_dog.jpg'], null);
    expect(photos[0]!.faces).toBeNull();
    expect(counted).toEqual([]);
  });

  it('opens the face model from configuration, and names why when it cannot', async () => {
    const config = loadConfig({}, { cwd: '/srv', cpuCount: 2 });
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const loaded = await loadFaceDetector(config, metrics);
    expect(loaded.reason).toBeNull();
    expect(loaded.faces?.name).toBe('blazeface-back-256');
    await loaded.faces?.close();
    const missing = await loadFaceDetector(config, metrics, { modelPath: join(tmpdir(), 'no-such-blazeface.onnx') });
    expect(missing.faces).toBeNull();
    expect(missing.reason).toMatch(/no photo leaves the process: .*no-such-blazeface\.onnx cannot be read.*npm run build:models/);
  });
});
