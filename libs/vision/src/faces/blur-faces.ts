/**
 * Makes faces unrecognisable: each face box, grown by a margin (hair line, ears, chin: BlazeFace's
 * box runs from the brows to the mouth), is averaged down to five cells across, smoothed back up and
 * its contrast halved, so what is left is a soft patch of the face's mean colours. Measured on the
 * labelled photos: BlazeFace finds none of the 7 faces again after this (blur-faces.test.ts).
 * Rectangular on purpose: an ellipse would leave the box's corners (hair line, jaw) sharp.
 *
 * Must never touch a pixel outside the grown boxes and never change the image's size.
 */
import sharp from 'sharp';
import type { Box } from '@media-ai/contracts';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { clamp } from '../detection/geometry.js';

export interface FaceBlurOptions {
  /** Added on every side, as a share of the box's longer side (default 0.4: forehead, hair line, ears, chin). */
  margin?: number;
  /**
   * Cells across the grown box's longer side after averaging (default 5): the eyes, nose and mouth
   * fall into one or two cells each. Pixelation (hard cells) was tried and rejected: BlazeFace still
   * found faces in 5..8-cell mosaics, and smoothing leaves no cell edges to read features from.
   */
  cells?: number;
  /** Share of the blob's contrast around its mean colour that is kept (default 0.5). */
  contrast?: number;
}

/** A region of the photo, in whole pixels. */
export interface PixelRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The pixels a face box covers once grown by the margin, clamped to the photo. */
export function faceBlurRegion(box: Box, imageWidth: number, imageHeight: number, margin = 0.4): PixelRegion {
  const grow = Math.max(box.width * imageWidth, box.height * imageHeight) * margin;
  // Outwards to whole pixels, but 350.0000001 (a box edge through float maths) is pixel 350.
  const outwards = (value: number, round: (v: number) => number, limit: number) => clamp(round(Math.round(value * 1e6) / 1e6), 0, limit);
  const left = outwards(box.x * imageWidth - grow, Math.floor, imageWidth);
  const top = outwards(box.y * imageHeight - grow, Math.floor, imageHeight);
  const right = outwards((box.x + box.width) * imageWidth + grow, Math.ceil, imageWidth);
  const bottom = outwards((box.y + box.height) * imageHeight + grow, Math.ceil, imageHeight);
  return { left, top, width: right - left, height: bottom - top };
}

/** A copy of `image` with every face region blurred (the input buffer is left as it was). */
export async function blurFaces(image: DecodedImage, faces: readonly Box[], options: FaceBlurOptions = {}): Promise<DecodedImage> {
  const cells = options.cells ?? 5;
  const contrast = options.contrast ?? 0.5;
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const data = Buffer.from(image.data);
  for (const face of faces) {
    const region = faceBlurRegion(face, image.width, image.height, options.margin);
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
    for (let y = 0; y < region.height; y++) {
      const from = y * region.width * 3;
      blob.copy(data, ((region.top + y) * image.width + region.left) * 3, from, from + region.width * 3);
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
  faces: readonly Box[],
  options: FaceBlurOptions & { quality: number },
): Promise<Buffer> {
  if (faces.length === 0) return jpeg;
  const blurred = await blurFaces(await decodeImage(jpeg), faces, options);
  return sharp(blurred.data, { raw: { width: blurred.width, height: blurred.height, channels: 3 } })
    .jpeg({ quality: options.quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
}
