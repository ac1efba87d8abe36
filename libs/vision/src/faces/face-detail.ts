/**
 * Whether a face is blurred in an image that left the process, measured on the pixels rather than
 * asked of a detector (BlazeFace also fires on smooth head-shaped patches): the share of the face
 * box's fine detail (mean absolute second difference along rows: 0 on smooth ramps, large on eyes,
 * brows, lips and edges) that survived, against the same box in the original. About 1 untouched,
 * under 0.1 after blurFaces. For tests and benchmarks (the privacy benchmark's faces_blurred).
 *
 * Must never compare images of different sizes: resize the original to the released size first.
 */
import type { Box } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { pixelRegionOf } from './head-region.js';

export function remainingFaceDetail(original: DecodedImage, released: DecodedImage, box: Box): number {
  if (original.width !== released.width || original.height !== released.height) {
    throw new Error(`compare images of one size: ${original.width}x${original.height} vs ${released.width}x${released.height}`);
  }
  const region = pixelRegionOf(box, original.width, original.height);
  const detail = (image: DecodedImage) => {
    let sum = 0;
    let n = 0;
    for (let y = region.top; y < region.top + region.height; y++) {
      for (let x = region.left + 1; x < region.left + region.width - 1; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * image.width + x) * 3 + c;
          sum += Math.abs(2 * image.data[i]! - image.data[i - 3]! - image.data[i + 3]!);
          n++;
        }
      }
    }
    return n > 0 ? sum / n : 0;
  };
  const before = detail(original);
  return before > 0 ? detail(released) / before : 1;
}
