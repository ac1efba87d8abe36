/**
 * An item's colour that its box's cell means cannot see: a thin or open item whose box is mostly
 * background (a bicycle's red frame across a yellow wall, a green strap looped over pavement). itemColors
 * segments on a grid of cell means; a tube narrower than a cell is averaged into the wall behind it and its
 * colour is lost. Here the box's pixels are compared, colour by colour,
 * with the pixels of the ring just outside the box: a colour much commoner inside the box than around
 * it belongs to what the box was drawn around; a colour as common around the box (the wall, the foliage,
 * the pavement) is the background seen through the item, however much of the box it fills. The largest
 * such vivid colour the item's colours do not already name is returned. Measured on the generated open scenes
 * (tools/colour-eval.ts --only open, tune, boxed: agreement 0.667 -> 0.800, precision 0.342 -> 0.377; the plain
 * boxed scenes' precision 0.826 -> 0.822, their top-1 and agreement unchanged). Its CPU cost (colour-eval's
 * itemColors line): +2.3 ms per box on the labelled photos at full size, +10 ms per 320 x 240 benchmark scene,
 * before its histograms moved from Maps to a typed grid and exact shortcuts skipped k-means when nothing
 * could qualify: then 2.60 -> 1.67 ms a call on the labelled photos' central box, 3.15 -> 2.23 ms on the tune
 * benchmark's boxed scenes (old and new alternated in one process, median of 5); the returned colours identical.
 *
 * A colour-histogram ratio of object to surroundings (the "object vs. surroundings" model of colour
 * trackers), not a segmentation: it says which colours, not which pixels, so it needs no connectivity and
 * no resolution finer than a pixel stride.
 *
 * Pure arithmetic over a decoded image already in memory; must never decode or do I/O, never name a
 * colour outside the vocabulary, never repeat a name in `known`. Deterministic (seeded k-means).
 */
import type { Box, ColorName, NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { nameColor } from './color-names.js';
import { chroma, distanceSquared, hexToLab, labToHex, rgbToLab, type Lab } from './color-space.js';
import { CONTEXT } from './cell-grid.js';
import { kMeans, type Cluster } from './dominant-colors.js';

/** Samples along the box's longer side: a tube a hundredth of the box wide still gets pixels of its own. */
const SAMPLES = 96;
/** Histogram bin side in CIELAB (ΔE). */
const BIN = 8;
/** A colour is the item's when the box holds at least this share of its (normalised) density, box and ring together. */
const SPECIFIC = 0.85;
/** A box-specific colour this close (ΔE) to one the item already has is that colour's shading. */
const KNOWN_DISTANCE = 20;
/** Smallest share of the box's pixels a new colour must cover: less is print, a reflection or noise. */
const MIN_SHARE = 0.02;
/** Fewest ring pixels, as a share of the box's, for the ring to stand for the surroundings. */
const MIN_RING = 0.15;
/**
 * Only a vivid colour (C* at least this) is named: a neutral that is rare around the box is as often the
 * item's shading, a screen, print or a reflection as a part of it (on the labelled photos: a phone's grey
 * edge, a battery's white print), while a vivid one a thin part carries (a red frame, a green strap) is
 * what cell means blend away.
 */
const MIN_CHROMA = 40;
/** Most colours returned. */
const MAX_COLOURS = 1;
/** Clusters at least this chromatic (C*) and within FAMILY_HUE radians of hue are one colour, lit and shaded. */
const FAMILY_CHROMA = 15;
const FAMILY_HUE = (30 * Math.PI) / 180;

/**
 * The vivid colour of the item in `box` (normalised) that is rare around the box and not among `known`, with
 * its share of the box's pixels; empty when there is none (or no ring around the box to compare with).
 */
export function surroundContrastColors(image: DecodedImage, box: Box, known: readonly NamedColor[]): NamedColor[] {
  const { width, height, data } = image;
  const bx0 = clamp(box.x * width, width);
  const by0 = clamp(box.y * height, height);
  const bx1 = clamp((box.x + box.width) * width, width);
  const by1 = clamp((box.y + box.height) * height, height);
  const boxW = bx1 - bx0;
  const boxH = by1 - by0;
  if (boxW < 4 || boxH < 4) return [];
  const x0 = clamp(bx0 - boxW * CONTEXT, width);
  const y0 = clamp(by0 - boxH * CONTEXT, height);
  const x1 = clamp(bx1 + boxW * CONTEXT, width);
  const y1 = clamp(by1 + boxH * CONTEXT, height);
  const stride = Math.max(1, Math.floor(Math.max(boxW, boxH) / SAMPLES));
  // Box and ring histograms on a dense typed grid, not in Maps: a box is ~16 000 samples, and this loop was
  // most of the function's cost. The grid is shared between calls and cleared bin by bin afterwards.
  const touched: number[] = [];
  const labs: Lab[] = [];
  const keys: number[] = [];
  let insideCount = 0;
  let aroundCount = 0;
  try {
    for (let y = y0; y < y1; y += stride) {
      const rowInside = y >= by0 && y < by1;
      for (let x = x0; x < x1; x += stride) {
        const i = (y * width + x) * 3;
        const lab = rgbToLab(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0);
        const bin = binKey(lab) + OFFSET;
        if ((INSIDE[bin] as number) === 0 && (AROUND[bin] as number) === 0) touched.push(bin);
        if (rowInside && x >= bx0 && x < bx1) {
          INSIDE[bin] = (INSIDE[bin] as number) + 1;
          insideCount++;
          labs.push(lab);
          keys.push(bin);
        } else {
          AROUND[bin] = (AROUND[bin] as number) + 1;
          aroundCount++;
        }
      }
    }
    if (insideCount === 0 || aroundCount < insideCount * MIN_RING) return [];
    const own = known.map((c) => hexToLab(c.hex));
    const specific = new Map<number, boolean>();
    const isSpecific = (bin: number): boolean => {
      const cached = specific.get(bin);
      if (cached !== undefined) return cached;
      // Densities over the bin and its 26 neighbours: a colour one bin away from the surroundings' is theirs, shaded.
      let pIn = 0;
      let pOut = 0;
      for (const k of NEIGHBOURS) {
        pIn += INSIDE[bin + k] as number;
        pOut += AROUND[bin + k] as number;
      }
      pIn /= insideCount;
      pOut /= aroundCount;
      const result = pIn / (pIn + pOut) >= SPECIFIC;
      specific.set(bin, result);
      return result;
    };
    let flagged = 0;
    let vivid = false;
    const weights = labs.map((lab, i) => {
      if (!isSpecific(keys[i]!) || !own.every((o) => distanceSquared(lab, o) >= KNOWN_DISTANCE ** 2)) return 0;
      flagged++;
      if (chroma(lab) >= MIN_CHROMA) vivid = true;
      return 1;
    });
    // Exact shortcuts, no change to what is returned: a family's weight is at most the flagged pixels', and a
    // cluster centre is a mean of flagged pixels, so no more chromatic than the most chromatic of them.
    if (flagged < insideCount * MIN_SHARE || !vivid) return [];
    return contrastColours(kMeans(labs, weights, 4, 10), known, own, insideCount);
  } finally {
    for (const bin of touched) {
      INSIDE[bin] = 0;
      AROUND[bin] = 0;
    }
  }
}

/** The clusters of the box-specific pixels as the item's new colours: vivid, unknown, big enough. */
function contrastColours(
  clusters: readonly Cluster[],
  known: readonly NamedColor[],
  own: readonly Lab[],
  insideCount: number,
): NamedColor[] {
  const taken = new Set<string>(known.map((c) => c.name));
  return colourFamilies(clusters)
    .map((family) => ({ ...family, name: nameColor(family.lab) }))
    .filter(
      (family) =>
        chroma(family.lab) >= MIN_CHROMA &&
        !taken.has(family.name) &&
        // A vivid colour of the hue of one the item has is that colour in shadow or highlight.
        !own.some((o) => sameHue(o, family.lab)) &&
        family.weight / insideCount >= MIN_SHARE,
    )
    .sort((p, q) => q.weight - p.weight)
    .slice(0, MAX_COLOURS)
    .map((family) => ({ name: family.name, hex: labToHex(family.lab), share: Math.round((family.weight / insideCount) * 1000) / 1000 }));
}

/** Whether two colours are one vivid colour lit and shaded: both chromatic, their hues within FAMILY_HUE. */
function sameHue(p: Lab, q: Lab): boolean {
  if (chroma(p) < FAMILY_CHROMA || chroma(q) < FAMILY_CHROMA) return false;
  const turn = Math.atan2(p.b, p.a) - Math.atan2(q.b, q.a);
  return Math.abs(Math.atan2(Math.sin(turn), Math.cos(turn))) < FAMILY_HUE;
}

/**
 * Clusters grouped into colour families: chromatic ones of about the same hue are one colour in light and
 * shade (a red frame's shaded side is "brown" to the namer, its lit side "red"), named by the most
 * chromatic member, the colour the shading hides least; neutral ones by their own name.
 */
function colourFamilies(clusters: readonly Cluster[]): Array<{ lab: Lab; weight: number }> {
  const families: Array<{ lab: Lab; weight: number; chromatic: boolean; name: ColorName }> = [];
  for (const cluster of [...clusters].sort((p, q) => chroma(q.centre) - chroma(p.centre))) {
    const chromatic = chroma(cluster.centre) >= FAMILY_CHROMA;
    const name = nameColor(cluster.centre);
    const family = families.find((f) => (chromatic ? f.chromatic && sameHue(f.lab, cluster.centre) : !f.chromatic && f.name === name));
    if (family) family.weight += cluster.weight;
    else families.push({ lab: cluster.centre, weight: cluster.weight, chromatic, name });
  }
  return families;
}

const SPAN = 64;
/** L* bins run 0..12 (L* 0..100) and a bin's neighbourhood one further either way: rows -1..13, shifted to 0..14. */
const OFFSET = SPAN * SPAN;
const ROWS = 16;
const INSIDE = new Uint32Array(ROWS * SPAN * SPAN);
const AROUND = new Uint32Array(ROWS * SPAN * SPAN);
/** Offsets of a bin's 27-bin neighbourhood (itself included) in binKey's layout. */
const NEIGHBOURS: readonly number[] = (() => {
  const offsets: number[] = [];
  for (let dl = -1; dl <= 1; dl++)
    for (let da = -1; da <= 1; da++) for (let db = -1; db <= 1; db++) offsets.push((dl * SPAN + da) * SPAN + db);
  return offsets;
})();

function binKey(lab: Lab): number {
  const l = Math.floor(lab.l / BIN);
  const a = Math.floor(lab.a / BIN) + SPAN / 2;
  const b = Math.floor(lab.b / BIN) + SPAN / 2;
  return (l * SPAN + a) * SPAN + b;
}

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(0, Math.round(value)));
}
