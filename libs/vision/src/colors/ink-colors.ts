/**
 * The colour of thin print on an item: blue or black text on a light card, the black print of a page.
 * A cell's mean blends a stroke a few pixels wide into the paper around it (black print on white
 * averages to a light grey, which k-means names white or silver), so the print's colour is read per
 * cell from its own pixels (inkOf: the minority clearly darker than the cell's paper), then pooled over
 * the item's interior cells whose paper is light. Named when enough of the item carries it and it is
 * none of the item's colours; its share is the print's pixels over the item's, so fusion weighs it low.
 *
 * Pure arithmetic over pixels already decoded and a sampled grid; must never name a colour outside the
 * vocabulary, nor repeat one the item already has. Deterministic (seeded k-means).
 */
import type { NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { distanceSquared, hexToLab, labToHex, rgbToLab, type Lab } from './color-space.js';
import { coloursByName, kMeans } from './dominant-colors.js';
import type { CellGrid } from './cell-grid.js';

/** A cell's print: the mean colour of its pixels darker than its paper, and their share of the cell. */
export interface CellInk {
  lab: Lab;
  share: number;
  /** L* of the cell's paper (its 75th-percentile lightness). */
  paper: number;
}

/** Pixels sampled along each side of a cell for the ink estimate: a stroke 1/8 of a cell wide is still hit. */
const INK_SAMPLES = 8;
/** A pixel is ink when it is at least this much darker (L*) than the cell's paper: print, not shading or JPEG noise. */
const INK_CONTRAST = 30;
/** Ink is a minority of its cell: fewer pixels are noise; more, the cell is a dark area of its own (the cell mean sees it). */
const MIN_CELL_INK = 0.03;
const MAX_CELL_INK = 0.45;
/** Print shows on a light surface (a card, a page, a label); on a dark one the darker pixels are texture. */
const MIN_PAPER = 60;
/** Smallest print, in cells and as a share of the item's interior: a few scratches are not print. */
const MIN_CELLS = 4;
const MIN_SHARE = 0.06;
/** An ink colour differs from each of the item's colours by at least this ΔE (accentColors' ACCENT_DISTANCE). */
const INK_DISTANCE = 22;
/** A named ink must hold at least this share of the print found: the rest is antialiasing and mixed cells. */
const MIN_INK_SHARE = 0.3;
/** Most ink colours per item. */
const MAX_INKS = 1;
/** A cell is the item's when its item weight reaches this (accentColors' mask). */
const MASK = 0.3;

/** The ink of the image's pixels in [x0, x1) x [y0, y1), or undefined when the cell shows none. */
export function inkOf(image: DecodedImage, x0: number, y0: number, x1: number, y1: number): CellInk | undefined {
  const strideX = Math.max(1, Math.floor((x1 - x0) / INK_SAMPLES));
  const strideY = Math.max(1, Math.floor((y1 - y0) / INK_SAMPLES));
  const lightness: number[] = [];
  const offsets: number[] = [];
  for (let y = y0; y < y1; y += strideY) {
    for (let x = x0; x < x1; x += strideX) {
      const i = (y * image.width + x) * 3;
      lightness.push(rgbToLab(image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0).l);
      offsets.push(i);
    }
  }
  if (lightness.length < 8) return undefined;
  const paper = [...lightness].sort((p, q) => p - q)[Math.floor(lightness.length * 0.75)] ?? 0;
  if (paper < MIN_PAPER) return undefined;
  const ink: number[] = [];
  for (let k = 0; k < lightness.length; k++) if ((lightness[k] ?? 0) <= paper - INK_CONTRAST) ink.push(k);
  const share = ink.length / lightness.length;
  if (share < MIN_CELL_INK || share > MAX_CELL_INK) return undefined;
  // The colour from the strokes' cores, the darker half of the ink pixels: a thin stroke's edge pixels
  // blend into the paper and would make black print grey.
  const core = ink.sort((p, q) => (lightness[p] ?? 0) - (lightness[q] ?? 0)).slice(0, Math.max(1, Math.ceil(ink.length / 2)));
  let r = 0;
  let g = 0;
  let b = 0;
  for (const k of core) {
    const i = offsets[k] ?? 0;
    r += image.data[i] ?? 0;
    g += image.data[i + 1] ?? 0;
    b += image.data[i + 2] ?? 0;
  }
  const n = core.length;
  return { lab: rgbToLab(Math.round(r / n), Math.round(g / n), Math.round(b / n)), share, paper };
}

/**
 * The item's print colour (at most MAX_INKS), pooled over the interior cells of its mask (weight >=
 * MASK and all four side neighbours too: an outline cell's dark pixels are the item's edge) that carry
 * ink. `colors`: what the item already has (its colours and accents), never repeated.
 */
export function inkColors(grid: CellGrid, itemWeight: readonly number[], colors: readonly NamedColor[]): NamedColor[] {
  const { cells, columns, rows } = grid;
  if (colors.length === 0) return [];
  const inMask = (i: number) => (itemWeight[i] ?? 0) >= MASK;
  const interior: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const gx = i % columns;
    const gy = Math.floor(i / columns);
    if (!inMask(i) || gx === 0 || gy === 0 || gx === columns - 1 || gy === rows - 1) continue;
    if (inMask(i - 1) && inMask(i + 1) && inMask(i - columns) && inMask(i + columns)) interior.push(i);
  }
  const inked = interior.filter((i) => cells[i]?.ink);
  if (inked.length < MIN_CELLS || inked.length < interior.length * MIN_SHARE) return [];
  const clusters = kMeans(
    inked.map((i) => cells[i]!.ink!.lab),
    inked.map((i) => cells[i]!.ink!.share),
    3,
  );
  const inkTotal = inked.reduce((sum, i) => sum + cells[i]!.ink!.share, 0);
  const own = colors.map((c) => hexToLab(c.hex));
  const taken = new Set(colors.map((c) => c.name));
  const inks: NamedColor[] = [];
  for (const { name, centre, share } of coloursByName(clusters).sort((p, q) => q.share - p.share)) {
    if (inks.length >= MAX_INKS || share < MIN_INK_SHARE || taken.has(name)) continue;
    if (own.some((o) => distanceSquared(o, centre) < INK_DISTANCE ** 2)) continue;
    taken.add(name);
    const itemShare = (inkTotal * share) / Math.max(1, interior.length);
    inks.push({ name: name as NamedColor['name'], hex: labToHex(centre), share: Math.max(0.001, Math.round(itemShare * 1000) / 1000) });
  }
  return inks;
}
