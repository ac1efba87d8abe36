/**
 * A photo's accent colours when its palette holds no strong colour: a passport's red, a driving licence's
 * green band, a card's logo, a seal or a line of coloured print on a white, grey or black document. On a
 * document or a card that fills the frame the accent covers a few per cent of the pixels, so k-means over
 * the whole frame blends it into the white and grey around it, yet people name it. Found on the palette's
 * own thumbnail: the pixels that are strongly chromatic for their lightness, named by their hue, kept only
 * where they form patches (a band, a seal, a line of print), not scattered pixels (JPEG fringes along
 * dark print, noise), and only when the patches of one name hold enough of the frame.
 *
 * The thresholds are judgment, chosen on the generated benchmark's document scenes (tools/colour-eval.ts,
 * method=document_accent, tune: accent recall 0.333 -> 0.972, false accents on documents without one
 * 0/12 -> 2/12; held-out once: 0.139 -> 1.000, 0/12 -> 0/12) and checked on ../shared/photos (colour
 * agreement 0.681 -> 0.723: the passport's red and the skateboard's red; four wrong names added too).
 * A looser pass (C* 10, a quarter of L*) also found the business card's greyish green logo, and with it
 * the gold of every wooden desk and face; the health card's thin blue print and the licence's pale
 * green band stay below any floor that leaves skin and wood out. The caller looks on a thumbnail larger
 * than the palette's (dominantColors' ACCENT_SIDE): thin coloured lettering averaged into the paper at 96
 * px keeps its colour there (method=document_thin_print, accent recall: tune 0.167 -> 0.500, held-out once 0.083 -> 0.417).
 *
 * Pure arithmetic over the thumbnail's Lab pixels; must never name a colour outside the vocabulary, nor
 * one the palette already has, nor run on a palette that already has a strong colour. Deterministic.
 */
import type { NamedColor } from '@media-ai/contracts';
import { nameColor } from './color-names.js';
import { chroma, hexToLab, labToHex, type Lab } from './color-space.js';
import { pixelPatch } from './pixel-patches.js';

/**
 * Strongly chromatic: at least this chroma (C*), and this chroma for its lightness (C* / L*). Relative to
 * lightness because inks photographed are dark: a passport's red measures C* 35 at L* 45, more colourful
 * to a person than skin's or a wooden desk's C* 20-25 at L* 60-70, which this leaves out.
 */
const STRONG_CHROMA = 15;
const STRONG_SATURATION = 0.6;
/** Below this lightness a pixel's chroma is the sensor's noise on black, not ink. */
const MIN_LIGHTNESS = 20;
/** A patch smaller than this (pixels of the thumbnail, 8-connected) is a speck, a JPEG fringe or noise. */
const MIN_PATCH = 4;
/** An accent's patches must reach this share of the frame. */
const MIN_SHARE = 0.004;
/** Of all the pixels of the accent's name, at least this share lies in patches: not scattered fringes. */
const COHERENCE = 0.6;
/**
 * Names never given to an accent: the colours of surfaces (wood, skin, leather, cardboard) that a
 * document lies on or shows in its portrait, which the hue naming below would otherwise lift out of a
 * table's edge or a face. A document's inks are not brown or beige often enough to pay for them.
 */
export const SURFACE_NAMES: ReadonlySet<string> = new Set(['brown', 'beige']);
/** Most accents returned. */
const MAX_ACCENTS = 2;
/** The chroma at which hueName (and the print colours' namer) names a weaker hue. */
export const HUE_CHROMA = 50;

/** A strong colour: at least STRONG_CHROMA, and STRONG_SATURATION of its lightness. */
export function isStrongColour(lab: Lab): boolean {
  const c = chroma(lab);
  return c >= STRONG_CHROMA && c >= STRONG_SATURATION * lab.l;
}

export interface FrameAccentOptions {
  /**
   * The thumbnail's side over the 96 px the thresholds were chosen at. Default 1. MIN_PATCH grows in proportion
   * (a speck's length, not its area): a letter's stroke stays one or two pixels wide at any side, so it gains
   * pixels with the side, not with its square (MIN_PATCH x scale² left no thin print on the tune split).
   */
  scale?: number;
}

/**
 * The accents of a frame whose `palette` has no strong colour, largest first, at most MAX_ACCENTS; []
 * when it has one (the frame's colour is already named). `pixels`: the thumbnail's Lab pixels, row by
 * row, `width` wide. share = the accent's patch pixels over the frame's, rounded to 0.001.
 */
export function frameAccents(
  pixels: readonly Lab[],
  width: number,
  palette: readonly NamedColor[],
  options: FrameAccentOptions = {},
): NamedColor[] {
  if (pixels.length === 0 || width <= 0 || palette.some((c) => isStrongColour(hexToLab(c.hex)))) return [];
  const minPatch = MIN_PATCH * (options.scale ?? 1);
  const height = Math.floor(pixels.length / width);
  const names = pixels.map((p) => (p.l >= MIN_LIGHTNESS && isStrongColour(p) ? hueName(p) : null));
  const visited = new Uint8Array(pixels.length);
  const groups = new Map<string, { all: number; inPatches: number; l: number; a: number; b: number }>();
  for (let start = 0; start < pixels.length; start++) {
    const name = names[start];
    if (!name || visited[start]) continue;
    // One 8-connected patch of pixels of the same name.
    const patch = pixelPatch(start, width, height, visited, (j) => names[j] === name);
    const group = groups.get(name) ?? { all: 0, inPatches: 0, l: 0, a: 0, b: 0 };
    group.all += patch.length;
    if (patch.length >= minPatch) {
      group.inPatches += patch.length;
      for (const i of patch) {
        group.l += pixels[i]!.l;
        group.a += pixels[i]!.a;
        group.b += pixels[i]!.b;
      }
    }
    groups.set(name, group);
  }
  const taken = new Set(palette.map((c) => c.name));
  return [...groups]
    .filter(
      ([name, g]) =>
        !taken.has(name) && !SURFACE_NAMES.has(name) && g.inPatches >= MIN_SHARE * pixels.length && g.inPatches >= COHERENCE * g.all,
    )
    .sort(([, p], [, q]) => q.inPatches - p.inPatches)
    .slice(0, MAX_ACCENTS)
    .map(([name, g]) => ({
      name,
      hex: labToHex({ l: g.l / g.inPatches, a: g.a / g.inPatches, b: g.b / g.inPatches }),
      share: Math.round((g.inPatches / pixels.length) * 1000) / 1000,
    }));
}

/**
 * The name of a strongly chromatic pixel's hue: the vocabulary's name for the same hue at a middle
 * lightness and at least HUE_CHROMA. The namer alone would call a dark ink "gray" or "brown" (a
 * licence's dark green band, a passport's dark red), which is the photo's exposure, not the ink.
 */
function hueName(p: Lab): string {
  const scale = Math.max(1, HUE_CHROMA / chroma(p));
  return nameColor({ l: Math.min(70, Math.max(40, p.l)), a: p.a * scale, b: p.b * scale });
}
