/**
 * The coarse cell grid the item and salient-object measurements work on: what a cell is, the grid's
 * shape, and the two questions they all ask of it (which cells join a region; how far a colour is
 * from a colour model). Pure; no I/O.
 */
import { distanceSquared, type Lab } from './color-space.js';
import { nearest, type Cluster } from './dominant-colors.js';

/** The context ring around an item's box, as a share of the box's side: near enough to be the item's surroundings. */
export const CONTEXT = 0.25;

/** Where a cell lies: inside the box (item candidate) or in the context ring around it. */
export interface Cell {
  lab: Lab;
  inside: boolean;
  /** In the box's own outer ring (inside only): the box edge is background as often as not. */
  rim: boolean;
  /** Centre prior in 0..1 (inside only): items fill their box from the middle out. */
  prior: number;
  gx: number;
  gy: number;
}

/** The cells of a box and its context ring, row-major; `step` is a cell's side in pixels, (x0, y0) the grid's corner. */
export interface CellGrid {
  cells: Cell[];
  columns: number;
  rows: number;
  step: number;
  x0: number;
  y0: number;
}

/** Squared ΔE from `lab` to the nearest of the clusters (infinite when there are none). */
export function minDistance(lab: Lab, clusters: readonly Cluster[]): number {
  const c = clusters[nearest(lab, clusters)];
  return c ? distanceSquared(lab, c.centre) : Number.POSITIVE_INFINITY;
}

/** What sideNeighbours answers for a side of the grid's edge, where no cell lies. */
export const OFF_GRID = -1;

/** The four cells sharing a side with cell `i` (left, right, above, below), OFF_GRID past the grid's edge. */
export function sideNeighbours(i: number, columns: number, rows: number): [number, number, number, number] {
  const gx = i % columns;
  const gy = Math.floor(i / columns);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= columns || y >= rows ? OFF_GRID : y * columns + x);
  return [at(gx - 1, gy), at(gx + 1, gy), at(gx, gy - 1), at(gx, gy + 1)];
}

/**
 * The 4-connected cells reached from `start` through neighbours `joins` accepts, marking each in
 * `visited` (shared across calls, so each cell belongs to one component).
 */
export function connectedCells(grid: CellGrid, start: number, visited: Uint8Array, joins: (from: number, to: number) => boolean): number[] {
  const { columns, rows } = grid;
  const members: number[] = [];
  const stack = [start];
  visited[start] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    members.push(i);
    // sideNeighbours' four cells in its order (left, right, above, below), without its per-cell tuple and iterator.
    const gx = i % columns;
    const gy = Math.floor(i / columns);
    if (gx > 0) visit(i, i - 1);
    if (gx < columns - 1) visit(i, i + 1);
    if (gy > 0) visit(i, i - columns);
    if (gy < rows - 1) visit(i, i + columns);
  }
  return members;

  function visit(from: number, to: number): void {
    if (!visited[to] && joins(from, to)) {
      visited[to] = 1;
      stack.push(to);
    }
  }
}
