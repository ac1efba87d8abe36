/**
 * Test fixtures for the OCR stage: an in-memory BlobStore speaking the real contract, photos
 * normalized the way the fetcher hands them on, and PhotoRecords pointing at them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PhotoRecord } from '@media-ai/contracts';
import { normalizePhoto } from '@media-ai/vision';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import type { InboundRecord } from '@media-ai/stream';

export { MemoryBlobStore };

export const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');

/** What the fetcher hands on: EXIF applied, at most 1280 px, JPEG. */
export async function normalized(file: string): Promise<Buffer> {
  return sharp(await readFile(join(PHOTOS, file)))
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(1280, 1280, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Exactly what the fetcher stores at the deployment defaults: normalizePhoto with
 * AI_MAX_IMAGE_SIZE 2048 and AI_IMAGE_QUALITY 85 (a coarser JPEG than `normalized` above).
 */
export async function normalizedLikeFetcher(file: string): Promise<Buffer> {
  const photo = await normalizePhoto(await readFile(join(PHOTOS, file)), {
    maxSide: 2048,
    quality: 85,
    maxPixels: 50_000_000,
    allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
    stripMetadata: true,
  });
  return photo.jpeg;
}

let offset = 0;
export async function photoRecord(blobs: MemoryBlobStore, bytes: Buffer, postId: string): Promise<InboundRecord<PhotoRecord>> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await blobs.put(sha256, bytes);
  const meta = await sharp(bytes).metadata();
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
  return { topic: 'media-ai.photos', partition: 0, offset: String(offset++), key: postId, value, headers: {}, timestamp: Date.now() };
}

/** A product label rendered as an image: what a photo of a phone's box or a laptop's underside shows. */
export async function labelImage(lines: string[]): Promise<Buffer> {
  const text = lines
    .map((l, i) => `<text x="40" y="${80 + i * 70}" font-family="DejaVu Sans, Arial, sans-serif" font-size="44" fill="#111">${l}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="${120 + lines.length * 70}"><rect width="100%" height="100%" fill="#f4f4f0"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}
