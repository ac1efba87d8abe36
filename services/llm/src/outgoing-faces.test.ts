// What the OpenAI-compatible stand-in receives for a photo with faces: the llm stage blurs them with
// the boxes the fetcher found (real BlazeFace, real photos), and sends nothing for a photo nobody
// looked at for faces.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Box, DescriptionRecord, PhotoRecord } from '@media-ai/contracts';
import { MemoryResultCache } from '@media-ai/state';
import { decodeImage, FaceDetector, intersectionOverUnion, remainingFaceDetail } from '@media-ai/vision';
import sharp from 'sharp';
import { createLlmStage } from './stage.js';
import { OpenAiVisionClient } from '@media-ai/openai';
import { openAiTarget, USING_REAL_OPENAI, type OpenAiStandIn, type OpenAiTarget } from '@media-ai/openai/test-support';
import { VisionDescriber } from './item-describer.js';
import { inbound, MemoryBlobStore, normalizedJpeg, storePhoto } from './test-support/fixtures.js';
import { DESCRIBES_EVERY_PHOTO } from './test-support/item-answers.js';

let target: OpenAiTarget;
let standIn: OpenAiStandIn;
let faces: FaceDetector;
let blobs: MemoryBlobStore;

const corners = (b: Box) => ({ x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height });

function llm() {
  return createLlmStage({
    describer: new VisionDescriber(
      new OpenAiVisionClient({
        apiKey: target.apiKey,
        model: target.model,
        baseURL: target.baseURL,
        timeoutMs: 30_000,
        maxRetries: 0,
        retryDelayMs: 5,
        maxTokens: 400,
        temperature: 0.1,
        imageDetail: 'high',
        maxRequestsPerMinute: 100_000,
        maxTokensPerMinute: 100_000_000,
      }),
    ),
    blobs,
    cache: new MemoryResultCache(),
    cacheTtlSeconds: 3600,
    concurrency: 1,
  });
}

/** A photo stored as the fetcher stores it, with the faces the fetcher would find on it. */
async function fetched(file: string): Promise<PhotoRecord> {
  const jpeg = await normalizedJpeg(file, 2048);
  const found = await faces.detectInJpeg(jpeg);
  return storePhoto(blobs, jpeg, { faces: found.map(({ confidence, box }) => ({ confidence, box })) });
}

beforeAll(async () => {
  [target, faces] = await Promise.all([openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO }), FaceDetector.create()]);
  standIn = target.standIn!;
});
afterAll(async () => {
  await Promise.all([target.close(), faces.close()]);
});
beforeEach(() => {
  standIn?.reset();
  blobs = new MemoryBlobStore();
});

describe.skipIf(USING_REAL_OPENAI)('faces in what the vision model receives', () => {
  it.each([
    'person_with_dog.jpg',
    'bicycles_two_riders.jpg',
    'laptop_on_kitchen_table.jpg',
    'id_driver_license_specimen_wa.jpg',
    'passport_specimen_canada.jpg',
  ])('no face the fetcher found on %s is detectable in the image sent', async (file) => {
    const photo = await fetched(file);
    expect(photo.faces!.length).toBeGreaterThan(0);
    const out = await llm().handle(inbound(photo), { signal: new AbortController().signal });
    expect((out[0]!.value as DescriptionRecord).status).toBe('ok');

    expect(standIn.requests).toHaveLength(1);
    const [sent] = standIn.requests[0]!.images;
    expect(sent).toBeDefined();
    // Boxes are normalized, so they compare across the resize to the outgoing size.
    const left = await faces.detectInJpeg(sent!);
    for (const face of photo.faces!) {
      for (const found of left) expect(intersectionOverUnion(corners(face.box), corners(found.box))).toBeLessThan(0.1);
    }
    // And on the pixels: the fine detail of every face is gone (against the stored photo at the sent size).
    const received = await decodeImage(sent!);
    const stored = await decodeImage(
      await sharp(await blobs.get(photo.blob_key))
        .resize(received.width, received.height, { fit: 'fill' })
        .jpeg({ quality: 95 })
        .toBuffer(),
    );
    for (const face of photo.faces!) expect(remainingFaceDetail(stored, received, face.box)).toBeLessThan(0.25);
  });

  it('sends a photo without faces as it was stored', async () => {
    const photo = await fetched('phone_with_powerbank.jpg');
    expect(photo.faces).toEqual([]);
    await llm().handle(inbound(photo), { signal: new AbortController().signal });
    const [sent] = standIn.requests[0]!.images;
    expect(sent!.equals(await blobs.get(photo.blob_key))).toBe(true);
  });

  it('sends nothing for a photo nobody looked at for faces, and says why', async () => {
    const photo = await storePhoto(blobs, await normalizedJpeg('person_with_dog.jpg', 2048), { faces: null });
    const out = await llm().handle(inbound(photo), { signal: new AbortController().signal });
    expect(standIn.requests).toHaveLength(0);
    expect(out[0]!.value as DescriptionRecord).toMatchObject({ status: 'failed', error_code: 'MEDIA_AI_FACES_UNCHECKED' });
    // Absent (a record older than media-ai.photos v4) is the same as null.
    const { faces: _dropped, ...older } = photo;
    const again = await llm().handle(inbound(older), { signal: new AbortController().signal });
    expect(standIn.requests).toHaveLength(0);
    expect((again[0]!.value as DescriptionRecord).error_code).toBe('MEDIA_AI_FACES_UNCHECKED');
  });
});
