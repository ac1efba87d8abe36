/**
 * How raw numbers from models become the numbers post.enhanced publishes: confidences in 0..1 with
 * three decimals, boxes inside the photo. Pure; must never make a number look surer than it was read.
 */
import type { ContractBoundingBox } from '@media-ai/contracts';

/** Three decimals: more would only be model noise, and every digit travels in every event. */
export const round = (n: number): number => Math.round(n * 1000) / 1000;

export const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));

/** OCR engines report 0..100, models 0..1: read both. */
export const unitConfidence = (n: number): number => clamp01(Number.isFinite(n) ? (n > 1 ? n / 100 : n) : 0);

/** A normalized box kept inside the photo, or null when it is not a box at all. */
export function clampBox(box: { x: number; y: number; width: number; height: number } | null | undefined): ContractBoundingBox | null {
  if (!box || ![box.x, box.y, box.width, box.height].every(Number.isFinite)) return null;
  const x = clamp01(box.x);
  const y = clamp01(box.y);
  return {
    x: round(x),
    y: round(y),
    width: round(clamp01(Math.min(box.width, 1 - x))),
    height: round(clamp01(Math.min(box.height, 1 - y))),
  };
}
