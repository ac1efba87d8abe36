/**
 * White or silver, judged against the photo's own white: a neutral surface at L* 72-87 is white paper
 * under a dim exposure when nothing in the photo is brighter, and a silver item (the vocabulary's own
 * silver, #C0C0C0, is L* 78) when the photo shows a clearly brighter white beside it. nameColor alone
 * cannot tell the two apart (it sees one colour), so it names that band white; this step sees the frame.
 * Measured (tools/colour-eval.ts, tune): plain silver items read L* 77-84; boxed ones are named silver first 12/12 (was
 * 2/12), white items read L* 92-100, matte white under -0.7 stops L* 82-83 with nothing brighter in the
 * frame (stays white); held-out, looked at once: boxed top-1 0.872 -> 0.967 with the gold prototype (color-names.ts).
 * Pure arithmetic over a decoded image already in memory; must never rename anything but white to silver,
 * and never touch a white brighter than LIGHT_WHITE (a white item in a well exposed photo).
 */
import type { NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { hexToLab, rgbToLab } from './color-space.js';
import { mergeSameNames } from './color-names.js';

/** A measured white at or above this L* is white whatever else the photo holds. */
export const LIGHT_WHITE = 87;
/** How much brighter (ΔL*) the photo's white must be than the item's for the item to be silver, not dim white. */
export const BRIGHTER_BY = 4;
/** The photo's white: this quantile of L* over the frame (a few specular pixels stay above it). */
const WHITE_QUANTILE = 0.99;
/** Samples along the frame's longer side: the white point needs no more. */
const SAMPLES = 96;

/**
 * White points already measured, by decoded image: the detector stage asks once per coloured box and
 * once for the salient object (up to 7 times a photo, ~1 ms each) about the same frame. Keyed by the
 * object and checked against its buffer and size, so a DecodedImage given other pixels is measured again.
 */
const measured = new WeakMap<DecodedImage, { data: Buffer; width: number; height: number; white: number }>();

/** The photo's white point: the 99th percentile of L* over a coarse sampling of the frame; 0 for an empty image. */
export function frameWhitePoint(image: DecodedImage): number {
  const known = measured.get(image);
  if (known && known.data === image.data && known.width === image.width && known.height === image.height) return known.white;
  const white = measureWhitePoint(image);
  measured.set(image, { data: image.data, width: image.width, height: image.height, white });
  return white;
}

function measureWhitePoint(image: DecodedImage): number {
  const { width, height, data } = image;
  if (width < 1 || height < 1) return 0;
  const step = Math.max(1, Math.floor(Math.max(width, height) / SAMPLES));
  const ls: number[] = [];
  for (let y = Math.floor(step / 2); y < height; y += step) {
    for (let x = Math.floor(step / 2); x < width; x += step) {
      const i = (y * width + x) * 3;
      ls.push(rgbToLab(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0).l);
    }
  }
  // A typed array sorts numbers natively (the same order as a numeric comparator), several times faster.
  const sorted = Float64Array.from(ls).sort();
  return sorted[Math.floor(WHITE_QUANTILE * (sorted.length - 1))] ?? 0;
}

/**
 * The item's colours with a dim white named silver where the photo's white point is clearly brighter
 * than it; a name then present twice is merged (shares added), largest share first.
 */
export function withExposureWhite(colors: readonly NamedColor[], whitePoint: number): NamedColor[] {
  const renamed = colors.map((c) => {
    if (c.name !== 'white') return c;
    const l = hexToLab(c.hex).l;
    return l < LIGHT_WHITE && whitePoint - l >= BRIGHTER_BY ? { ...c, name: 'silver' } : c;
  });
  return mergeSameNames(renamed);
}
