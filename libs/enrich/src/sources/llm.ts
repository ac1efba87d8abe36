/**
 * The llm's description of a photo as evidence: its category claims the item (exclusively), its
 * brand and material claim theirs, its colours claim colours, and its item is listed as an object
 * (without a box) with the brand, model and material that pass the publishability check. The llm
 * scores its category only; every other field gets a discount (calibration.ts). Pure; must never let a
 * free-text field that looks like an identifier become a tag or an attribute.
 */
import type { ConfidenceThresholds, DescriptionRecord } from '@media-ai/contracts';
import { LLM_BRAND_WEIGHT, LLM_FIRST_COLOR_WEIGHT, LLM_MATERIAL_WEIGHT, LLM_OTHER_COLOR_WEIGHT } from '../calibration.js';
import type { SourceFindings } from '../claims.js';
import { isPublishableTag } from '../privacy.js';
import { clamp01, round } from '../units.js';
import { brandDisplayName, canonicalBrand, canonicalColor, canonicalItem, normalizeLabel } from '../vocabulary.js';

export function llmFindings(part: DescriptionRecord, thresholds: ConfidenceThresholds): SourceFindings {
  const findings: SourceFindings = { claims: [], objects: [] };
  const { claims } = findings;
  const publishable = (value: string | null): value is string => !!value && isPublishableTag(value);
  const confidence = clamp01(part.confidence);
  const item = canonicalItem(part.category);
  if (item)
    claims.push({ tag: item, category: 'object', source: 'llm', confidence, slot: 'item', label: normalizeLabel(part.category ?? item) });
  const brand = part.brand ? (canonicalBrand(part.brand) ?? normalizeLabel(part.brand)) : null;
  if (publishable(brand))
    claims.push({ tag: brand, category: 'brand', source: 'llm', confidence: confidence * LLM_BRAND_WEIGHT, slot: 'brand' });
  part.colors.forEach((raw, index) => {
    const color = canonicalColor(raw);
    const weight = index === 0 ? LLM_FIRST_COLOR_WEIGHT : LLM_OTHER_COLOR_WEIGHT;
    if (color) claims.push({ tag: color, category: 'color', source: 'llm', confidence: confidence * weight, slot: null });
  });
  const material = part.material ? normalizeLabel(part.material) : null;
  if (publishable(material))
    claims.push({ tag: material, category: 'material', source: 'llm', confidence: confidence * LLM_MATERIAL_WEIGHT, slot: 'material' });
  if (item && confidence >= thresholds.discardBelow) {
    const attributes: Record<string, string> = { photo_id: part.photo_id, source: 'llm' };
    if (publishable(brand)) attributes['brand'] = brandDisplayName(brand);
    if (publishable(part.model)) attributes['model'] = part.model;
    if (publishable(material)) attributes['material'] = material;
    findings.objects.push({ name: item, confidence: round(confidence), bounding_box: null, attributes });
  }
  return findings;
}
