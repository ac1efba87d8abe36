/**
 * Claims and how they combine. A claim is one source's statement about one tag on one photo; claims
 * about the same tag agree (damped noisy-OR), exclusive claims about the same slot (THE item, brand,
 * material of the post) contradict. Pure arithmetic over claims: it must never look at a part record
 * or at photo text, only at what the sources (./sources) claimed.
 */
import type { AITagCategory, ContractDetectedObject, TagEvidence, TagEvidenceSource } from '@media-ai/contracts';
import { AGREEMENT_WEIGHT, CONTRADICTION_WEIGHT, MAX_FUSED_CONFIDENCE, MAX_TAG_EVIDENCE } from './calibration.js';
import { clamp01, round } from './units.js';

/** Exclusive claims: a post is about one item, of one brand and one main material. */
export type ClaimSlot = 'item' | 'brand' | 'material' | null;

/** One source's statement about one tag on one photo, before fusion. */
export interface TagClaim {
  tag: string;
  category: AITagCategory;
  source: TagEvidenceSource;
  confidence: number;
  /** Set when the source asserts this is THE item / brand / material of the post (exclusive). */
  slot: ClaimSlot;
  /** Raw label behind the claim (model vocabulary, never photo text): evidence and scene sub_scenes. */
  label?: string;
  /** The model that made the claim, for the tag's evidence. */
  model?: string;
}

/** What one source makes of one photo: the tags it claims and the objects it lists. */
export interface SourceFindings {
  claims: TagClaim[];
  objects: ContractDetectedObject[];
}

/** One tag with everything its claims said, before grading. */
export interface FusedClaim {
  tag: string;
  category: AITagCategory;
  confidence: number;
  bySource: Map<TagEvidenceSource, number>;
  labels: string[];
  evidence: TagEvidence[];
}

/**
 * Damped noisy-OR over per-source confidences: the strongest source counts fully, each further
 * agreeing source removes AGREEMENT_WEIGHT of its share of the remaining doubt. One source alone keeps
 * its own (calibrated) score; agreement raises it; the result stays below MAX_FUSED_CONFIDENCE.
 */
export function combineAgreeing(confidences: readonly number[]): number {
  if (confidences.length === 0) return 0;
  const sorted = [...confidences].map(clamp01).sort((a, b) => b - a);
  let doubt = 1 - sorted[0]!;
  for (const c of sorted.slice(1)) doubt *= 1 - AGREEMENT_WEIGHT * c;
  return Math.min(MAX_FUSED_CONFIDENCE, 1 - doubt);
}

/** A contradicting claim of confidence c multiplies the tag by 1 - CONTRADICTION_WEIGHT x c. */
export function applyContradiction(confidence: number, contradicting: number): number {
  return confidence * (1 - CONTRADICTION_WEIGHT * clamp01(contradicting));
}

const SLOT_OF: Partial<Record<AITagCategory, Exclude<ClaimSlot, null>>> = { object: 'item', brand: 'brand', material: 'material' };

/**
 * Groups claims by (category, tag); per source the strongest claim over all photos counts (the same
 * model seeing the item twice is not independent evidence); sources combine by combineAgreeing. A tag
 * someone asserts as THE item/brand/material is lowered by the strongest claim of another source that
 * asserts a different value for that slot and does not support this one. Secondary objects (detector
 * only) are not in contention: a photo can show a phone and keys.
 */
export function fuseClaims(claims: readonly TagClaim[]): FusedClaim[] {
  const groups = new Map<string, TagClaim[]>();
  for (const claim of claims) {
    const key = `${claim.category}\u0000${claim.tag}`;
    const group = groups.get(key);
    if (group) group.push(claim);
    else groups.set(key, [claim]);
  }
  const out: FusedClaim[] = [];
  for (const group of groups.values()) {
    const { tag, category } = group[0]!;
    const bySource = new Map<TagEvidenceSource, number>();
    for (const c of group) bySource.set(c.source, Math.max(bySource.get(c.source) ?? 0, c.confidence));
    let confidence = combineAgreeing([...bySource.values()]);
    const slot = SLOT_OF[category];
    if (slot && group.some((c) => c.slot === slot)) {
      let contradicting = 0;
      for (const other of claims) {
        if (other.slot !== slot || other.category !== category || other.tag === tag) continue;
        if (bySource.has(other.source)) continue; // that source also supports this tag: not a contradiction
        contradicting = Math.max(contradicting, other.confidence);
      }
      confidence = applyContradiction(confidence, contradicting);
    }
    const labels = [...new Set(group.map((c) => c.label).filter((l): l is string => !!l))];
    out.push({ tag, category, confidence, bySource, labels, evidence: evidenceOf(group) });
  }
  return out;
}

/** The strongest claim per (source, label, model), strongest first, at most MAX_TAG_EVIDENCE. */
function evidenceOf(group: readonly TagClaim[]): TagEvidence[] {
  const strongest = new Map<string, TagEvidence>();
  for (const c of group) {
    const key = `${c.source}\u0000${c.label ?? ''}\u0000${c.model ?? ''}`;
    const confidence = round(clamp01(c.confidence));
    if ((strongest.get(key)?.confidence ?? -1) < confidence) {
      strongest.set(key, { source: c.source, label: c.label ?? null, model: c.model ?? null, confidence });
    }
  }
  return [...strongest.values()].sort((a, b) => b.confidence - a.confidence || a.source.localeCompare(b.source)).slice(0, MAX_TAG_EVIDENCE);
}
