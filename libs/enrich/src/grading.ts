/**
 * Grading: each fused tag gets a tier from the confidence bars (narrowed by the tenant's policy), the
 * post an overall confidence and an enhancement level. Below the discard floor a tag is dropped.
 * Pure; must never let a policy widen the service's bars, only narrow them.
 */
import type {
  AITagCategory,
  AITagSource,
  ConfidenceThresholds,
  EnhancementLevel,
  PostManifest,
  TagEvidenceSource,
  TagGrade,
  TagTier,
} from '@media-ai/contracts';
import { OVERALL_TOP_TAGS } from './calibration.js';
import type { FusedClaim } from './claims.js';
import { round } from './units.js';

/** A tenant's ai_enhancement_policy as fusion applies it. */
export interface EnhancementPolicy {
  autoEnhance: boolean;
  qualityThreshold: number | null;
  notifyOnEnhancement: boolean;
}

export interface FusedTag extends TagGrade {
  /** Contract enum value for AITag.source: the strongest supporting source, mapped. */
  contractSource: AITagSource;
}

/** The tenant policy: the manifest's copy first, then the organization's settings; default permissive. */
export function resolvePolicy(manifest: PostManifest): EnhancementPolicy {
  const orgPolicy = manifest.post_organization?.settings?.ai_enhancement_policy;
  const q = manifest.ai_policy?.quality_threshold ?? orgPolicy?.quality_threshold;
  return {
    autoEnhance: manifest.ai_policy?.auto_enhance ?? orgPolicy?.auto_enhance ?? true,
    qualityThreshold: typeof q === 'number' && q >= 0 && q <= 1 ? q : null,
    notifyOnEnhancement: orgPolicy?.notify_on_enhancement ?? true,
  };
}

/**
 * The policy only narrows: auto_enhance false closes the auto tier (those tags become suggestions),
 * quality_threshold raises the auto bar, never lowers it. The other bars stay the service's own.
 */
export function effectiveAutoBar(thresholds: ConfidenceThresholds, policy: EnhancementPolicy): number {
  if (!policy.autoEnhance) return Number.POSITIVE_INFINITY;
  return Math.max(thresholds.autoEnhance, policy.qualityThreshold ?? 0);
}

/** Tier of one confidence, or null when it falls below the discard floor (dropped). */
export function gradeConfidence(confidence: number, thresholds: ConfidenceThresholds, policy: EnhancementPolicy): TagTier | null {
  if (confidence < thresholds.discardBelow) return null;
  if (confidence >= effectiveAutoBar(thresholds, policy)) return 'auto_apply';
  if (confidence >= thresholds.suggestTags) return 'suggest';
  if (confidence >= thresholds.humanReview) return 'human_review';
  // Between the discard floor and the review bar: kept (with its honest confidence) for search
  // recall, but never applied, suggested or queued for review.
  return 'low';
}

export function enhancementLevel(overall: number, thresholds: ConfidenceThresholds, policy: EnhancementPolicy): EnhancementLevel {
  if (overall >= effectiveAutoBar(thresholds, policy)) return 'auto_enhance';
  if (overall >= thresholds.suggestTags) return 'suggest_tags';
  if (overall >= thresholds.humanReview) return 'human_review';
  return 'discard';
}

/** The fused claims that pass the discard floor, graded, strongest first. */
export function gradeTags(fused: readonly FusedClaim[], thresholds: ConfidenceThresholds, policy: EnhancementPolicy): FusedTag[] {
  const tags: FusedTag[] = [];
  for (const claim of fused) {
    const confidence = round(claim.confidence);
    const tier = gradeConfidence(confidence, thresholds, policy);
    if (!tier) continue;
    const ranked = [...claim.bySource.entries()].sort((a, b) => b[1] - a[1]);
    tags.push({
      tag: claim.tag,
      category: claim.category,
      confidence,
      tier,
      sources: ranked.map(([s]) => s),
      evidence: claim.evidence,
      contractSource: contractSourceFor(claim.category, ranked[0]![0]),
    });
  }
  return tags.sort((a, b) => b.confidence - a.confidence || a.tag.localeCompare(b.tag));
}

function contractSourceFor(category: AITagCategory, source: TagEvidenceSource): AITagSource {
  // The contract has no value for an llm; each category maps to the analysis it stands in for.
  if (category === 'color') return 'color_analysis';
  if (category === 'scene') return 'scene_analysis';
  if (source === 'ocr' || category === 'brand' || category === 'text') return 'text_extraction';
  return 'object_detection';
}

/**
 * Overall confidence = mean of the OVERALL_TOP_TAGS strongest kept tags. The Python original took a
 * weighted mean over every result, so ten faint OCR strings dragged a sure "phone" down; the question
 * downstream asks is "how sure are the tags we lead with", which the top tags answer.
 */
export function overallConfidence(tags: ReadonlyArray<{ confidence: number }>): number {
  const top = [...tags]
    .map((t) => t.confidence)
    .sort((a, b) => b - a)
    .slice(0, OVERALL_TOP_TAGS);
  return top.length === 0 ? 0 : round(top.reduce((s, c) => s + c, 0) / top.length);
}
