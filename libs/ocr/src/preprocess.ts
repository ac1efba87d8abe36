/**
 * Image preparation for tesseract: what the engine needs to read photos rather than scans.
 * sharp only, no OCR here. It must never enlarge a large photo nor keep alpha (tesseract reads
 * transparent pixels as whatever colour the encoder left under them, often black).
 */
import sharp from 'sharp';
import { MediaAiError } from '@media-ai/contracts/errors';

export interface PreprocessOptions {
  /** Longest side after downscaling. */
  maxSide: number;
  /** Images whose longest side is below this are enlarged (ID scans, thumbnails)... */
  upscaleBelow: number;
  /** ...to this longest side. */
  upscaleTo: number;
}

export interface PreparedImage {
  /** Grayscale PNG, upright (EXIF applied), alpha flattened on white. */
  png: Buffer;
  width: number;
  height: number;
}

/**
 * Measured on ../shared/photos (tesseract.js 7, eng 4.0.0):
 * - maxSide 1600: the book pages (1054x417, 1220x272) are untouched; the 4032x3024 business card
 *   and the 2149x1153 insurance card read no better at 2000 or 2600 (same lines), at up to 3x the
 *   time; the 6000x4003 battery photo costs ~0.5 s of sharp decode + resize before OCR.
 * - upscale below 600 to 1000: the 450x294 driver-licence specimen reads "1 TALBOT", "2 LIAM R.",
 *   the street and the licence number only when enlarged about x2 (x3 reads no more); the 410x583
 *   passport reads its number (ZE000509) only when enlarged. But enlarging the 640x427 battery
 *   photo to 800..1000 loses "VARTA" (read at 92 % at its own size), hence the 600 px floor.
 */
export const DEFAULT_PREPROCESS: PreprocessOptions = { maxSide: 1600, upscaleBelow: 600, upscaleTo: 1000 };

export async function prepareForOcr(image: Buffer, options: PreprocessOptions = DEFAULT_PREPROCESS): Promise<PreparedImage> {
  try {
    const upright = sharp(image, { failOn: 'error' }).rotate();
    const meta = await upright.metadata();
    // After .rotate() metadata still reports the stored size: swap for EXIF orientations 5..8.
    const swap = (meta.orientation ?? 1) >= 5;
    const w = (swap ? meta.height : meta.width) ?? 0;
    const h = (swap ? meta.width : meta.height) ?? 0;
    if (!w || !h) throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', 'Image has no dimensions');
    const long = Math.max(w, h);
    let scale = 1;
    if (long > options.maxSide) scale = options.maxSide / long;
    else if (long < options.upscaleBelow) scale = Math.min(3, options.upscaleTo / long);
    const width = Math.max(1, Math.round(w * scale));
    const height = Math.max(1, Math.round(h * scale));
    let pipeline = upright.flatten({ background: '#ffffff' }).grayscale();
    if (scale !== 1) pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
    // compressionLevel 1: the PNG only travels to the worker thread; encoding speed beats size.
    const png = await pipeline.png({ compressionLevel: 1 }).toBuffer();
    return { png, width, height };
  } catch (error) {
    if (error instanceof MediaAiError) throw error;
    throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', 'The photo cannot be decoded for OCR', { cause: error });
  }
}

/**
 * Rotates a prepared image clockwise by a multiple of 90 degrees, shrinking it to maxSide, and
 * median-filters it when `median` (an odd window, 3 = 3x3) is given: after the shrink, so the
 * window stays the same size relative to the strokes the engine sees.
 */
export async function rotatePrepared(prepared: PreparedImage, degrees: number, maxSide = Infinity, median = 0): Promise<PreparedImage> {
  const quarter = Math.abs(degrees % 180) === 90;
  let width = quarter ? prepared.height : prepared.width;
  let height = quarter ? prepared.width : prepared.height;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  let pipeline = sharp(prepared.png).rotate(degrees);
  if (scale < 1) {
    width = Math.max(1, Math.round(width * scale));
    height = Math.max(1, Math.round(height * scale));
    pipeline = sharp(await pipeline.png({ compressionLevel: 1 }).toBuffer()).resize(width, height, { fit: 'fill' });
  }
  if (median > 1) pipeline = pipeline.median(median);
  const png = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  return { png, width, height };
}

export interface SkewEstimate {
  /** Degrees to rotate clockwise to level the text (0 when none found). */
  angle: number;
  /** How much sharper the row profile is at that angle than upright (1 = no better). */
  gain: number;
}

/**
 * Projection-profile skew estimate: dark-on-light pixels (against a 15-px local mean) are
 * projected onto rows at -30..30 degrees; text lines make the profile spiky at their angle.
 * Measured at 600 px (50..200 ms): the business card lying at an angle gives -20 deg with a gain
 * of 1.84; photos without text give 1.00..1.14 (batteries 1.14), so a gain of 1.3 separates them.
 */
export async function estimateSkew(prepared: PreparedImage): Promise<SkewEstimate> {
  const { data, info } = await sharp(prepared.png)
    .grayscale()
    .resize(600, 600, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const stride = w + 1;
  const integral = new Float64Array(stride * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x] ?? 0;
      integral[(y + 1) * stride + x + 1] = (integral[y * stride + x + 1] ?? 0) + row;
    }
  }
  const r = 7;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const y0 = Math.max(0, y - r);
      const y1 = Math.min(h, y + r + 1);
      const sum =
        (integral[y1 * stride + x1] ?? 0) -
        (integral[y0 * stride + x1] ?? 0) -
        (integral[y1 * stride + x0] ?? 0) +
        (integral[y0 * stride + x0] ?? 0);
      // 25 grey levels below the neighbourhood: ink, not texture or shading.
      if ((data[y * w + x] ?? 0) < sum / ((x1 - x0) * (y1 - y0)) - 25) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length < 200) return { angle: 0, gain: 1 };
  let best = 0;
  let bestScore = -1;
  let uprightScore = 1;
  const bins = new Float64Array(w + h + 2);
  for (let a = -30; a <= 30; a++) {
    const t = (a * Math.PI) / 180;
    const c = Math.cos(t);
    const s = Math.sin(t);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) {
      const bin = Math.round((ys[i] ?? 0) * c - (xs[i] ?? 0) * s) + w;
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
    let score = 0;
    for (const b of bins) score += b * b;
    if (a === 0) uprightScore = score;
    if (score > bestScore) {
      bestScore = score;
      best = a;
    }
  }
  // The profile is sharpest along lines rising at -best degrees: rotate clockwise by that.
  return { angle: -best, gain: bestScore / uprightScore };
}

/** Rotates by any angle (clockwise, degrees) onto white; the canvas grows to hold the corners. */
export async function deskewPrepared(prepared: PreparedImage, angle: number): Promise<PreparedImage> {
  const png = await sharp(prepared.png).rotate(angle, { background: '#ffffff' }).png({ compressionLevel: 1 }).toBuffer();
  const meta = await sharp(png).metadata();
  return { png, width: meta.width ?? prepared.width, height: meta.height ?? prepared.height };
}
