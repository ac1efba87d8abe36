/**
 * Dominant colours of a photo, named in the platform's vocabulary with the cluster's hex and share:
 * downscale, weight pixels toward the centre and away from a uniform background, weighted k-means in
 * CIELAB, name each cluster, merge clusters that got the same name; when none of them is a strong colour,
 * the frame's accents (frameAccents, looked for on a larger thumbnail: thin coloured print) follow with their
 * own small shares, and on a light paper its print's colour (printColours, on the same thumbnail). Deterministic (seeded init), so a replay publishes the same colours. Must never do I/O beyond decoding the given bytes.
 */
import sharp, { type Sharp } from 'sharp';
import type { NamedColor } from '@media-ai/contracts';
import { nameColor } from './color-names.js';
import { frameAccents, isStrongColour } from './frame-accents.js';
import { paperOf, printColours } from './print-colours.js';
import { chroma, distanceSquared, hexToLab, labToHex, rgbToLab, type Lab } from './color-space.js';
import { mulberry32 } from '../seeded-random.js';

export interface DominantColorOptions {
  /** Most colours returned. Default 3. */
  max?: number;
  /** Clusters found before naming and merging. Default 10. */
  clusters?: number;
  /** Longest side of the sampled thumbnail. Default 96. */
  sampleSide?: number;
  /** Colours with a smaller weighted share are dropped as noise. Default 0.06. */
  minShare?: number;
  /**
   * Down-weight a uniform background (a colour filling most of the border), so the item on a white
   * table counts more than the table. Default true.
   */
  ignoreBackground?: boolean;
  /**
   * When every colour found is achromatic (a white card, a grey page), append the frame's accent
   * (frameAccents: a licence's green band, a passport's red, thin blue print) after them, with its
   * own small share; and on a light paper, its print's colour (printColours: a book page's black text). Default true.
   */
  accents?: boolean;
  /**
   * Longest side of the thumbnail the frame's accents are looked for on (never enlarged past the photo).
   * Default ACCENT_SIDE; sampleSide looks for them on the palette's own thumbnail.
   */
  accentSide?: number;
}

/**
 * The accents' thumbnail side. A 96-pixel thumbnail averages thin coloured lettering (a licence's state name, a
 * card's coloured print: 1-2 px strokes in a 320 px photo) into the paper around it; at ACCENT_SIDE the strokes
 * keep their colour. Measured on the generated benchmark's thin-print documents (tools/colour-eval.ts, tune,
 * method=document_thin_print): accent recall 0.167 at 96, 0.250 at 192, 0.500 at 288 and 384, with no other
 * line worse; held-out, looked at once: 0.083 -> 0.417, no other line worse. It costs one more resize and Lab pass,
 * only for a palette with no strong colour (tools/colour-eval.ts prints dominantColors' CPU both ways).
 */
export const ACCENT_SIDE = 288;

export interface Cluster {
  centre: Lab;
  weight: number;
}

export async function dominantColors(image: Buffer, options: DominantColorOptions = {}): Promise<NamedColor[]> {
  const max = options.max ?? 3;
  const side = options.sampleSide ?? 96;
  const decoded = sharp(image).flatten({ background: '#ffffff' }).toColourspace('srgb');
  const { data, info } = await decoded
    .clone()
    .resize({ width: side, height: side, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });

  const { width, height, channels } = info;
  const pixels: Lab[] = [];
  const weights: number[] = [];
  const border: number[] = [];
  const margin = Math.max(1, Math.round(Math.min(width, height) / 12));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      pixels.push(rgbToLab(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0));
      // Photographers centre the item: a gentle centre weighting (edges still count ~40 %).
      const dx = (x + 0.5) / width - 0.5;
      const dy = (y + 0.5) / height - 0.5;
      weights.push(Math.exp(-(dx * dx + dy * dy) / (2 * 0.3 * 0.3)));
      if (x < margin || y < margin || x >= width - margin || y >= height - margin) border.push(pixels.length - 1);
    }
  }

  let clusters = kMeans(pixels, weights, options.clusters ?? 10);
  if (options.ignoreBackground ?? true) {
    const background = uniformBackground(pixels, border, clusters);
    if (background) {
      // Not removed outright: a white page or a black phone filling the frame is the item itself.
      for (let i = 0; i < pixels.length; i++) {
        const p = pixels[i] as Lab;
        if (distanceSquared(p, background) < 12 * 12) weights[i] = (weights[i] ?? 0) * 0.25;
      }
      clusters = kMeans(pixels, weights, options.clusters ?? 10);
    }
  }

  const minShare = options.minShare ?? 0.06;
  const palette = coloursByName(clusters)
    .map(({ name, centre, share }) => {
      // People name the colourful thing first: a yellow taxi in a grey street is "yellow". Vivid
      // colours rank higher and survive a smaller share than neutrals do.
      const vividness = Math.min(1, chroma(centre) / 50);
      return { name, hex: labToHex(centre), share, score: share * (1 + 2 * vividness), vividness };
    })
    .filter((color) => color.share >= minShare * (1 - 0.6 * color.vividness))
    .sort((p, q) => q.score - p.score)
    .slice(0, max)
    .map(({ name, hex, share }) => ({ name, hex, share: Math.round(share * 1000) / 1000 }));
  // Accents only where the palette has no strong colour (frameAccents' own rule), print only on a light paper
  // (printColours' own rule), so only then the larger thumbnail.
  const strong = palette.some((c) => isStrongColour(hexToLab(c.hex)));
  if (options.accents === false || (strong && !paperOf(palette))) return palette;
  const accentSide = options.accentSide ?? ACCENT_SIDE;
  const larger = accentSide > side ? await labThumbnail(decoded, accentSide) : null;
  // A photo no larger than the palette's thumbnail has no finer detail to show: its own pixels then.
  const thumbnail = larger && larger.width > width ? larger : { pixels, width };
  const scale = { scale: thumbnail.width / width };
  const withAccents = [...palette, ...frameAccents(thumbnail.pixels, thumbnail.width, palette, scale)];
  return [...withAccents, ...printColours(thumbnail.pixels, thumbnail.width, withAccents, scale)];
}

/** The image's Lab pixels, row by row, fitted inside `side` (never enlarged). */
async function labThumbnail(decoded: Sharp, side: number): Promise<{ pixels: Lab[]; width: number }> {
  const { data, info } = await decoded
    .clone()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels: Lab[] = new Array<Lab>(info.width * info.height);
  for (let i = 0; i < pixels.length; i++) {
    const at = i * info.channels;
    pixels[i] = rgbToLab(data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0);
  }
  return { pixels, width: info.width };
}

/**
 * Clusters named with the one colour vocabulary and merged by name: each name's weighted mean centre
 * and its share of the total weight. How to rank and cut them is the caller's choice.
 */
export function coloursByName(clusters: readonly Cluster[]): { name: string; centre: Lab; share: number }[] {
  const total = clusters.reduce((sum, c) => sum + c.weight, 0);
  if (total <= 0) return [];
  const byName = new Map<string, { weight: number; l: number; a: number; b: number }>();
  for (const cluster of clusters) {
    const name = nameColor(cluster.centre);
    const entry = byName.get(name) ?? { weight: 0, l: 0, a: 0, b: 0 };
    entry.weight += cluster.weight;
    entry.l += cluster.centre.l * cluster.weight;
    entry.a += cluster.centre.a * cluster.weight;
    entry.b += cluster.centre.b * cluster.weight;
    byName.set(name, entry);
  }
  return [...byName.entries()].map(([name, e]) => ({
    name,
    centre: { l: e.l / e.weight, a: e.a / e.weight, b: e.b / e.weight },
    share: e.weight / total,
  }));
}

/** The colour most of the border shares, when one does (>= 55 % of border pixels in one cluster). */
function uniformBackground(pixels: Lab[], border: number[], clusters: Cluster[]): Lab | undefined {
  const counts = new Array<number>(clusters.length).fill(0);
  for (const index of border) {
    const c = nearest(pixels[index] as Lab, clusters);
    counts[c] = (counts[c] ?? 0) + 1;
  }
  const best = counts.indexOf(Math.max(...counts));
  return (counts[best] ?? 0) >= border.length * 0.55 ? clusters[best]?.centre : undefined;
}

export function nearest(p: Lab, clusters: readonly Cluster[]): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < clusters.length; c++) {
    const d = distanceSquared(p, (clusters[c] as Cluster).centre);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/**
 * Weighted k-means with k-means++ seeding from a fixed-seed PRNG (deterministic output). Item colours share it.
 * The hot loop of every colour measurement (segmentItem runs it ~9 times a box): the pixels are packed into typed
 * arrays, and a zero-weight pixel is not assigned at all, since it moves no centre (the loop stops when no
 * weighted pixel changes cluster, exactly when the centres stop changing). The arithmetic, its order and the
 * PRNG's draws are those of the plain loop, so the clusters are bit-for-bit the same. The packed arrays are one
 * module-wide scratch, grown to the largest call and reused (the call is synchronous, so no two calls share it at
 * once): allocating them afresh was the main isolate's largest allocation site (~0.5 MiB a call).
 */
export function kMeans(pixels: Lab[], weights: number[], k: number, iterations = 15): Cluster[] {
  const random = mulberry32(0x5eed);
  const count = pixels.length;
  const first = pixels[Math.floor(random() * count)];
  if (!first) return [];
  const { ls, as, bs, ws, closest, assignment } = kMeansScratch(count);
  for (let i = 0; i < count; i++) {
    const p = pixels[i] as Lab;
    ls[i] = p.l;
    as[i] = p.a;
    bs[i] = p.b;
    ws[i] = weights[i] ?? 0;
  }
  const centres: Lab[] = [{ ...first }];
  for (let i = 0; i < count; i++)
    closest[i] = ((ls[i] as number) - first.l) ** 2 + ((as[i] as number) - first.a) ** 2 + ((bs[i] as number) - first.b) ** 2;
  while (centres.length < Math.min(k, count)) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += (closest[i] as number) * (ws[i] as number);
    if (sum === 0) break; // fewer distinct colours than k
    let target = random() * sum;
    let chosen = count - 1;
    for (let i = 0; i < count; i++) {
      target -= (closest[i] as number) * (ws[i] as number);
      if (target <= 0) {
        chosen = i;
        break;
      }
    }
    const centre = { ...(pixels[chosen] as Lab) };
    centres.push(centre);
    for (let i = 0; i < count; i++) {
      const d = ((ls[i] as number) - centre.l) ** 2 + ((as[i] as number) - centre.a) ** 2 + ((bs[i] as number) - centre.b) ** 2;
      closest[i] = Math.min(closest[i] as number, d);
    }
  }

  // Every weighted pixel is assigned in round 0, and only round 1 on compares with it: zeroed for clarity only.
  assignment.fill(0, 0, count);
  // The centres live in typed arrays between rounds and become Cluster objects once, at the end. The plain
  // loop kept an emptied cluster (weight 0, its centre unchanged) until after the last round and then dropped
  // it, so the cluster count is fixed for every round and the final filter is the same.
  const k0 = centres.length;
  const cl = new Float64Array(k0);
  const ca = new Float64Array(k0);
  const cb = new Float64Array(k0);
  const cw = new Float64Array(k0);
  for (let c = 0; c < k0; c++) {
    const centre = centres[c] as Lab;
    cl[c] = centre.l;
    ca[c] = centre.a;
    cb[c] = centre.b;
  }
  const sums = new Float64Array(k0 * 4);
  for (let round = 0; round < iterations; round++) {
    // Per cluster: weighted sums of l, a, b and the weight, added in pixel order as before.
    sums.fill(0);
    let moved = false;
    for (let i = 0; i < count; i++) {
      const w = ws[i] as number;
      if (w === 0) continue;
      const l = ls[i] as number;
      const a = as[i] as number;
      const b = bs[i] as number;
      // nearest(): the first centre at the smallest squared distance.
      let c = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k0; j++) {
        const d = (l - (cl[j] as number)) ** 2 + (a - (ca[j] as number)) ** 2 + (b - (cb[j] as number)) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          c = j;
        }
      }
      if (assignment[i] !== c) moved = true;
      assignment[i] = c;
      const at = c * 4;
      sums[at] = (sums[at] as number) + l * w;
      sums[at + 1] = (sums[at + 1] as number) + a * w;
      sums[at + 2] = (sums[at + 2] as number) + b * w;
      sums[at + 3] = (sums[at + 3] as number) + w;
    }
    for (let c = 0; c < k0; c++) {
      const w = sums[c * 4 + 3] as number;
      cw[c] = w;
      if (w > 0) {
        cl[c] = (sums[c * 4] as number) / w;
        ca[c] = (sums[c * 4 + 1] as number) / w;
        cb[c] = (sums[c * 4 + 2] as number) / w;
      }
    }
    if (!moved && round > 0) break;
  }
  const clusters: Cluster[] = [];
  for (let c = 0; c < k0; c++) {
    const weight = cw[c] as number;
    if (weight > 0) clusters.push({ centre: { l: cl[c] as number, a: ca[c] as number, b: cb[c] as number }, weight });
  }
  return clusters;
}

interface KMeansScratch {
  capacity: number;
  ls: Float64Array;
  as: Float64Array;
  bs: Float64Array;
  ws: Float64Array;
  closest: Float64Array;
  assignment: Int32Array;
}

let scratch: KMeansScratch | undefined;

/** kMeans's packed pixel arrays, holding at least `count` pixels (only the first `count` are read). */
function kMeansScratch(count: number): KMeansScratch {
  if (!scratch || scratch.capacity < count) {
    scratch = {
      capacity: count,
      ls: new Float64Array(count),
      as: new Float64Array(count),
      bs: new Float64Array(count),
      ws: new Float64Array(count),
      closest: new Float64Array(count),
      assignment: new Int32Array(count),
    };
  }
  return scratch;
}
