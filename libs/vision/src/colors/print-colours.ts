/**
 * The colour of a page's or a card's print: a book page's black text, a card's thin blue print, a business card's
 * greyish-green lettering. People name it ("white, black" for a book page), yet the palette never does: k-means averages
 * thin strokes into the paper (black text turns the page silver or grey), and the frame accents (frame-accents.ts)
 * look only for strongly chromatic patches, never black, never a muted ink. Here print is found as print: on a light,
 * neutral paper, the thin strokes (letters, lines) that are clearly darker than the paper right beside them, and
 * named by their colour RELATIVE TO THE PAPER (the camera's white balance tints both alike): black for dark neutral
 * ink, a hue where the strokes are clearly chromatic against the paper, which lets a weaker ink than the frame
 * accents' surface floor count (it is print, not a wooden desk or a face).
 *
 * Stroke-shaped, not blob-shaped, is the cue that keeps a portrait, a photo or a desk's edge out: a stroke has paper on
 * both sides of it, whichever way it runs or bends (a letter, a line, a logo's ring); a face, hair, a picture or the desk
 * beside a card is a blob whose rim alone is beside paper, on one side only.
 *
 * Thresholds are judgment, chosen on the generated benchmark's print scenes (tools/colour-bench/print-scenes.ts,
 * tools/colour-eval.ts method=document_print, tune: print recall 0.409 -> 0.909, false print colours on blank paper
 * 0.250 -> 0.375, precision 0.490 -> 0.538; held-out once: 0.341 -> 0.955, 0.125 -> 0.125, 0.493 -> 0.563; the photo palette
 * line's precision on the plain item scenes 0.251 -> 0.241 tune, 0.235 -> 0.225 held-out) and checked on ../shared/photos
 * (colour agreement 0.745 -> 0.851: both book pages' black, the business card's and the licence's green, the health card's
 * blue; the passport's green added wrongly). Pure arithmetic over the thumbnail's Lab pixels; never names
 * a colour outside the vocabulary nor one the palette already has. Deterministic.
 */
import type { NamedColor } from '@media-ai/contracts';
import { nameColor } from './color-names.js';
import { chroma, hexToLab, labToHex, type Lab } from './color-space.js';
import { HUE_CHROMA, SURFACE_NAMES } from './frame-accents.js';
import { pixelPatch } from './pixel-patches.js';

/** Paper: a palette colour at least this light, at most this chromatic, holding at least PAPER_SHARE of the palette. */
const PAPER_LIGHTNESS = 55;
const PAPER_CHROMA = 12;
const PAPER_SHARE = 0.35;
/** A stroke pixel is at least this much darker (L*) than the lightest pixel near it, which must be the paper's colour. */
const CONTRAST = 18;
/** "The paper's colour": within this ΔE (a, b) and this lightness below the palette's paper (shade across a page). */
const PAPER_TINT = 10;
const PAPER_SHADE = 25;
/**
 * How near (pixels at 96 px, times the scale) the paper must be to a stroke pixel, on each side of it: a stroke is at most
 * about twice this wide.
 */
const NEAR = 1;
/**
 * Of a stroke's pixels, at least this share have paper within NEAR on two opposite sides (left and right, above and
 * below, or along a diagonal): a letter's or a ring's stroke has paper on both sides at any bend; a blob's rim (a face, a
 * picture, a desk beside the card) has paper on one side only.
 */
const TWO_SIDED = 0.5;
/** Ink relative to the paper is chromatic from this chroma (C*), and from this share of its contrast with the paper. */
const PRINT_CHROMA = 6;
const PRINT_SATURATION = 0.15;
/** Neutral ink at most this light is black (people call dark grey print black). */
const BLACK_LIGHTNESS = 60;
/**
 * A chromatic print colour is published from this many strokes covering this share of the frame (lines of text), or
 * from LOGO_SHARE of the frame in any number of strokes (a logo's rings, a heading whose letters touch: one stroke).
 */
const MIN_STROKES = 8;
const MIN_SHARE = 0.002;
const LOGO_SHARE = 0.01;
/**
 * Black print is published only where no chromatic print is (a book page), from this share of the frame: beside a card's
 * blue or green print, its black lines of text are not what people name (the labelled cards: "white, green", never black).
 * A strong colour elsewhere in the palette or its accents does not hold black back: on the tune split's pages that cost a
 * third of the pages' black (a coloured mark in the table's margin), more than the cards' black it saved.
 */
const BLACK_SHARE = 0.02;
/**
 * Hues never named as print: a wooden desk's, a face's, a leather or metal finish's, which a thin dark edge of them beside
 * the paper would otherwise read as (frame-accents' SURFACE_NAMES, and gold: a brass or a desk's grain, not an ink).
 */
const PRINT_SURFACE_NAMES: ReadonlySet<string> = new Set([...SURFACE_NAMES, 'gold']);
/** Most print colours returned. */
const MAX_PRINTS = 2;

export interface PrintColourOptions {
  /** The thumbnail's side over 96 px: NEAR grows with it. Default 1. */
  scale?: number;
}

/** The palette's paper: its largest light, near-neutral colour, when that holds PAPER_SHARE of the palette. */
export function paperOf(palette: readonly NamedColor[]): Lab | undefined {
  const total = palette.reduce((sum, c) => sum + c.share, 0);
  const paper = palette
    .map((c) => ({ lab: hexToLab(c.hex), share: c.share }))
    .filter(({ lab }) => lab.l >= PAPER_LIGHTNESS && chroma(lab) <= PAPER_CHROMA)
    .sort((p, q) => q.share - p.share)[0];
  return paper && total > 0 && paper.share >= PAPER_SHARE * total ? paper.lab : undefined;
}

/**
 * The print colours of a frame whose palette has a light paper, most print first, at most MAX_PRINTS; [] without
 * paper or print. `pixels`: the thumbnail's Lab pixels, row by row, `width` wide. share = the print's stroke pixels over
 * the frame's, rounded to 0.001.
 */
export function printColours(
  pixels: readonly Lab[],
  width: number,
  palette: readonly NamedColor[],
  options: PrintColourOptions = {},
): NamedColor[] {
  const paper = paperOf(palette);
  if (!paper || pixels.length === 0 || width <= 0) return [];
  const scale = options.scale ?? 1;
  const height = Math.floor(pixels.length / width);
  const count = width * height;
  const near = Math.max(1, Math.round(NEAR * scale));
  // Paper-coloured pixels; then, per pixel, the lightest paper-coloured lightness within `near` (a separable max).
  const paperL = new Float32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    const p = pixels[i]!;
    if (p.l >= paper.l - PAPER_SHADE && Math.hypot(p.a - paper.a, p.b - paper.b) <= PAPER_TINT) paperL[i] = p.l;
  }
  const nearby = maxFilter(maxFilter(paperL, width, height, near, 1), width, height, near, width);
  const stroke = new Uint8Array(count);
  for (let i = 0; i < count; i++) if (nearby[i]! >= 0 && pixels[i]!.l <= nearby[i]! - CONTRAST) stroke[i] = 1;

  const isPaper = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && paperL[y * width + x]! >= 0;
  /** Paper within `near` of (x, y) in the direction (dx, dy) and in the opposite one. */
  const paperBothWays = (x: number, y: number, dx: number, dy: number): boolean => {
    let ahead = false;
    let behind = false;
    for (let d = 1; d <= near && !(ahead && behind); d++) {
      ahead ||= isPaper(x + d * dx, y + d * dy);
      behind ||= isPaper(x - d * dx, y - d * dy);
    }
    return ahead && behind;
  };
  const visited = new Uint8Array(count);
  const byName = new Map<string, { strokes: number; pixels: number; l: number; a: number; b: number }>();
  for (let start = 0; start < count; start++) {
    if (!stroke[start] || visited[start]) continue;
    const component = pixelPatch(start, width, height, visited, (j) => stroke[j] === 1);
    let twoSided = 0;
    for (const i of component) {
      const x = i % width;
      const y = (i - x) / width;
      if (paperBothWays(x, y, 1, 0) || paperBothWays(x, y, 0, 1) || paperBothWays(x, y, 1, 1) || paperBothWays(x, y, 1, -1)) twoSided++;
    }
    if (twoSided < TWO_SIDED * component.length) continue;
    const ink = inkOf(component, pixels);
    const name = printName(ink, paper);
    if (!name) continue;
    const group = byName.get(name) ?? { strokes: 0, pixels: 0, l: 0, a: 0, b: 0 };
    group.strokes++;
    group.pixels += component.length;
    group.l += ink.l * component.length;
    group.a += ink.a * component.length;
    group.b += ink.b * component.length;
    byName.set(name, group);
  }
  const taken = new Set(palette.map((c) => c.name));
  const chromatic = [...byName].filter(
    ([name, g]) => name !== 'black' && ((g.strokes >= MIN_STROKES && g.pixels >= MIN_SHARE * count) || g.pixels >= LOGO_SHARE * count),
  );
  const black = byName.get('black');
  // Black only where no coloured print is (a strong colour elsewhere in the palette does not count: see BLACK_SHARE).
  const plain = chromatic.length === 0;
  const found =
    plain && black && black.strokes >= MIN_STROKES && black.pixels >= BLACK_SHARE * count ? [['black', black] as const] : chromatic;
  return found
    .filter(([name]) => !taken.has(name))
    .sort(([, p], [, q]) => q.pixels - p.pixels)
    .slice(0, MAX_PRINTS)
    .map(([name, g]) => ({
      name,
      hex: labToHex({ l: g.l / g.pixels, a: g.a / g.pixels, b: g.b / g.pixels }),
      share: Math.round((g.pixels / count) * 1000) / 1000,
    }));
}

/** The ink of a stroke: the mean of its darker half (its edges are blended with the paper). */
function inkOf(component: readonly number[], pixels: readonly Lab[]): Lab {
  let darkest = Number.POSITIVE_INFINITY;
  let lightest = Number.NEGATIVE_INFINITY;
  for (const i of component) {
    darkest = Math.min(darkest, pixels[i]!.l);
    lightest = Math.max(lightest, pixels[i]!.l);
  }
  const cut = (darkest + lightest) / 2;
  let n = 0;
  const sum = { l: 0, a: 0, b: 0 };
  for (const i of component) {
    const p = pixels[i]!;
    if (p.l > cut) continue;
    n++;
    sum.l += p.l;
    sum.a += p.a;
    sum.b += p.b;
  }
  return { l: sum.l / n, a: sum.a / n, b: sum.b / n };
}

/**
 * An ink's name against its paper: a hue where it is chromatic relative to the paper (the paper's tint taken off, named
 * at HUE_CHROMA and a lightness of at most 50, as a dark or thin ink reads duller and lighter than it is: thin red print
 * blended with white paper is still red, and its pink pixels are red ink), black where it is neutral and dark; none for light grey print.
 */
function printName(ink: Lab, paper: Lab): string | undefined {
  const a = ink.a - paper.a;
  const b = ink.b - paper.b;
  const relative = Math.hypot(a, b);
  if (relative >= PRINT_CHROMA && relative >= PRINT_SATURATION * (paper.l - ink.l)) {
    const lift = Math.max(1, HUE_CHROMA / relative);
    const name = nameColor({ l: Math.min(50, Math.max(35, ink.l)), a: a * lift, b: b * lift });
    // A thin red stroke's pixels are red mixed with the white paper, which is pink: on paper, pink print is red ink.
    return PRINT_SURFACE_NAMES.has(name) ? undefined : name === 'pink' ? 'red' : name;
  }
  return ink.l <= BLACK_LIGHTNESS ? 'black' : undefined;
}

/** Per pixel, the largest value within `radius` steps of `step` (1: along a row, width: along a column); -1 at none. */
function maxFilter(values: Float32Array, width: number, height: number, radius: number, step: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = i % width;
    const y = (i - x) / width;
    const at = step === 1 ? x : y;
    const size = step === 1 ? width : height;
    let best = -1;
    for (let d = -radius; d <= radius; d++) if (at + d >= 0 && at + d < size) best = Math.max(best, values[i + d * step]!);
    out[i] = best;
  }
  return out;
}
