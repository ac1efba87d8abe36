/**
 * The item classifier as evidence: the ImageNet classes that map to one item add up to an exclusive
 * claim that the photo shows that item; classes that name a place claim a scene. The classifier sees
 * the whole photo, not a box, so its item is listed as an object (without a box) only when it is at
 * least review-worthy and the detector did not already list it. Pure.
 */
import type { ConfidenceThresholds, DetectionsRecord } from '@media-ai/contracts';
import type { SourceFindings } from '../claims.js';
import { clamp01, round } from '../units.js';
import { canonicalItem, isNeverTagged, normalizeLabel, sceneForLabel } from '../vocabulary.js';
import { objectName } from './detector.js';

/** The classifier's belief in one item on one photo, summed over the ImageNet classes that map to it. */
export interface ClassifierItem {
  item: string;
  /** The most specific name the classes give (dog, cat) or the item itself. */
  name: string;
  confidence: number;
  /** ImageNet labels behind it, strongest first. */
  labels: string[];
  model: string;
}

/**
 * ImageNet classes are mutually exclusive softmax outputs, so the probability that the photo shows an
 * item is the sum over the classes that map to it: a dog split over five breeds (0.46 + 0.21 + 0.09 +
 * ...) is a 0.87 dog, not a 0.46 one; a watch split into digital watch and stopwatch likewise. Only the
 * top-k classes arrive, so the sum is a lower bound, never an overstatement.
 */
export function classifierItems(classifications: DetectionsRecord['classifications']): ClassifierItem[] {
  const byItem = new Map<string, ClassifierItem>();
  for (const c of [...classifications].sort((a, b) => b.confidence - a.confidence)) {
    const item = canonicalItem(c.item) ?? canonicalItem(c.label);
    if (!item || isNeverTagged(c.label)) continue;
    const seen = byItem.get(item);
    if (seen) {
      seen.confidence = clamp01(seen.confidence + clamp01(c.confidence));
      seen.labels.push(c.label);
    } else {
      // The raw item (dog) is more specific than the canonical tag (pet) when it canonicalises to it.
      const name = c.item && canonicalItem(c.item) === item ? normalizeLabel(c.item) : item;
      byItem.set(item, { item, name, confidence: clamp01(c.confidence), labels: [c.label], model: c.model });
    }
  }
  return [...byItem.values()].sort((a, b) => b.confidence - a.confidence);
}

/** `listed`: the names of the objects the detector already listed for this photo. */
export function classifierFindings(part: DetectionsRecord, thresholds: ConfidenceThresholds, listed: ReadonlySet<string>): SourceFindings {
  const findings: SourceFindings = { claims: [], objects: [] };
  for (const c of classifierItems(part.classifications)) {
    findings.claims.push({
      tag: c.item,
      category: 'object',
      source: 'classifier',
      confidence: c.confidence,
      slot: 'item',
      label: c.labels[0],
      model: c.model,
    });
    // This is how a dog the detector scores under its cut-off (a dog hugged by a person) still reaches the objects.
    const name = objectName(c.name, c.item);
    if (c.confidence >= thresholds.humanReview && !listed.has(name)) {
      findings.objects.push({
        name,
        confidence: round(c.confidence),
        bounding_box: null,
        attributes: { photo_id: part.photo_id, label: c.labels.join('; '), model: c.model, source: 'classifier' },
      });
    }
  }
  for (const c of part.classifications) {
    if (canonicalItem(c.item) ?? canonicalItem(c.label)) continue;
    const scene = sceneForLabel(c.label);
    if (scene)
      findings.claims.push({
        tag: scene,
        category: 'scene',
        source: 'classifier',
        confidence: clamp01(c.confidence),
        slot: null,
        label: normalizeLabel(c.label),
        model: c.model,
      });
  }
  return findings;
}
