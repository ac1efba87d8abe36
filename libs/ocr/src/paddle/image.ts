/**
 * Decodes a photo for the Paddle engine: EXIF orientation applied, transparency flattened on white,
 * always 3-channel RGB raw pixels. sharp only. It must never keep alpha (transparent pixels read
 * as whatever colour the encoder left under them) nor return grey or 4-channel data.
 */
import sharp from 'sharp';
import { MediaAiError } from '@media-ai/contracts/errors';

export interface RgbImage {
  /** width * height * 3 bytes, row-major RGB. */
  data: Uint8Array;
  width: number;
  height: number;
}

export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(image, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', 'The photo cannot be decoded for OCR', { cause: error });
  }
  const { width, height, channels } = raw.info;
  if (!width || !height) throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', 'Image has no dimensions');
  return { data: toRgb(raw.data, width * height, channels), width, height };
}

/** Grey (1), grey+alpha (2), RGB (3) or RGBA (4) interleaved pixels as RGB; alpha is dropped. */
export function toRgb(data: Uint8Array, pixels: number, channels: number): Uint8Array {
  if (channels === 3) return data;
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    if (channels <= 2) {
      const v = data[i * channels]!;
      out[i * 3] = v;
      out[i * 3 + 1] = v;
      out[i * 3 + 2] = v;
    } else {
      out[i * 3] = data[i * channels]!;
      out[i * 3 + 1] = data[i * channels + 1]!;
      out[i * 3 + 2] = data[i * channels + 2]!;
    }
  }
  return out;
}

/** Stretch-resize (linear) of raw RGB to exactly width x height. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data, width, height };
}
