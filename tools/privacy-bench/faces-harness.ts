/**
 * Whether the faces on benchmark images are blurred in what leaves the service, measured on the
 * service's real path: each image is normalised as the fetcher does, its faces found by the fetcher's
 * face detector (loadFaceDetector: BlazeFace), and the llm stage (llmFromConfig, as the service builds
 * it) describes it against the OpenAI-compatible stand-in, which answers every photo. The image the
 * stand-in received is decoded and every ground-truth face is checked on the pixels:
 * remainingFaceDetail(stored photo at the sent size, sent image, face box) < FACE_BLURRED_BELOW.
 *
 * A face the detector missed stays sharp and counts as not blurred; an image the stage sent nothing
 * for counts as blurred (nothing of it left). Must never score text, and never send anything anywhere
 * but the local stand-in.
 */
import { createHash } from 'node:crypto';
import { loadConfig, type AppConfig } from '@media-ai/config';
import type { Box, DescriptionRecord, FaceRecord, PhotoRecord } from '@media-ai/contracts';
import { loadFaceDetector, normalizeOptionsOf } from '@media-ai/fetcher-service';
import { llmFromConfig } from '@media-ai/llm-service';
import { DESCRIBES_EVERY_PHOTO } from '@media-ai/llm-service/test-support';
import { OpenAiStandIn, STAND_IN_LIMITS } from '@media-ai/openai/test-support';
import { MemoryResultCache } from '@media-ai/state';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import type { InboundRecord, Stage } from '@media-ai/stream';
import { decodeImage, normalizePhoto, remainingFaceDetail, type FaceDetector } from '@media-ai/vision';
import sharp from 'sharp';
import type { FaceBox } from './ground-truth.js';

/** The faces engineer's bar (services/llm/src/outgoing-faces.test.ts): less than a quarter of the fine detail left. */
export const FACE_BLURRED_BELOW = 0.25;

export interface FacesOutcome {
  /** Ground-truth faces on the image. */
  faces: number;
  /** Of those, how many are blurred in what the stand-in received. */
  blurred: number;
  /** Faces the detector found on the normalised photo. */
  detected: number;
  /** Whether the llm stage sent the image at all. */
  sent: boolean;
  /** The detector's faces (box and keypoints normalised to the photo), best first: what the release blurs. */
  found: FaceRecord[];
  /** Each ground-truth face (normalised to the photo) and the share of its fine detail left in what was sent (0 when nothing was). */
  perFace: Array<{ box: Box; detail: number }>;
  /** The size of the image the stand-in received (the stored photo's size when nothing was sent). */
  sentSize: { width: number; height: number };
}

export interface FacesHarness {
  run(id: string, image: Buffer, truth: readonly FaceBox[]): Promise<FacesOutcome>;
  stop(): Promise<void>;
}

export interface FacesHarnessOptions {
  /** false: the record carries no keypoints, as media-ai.photos v4 data (the release blurs around the boxes only). */
  keypoints?: boolean;
}

export async function createFacesHarness(
  config: AppConfig,
  env: Record<string, string | undefined>,
  { keypoints: withKeypoints = true }: FacesHarnessOptions = {},
): Promise<FacesHarness> {
  const standIn = new OpenAiStandIn({ fallback: DESCRIBES_EVERY_PHOTO });
  await standIn.start();
  const { faces, reason } = await loadFaceDetector(config);
  if (!faces) {
    await standIn.stop();
    throw new Error(`faces cannot be measured: ${reason}`);
  }
  // The llm stage as the service builds it, pointed at the stand-in, with the stand-in's limits: at the
  // default OPENAI_MAX_TOKENS_PER_MINUTE (50,000) the client's limiter rightly paces each ~4,200-token
  // photo to ~5 s, which measures the default quota, not the blur, and the stand-in enforces no limit.
  const llmConfig = loadConfig({
    ...env,
    OPENAI_API_KEY: standIn.apiKey,
    OPENAI_BASE_URL: standIn.baseURL,
    OPENAI_MODEL: standIn.model,
    OPENAI_MAX_REQUESTS_PER_MINUTE: String(STAND_IN_LIMITS.requestsPerMinute),
    OPENAI_MAX_TOKENS_PER_MINUTE: String(STAND_IN_LIMITS.tokensPerMinute),
  });
  const blobs = new MemoryBlobStore();
  const built = llmFromConfig(llmConfig, { blobs, cache: new MemoryResultCache() });
  if (!built.stage) throw new Error(`the llm stage is off: ${built.status.reason}`);
  const llm: Stage = built.stage;
  let offset = 0;

  return {
    async run(id, image, truth) {
      const meta = await sharp(image).metadata();
      const photo = await normalizePhoto(image, normalizeOptionsOf(config));
      const found = await (faces as FaceDetector).detectInJpeg(photo.jpeg);
      const sha256 = createHash('sha256').update(photo.jpeg).digest('hex');
      await blobs.put(sha256, photo.jpeg);
      const record: PhotoRecord = {
        post_id: `privacy-bench-${id}`,
        photo_id: `privacy-bench-${id}-p1`,
        revision: 1,
        sha256,
        blob_key: sha256,
        content_type: 'image/jpeg',
        width: photo.width,
        height: photo.height,
        original_width: photo.width,
        original_height: photo.height,
        byte_length: photo.jpeg.length,
        colors: [],
        post_title: null,
        post_description: null,
        post_type: null,
        correlation_id: null,
        faces: found.map(({ confidence, box, keypoints }) => ({ confidence, box, keypoints: withKeypoints ? keypoints : null })),
      };
      const inbound: InboundRecord<PhotoRecord> = {
        topic: 'media-ai.photos',
        partition: 0,
        offset: String(offset++),
        key: record.post_id,
        value: record,
        headers: {},
        timestamp: 0,
      };
      standIn.reset();
      const out = await llm.handle(inbound, { signal: new AbortController().signal });
      const sentImage = standIn.requests[0]?.images[0];
      const detected = found.length;
      // Ground-truth boxes are in the generated image's pixels; normalised boxes survive every resize.
      const truthBoxes = truth.map((face): Box => ({
        x: face.x / meta.width,
        y: face.y / meta.height,
        width: face.width / meta.width,
        height: face.height / meta.height,
      }));
      const foundFaces = record.faces ?? [];
      if (!sentImage) {
        const status = (out[0]?.value as DescriptionRecord | undefined)?.status;
        if (status !== 'failed') throw new Error(`${id}: the llm stage answered without sending the photo`);
        const perFace = truthBoxes.map((box) => ({ box, detail: 0 }));
        return { faces: truth.length, blurred: truth.length, detected, sent: false, found: foundFaces, perFace, sentSize: photo };
      }
      const received = await decodeImage(sentImage);
      const stored = await decodeImage(
        await sharp(photo.jpeg).resize(received.width, received.height, { fit: 'fill' }).jpeg({ quality: 95 }).toBuffer(),
      );
      const perFace = truthBoxes.map((box) => ({ box, detail: remainingFaceDetail(stored, received, box) }));
      const blurred = perFace.filter((f) => f.detail < FACE_BLURRED_BELOW).length;
      return {
        faces: truth.length,
        blurred,
        detected,
        sent: true,
        found: foundFaces,
        perFace,
        sentSize: { width: received.width, height: received.height },
      };
    },
    async stop() {
      await Promise.all([standIn.stop(), (faces as FaceDetector).close()]);
    },
  };
}
