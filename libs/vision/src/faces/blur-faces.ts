/**
 * Makes faces unrecognisable: around each face box, the head's area (faceBlurArea, head-region.ts) is
 * averaged down to three cells across, smoothed back up and its contrast halved, so what is left is a
 * soft patch of the head's mean colours. Measured on the labelled photos: BlazeFace finds none of
 * the 7 faces again after this (blur-faces.test.ts); on the privacy benchmark's portraits (tune:
 * seeds 1 and 8, retired held-out 29) a quarter of the fine detail over the ground-truth head is the
 * bar, and the strength below with head-region.ts's area is what reached it (tools/privacy-bench/faces-only.ts).
 *
 * Must never touch a pixel outside the areas and never change the image's size.
 */
import sharp from 'sharp';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { faceBlurArea, type FaceMarks, type HeadRegionOptions } from './head-region.js';

export interface FaceBlurOptions extends HeadRegionOptions {
  /**
   * Cells across the region's longer side after averaging (default 3): with the head's whole region,
   * eyes, nose and mouth share one cell. Five cells left 0.19 of a portrait's detail (median, tune
   * seed 1) and three 0.06 over the same regions. Pixelation (hard cells) was tried and rejected:
   * BlazeFace still found faces in 5..8-cell mosaics, and smoothing leaves no cell edges to read
   * features from.
   */
  cells?: number;
  /** Share of the blob's contrast around its mean colour that is kept (default 0.5). */
  contrast?: number;
}

/** A copy of `image` with every face's area blurred (the input buffer is left as it was). */
export async function blurFaces(image: DecodedImage, faces: readonly FaceMarks[], options: FaceBlurOptions = {}): Promise<DecodedImage> {
  const cells = options.cells ?? 3;
  const contrast = options.contrast ?? 0.5;
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const data = Buffer.from(image.data);
  for (const face of faces) {
    const area = faceBlurArea(face, image.width, image.height, options);
    const region = area.bounds;
    if (region.width < 1 || region.height < 1) continue;
    const scale = cells / Math.max(region.width, region.height);
    const small = {
      width: Math.max(1, Math.round(region.width * scale)),
      height: Math.max(1, Math.round(region.height * scale)),
    };
    // From `data`, not the original: overlapping faces are blurred on top of each other.
    const averaged = await sharp(data, { raw })
      .extract(region)
      .resize(small.width, small.height, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
    const blob = await sharp(averaged, { raw: { ...small, channels: 3 } })
      .resize(region.width, region.height, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
    // Halve the blob's contrast around its mean colour: a smooth blob still shows a head's
    // silhouette (dark hair over a light face) that BlazeFace took for a face at 0.5..0.7.
    const mean = [0, 0, 0];
    for (let i = 0; i < averaged.length; i++) mean[i % 3]! += averaged[i]! / (averaged.length / 3);
    for (let i = 0; i < blob.length; i++) blob[i] = Math.round(mean[i % 3]! + (blob[i]! - mean[i % 3]!) * contrast);
    // Only the pixels the area covers: the bounds of a turned head hold corners that are not the head.
    for (let y = 0; y < region.height; y++) {
      for (let x = 0; x < region.width; x++) {
        const share = area.coverage(region.left + x, region.top + y);
        if (share === 0) continue;
        const to = ((region.top + y) * image.width + region.left + x) * 3;
        const from = (y * region.width + x) * 3;
        for (let c = 0; c < 3; c++) data[to + c] = Math.round(data[to + c]! * (1 - share) + blob[from + c]! * share);
      }
    }
  }
  return { data, width: image.width, height: image.height };
}

/**
 * `jpeg` with every face blurred, re-encoded at `quality` (no metadata: sharp writes none unless
 * asked); the very same buffer when there is no face, so a photo without faces loses nothing.
 */
export async function blurFacesInJpeg(
  jpeg: Buffer,
  faces: readonly FaceMarks[],
  options: FaceBlurOptions & { quality: number },
): Promise<Buffer> {
  if (faces.length === 0) return jpeg;
  const blurred = await blurFaces(await decodeImage(jpeg), faces, options);
  return sharp(blurred.data, { raw: { width: blurred.width, height: blurred.height, channels: 3 } })
    .jpeg({ quality: options.quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
}
