/**
 * The colours of one item in a photo, measured inside its box and not over the whole frame: a black
 * phone on a wooden table is "black", not "brown". The box is split into item and background with a
 * GrabCut-style loop done by hand on a coarse grid of cell means: a background colour model (k-means
 * in CIELAB) from the photo just outside the box and the box's own border ring, a first foreground
 * guess by colour distance to it times a centre prior, then a few rounds of "fit an item model, compare
 * each cell's distance to both models, smooth with the neighbours"; where most of the box shows the surroundings'
 * main colours (a thin or open item: a rod, a ring, a frame), the item model leaves those colours out and a few
 * clearly separated cells are enough to be the item (itemModel). The cells that end up as item are
 * clustered, named in the platform's vocabulary (nameColor) and merged by name; the item's accent
 * colours (accentColors: a logo, a band) follow them. White and yellow on a surface with a metal's lightness
 * spread are named silver and gold (withMetalFinish); a dim white beside a clearly brighter white in the
 * photo is silver (withExposureWhite). Last, a thin part's vivid colour that the cell means average into the
 * background behind it (a bicycle's red frame over a wall), found pixel by pixel against the ring outside the
 * box (surroundContrastColors), and a dark item's thin metal rim or bezel, silver (metalRimColors).
 *
 * Why by hand: no npm package ships GrabCut or a salient-object/segmentation model under a licence a
 * product can use without a model-hub download (opencv.js builds are 8-10 MB of wasm for one function);
 * on a 32-cell grid the loop costs a few ms.
 *
 * Pure arithmetic over a decoded image already in memory; must never decode, resize with sharp or do
 * I/O, and never name a colour outside the vocabulary. Deterministic (seeded k-means).
 */
import type { Box, NamedColor } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import type { ItemOutline } from '../detection/coco-labels.js';
import { chroma, labToHex, rgbToLab } from './color-space.js';
import { accentColors } from './accent-colors.js';
import { surroundContrastColors } from './surround-contrast.js';
import { CONTEXT, minDistance, type Cell, type CellGrid } from './cell-grid.js';
import { coloursByName, kMeans, type Cluster } from './dominant-colors.js';
import { withMetalFinish } from './metal-finish.js';
import { frameWhitePoint, withExposureWhite } from './exposure-white.js';
import { metalRimColors } from './metal-rim.js';
import { frameExposure, liftedClusters, liftedWhitePoint } from './scene-light.js';

export interface ItemColorOptions {
  /** Most colours returned. Default 3. */
  max?: number;
  /** Grid cells along the box's longer side. Default 32. */
  gridSide?: number;
  /** Colours with a smaller share of the item are dropped as noise. Default 0.1. */
  minShare?: number;
  /** Append the item's accent colours (accentColors) and a thin part's vivid colour (surroundContrastColors) after its colours. Default true. */
  accents?: boolean;
  /**
   * What the item's label says of its outline (cocoOutline): a 'solid' item (a phone, a book) fills its outline, so a
   * box mostly the surroundings' colours is the item in those colours (a black phone over a black wall), and the
   * open-item rule (itemModel) is not applied. Absent or 'open': the item may be open and the rule applies.
   */
  outline?: ItemOutline;
}

/** The box's own border ring, as a share of its side. */
const RIM = 0.1;
/** k-means rounds inside the segmentation loop: its models only need to be roughly right, and each loop refits them. */
const ROUNDS = 6;
/** Colour-distance scale (ΔE) at which a cell stops looking like the background. */
export const SEPARATION = 12;
/**
 * A colour of the surroundings covering at least this share of them is one of their main colours. Without
 * this floor a black power bank beside a black phone made the phone's black the surroundings' (a labelled photo).
 */
const SURROUNDINGS_MAIN_SHARE = 0.15;
/** A box this share of whose cells are the surroundings' colours holds an open or thin item (showsSurroundings). */
const OPEN_BOX_SHARE = 0.5;
/** A box cell nearer than this (ΔE) to a colour of its surroundings shows them (showsSurroundings). */
const OPEN_NEAR = 6;
/** In an open item's box, the least item weight (share of the box's cells) that is an item and not noise. */
const THIN_ITEM_SHARE = 0.015;
/** An item-model cluster nearer than this (ΔE) to a colour of the surroundings is the surroundings'. */
const ITEM_MODEL_MARGIN = 4;

/**
 * Names an item's colours, largest share of the item first. `box` is normalized (0..1) as the detector
 * publishes it. Empty when the box covers no pixel.
 */
export function itemColors(image: DecodedImage, box: Box, options: ItemColorOptions = {}): NamedColor[] {
  const grid = sampleGrid(image, box, options.gridSide ?? 32);
  const inside = grid.cells.filter((c) => c.inside);
  if (inside.length === 0) return [];
  const { probability, open } = segmentation(grid, options.outline);
  const weights = grid.cells.map((c, i) => (c.inside ? (probability[i] ?? 0) : 0));
  const itemWeight = weights.reduce((sum, w) => sum + w, 0);
  // Nothing separable from its surroundings: the item is all the box shows (a phone filling the frame).
  // In a box that mostly shows its surroundings, a few clearly separated cells are the item: a thin rod or
  // a ring covers a few per cent of its box, and the whole box would name the wall behind it.
  const fallback = itemWeight < inside.length * (open ? THIN_ITEM_SHARE : 0.08);
  const used = fallback ? grid.cells.map((c) => (c.inside ? c.prior : 0)) : weights;
  const clusters = kMeans(
    grid.cells.map((c) => c.lab),
    used,
    6,
  );
  const colors = withMetalFinish(namedInFrameLight(clusters, image, options.max ?? 3, options.minShare ?? 0.1), grid.cells, used);
  if (options.accents === false) return colors;
  // The photo outside the box is the item's surroundings; when the box fills the photo, its rim.
  const outside = grid.cells.filter((c) => !c.inside).length;
  const surroundings = grid.cells.map((c) => ((outside >= 8 ? !c.inside : c.rim) ? 1 : 0));
  const accents = accentColors(grid, used, colors, surroundings);
  // A thin or open item's colour the cell means average away (a bicycle's frame over a wall), found by
  // comparing the box's pixels with the ring's (surroundContrastColors).
  const found = [...colors, ...accents, ...surroundContrastColors(image, box, [...colors, ...accents])];
  // A dark item's thin metal rim or bezel (a phone's frame, a watch's bezel at the box's edge), found pixel by pixel.
  return [...found, ...metalRimColors(image, box, found)];
}

/** Cell means over the box and its context ring, on a grid whose longer box side has `side` cells. */
export function sampleGrid(image: DecodedImage, box: Box, side: number): CellGrid {
  const bx0 = clampTo(box.x * image.width, image.width);
  const by0 = clampTo(box.y * image.height, image.height);
  const bx1 = clampTo((box.x + box.width) * image.width, image.width);
  const by1 = clampTo((box.y + box.height) * image.height, image.height);
  const boxW = bx1 - bx0;
  const boxH = by1 - by0;
  if (boxW < 1 || boxH < 1) return { cells: [], columns: 0, rows: 0, step: 1, x0: 0, y0: 0 };
  const step = Math.max(1, Math.max(boxW, boxH) / side);
  const x0 = clampTo(bx0 - boxW * CONTEXT, image.width);
  const y0 = clampTo(by0 - boxH * CONTEXT, image.height);
  const x1 = clampTo(bx1 + boxW * CONTEXT, image.width);
  const y1 = clampTo(by1 + boxH * CONTEXT, image.height);
  const columns = Math.max(1, Math.floor((x1 - x0) / step));
  const rows = Math.max(1, Math.floor((y1 - y0) / step));
  const cells: Cell[] = [];
  // At most 4 x 4 pixels per cell are averaged: enough to quiet JPEG noise, cheap on a 12 MP photo.
  const stride = Math.max(1, Math.floor(step / 4));
  for (let gy = 0; gy < rows; gy++) {
    for (let gx = 0; gx < columns; gx++) {
      const cx0 = Math.floor(x0 + gx * step);
      const cy0 = Math.floor(y0 + gy * step);
      const cx1 = Math.min(image.width, Math.max(cx0 + 1, Math.floor(x0 + (gx + 1) * step)));
      const cy1 = Math.min(image.height, Math.max(cy0 + 1, Math.floor(y0 + (gy + 1) * step)));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = cy0; y < cy1; y += stride) {
        for (let x = cx0; x < cx1; x += stride) {
          const i = (y * image.width + x) * 3;
          r += image.data[i] ?? 0;
          g += image.data[i + 1] ?? 0;
          b += image.data[i + 2] ?? 0;
          n++;
        }
      }
      const mx = (cx0 + cx1) / 2;
      const my = (cy0 + cy1) / 2;
      const inside = mx >= bx0 && mx < bx1 && my >= by0 && my < by1;
      const u = (mx - bx0) / boxW - 0.5;
      const v = (my - by0) / boxH - 0.5;
      cells.push({
        lab: rgbToLab(Math.round(r / n), Math.round(g / n), Math.round(b / n)),
        inside,
        rim: inside && (Math.abs(u) > 0.5 - RIM || Math.abs(v) > 0.5 - RIM),
        // A flat-topped prior: the middle 60 % of the box counts fully, the corners about a third.
        prior: inside ? Math.exp(-Math.max(0, u * u + v * v - 0.09) / (2 * 0.2 * 0.2)) : 0,
        gx,
        gy,
      });
    }
  }
  return { cells, columns, rows, step, x0, y0 };
}

/** Whether the photo around the box is enough of a ring to model the background from (not a box filling the photo). */
function hasContextRing(grid: CellGrid): boolean {
  const outsideCount = grid.cells.filter((c) => !c.inside).length;
  const rimCount = grid.cells.filter((c) => c.rim).length;
  return outsideCount >= Math.max(8, rimCount * 0.5);
}

/**
 * Whether most of the box's cells are the colours around it: a thin or open item (a rod, a frame, a ring)
 * whose box is mostly the wall behind it, not a solid item that fills its box.
 */
export function showsSurroundings(grid: CellGrid, surroundings: readonly Cluster[]): boolean {
  const inside = grid.cells.filter((c) => c.inside);
  const near = inside.filter((c) => minDistance(c.lab, surroundings) < OPEN_NEAR * OPEN_NEAR).length;
  return inside.length > 0 && near >= inside.length * OPEN_BOX_SHARE;
}

/**
 * Item probability per cell (0 outside the box). Background model: the context ring when there is
 * one (the photo outside the box is background by definition), plus the box's rim cells that look like
 * it; only the rim when the box fills the photo. Then three GrabCut-style rounds; where the box mostly
 * shows its surroundings (an open item), the item model leaves out their main colours (itemModel).
 */
export function segmentItem(grid: CellGrid): number[] {
  return segmentation(grid).probability;
}

/**
 * segmentItem's item probability per cell, and whether it took the box for an open item's (showsSurroundings; never
 * where `outline` says the item is solid).
 */
export function segmentation(grid: CellGrid, outline?: ItemOutline): { probability: number[]; open: boolean } {
  const { cells, columns } = grid;
  const labs = cells.map((c) => c.lab);
  const outside = cells.map((c): number => (c.inside ? 0 : 1));
  let backgroundWeights: number[];
  const withContext = hasContextRing(grid);
  if (withContext) {
    const context = kMeans(labs, outside, 4, ROUNDS);
    // A rim cell joins the background model only when the surroundings already explain it: a tight
    // box's rim is mostly the item itself.
    backgroundWeights = cells.map((c) => (c.inside ? (c.rim && minDistance(c.lab, context) < SEPARATION * SEPARATION ? 0.5 : 0) : 1));
  } else {
    backgroundWeights = cells.map((c) => (c.rim ? 1 : 0));
  }
  let background = kMeans(labs, backgroundWeights, 5, ROUNDS);
  if (background.length === 0) return { probability: cells.map((c) => (c.inside ? c.prior : 0)), open: false };
  // The surroundings' own colours, before the loop teaches the background model any box cell; used only
  // where the box mostly shows them (an open item), so a solid item keeps a colour it shares with them.
  // Only their main colours: a smaller one is as likely another item beside this one (a black power bank by a black phone).
  const backgroundWeight = background.reduce((sum, c) => sum + c.weight, 0);
  const main = background.filter((c) => c.weight >= backgroundWeight * SURROUNDINGS_MAIN_SHARE);
  const surroundings = withContext && outline !== 'solid' && showsSurroundings(grid, main) ? main : null;

  // First guess: far from every background colour, near the middle.
  let probability = cells.map((c) => (c.inside ? separation(Math.sqrt(minDistance(c.lab, background))) * (0.3 + 0.7 * c.prior) : 0));
  for (let round = 0; round < 3; round++) {
    const foreground = itemModel(kMeans(labs, probability, 5, ROUNDS), surroundings);
    if (foreground.length === 0) break;
    const raw = cells.map((c) => {
      if (!c.inside) return 0;
      const dF = Math.sqrt(minDistance(c.lab, foreground));
      const dB = Math.sqrt(minDistance(c.lab, background));
      // Logistic in the difference of distances: which model explains the cell better, by how much.
      const likelihood = 1 / (1 + Math.exp((dF - dB) / 4));
      return likelihood * (0.4 + 0.6 * c.prior);
    });
    // One 4-neighbour smoothing pass stands in for GrabCut's pairwise term: lone cells follow their neighbours.
    probability = raw.map((p, i) => {
      const c = cells[i] as Cell;
      if (!c.inside) return 0;
      let sum = p * 2;
      let n = 2;
      for (const j of [i - 1, i + 1, i - columns, i + columns]) {
        const other = cells[j];
        if (other && other.inside && Math.abs(other.gx - c.gx) + Math.abs(other.gy - c.gy) === 1) {
          sum += raw[j] ?? 0;
          n++;
        }
      }
      return sum / n >= 0.35 ? sum / n : 0;
    });
    // The background model learns the box cells now judged background (shadows, table seen through a handle).
    background = kMeans(
      labs,
      cells.map((c, i) => (c.inside ? (1 - (probability[i] ?? 0)) * 0.5 : 1)),
      5,
      ROUNDS,
    );
    if (background.length === 0) break;
  }
  return { probability, open: surroundings !== null };
}

/**
 * The item model less its clusters the surroundings already explain. A thin or open item (a rod, a
 * frame, a ring) leaves most of its box to the wall behind it; those cells start with a little item
 * weight each (the centre prior), and together they pull one of the item model's clusters onto the
 * wall's colour, after which the wall explains itself as item as well as background and stays item.
 * Unchanged where no cluster stays (an item the colour of its surroundings) or `surroundings` is null (not
 * an open item's box). Margins chosen on the tune split (tools/colour-eval.ts): ΔE 9 took a grey item's
 * own grey for a grey in a photo behind it (accent_item top-1 0.992 -> 0.917); ΔE 4 keeps it (0.992).
 */
export function itemModel(foreground: readonly Cluster[], surroundings: readonly Cluster[] | null): Cluster[] {
  if (!surroundings) return [...foreground];
  const own = foreground.filter((f) => minDistance(f.centre, surroundings) >= ITEM_MODEL_MARGIN * ITEM_MODEL_MARGIN);
  return own.length > 0 ? own : [...foreground];
}

function separation(distance: number): number {
  return 1 / (1 + Math.exp(-(distance - SEPARATION) / 3));
}

/**
 * namedShares as the frame's light reads them: an underexposed photo's lightest near-neutral surfaces named as lifted
 * (scene-light.ts), and a dim white beside a clearly brighter white in the photo named silver (withExposureWhite).
 */
export function namedInFrameLight(clusters: readonly Cluster[], image: DecodedImage, max: number, minShare: number): NamedColor[] {
  const whitePoint = frameWhitePoint(image);
  const exposure = frameExposure(whitePoint);
  return withExposureWhite(namedShares(liftedClusters(clusters, exposure), max, minShare), liftedWhitePoint(whitePoint, exposure));
}

/** Clusters named and merged by name, largest share first, small shares dropped. */
export function namedShares(clusters: readonly Cluster[], max: number, minShare: number): NamedColor[] {
  return coloursByName(clusters)
    .map(({ name, centre, share }) => ({ name, hex: labToHex(centre), share, vivid: chroma(centre) }))
    .filter((c) => c.share >= minShare)
    .sort((p, q) => q.share - p.share || q.vivid - p.vivid)
    .slice(0, max)
    .map(({ name, hex, share }) => ({ name, hex, share: Math.round(share * 1000) / 1000 }));
}

function clampTo(value: number, limit: number): number {
  return Math.min(limit, Math.max(0, Math.round(value)));
}
