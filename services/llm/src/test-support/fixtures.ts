/**
 * Test fixtures for the LLM stage: an in-memory blob store (the BlobStore contract, nothing more),
 * normalized JPEGs made by real sharp from the shared sample photos, and PhotoRecords pointing at
 * them. Never used by product code.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { PhotoRecord } from '@media-ai/contracts';
import type { BlobStore } from '@media-ai/storage';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import type { InboundRecord } from '@media-ai/stream';

export { MemoryBlobStore };

export const SHARED_PHOTOS = fileURLToPath(new URL('../../../../../shared/photos/', import.meta.url));

/** Normalizes a shared photo the way the fetcher does: upright, bounded size, JPEG, no metadata. */
export async function normalizedJpeg(file: string, maxSide = 512): Promise<Buffer> {
  return sharp(await readFile(`${SHARED_PHOTOS}${file}`))
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export async function storePhoto(blobs: BlobStore, jpeg: Buffer, overrides: Partial<PhotoRecord> = {}): Promise<PhotoRecord> {
  const sha256 = createHash('sha256').update(jpeg).digest('hex');
  const meta = await sharp(jpeg).metadata();
  await blobs.put(sha256, jpeg, 'image/jpeg');
  return {
    post_id: 'post-1',
    photo_id: 'photo-1',
    revision: 1,
    sha256,
    blob_key: sha256,
    content_type: 'image/jpeg',
    width: meta.width,
    height: meta.height,
    original_width: meta.width,
    original_height: meta.height,
    byte_length: jpeg.length,
    colors: [],
    post_title: 'Lost: black iPhone',
    post_description: 'Left on a bench near the fountain.',
    post_type: 'lost',
    correlation_id: 'corr-1',
    // The fetcher looked and found none (null would keep the photo in the process).
    faces: [],
    ...overrides,
  };
}

export function inbound(value: PhotoRecord, offset = 0): InboundRecord<PhotoRecord> {
  return {
    topic: 'media-ai.photos',
    partition: 0,
    offset: String(offset),
    key: value.post_id,
    value,
    headers: {},
    timestamp: Date.now(),
  };
}
