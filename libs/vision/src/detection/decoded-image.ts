/**
 * Decodes a normalized photo once into packed 8-bit RGB, the one pixel buffer every model input is
 * built from (detector and classifier need different sizes and channel orders of the same pixels).
 *
 * Must never rotate or otherwise re-normalize: the fetcher already applied EXIF orientation and
 * stripped metadata, and a second rotation would disagree with the boxes we publish.
 */
import sharp from 'sharp';
import { MediaAiError } from '@media-ai/contracts';

export interface DecodedImage {
  /** Packed RGB, row-major, width*height*3 bytes. */
  data: Buffer;
  width: number;
  height: number;
}

export async function decodeImage(bytes: Buffer): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(bytes)
      .toColourspace('srgb')
      // Transparent pixels would otherwise become whatever colour they hide (often black).
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new Error(`expected 3 channels after flattening, got ${info.channels}`);
    }
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', `The photo cannot be decoded: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Bilinear resize of a decoded image to exactly width x height (sharp's linear kernel). */
export async function resizeRgb(image: DecodedImage, width: number, height: number): Promise<Buffer> {
  if (image.width === width && image.height === height) return image.data;
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
}
