/**
 * Fusion: the per-photo parts of one post (detector, OCR, llm) become one post.enhanced event —
 * tags with calibrated confidence and a tier, objects with boxes, colours with hex, a scene, redacted
 * text, a description, and what was missing. Pure: same input, same output; no I/O, no clock (the
 * caller passes `now`), no randomness. It must never put personal data into tags or free text: OCR
 * text arrives redacted, identifiers (serials, IMEIs, document and card numbers) go only to
 * `data.sensitive` and only as the keyed hashes the stages published, and every tag comes from a fixed
 * vocabulary or passes a publishability check. The rules are in README.md.
 *
 * The steps live in their own modules: each source's claims (./sources), how claims combine
 * (claims.ts) with the weights of calibration.ts, grading into tiers (grading.ts), and the envelope
 * (post-enhanced.ts). This module is fusion's public face: everything callers import from it stays here.
 */
import type {
  ConfidenceThresholds,
  ContractColorAnalysis,
  ContractDetectedObject,
  ContractExtractedText,
  ContractSceneAnalysis,
  DescriptionRecord,
  DetectionsRecord,
  EnhancementLevel,
  FailedPhoto,
  PostEnhancedEvent,
  PostManifest,
  PublishedFingerprint,
  SensitiveData,
  TextsRecord,
} from '@media-ai/contracts';
import { fuseClaims } from './claims.js';
import { enhancementLevel, gradeTags, overallConfidence, resolvePolicy, type EnhancementPolicy, type FusedTag } from './grading.js';
import { describeFindings } from './findings-description.js';
import { postEnhancedEvent } from './post-enhanced.js';
import { coverage, failedPhotos, joinParts, missingStages, modelVersions, stageTimings } from './post-parts.js';
import { maskIdentifiers, ownerOnlyIdentifiers } from './privacy.js';
import { extractedText, publishedObjects, sceneAnalysis } from './published-analysis.js';
import { sourceFindings } from './sources/index.js';
import { coloredItems, measuredColors } from './sources/measured-colors.js';

export { DEFAULT_THRESHOLDS, type ConfidenceThresholds } from '@media-ai/contracts';
export * from './calibration.js';
export { applyContradiction, combineAgreeing, fuseClaims, type ClaimSlot, type TagClaim } from './claims.js';
export {
  effectiveAutoBar,
  enhancementLevel,
  gradeConfidence,
  overallConfidence,
  resolvePolicy,
  type EnhancementPolicy,
  type FusedTag,
} from './grading.js';
export { isPublishableTag, maskIdentifiers } from './privacy.js';
export { classifierItems, type ClassifierItem } from './sources/classifier.js';
export { MEASURED_COLOR_SOURCE } from './sources/measured-colors.js';

export interface FusePostInput {
  manifest: PostManifest;
  detections: readonly DetectionsRecord[];
  texts: readonly TextsRecord[];
  descriptions: readonly DescriptionRecord[];
  thresholds: ConfidenceThresholds;
  /** Epoch ms: the event timestamp and the end of processing time. */
  now: number;
  /** Defaults to the deterministic id of post id + revision (pass one only to test replays). */
  eventId?: string;
}

/** Everything fusion concludes about the photos, independent of the platform envelope. */
export interface Enrichment {
  tags: FusedTag[];
  objects: ContractDetectedObject[];
  colors: ContractColorAnalysis[];
  scene: ContractSceneAnalysis | null;
  textContent: ContractExtractedText[];
  description: string | null;
  overallConfidence: number;
  level: EnhancementLevel;
  policy: EnhancementPolicy;
  missingStages: string[];
  failedPhotos: FailedPhoto[];
  sensitive: SensitiveData | null;
  /** The photos' visual fingerprints as the detector made them, in the post's photo order (data.fingerprints). */
  fingerprints: PublishedFingerprint[];
  modelVersions: Record<string, string>;
  stageTimings: Record<string, number>;
  /** Parts that arrived (ok or failed) / parts expected: 1 when nothing was expected. */
  coverage: number;
}

/**
 * The photos' meaning: join the parts to the manifest, collect every source's claims about every
 * photo, fuse them into tags and grade those, then publish what the sources listed beside the tags.
 */
export function fuseAnalysis(input: Omit<FusePostInput, 'eventId'>): Enrichment {
  const { manifest, thresholds } = input;
  const policy = resolvePolicy(manifest);
  const parts = joinParts(manifest, input);
  const { texts, descriptions } = parts.answered;
  // The photos the fetcher got; the others have no parts and no measured colours.
  const photos = manifest.photos.filter((p) => parts.okPhotos.has(p.photo_id));
  // Owner-only identifiers, as keyed hashes: read on the photos and named by the post's own text.
  const identifiers = ownerOnlyIdentifiers(texts, manifest.post_identifiers ?? []);

  const findings = sourceFindings(parts.answered, photos, thresholds);
  const claims = findings.flatMap((f) => f.claims);
  const tags = gradeTags(fuseClaims(claims), thresholds, policy);
  const overall = overallConfidence(tags);
  const publishedColors = measuredColors(photos, colorTagOrder(tags), coloredItems(parts.answered.detections, thresholds, texts, photos));
  const textContent = extractedText(texts, thresholds);

  return {
    tags,
    objects: publishedObjects(findings.flatMap((f) => f.objects)),
    colors: publishedColors,
    scene: sceneAnalysis(tags, claims),
    textContent,
    description:
      buildDescription(descriptions) ??
      describeFindings({ tags, colors: publishedColors, textContent, minTextConfidence: thresholds.suggestTags }),
    overallConfidence: overall,
    level: enhancementLevel(overall, thresholds, policy),
    policy,
    missingStages: missingStages(manifest, parts),
    failedPhotos: failedPhotos(manifest, parts),
    sensitive: identifiers.length > 0 ? { classification: 'owner_only', identifiers } : null,
    fingerprints: photos.flatMap((p) => {
      const fingerprint = parts.byStage.detector.get(p.photo_id)?.fingerprint;
      return fingerprint ? [{ photo_id: p.photo_id, ...fingerprint }] : [];
    }),
    modelVersions: modelVersions(parts),
    stageTimings: stageTimings(parts),
    coverage: coverage(manifest, parts),
  };
}

/** The colour tags, strongest first: equal measured shares are listed in this order. */
const colorTagOrder = (tags: readonly FusedTag[]): string[] => tags.filter((t) => t.category === 'color').map((t) => t.tag);

/**
 * The llm's description when one exists (the most confident photo's), identifiers masked; null
 * otherwise (fuseAnalysis then describes the findings: findings-description.ts).
 */
export function buildDescription(descriptions: readonly DescriptionRecord[]): string | null {
  const best = [...descriptions].filter((d) => d.description && d.description.trim()).sort((a, b) => b.confidence - a.confidence)[0];
  return best?.description ? maskIdentifiers(best.description.trim()) : null;
}

/**
 * The post.enhanced event for one post revision. Throws MediaAiError MEDIA_AI_BAD_EVENT when the post
 * lacks facts the platform contract requires (see platform.ts); the caller publishes a
 * processing.error instead.
 */
export function fusePost(input: FusePostInput): PostEnhancedEvent {
  return postEnhancedEvent(input, fuseAnalysis(input));
}
