/**
 * Cuts one text box out of the photo: a perspective (homography) warp of its four corners onto an
 * upright rectangle, bilinear, edges replicated; tall crops are turned 90 degrees counter-clockwise
 * so vertical text reads left to right (PaddleOCR's get_rotate_crop_image). Pure pixels, no I/O.
 * It must never read outside the source image.
 */
import { distance, homography, type Quad } from './geometry.js';
import type { RgbImage } from './image.js';

export interface Crop extends RgbImage {
  /** True when the warped crop was turned 90 degrees counter-clockwise (text ran top to bottom). */
  rotated: boolean;
}

/** Crop size: trunc of the longer of each pair of opposite edges. */
export function cropSize(quad: Quad): { width: number; height: number } {
  return {
    width: Math.trunc(Math.max(distance(quad[0], quad[1]), distance(quad[2], quad[3]))),
    height: Math.trunc(Math.max(distance(quad[0], quad[3]), distance(quad[1], quad[2]))),
  };
}

export function warpQuad(image: RgbImage, quad: Quad): RgbImage {
  const { width, height } = cropSize(quad);
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  // Maps crop pixels back to source pixels, so every crop pixel is sampled once.
  const back = homography(
    [
      [0, 0],
      [w, 0],
      [w, h],
      [0, h],
    ],
    quad,
  );
  const out = new Uint8Array(w * h * 3);
  const src = image.data;
  // applyHomography inlined, the same arithmetic in the same order: its [x, y] array a crop pixel
  // was ~3.4 MB of short-lived objects a photo (the OCR isolate's largest JS allocation).
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = back as [number, number, number, number, number, number, number, number, number];
  const maxX = image.width - 1;
  const maxY = image.height - 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const denominator = h6 * x + h7 * y + h8;
      const fx = (h0 * x + h1 * y + h2) / denominator;
      const fy = (h3 * x + h4 * y + h5) / denominator;
      const cx = Math.min(maxX, Math.max(0, fx));
      const cy = Math.min(maxY, Math.max(0, fy));
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      const x1 = Math.min(maxX, x0 + 1);
      const y1 = Math.min(maxY, y0 + 1);
      const ax = cx - x0;
      const ay = cy - y0;
      const i00 = (y0 * image.width + x0) * 3;
      const i01 = (y0 * image.width + x1) * 3;
      const i10 = (y1 * image.width + x0) * 3;
      const i11 = (y1 * image.width + x1) * 3;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = src[i00 + c]! * (1 - ax) + src[i01 + c]! * ax;
        const bottom = src[i10 + c]! * (1 - ax) + src[i11 + c]! * ax;
        out[o + c] = Math.round(top * (1 - ay) + bottom * ay);
      }
    }
  }
  return { data: out, width: w, height: h };
}

/** np.rot90: counter-clockwise quarter turn. Output (x, y) = input (W - 1 - y, x). */
export function rotate90ccw(image: RgbImage): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < h; x++) {
      const s = (x * w + (w - 1 - y)) * 3;
      const o = (y * h + x) * 3;
      out[o] = data[s]!;
      out[o + 1] = data[s + 1]!;
      out[o + 2] = data[s + 2]!;
    }
  }
  return { data: out, width: h, height: w };
}

export function rotate180(image: RgbImage): RgbImage {
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = (n - 1 - i) * 3;
    out[i * 3] = image.data[s]!;
    out[i * 3 + 1] = image.data[s + 1]!;
    out[i * 3 + 2] = image.data[s + 2]!;
  }
  return { ...image, data: out };
}

export function cropText(image: RgbImage, quad: Quad): Crop {
  const warped = warpQuad(image, quad);
  if (warped.height / warped.width >= 1.5) return { ...rotate90ccw(warped), rotated: true };
  return { ...warped, rotated: false };
}
