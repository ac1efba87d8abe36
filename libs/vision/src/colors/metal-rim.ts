/**
 * A dark item's thin metal rim or bezel, which people name as its second colour: a phone's silver frame round a
 * dark screen, a watch's steel bezel round a black face. The cell grid cannot see it: a rim 2-5 px wide is
 * narrower than a cell and averages into the face or the hand beside it, and a bezel at the box's edge is
 * modelled as the background the box's rim usually shows. Here it is looked for pixel by pixel along rays from
 * the box's centre: on each ray the dark face, then a short run of bright neutral pixels, then something else
 * again (a hand, a strap, the table). A light table round a dark item never ends within the ray, so it is not a
 * rim. The run is metal, not white plastic, when its lightness swings round the item (a highlight on one side, a
 * gradient along the light's direction): across the rays its L* spans at least METAL_SWING, and it is darker than
 * paper (LIGHT_WHITE). Measured on the generated metal-rim scenes (tools/colour-bench/metal-rims.ts, tools/colour-eval.ts
 * --only metal, tune, 24 scenes): rim recall 1/16 -> 12/16, silver on a bare dark slab on a light table 0/8 -> 0/8;
 * every other tune line's top-1 unchanged, open_item agreement 0.867 -> 0.900 (a black face's metal bezel). A page round
 * a dark card "ends" in each letter of its print, so the run must stay ended for BEYOND (without it, 8 of the tune's
 * plain dark items on document photos got silver). Held-out, looked at once: rim recall 0/16 -> 9/16 (a square watch's
 * bezel 8/8, a rounder case's thin rim only 1/8), silver on a bare dark case 0/8 -> 0/8, every other line unchanged.
 *
 * Pure arithmetic over a decoded image already in memory; only ever adds silver, never renames or drops a colour.
 */
import type { Box, NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { chroma, hexToLab, labToHex, rgbToLab, type Lab } from './color-space.js';
import { LIGHT_WHITE } from './exposure-white.js';

/** Rays from the box's centre. */
const RAYS = 72;
/** Samples along a ray's radius (centre to box edge); a ray runs on past the edge to RAY_END radii. */
const SAMPLES = 120;
const RAY_END = 1.3;
/** The face: at most this L* (a screen, a watch face); the item's first colour must be this dark. */
const DARK = 38;
/** A face pixel by a rim: at most this L* (a screen lightens to L* 40-50 under its picture; the rim is RISE brighter). */
const FACE = 50;
/** A rim pixel: at least this L*, at least RISE above the face, at most NEUTRAL chroma. */
const BRIGHT = 50;
const RISE = 25;
const NEUTRAL = 14;
/** The face reaches at least this share of the ray's radius: a rim lies further out. */
const FACE_REACH = 0.6;
/** A rim run is at most this share of the ray's radius wide: wider is a surface, not a rim. */
const MAX_RIM = 0.2;
/** How far past the rim (share of the ray's radius) what it ends in must stay mostly other than bright neutral. */
const BEYOND = 0.12;
/** Share of the rays that must show face, rim and something beyond: a hand or a strap hides part of a rim. */
const MIN_RAYS = 0.3;
/** Spread of the rim's L* across the rays (10th to 90th percentile) that tells metal from a matte rim. */
const METAL_SWING = 12;

/**
 * Silver for the dark item in `box` (normalised) when a thin bright neutral rim with a metal's lightness swing
 * runs round its face; empty when the item is not dark, has no such rim, or already names silver.
 */
export function metalRimColors(image: DecodedImage, box: Box, known: readonly NamedColor[]): NamedColor[] {
  const first = known[0];
  if (!first || known.some((c) => c.name === 'silver') || hexToLab(first.hex).l > DARK) return [];
  const evidence = rimEvidence(image, box);
  // A rim as light as paper (LIGHT_WHITE) is a white part (a white phone's front, a page round a dark card), not metal.
  if (!evidence || evidence.rays < RAYS * MIN_RAYS || evidence.swing < METAL_SWING || evidence.mean.l >= LIGHT_WHITE) return [];
  return [{ name: 'silver', hex: labToHex(evidence.mean), share: Math.round((evidence.rays / RAYS) * 0.1 * 1000) / 1000 }];
}

/**
 * What the rays from the box's centre show of a rim: how many show one (rimOnRay), the spread of its L* across them
 * (10th to 90th percentile) and its mean colour; undefined for a box too small to cast rays in.
 */
export function rimEvidence(image: DecodedImage, box: Box): { rays: number; swing: number; mean: Lab } | undefined {
  const { width, height, data } = image;
  const hw = (box.width * width) / 2;
  const hh = (box.height * height) / 2;
  if (hw < 4 || hh < 4) return undefined;
  const cx = box.x * width + hw;
  const cy = box.y * height + hh;
  const at = (x: number, y: number): Lab | undefined => {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= width || py >= height) return undefined;
    const i = (py * width + px) * 3;
    return rgbToLab(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0);
  };
  const rims: Lab[] = [];
  let rimmed = 0;
  for (let r = 0; r < RAYS; r++) {
    const angle = (r / RAYS) * Math.PI * 2;
    const ray: Array<Lab | undefined> = [];
    for (let k = 0; k <= SAMPLES * RAY_END; k++) {
      const s = k / SAMPLES;
      ray.push(at(cx + s * hw * Math.cos(angle), cy + s * hh * Math.sin(angle)));
    }
    const run = rimOnRay(ray);
    if (!run) continue;
    rimmed++;
    rims.push(...run);
  }
  const ls = rims.map((c) => c.l).sort((p, q) => p - q);
  const q = (p: number) => ls[Math.floor(p * (ls.length - 1))] ?? 0;
  const n = Math.max(1, rims.length);
  const mean = rims.reduce((m, c) => ({ l: m.l + c.l / n, a: m.a + c.a / n, b: m.b + c.b / n }), { l: 0, a: 0, b: 0 });
  return { rays: rimmed, swing: q(0.9) - q(0.1), mean };
}

/**
 * The rim's pixels on one ray (samples from the centre outward, undefined outside the photo): a dark face out to
 * FACE_REACH, then, where the face ends, a run of bright neutral pixels no wider than MAX_RIM that ends in
 * something else before the ray does. Undefined when the ray shows no such rim.
 */
export function rimOnRay(ray: ReadonlyArray<Lab | undefined>): Lab[] | undefined {
  // The face just inside where a rim can lie; the item's first colour already says the item is dark, and a screen
  // may lighten towards its middle (a lock screen's picture, its clock), so only this stretch must be face.
  const inner = ray
    .slice(Math.round(SAMPLES * (FACE_REACH - 0.15)), Math.round(SAMPLES * FACE_REACH) + 1)
    .filter((c): c is Lab => c !== undefined);
  const darkOnes = inner.filter((c) => c.l <= FACE);
  if (inner.length === 0 || darkOnes.length < inner.length * 0.6) return undefined;
  const face = darkOnes.map((c) => c.l).sort((p, q) => p - q)[Math.floor(darkOnes.length / 2)] ?? 0;
  const bright = (c: Lab | undefined) => c !== undefined && c.l >= BRIGHT && c.l >= face + RISE && chroma(c) <= NEUTRAL;
  const dark = (c: Lab | undefined) => c !== undefined && c.l <= Math.max(DARK, face + 12);
  // The face's edge: the last dark sample before the first stretch of three that are not dark, from FACE_REACH out
  // (a rim lies in the box's outer part; a bright stretch nearer the centre is the face's own print, a clock).
  let edge = Math.round(SAMPLES * FACE_REACH);
  if (!dark(ray[edge])) return undefined;
  while (edge < ray.length - 3 && (dark(ray[edge]) || dark(ray[edge + 1]) || dark(ray[edge + 2]))) edge++;
  // One anti-aliased sample between face and rim.
  let start = bright(ray[edge]) ? edge : bright(ray[edge + 1]) ? edge + 1 : -1;
  if (start < 0) return undefined;
  let end = start;
  while (end < ray.length && bright(ray[end])) end++;
  // The run must end inside the ray, in something that is not the rim (a hand, a strap, a table of another colour)
  // and stays so for a while: a light page round a dark item "ends" in each letter of its print, and resumes.
  if (end >= ray.length || ray[end] === undefined || end - start > SAMPLES * MAX_RIM) return undefined;
  const beyond = ray.slice(end, end + Math.round(SAMPLES * BEYOND)).filter((c): c is Lab => c !== undefined);
  if (beyond.length < (SAMPLES * BEYOND) / 2 || beyond.filter(bright).length > beyond.length * 0.3) return undefined;
  const run: Lab[] = [];
  for (; start < end; start++) run.push(ray[start] as Lab);
  return run;
}
