/**
 * The one image that leaves for the vision model: the normalized JPEG from the blob store, without
 * metadata, at most 1024 px on its long side (512 px at detail `low`, which the API would downscale
 * to anyway, so the extra pixels would only cost upload time). Within the bound, the fetcher's bytes
 * go out losslessly minus their metadata segments; above it, sharp re-encodes a smaller copy (sharp
 * writes no metadata unless asked to).
 *
 * Must never send anything but a JPEG, never enlarge, and never keep a metadata segment.
 */
import sharp from 'sharp';
import { MediaAiError } from '@media-ai/contracts';
import type { ImageDetail } from '@media-ai/openai';
import { stripJpegMetadata } from './jpeg-metadata.js';

/** The bound for anything sent to a third party. */
export const MAX_OUTGOING_SIDE = 1024;
/** What the API itself reduces a `low` detail image to. */
export const LOW_DETAIL_SIDE = 512;

export interface OutgoingImage {
  jpeg: Buffer;
  width: number;
  height: number;
}

export function outgoingSideFor(detail: ImageDetail): number {
  return detail === 'low' ? LOW_DETAIL_SIDE : MAX_OUTGOING_SIDE;
}

export async function prepareOutgoingImage(normalized: Buffer, maxSide: number): Promise<OutgoingImage> {
  // Rejects anything but a well-formed JPEG before sharp sees it: a PNG or WebP in the blob store
  // would mean the fetcher was bypassed.
  const { bytes } = stripJpegMetadata(normalized);
  const meta = await sharp(bytes)
    .metadata()
    .catch((error: unknown) => {
      throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', 'The normalized JPEG cannot be read', { cause: error });
    });
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= maxSide && height <= maxSide) return { jpeg: bytes, width, height };

  // `.rotate()` is not needed: the fetcher already applied the orientation and dropped the tag.
  const { data, info } = await sharp(bytes)
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}
