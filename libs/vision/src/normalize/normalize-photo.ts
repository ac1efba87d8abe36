/**
 * Turns an untrusted original photo into the one image every analysis stage sees: checked by magic
 * bytes against the allowed types, bounded in pixels (decompression bombs), first frame only, EXIF
 * orientation applied, sRGB, alpha flattened on white, fit inside `maxSide` (never enlarged), JPEG at
 * `quality`, and stripped of ALL metadata (EXIF with GPS, XMP, IPTC, ICC) before it leaves the fetcher.
 * Must never trust the declared type, never keep metadata, never upscale.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MediaAiError } from '@media-ai/contracts';
import { detectImageType, IMAGE_MEDIA_TYPES, type ImageType } from './detect-image-type.js';

export interface NormalizeOptions {
  /** Longest side of the output (AI_MAX_IMAGE_SIZE). */
  maxSide: number;
  /** JPEG quality 1..100 (AI_IMAGE_QUALITY). */
  quality: number;
  /** Most input pixels (width x height) we agree to decode. */
  maxPixels: number;
  /** Media types accepted (ALLOWED_IMAGE_TYPES), matched against the detected type, e.g. image/jpeg. */
  allowedTypes: readonly string[];
  /**
   * STRIP_EXIF_DATA. Only `true` exists: the normalized JPEG is an analysis copy that may reach third
   * parties, so the GPS position never travels with it. Configuration that says otherwise must be
   * refused at start-up, not honoured here.
   */
  stripMetadata: true;
}

export interface NormalizedPhoto {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Size of the original as displayed, i.e. after its EXIF orientation. */
  originalWidth: number;
  originalHeight: number;
  /** Hex sha256 of `jpeg`: the blob key and the analysis-cache key. */
  sha256: string;
  /** What the magic bytes said the original was. */
  sourceType: ImageType;
}

/** Types libvips here can decode. HEIC (HEVC) needs a patent-encumbered codec the prebuilt sharp lacks. */
const DECODABLE: ReadonlySet<ImageType> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif']);

export async function normalizePhoto(bytes: Buffer, options: NormalizeOptions): Promise<NormalizedPhoto> {
  if (options.stripMetadata !== true) {
    // Reachable only from untyped callers; a misconfiguration, so it is not worth a retry loop.
    throw new TypeError('normalizePhoto always strips metadata; stripMetadata must be true');
  }
  if (bytes.length === 0) throw new MediaAiError('MEDIA_AI_PHOTO_EMPTY');
  const sourceType = detectImageType(bytes);
  if (!DECODABLE.has(sourceType) || !options.allowedTypes.includes(IMAGE_MEDIA_TYPES[sourceType])) {
    throw new MediaAiError('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', `The photo is ${sourceType}, which is not an accepted image type`, {
      details: { detectedType: sourceType },
    });
  }

  const input = () =>
    sharp(bytes, {
      // Decompression bombs: libvips refuses to decode more pixels than this.
      limitInputPixels: options.maxPixels,
      // Truncated or broken data fails instead of yielding a grey-filled half image.
      failOn: 'truncated',
      // Animated GIF/WebP: the first frame only.
      pages: 1,
      page: 0,
    });

  let originalWidth: number;
  let originalHeight: number;
  try {
    // Header only: dimensions are checked before a single pixel is decoded.
    const meta = await input().metadata();
    if (!meta.width || !meta.height) throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', 'The photo has no dimensions');
    if (meta.width * meta.height > options.maxPixels) throw tooManyPixels(meta.width, meta.height, options.maxPixels);
    // Orientations 5..8 swap the axes; the caller cares about the photo as displayed.
    const swapped = (meta.orientation ?? 1) >= 5;
    originalWidth = swapped ? meta.height : meta.width;
    originalHeight = swapped ? meta.width : meta.height;

    const { data, info } = await input()
      .autoOrient()
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true })
      // No keepMetadata()/withMetadata(): sharp writes none of EXIF, XMP, IPTC or ICC by default.
      .jpeg({ quality: options.quality, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    return {
      jpeg: data,
      width: info.width,
      height: info.height,
      originalWidth,
      originalHeight,
      sha256: createHash('sha256').update(data).digest('hex'),
      sourceType,
    };
  } catch (error) {
    throw decodeError(error);
  }
}

function tooManyPixels(width: number, height: number, maxPixels: number): MediaAiError {
  return new MediaAiError('MEDIA_AI_PHOTO_TOO_MANY_PIXELS', `The photo has ${width}x${height} pixels, over the limit of ${maxPixels}`, {
    details: { width, height, maxPixels },
  });
}

function decodeError(error: unknown): MediaAiError {
  if (error instanceof MediaAiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new MediaAiError('MEDIA_AI_PHOTO_TOO_MANY_PIXELS', undefined, { cause: error });
  }
  if (/unsupported image format/i.test(message)) {
    return new MediaAiError('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', undefined, { cause: error });
  }
  // libvips messages name the failing loader ("VipsJpeg: premature end of data segment").
  return new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', `The photo cannot be decoded: ${message.split('\n')[0]}`, { cause: error });
}
