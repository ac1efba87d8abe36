/**
 * An item's accent colours: a red band on a white bag, a green logo on a card, a red watermark on a
 * passport. Too small to be one of the item's colours by share (k-means over all the item's cells
 * blends them into their neighbours, or leaves them under the 10 % floor), but people name them. Found
 * on their own, as connected regions inside the item's mask whose colour differs clearly (ΔE in Lab)
 * from every colour the item already has, compact and of a minimum size. Only the mask's interior
 * counts: the cells on the item's outline mix item and background and would name colours neither has
 * (the "pink" between a red bag and a white table). Nor does a region coloured like the item's
 * surroundings: that is background seen through a handle or a hole. Nor a region coloured between
 * two of the item's colours: their seam. Nor a region the item's own colour does not mostly enclose: one
 * along the outline, a shadow's edge or a hole's rim is background or shading, not painted on the item.
 *
 * The thresholds below are judgment, checked on the generated benchmark's accented scenes
 * (tools/colour-eval.ts, tune: accent recall 0.575 -> 0.833 in a box, 0.333 -> 0.633 without one; the
 * plain scenes' colour precision 0.835 -> 0.793 and 0.581 -> 0.509, their top-1 unchanged).
 *
 * Pure arithmetic over a sampled grid; must never name a colour outside the vocabulary, nor repeat a
 * colour the item already has. Deterministic.
 */
import type { NamedColor } from '@media-ai/contracts';
import { nameColor } from './color-names.js';
import { distanceSquared, hexToLab, labToHex, type Lab } from './color-space.js';
import { kMeans } from './dominant-colors.js';
import { connectedCells, minDistance, OFF_GRID, sideNeighbours, type CellGrid } from './cell-grid.js';

/** A cell is the item's when its item weight reaches this. */
const MASK = 0.3;
/** An accent differs from each of the item's colours by at least this ΔE: clearly another colour, not shading. */
const ACCENT_DISTANCE = 22;
/** Neighbouring accent cells closer than this (ΔE) are one region. */
const REGION_COHERENCE = 18;
/** An accent differs from each colour around the item by at least the segmentation's separation scale (SEPARATION). */
const BACKGROUND_DISTANCE = 12;
/** A region this close (ΔE) to the line between two of the item's colours is their seam, not an accent. */
const BLEND_DISTANCE = 10;
/** Smallest accent, in cells and as a share of the item's mask: smaller is a speck, a reflection or JPEG noise. */
const MIN_CELLS = 4;
const MIN_SHARE = 0.015;
/** An accent is at most this share of the item: larger, it is one of the item's colours and itemColors names it. */
const MAX_SHARE = 0.25;
/** Cells of the region over the cells of its bounding box: a logo, a band or a printed line, not a thread along an edge. */
const MIN_COMPACTNESS = 0.3;
/**
 * Share of the cells around a region that must be the item's: a logo, a band or print sits on the item;
 * a region along the outline, a shadow's edge or a hole's rim does not (tune, shapes with handles, holes
 * and irregular outlines: plain scenes' precision 0.726 -> 0.748 in a box, 0.481 -> 0.509 without one;
 * accent recall 0.758 -> 0.758 and 0.583 -> 0.567. 0.8 gained more precision and lost a twelfth of the
 * unboxed accents).
 */
const ENCLOSURE = 0.6;
/** Most accents per item. */
const MAX_ACCENTS = 2;

/**
 * The accents of the item whose cells carry `itemWeight` (0..1 per grid cell) and whose colours are
 * `colors`, largest region first; share = the region's cells over the item mask's cells.
 * `backgroundWeight` (per cell): where the item's surroundings are known to be.
 */
export function accentColors(
  grid: CellGrid,
  itemWeight: readonly number[],
  colors: readonly NamedColor[],
  backgroundWeight: readonly number[],
): NamedColor[] {
  const { cells, columns, rows } = grid;
  if (colors.length === 0 || cells.length === 0) return [];
  const mask = filledMask(grid, itemWeight);
  const maskCount = mask.reduce((n, m) => n + m, 0);
  if (maskCount === 0) return [];
  // The colours around the item: a region like them is background seen through the item (a bag's
  // handle, a key ring's hole) or background the mask spilled onto, not the item's accent. Learnt
  // where the caller knows it is background (the ring outside the box, the photo's border), not from
  // every cell outside the mask: the segmentation leaves out an accent that reaches the item's outline.
  const background = kMeans(
    cells.map((c) => c.lab),
    [...backgroundWeight],
    5,
  );
  const own = colors.map((c) => hexToLab(c.hex));
  const interior = (i: number): boolean => {
    if (!mask[i]) return false;
    const gx = i % columns;
    const gy = Math.floor(i / columns);
    if (gx === 0 || gy === 0 || gx === columns - 1 || gy === rows - 1) return false;
    return Boolean(mask[i - 1] && mask[i + 1] && mask[i - columns] && mask[i + columns]);
  };
  const differs = cells.map((c, i) => interior(i) && own.every((o) => distanceSquared(c.lab, o) >= ACCENT_DISTANCE ** 2));
  const visited = new Uint8Array(cells.length);
  const regions: Array<{ name: NamedColor['name']; lab: Lab; size: number }> = [];
  for (let start = 0; start < cells.length; start++) {
    if (visited[start] || !differs[start]) continue;
    const members = connectedCells(
      grid,
      start,
      visited,
      (i, j) => Boolean(differs[j]) && distanceSquared(cells[i]!.lab, cells[j]!.lab) < REGION_COHERENCE ** 2,
    );
    if (members.length < MIN_CELLS || members.length < maskCount * MIN_SHARE || members.length > maskCount * MAX_SHARE) continue;
    if (members.length / boundingCells(grid, members) < MIN_COMPACTNESS) continue;
    const lab = meanLab(members.map((i) => cells[i]!.lab));
    if (minDistance(lab, background) < BACKGROUND_DISTANCE ** 2 || isBlend(lab, own)) continue;
    // Inside the item and not at its edge: most of the ring around the region is the item's own colour
    // (or the blend of the two in the cells the border cuts). A region the outline, a shadow or a
    // hole's rim runs along is background or shading, not something painted on the item.
    if (enclosure(grid, members, mask, own, lab) < ENCLOSURE) continue;
    regions.push({ name: nameColor(lab), lab, size: members.length });
  }
  const taken = new Set(colors.map((c) => c.name));
  const accents: NamedColor[] = [];
  for (const region of regions.sort((p, q) => q.size - p.size)) {
    if (taken.has(region.name) || accents.length >= MAX_ACCENTS) continue;
    taken.add(region.name);
    accents.push({ name: region.name, hex: labToHex(region.lab), share: Math.round((region.size / maskCount) * 1000) / 1000 });
  }
  return accents;
}

/**
 * The item's cells (weight >= MASK) plus the holes they enclose: a logo unlike both the item and its
 * surroundings may be judged background by the segmentation, yet lies inside the item. A hole is a
 * non-item cell the grid's outer edge cannot reach through non-item cells.
 */
function filledMask(grid: CellGrid, itemWeight: readonly number[]): Uint8Array {
  const { cells, columns, rows } = grid;
  const count = cells.length;
  // Plain indexed loops: Uint8Array.from over an array and for..of went through the iterator protocol.
  const mask = new Uint8Array(count);
  for (let i = 0; i < count; i++) mask[i] = (itemWeight[i] ?? 0) >= MASK ? 1 : 0;
  const outside = new Uint8Array(count);
  const visited = new Uint8Array(count);
  const joins = (_from: number, to: number): boolean => !mask[to];
  for (let i = 0; i < count; i++) {
    const gx = i % columns;
    const gy = Math.floor(i / columns);
    const onEdge = gx === 0 || gy === 0 || gx === columns - 1 || gy === rows - 1;
    if (!onEdge || mask[i] || visited[i]) continue;
    const reached = connectedCells(grid, i, visited, joins);
    for (let r = 0; r < reached.length; r++) outside[reached[r]!] = 1;
  }
  // In place: each cell reads only its own mask and outside marks, and the flood fills are done.
  for (let i = 0; i < count; i++) mask[i] = mask[i] || !outside[i] ? 1 : 0;
  return mask;
}

/**
 * Whether `lab` lies on the way between two of the item's colours: the cells along the seam of a red
 * bag's white band average to pink, a colour the bag does not have.
 */
function isBlend(lab: Lab, own: readonly Lab[]): boolean {
  for (let i = 0; i < own.length; i++)
    for (let j = i + 1; j < own.length; j++) if (distanceToSegment(lab, own[i]!, own[j]!) < BLEND_DISTANCE) return true;
  return false;
}

function distanceToSegment(p: Lab, a: Lab, b: Lab): number {
  const ab = { l: b.l - a.l, a: b.a - a.a, b: b.b - a.b };
  const length = ab.l ** 2 + ab.a ** 2 + ab.b ** 2;
  const t = length === 0 ? 0 : Math.min(1, Math.max(0, ((p.l - a.l) * ab.l + (p.a - a.a) * ab.a + (p.b - a.b) * ab.b) / length));
  return Math.sqrt(distanceSquared(p, { l: a.l + t * ab.l, a: a.a + t * ab.a, b: a.b + t * ab.b }));
}

function boundingCells(grid: CellGrid, members: readonly number[]): number {
  const xs = members.map((i) => i % grid.columns);
  const ys = members.map((i) => Math.floor(i / grid.columns));
  return (Math.max(...xs) - Math.min(...xs) + 1) * (Math.max(...ys) - Math.min(...ys) + 1);
}

function meanLab(labs: readonly Lab[]): Lab {
  const sum = labs.reduce((s, l) => ({ l: s.l + l.l, a: s.a + l.a, b: s.b + l.b }), { l: 0, a: 0, b: 0 });
  return { l: sum.l / labs.length, a: sum.a / labs.length, b: sum.b / labs.length };
}

/**
 * The share of the cells around `members` (4-neighbours outside the region; off-grid counts as
 * outside the item) that are the item's: in its mask and coloured like one of its colours, or between
 * such a colour and the region's own (`lab`), a cell the region's border cuts.
 */
function enclosure(grid: CellGrid, members: readonly number[], mask: Uint8Array, own: readonly Lab[], lab: Lab): number {
  const { cells, columns, rows } = grid;
  const inRegion = new Set(members);
  let around = 0;
  let item = 0;
  for (const i of members) {
    for (const j of sideNeighbours(i, columns, rows)) {
      if (j !== OFF_GRID && inRegion.has(j)) continue;
      around++;
      if (j === OFF_GRID || !mask[j]) continue;
      const c = cells[j]!.lab;
      if (own.some((o) => distanceSquared(c, o) < ACCENT_DISTANCE ** 2 || distanceToSegment(c, o, lab) < BLEND_DISTANCE)) item++;
    }
  }
  return around === 0 ? 0 : item / around;
}
