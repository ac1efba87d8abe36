/**
 * Areas and overlaps of normalised boxes (0..1 of the photo), as the sources compare them: which item
 * a text line lies in, whether a thing is held by a person or lies on a table. Pure; a box of negative
 * size counts as empty, never as a negative area.
 */
import type { Box } from '@media-ai/contracts';

export function boxArea(box: Box): number {
  return Math.max(0, box.width) * Math.max(0, box.height);
}

/** The area two boxes share; 0 when they do not meet. */
export function boxOverlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
