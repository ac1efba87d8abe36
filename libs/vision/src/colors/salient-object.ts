/**
 * The photo's salient object: where the item most likely is when no detector box names it (the
 * classifier says "pen" or "passport" for the whole photo, and no model has a box for it). The whole
 * frame is split into item and background with the same GrabCut-style loop itemColors runs in a box,
 * its background model learnt from the photo's border ring (a photo of a lost item is framed around
 * it) less the stretches of that ring the item itself reaches (itemAtBorder); the cells it keeps that also differ from every colour of the border by the loop's separation
 * scale are foreground, grouped into 4-connected components and the one with the most item
 * weight near the middle is the object. Its bounding box is the region, and its cells' colours,
 * named in the platform's vocabulary, are the object's colours, followed by its accent colours (accentColors).
 *
 * Pure arithmetic over a decoded image already in memory; must never decode or do I/O, never name a
 * colour outside the vocabulary, and never return a region it did not separate from the background
 * (null instead). Deterministic (seeded k-means).
 */
import type { Box, NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { kMeans } from './dominant-colors.js';
import { accentColors } from './accent-colors.js';
import { distanceSquared } from './color-space.js';
import { connectedCells, minDistance, type CellGrid } from './cell-grid.js';
import { namedInFrameLight, sampleGrid, segmentItem, SEPARATION } from './item-colors.js';

export interface SalientObject {
  /** Normalized (0..1) bounding box of the object's cells. */
  box: Box;
  /** Its colours, largest share of the object first. */
  colors: NamedColor[];
  /** Which cells of the sampled grid are the object's: the fingerprint greys out the rest of its crop. */
  mask: ItemMask;
}

/** A cell mask over the photo: cell (gx, gy) covers pixels from (x0 + gx·step, y0 + gy·step), one step square. */
export interface ItemMask {
  columns: number;
  rows: number;
  step: number;
  x0: number;
  y0: number;
  /** 1 where the cell is the object's, row by row. */
  cells: Uint8Array;
}

export interface SalientObjectOptions {
  /** Most colours returned. Default 3. */
  max?: number;
  /** Grid cells along the photo's longer side. Default 40: the object may be a tenth of the frame. */
  gridSide?: number;
  /** Append the object's accent colours (accentColors) after its colours. Default true. */
  accents?: boolean;
}

/** A cell is the object's when the loop gives it at least this item probability (and it differs from the border). */
const FOREGROUND = 0.3;
/** A component smaller than this share of the frame is a speck (a logo, a crumb), not the item. */
const MIN_FRAME_SHARE = 0.01;
/** Colours with a smaller share of the object are dropped as noise. */
const MIN_COLOR_SHARE = 0.1;

/** The most salient foreground object of the photo, or null when nothing separates from its border. */
export function salientObject(image: DecodedImage, options: SalientObjectOptions = {}): SalientObject | null {
  const sampled = sampleGrid(image, { x: 0, y: 0, width: 1, height: 1 }, options.gridSide ?? 40);
  if (sampled.cells.length === 0) return null;
  // The border ring is the background model, except where the item itself reaches the border (a
  // wallet filling most of the frame): those ring cells would teach the loop that the item is background.
  const atBorder = itemAtBorder(sampled);
  const grid: CellGrid = { ...sampled, cells: sampled.cells.map((c, i) => (atBorder.has(i) ? { ...c, rim: false } : c)) };
  const segmented = segmentItem(grid);
  // On the whole frame the loop's centre prior alone can keep a patch of background (the paper around a
  // pen, a flat wall): a cell is the object's only where it also differs from the photo's border.
  const border = kMeans(
    grid.cells.map((c) => c.lab),
    grid.cells.map((c) => (c.rim ? 1 : 0)),
    5,
  );
  const probability = segmented.map((p, i) => (Math.sqrt(minDistance(grid.cells[i]!.lab, border)) >= SEPARATION ? p : 0));
  const component = mostSalientComponent(grid, probability);
  if (!component || component.length < grid.cells.length * MIN_FRAME_SHARE) return null;
  const weights = grid.cells.map(() => 0);
  for (const i of component) weights[i] = probability[i] ?? 0;
  const clusters = kMeans(
    grid.cells.map((c) => c.lab),
    weights,
    6,
  );
  const main = namedInFrameLight(clusters, image, options.max ?? 3, MIN_COLOR_SHARE);
  if (main.length === 0) return null;
  // The accents' background: the border ring the loop learnt it from (less the item's own stretches).
  const ring = grid.cells.map((c) => (c.rim ? 1 : 0));
  const colors = options.accents === false ? main : [...main, ...accentColors(grid, weights, main, ring)];
  const cells = new Uint8Array(grid.cells.length);
  for (const i of component) cells[i] = 1;
  const { columns, rows, step, x0, y0 } = grid;
  return { box: boxOf(grid, component, image), colors, mask: { columns, rows, step, x0, y0, cells } };
}

/** Neighbouring cells closer than this (ΔE) belong to one coherent region: shading on a surface, not an edge. */
const COHERENT = SEPARATION / 2;
/** The middle of the frame, as a share of each side either way from the centre. */
const MIDDLE = 0.1;

/**
 * The ring cells that belong to the item, not the background: those of a coherent region (cells
 * joined through neighbours of near colour) that starts on the ring, covers most of the frame's middle
 * and holds less than half of the ring. A photo is taken of the item, so a surface running from the
 * border into the middle is the item reaching the border; the background around an item holds most of
 * the ring, so it never qualifies (and a flat photo keeps its whole ring). Empty when no region does.
 */
function itemAtBorder(grid: CellGrid): Set<number> {
  const { cells, columns, rows } = grid;
  const rimCount = cells.filter((c) => c.rim).length;
  const middle = (i: number) =>
    Math.abs(((i % columns) + 0.5) / columns - 0.5) < MIDDLE && Math.abs((Math.floor(i / columns) + 0.5) / rows - 0.5) < MIDDLE;
  const middleCount = cells.reduce((n, _c, i) => n + (middle(i) ? 1 : 0), 0);
  const visited = new Uint8Array(cells.length);
  const excluded = new Set<number>();
  for (let start = 0; start < cells.length; start++) {
    if (!cells[start]!.rim || visited[start]) continue;
    const members = connectedCells(grid, start, visited, (i, j) => distanceSquared(cells[i]!.lab, cells[j]!.lab) < COHERENT * COHERENT);
    const onRim = members.filter((i) => cells[i]!.rim);
    const inMiddle = members.filter(middle).length;
    if (middleCount > 0 && inMiddle * 2 > middleCount && onRim.length * 2 < rimCount) for (const i of onRim) excluded.add(i);
  }
  // The ring must keep enough of itself to model a background at all.
  return rimCount - excluded.size >= rimCount * 0.2 ? excluded : new Set();
}

/**
 * 4-connected components of the foreground cells; the one with the largest item weight, each cell's
 * weight discounted by its distance from the frame's middle, since a photo of a lost item centres it
 * and a bright thing at the edge (a window, a lamp) is rarely the item.
 */
function mostSalientComponent(grid: CellGrid, probability: readonly number[]): number[] | null {
  const { cells, columns, rows } = grid;
  const seen = new Uint8Array(cells.length);
  let best: number[] | null = null;
  let bestScore = 0;
  for (let start = 0; start < cells.length; start++) {
    if (seen[start] || (probability[start] ?? 0) < FOREGROUND) continue;
    const members = connectedCells(grid, start, seen, (_i, j) => (probability[j] ?? 0) >= FOREGROUND);
    let score = 0;
    for (const i of members) {
      const u = ((i % columns) + 0.5) / columns - 0.5;
      const v = (Math.floor(i / columns) + 0.5) / rows - 0.5;
      score += (probability[i] ?? 0) * (1 - Math.min(1, Math.hypot(u, v) * 1.2));
    }
    if (score > bestScore) {
      bestScore = score;
      best = members;
    }
  }
  return best;
}

function boxOf(grid: CellGrid, members: readonly number[], image: DecodedImage): Box {
  let gx0 = Infinity;
  let gy0 = Infinity;
  let gx1 = -Infinity;
  let gy1 = -Infinity;
  for (const i of members) {
    const gx = i % grid.columns;
    const gy = Math.floor(i / grid.columns);
    gx0 = Math.min(gx0, gx);
    gy0 = Math.min(gy0, gy);
    gx1 = Math.max(gx1, gx + 1);
    gy1 = Math.max(gy1, gy + 1);
  }
  const x = Math.min(1, (grid.x0 + gx0 * grid.step) / image.width);
  const y = Math.min(1, (grid.y0 + gy0 * grid.step) / image.height);
  const right = Math.min(1, (grid.x0 + gx1 * grid.step) / image.width);
  const bottom = Math.min(1, (grid.y0 + gy1 * grid.step) / image.height);
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}
