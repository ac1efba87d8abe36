/**
 * Pools an intermediate feature map of the classifier over the item's own cells: the instance-level
 * part of the fingerprint (an earlier layer keeps an item's texture and pattern; the network's final
 * global pool averages them into a category). The item's cells are read from the item image itself
 * (itemImage): every pixel that is not the item is exactly the NEUTRAL fill, so no mask travels beside it.
 *
 * Must never pool the neutral fill into the item's vector (the grey square would make every item alike),
 * and never return an unnormalised vector: halves are L2-normalised so neither mean nor max dominates.
 */
import type { FeatureMap } from '../detection/item-classifier.js';
import type { DecodedImage } from '../detection/decoded-image.js';
import { ITEM_IMAGE_SIDE, NEUTRAL } from './photo-fingerprint.js';

/** A cell is the item's when at least this share of its sampled pixels is not the neutral fill. */
const ITEM_CELL_SHARE = 0.5;

/**
 * Which cells of a height × width feature map are the item: the map covers the classifier's centre
 * crop (`crop` pixels square, CLASSIFIER_CROP, of the ITEM_IMAGE_SIDE square); each cell samples every
 * 2nd pixel each way.
 */
export function itemCellsOf(item: DecodedImage, height: number, width: number, crop: number): Uint8Array {
  const cells = new Uint8Array(height * width);
  if (item.width !== ITEM_IMAGE_SIDE || item.height !== ITEM_IMAGE_SIDE) return cells.fill(1); // not an item image: all of it
  const offset = Math.floor((ITEM_IMAGE_SIDE - crop) / 2);
  const cellH = crop / height;
  const cellW = crop / width;
  let any = false;
  for (let cy = 0; cy < height; cy++) {
    for (let cx = 0; cx < width; cx++) {
      let ofItem = 0;
      let all = 0;
      for (let y = Math.floor(cy * cellH); y < Math.floor((cy + 1) * cellH); y += 2) {
        for (let x = Math.floor(cx * cellW); x < Math.floor((cx + 1) * cellW); x += 2) {
          const i = ((offset + y) * item.width + offset + x) * 3;
          all++;
          if (item.data[i] !== NEUTRAL[0] || item.data[i + 1] !== NEUTRAL[1] || item.data[i + 2] !== NEUTRAL[2]) ofItem++;
        }
      }
      if (all > 0 && ofItem >= all * ITEM_CELL_SHARE) {
        cells[cy * width + cx] = 1;
        any = true;
      }
    }
  }
  return any ? cells : cells.fill(1);
}

/** Per channel the mean and the max over the given cells (mean ++ max, each half L2-normalised, × 1/√2: unit length). */
export function maskedMeanMax(map: FeatureMap, cells: Uint8Array): Float32Array {
  const { data, channels, height, width } = map;
  const plane = height * width;
  const out = new Float32Array(channels * 2);
  let count = 0;
  for (let p = 0; p < plane; p++) if (cells[p]) count++;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let max = -Infinity;
    const base = c * plane;
    for (let p = 0; p < plane; p++) {
      if (!cells[p]) continue;
      const v = data[base + p]!;
      sum += v;
      if (v > max) max = v;
    }
    out[c] = count ? sum / count : 0;
    out[channels + c] = count ? max : 0;
  }
  normaliseHalf(out, 0, channels);
  normaliseHalf(out, channels, channels * 2);
  return out;
}

function normaliseHalf(v: Float32Array, from: number, to: number): void {
  let norm = 0;
  for (let i = from; i < to; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = from; i < to; i++) v[i] = (v[i]! / norm) * Math.SQRT1_2;
}
