/**
 * The parts of the analysis post.enhanced publishes beside the tags: the scene, the legible text and
 * the objects, each bounded and ordered strongest first. Pure; the text arrives redacted and the
 * item's own identifiers are masked here once more.
 */
import type {
  ConfidenceThresholds,
  ContractDetectedObject,
  ContractExtractedText,
  ContractSceneAnalysis,
  TextsRecord,
} from '@media-ai/contracts';
import { MAX_PUBLISHED_OBJECTS, MAX_PUBLISHED_TEXT_LINES } from './calibration.js';
import type { TagClaim } from './claims.js';
import type { FusedTag } from './grading.js';
import { maskIdentifiers } from './privacy.js';
import { clampBox, round, unitConfidence } from './units.js';

/** The strongest kept scene tag, with the classifier labels that claimed it. */
export function sceneAnalysis(tags: readonly FusedTag[], claims: readonly TagClaim[]): ContractSceneAnalysis | null {
  const sceneTag = tags.find((t) => t.category === 'scene');
  if (!sceneTag) return null;
  const labels = claims.filter((c) => c.category === 'scene' && c.tag === sceneTag.tag && c.label).map((c) => c.label!);
  return { primary_scene: sceneTag.tag, confidence: sceneTag.confidence, sub_scenes: [...new Set(labels)] };
}

/** Each distinct line read at or above the discard floor, identifiers masked, strongest first. */
export function extractedText(texts: readonly TextsRecord[], thresholds: ConfidenceThresholds): ContractExtractedText[] {
  const lines: ContractExtractedText[] = [];
  const seen = new Set<string>();
  for (const t of texts) {
    for (const line of t.lines) {
      const confidence = unitConfidence(line.confidence);
      const text = maskIdentifiers(line.text).trim();
      if (!text || confidence < thresholds.discardBelow || seen.has(text.toLowerCase())) continue;
      seen.add(text.toLowerCase());
      lines.push({ text, confidence: round(confidence), bounding_box: clampBox(line.box) });
    }
  }
  return lines.sort((a, b) => b.confidence - a.confidence).slice(0, MAX_PUBLISHED_TEXT_LINES);
}

/** The objects the sources listed, strongest first. */
export function publishedObjects(objects: readonly ContractDetectedObject[]): ContractDetectedObject[] {
  return [...objects].sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name)).slice(0, MAX_PUBLISHED_OBJECTS);
}
