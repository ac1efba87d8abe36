/**
 * The detector's boxes as evidence: each box whose label is a lost-and-found item claims that item
 * (never exclusively: a photo can show a phone and keys), and every box at or above the discard floor
 * is listed as an object, with its frame share, placement and measured colours (item-placement.ts). Pure; must never make a person (or any never-tagged label) a tag.
 */
import type { ConfidenceThresholds, DetectionsRecord } from '@media-ai/contracts';
import type { SourceFindings } from '../claims.js';
import { clamp01, clampBox, round } from '../units.js';
import { canonicalItem, isNeverTagged, normalizeLabel } from '../vocabulary.js';
import { placementAttributes } from './item-placement.js';

export function detectorFindings(part: DetectionsRecord, thresholds: ConfidenceThresholds): SourceFindings {
  const findings: SourceFindings = { claims: [], objects: [] };
  for (const o of part.objects) {
    const confidence = clamp01(o.confidence);
    // A person is never a tag (not a lost item, and the matcher must not pair posts by who is in
    // them), but the detected object stays: "phone in a hand" is context, and it carries no identity.
    const item = isNeverTagged(o.label) ? null : canonicalItem(o.label);
    if (item)
      findings.claims.push({ tag: item, category: 'object', source: 'detector', confidence, slot: null, label: o.label, model: o.model });
    if (confidence >= thresholds.discardBelow) {
      findings.objects.push({
        name: objectName(o.label, item),
        confidence: round(confidence),
        bounding_box: clampBox(o.box),
        attributes: {
          photo_id: part.photo_id,
          label: o.label,
          model: o.model,
          source: 'detector',
          ...placementAttributes(o, part.objects),
        },
      });
    }
  }
  return findings;
}

/**
 * Name of a published object: the canonical item, so objects and tags compare literally, except for
 * animals, where the species (dog) says more than the category (pet) and still canonicalises to it,
 * and for non-items (person, car), which keep the detector's own label.
 */
export function objectName(label: string, item: string | null): string {
  if (!item) return normalizeLabel(label);
  return item === 'pet' ? normalizeLabel(label) : item;
}
