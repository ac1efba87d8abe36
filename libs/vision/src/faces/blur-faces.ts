/**
 * Makes faces unrecognisable: around each face box, the whole head's region (faceBlurRegion) is
 * averaged down to three cells across, smoothed back up and its contrast halved, so what is left is
 * a soft patch of the head's mean colours. Measured on the labelled photos: BlazeFace finds none of
 * the 7 faces again after this (blur-faces.test.ts); on the privacy benchmark's portraits (tune:
 * seeds 1 and 8, retired held-out 29) a quarter of the fine detail over the ground-truth head is the
 * bar, and the region and strength below are what reached it (tools/privacy-bench/faces-only.ts).
 * Rectangular on purpose: an ellipse would leave the region's corners (hair line, jaw) sharp.
 *
 * Must never touch a pixel outside the regions and never change the image's size.
 */
import sharp from 'sharp';
import type { Box } from '@media-ai/contracts';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { clamp } from '../detection/geometry.js';

/**
 * The head around a BlazeFace box, as shares of the box's longer side from the box's centre. The box
 * runs from the brows to the mouth and sits tight on the inner face (on the benchmark's portraits
 * about 0.6 of the ground-truth head's width, with the hair line 0.8..1.2 box sides above its centre),
 * and on a face turned 15..20° or upside down it shrinks further (0.4 of the head). Up and down
 * alike: a document may lie upside down and the box says nothing of which way is up (the photo
 * record carries no keypoints). Measured with tools/privacy-bench/faces-only.ts on tune seeds 1 and 8
 * and retired held-out seed 29 (162 faces): 1.0 x 1.3 left 3 of them over the bar, 1.1 x 1.4 none.
 */
export const HEAD_HALF_WIDTH = 1.1;
export const HEAD_HALF_HEIGHT = 1.4;

export interface FaceBlurOptions {
  /** Half the region's width, as a share of the box's longer side (default HEAD_HALF_WIDTH). */
  halfWidth?: number;
  /** Half the region's height, as a share of the box's longer side (default HEAD_HALF_HEIGHT). */
  halfHeight?: number;
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

/** A region of the photo, in whole pixels. */
export interface PixelRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The whole pixels a normalized box covers (outwards), clamped to the photo. */
export function pixelRegionOf(box: Box, imageWidth: number, imageHeight: number): PixelRegion {
  // Outwards to whole pixels, but 350.0000001 (a box edge through float maths) is pixel 350.
  const outwards = (value: number, round: (v: number) => number, limit: number) => clamp(round(Math.round(value * 1e6) / 1e6), 0, limit);
  const left = outwards(box.x * imageWidth, Math.floor, imageWidth);
  const top = outwards(box.y * imageHeight, Math.floor, imageHeight);
  const right = outwards((box.x + box.width) * imageWidth, Math.ceil, imageWidth);
  const bottom = outwards((box.y + box.height) * imageHeight, Math.ceil, imageHeight);
  return { left, top, width: right - left, height: bottom - top };
}

/** The pixels blurred for one face box: the head around it (HEAD_HALF_WIDTH, HEAD_HALF_HEIGHT), clamped to the photo. */
export function faceBlurRegion(
  box: Box,
  imageWidth: number,
  imageHeight: number,
  { halfWidth = HEAD_HALF_WIDTH, halfHeight = HEAD_HALF_HEIGHT }: Pick<FaceBlurOptions, 'halfWidth' | 'halfHeight'> = {},
): PixelRegion {
  const side = Math.max(box.width * imageWidth, box.height * imageHeight);
  const centreX = (box.x + box.width / 2) * imageWidth;
  const centreY = (box.y + box.height / 2) * imageHeight;
  const head: Box = {
    x: (centreX - side * halfWidth) / imageWidth,
    y: (centreY - side * halfHeight) / imageHeight,
    width: (2 * side * halfWidth) / imageWidth,
    height: (2 * side * halfHeight) / imageHeight,
  };
  return pixelRegionOf(head, imageWidth, imageHeight);
}

/** A copy of `image` with every face region blurred (the input buffer is left as it was). */
export async function blurFaces(image: DecodedImage, faces: readonly Box[], options: FaceBlurOptions = {}): Promise<DecodedImage> {
  const cells = options.cells ?? 3;
  const contrast = options.contrast ?? 0.5;
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const data = Buffer.from(image.data);
  for (const face of faces) {
    const region = faceBlurRegion(face, image.width, image.height, options);
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
