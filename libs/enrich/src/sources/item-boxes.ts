/**
 * Where each item of a photo is, from its detections part: the boxes of detected things that are
 * lost-and-found items, and, for the item only the classifier names (a pen, a passport: no detector
 * class, so no box), the photo's salient object when no detected thing is that item. What a colour,
 * a text line or a brand read on the photo belongs to, so fusion can say "black phone", "VARTA on the
 * batteries". Pure; must never invent a box no stage measured.
 */
import type { Box, ConfidenceThresholds, DetectionsRecord, NamedColor } from '@media-ai/contracts';
import { canonicalItem } from '../vocabulary.js';
import { classifierItems } from './classifier.js';
import { boxArea, boxOverlap } from './box-geometry.js';

/** An item and the box it occupies on one photo. */
export interface ItemBox {
  /** The canonical item (phone, batteries). */
  item: string;
  box: Box;
  model: string;
}

/** The classifier's item placed in the photo's salient object, with that object's colours. */
export interface SalientItem extends ItemBox {
  /** The classifier's confidence in the item. */
  confidence: number;
  colors: readonly NamedColor[];
}

/** A text line belongs to an item when at least this share of the line's box lies in the item's box. */
const LINE_INSIDE_ITEM = 0.5;

/**
 * The classifier's strongest item in the photo's salient object: only when the classifier is sure
 * enough (the discard floor) and no detected object is that item, since a detector box is measured on
 * the item itself and the salient object is a guess of where it is.
 */
export function salientItem(part: DetectionsRecord, thresholds: ConfidenceThresholds): SalientItem | null {
  const salient = part.salient_object;
  const top = classifierItems(part.classifications)[0];
  if (!salient || salient.colors.length === 0 || !top || top.confidence < thresholds.discardBelow) return null;
  if (part.objects.some((o) => canonicalItem(o.label) === top.item)) return null;
  return { item: top.item, box: salient.box, model: top.model, confidence: top.confidence, colors: salient.colors };
}

/** The photo's items with a box: detected things the taxonomy calls items (confident to the discard floor), then the salient item. */
export function itemBoxes(part: DetectionsRecord, thresholds: ConfidenceThresholds): ItemBox[] {
  const boxes: ItemBox[] = [];
  for (const o of part.objects) {
    const item = canonicalItem(o.label);
    if (item && o.confidence >= thresholds.discardBelow) boxes.push({ item, box: o.box, model: o.model });
  }
  const salient = salientItem(part, thresholds);
  if (salient) boxes.push({ item: salient.item, box: salient.box, model: salient.model });
  return boxes;
}

/**
 * The item a text line belongs to: of the boxes holding most of the line, the smallest (a brand on a
 * phone lying on a laptop belongs to the phone). null when the line has no box or lies on no item.
 */
export function itemOfLine(line: Box | null, items: readonly ItemBox[]): ItemBox | null {
  if (!line || boxArea(line) <= 0) return null;
  let best: ItemBox | null = null;
  for (const candidate of items) {
    if (boxOverlap(line, candidate.box) / boxArea(line) < LINE_INSIDE_ITEM) continue;
    if (!best || boxArea(candidate.box) < boxArea(best.box)) best = candidate;
  }
  return best;
}
