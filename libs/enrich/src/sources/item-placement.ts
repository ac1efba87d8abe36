/**
 * Where a detected thing sits in its photo, from the boxes alone: its share of the frame, and whether
 * it is with a person (its box mostly inside a person's: held in a hand or worn, which boxes cannot tell
 * apart) or on a table (the bottom middle of its box inside a table's box). Cues for a moderator and
 * the matcher ("a phone held in a hand", "a small cup on a table"), published as object attributes
 * beside the object's measured colours. Pure; must never guess a placement no box supports.
 */
import type { DetectedObjectRecord } from '@media-ai/contracts';
import { round } from '../units.js';
import { normalizeLabel } from '../vocabulary.js';
import { boxArea, boxOverlap } from './box-geometry.js';

/** COCO labels that are surfaces things lie on (the COCO table class; desks are detected as it too). */
const SURFACES = new Set(['dining table', 'bed', 'couch', 'bench']);
/** Share of the thing's box that must lie inside a person's box for it to count as with that person. */
const WITH_PERSON_OVERLAP = 0.6;

export type Placement = 'with_person' | 'on_surface';

/** Attributes of one detected thing: frame share, placement when a box says so, its measured colours. */
export function placementAttributes(object: DetectedObjectRecord, others: readonly DetectedObjectRecord[]): Record<string, string> {
  const attributes: Record<string, string> = { frame_share: String(round(boxArea(object.box))) };
  const placement = placementOf(object, others);
  if (placement) attributes.placement = placement;
  if (object.colors && object.colors.length > 0) attributes.colors = object.colors.map((c) => c.name).join(',');
  return attributes;
}

function placementOf(object: DetectedObjectRecord, others: readonly DetectedObjectRecord[]): Placement | null {
  const label = normalizeLabel(object.label);
  if (label === 'person' || SURFACES.has(label)) return null;
  const size = boxArea(object.box);
  if (size <= 0) return null;
  for (const other of others) {
    if (other !== object && normalizeLabel(other.label) === 'person' && boxOverlap(object.box, other.box) / size >= WITH_PERSON_OVERLAP)
      return 'with_person';
  }
  const footX = object.box.x + object.box.width / 2;
  const footY = object.box.y + object.box.height;
  for (const other of others) {
    if (other === object || !SURFACES.has(normalizeLabel(other.label))) continue;
    const b = other.box;
    // Its foot on the surface, and smaller than it: a thing on a table, not a table behind a thing.
    if (footX >= b.x && footX <= b.x + b.width && footY >= b.y && footY <= b.y + b.height && size < boxArea(b)) return 'on_surface';
  }
  return null;
}
