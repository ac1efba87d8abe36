/**
 * Fusion: the per-photo parts of one post (detector, OCR, llm) become one post.enhanced event —
 * tags with calibrated confidence and a tier, objects with boxes, colours with hex, a scene, redacted
 * text, a description, and what was missing. Pure: same input, same output; no I/O, no clock (the
 * caller passes `now`), no randomness. It must never put personal data into tags or free text: OCR
 * text arrives redacted, the item's serial numbers and IMEIs go only to `data.sensitive`, and every tag
 * comes from a fixed vocabulary or passes a publishability check. The rules are in README.md.
 */
import type {
  AIMetadata,
  AITag,
  AITagCategory,
  AITagSource,
  ConfidenceThresholds,
  ContractBoundingBox,
  ContractColorAnalysis,
  ContractDetectedObject,
  ContractExtractedText,
  ContractSceneAnalysis,
  DescriptionRecord,
  DetectionsRecord,
  DownstreamActions,
  EnhancedMetadata,
  EnhancementChange,
  EnhancementLevel,
  FailedPhoto,
  ImprovementArea,
  PartResultBase,
  PostEnhancedEvent,
  PostManifest,
  SensitiveData,
  TagEvidence,
  TagEvidenceSource,
  TagGrade,
  TagTier,
  TextsRecord,
} from '@media-ai/contracts';
import { enrichmentEventId } from './event-id.js';
import { parseJsonObject, toContractOrganization, toContractOwner, toContractPost } from './platform.js';
import {
  SINGLE_PRODUCT_BRANDS,
  cardLayoutEvidence,
  brandDisplayName,
  brandsInText,
  canonicalBrand,
  canonicalColor,
  canonicalItem,
  documentItemsInText,
  isNeverTagged,
  normalizeLabel,
  sceneForLabel,
} from './vocabulary.js';

/** The tier bars live in @media-ai/contracts; re-exported because fusion's callers always took them from here. */
export { DEFAULT_THRESHOLDS, type ConfidenceThresholds } from '@media-ai/contracts';

/** A tenant's ai_enhancement_policy as fusion applies it. */
export interface EnhancementPolicy {
  autoEnhance: boolean;
  qualityThreshold: number | null;
  notifyOnEnhancement: boolean;
}

/**
 * No combination of model outputs justifies certainty; a 1.0 would read downstream as "verified by a
 * person". 0.99 keeps fused scores comparable with single-model scores, which never reach 1 either.
 */
export const MAX_FUSED_CONFIDENCE = 0.99;

/**
 * Weight of each additional agreeing source in the noisy-OR. Noisy-OR assumes independent evidence;
 * our sources are not independent (detector and classifier look at the same pixels, the llm too), so
 * a second source closes only part of the remaining doubt instead of all the independence math gives.
 */
export const AGREEMENT_WEIGHT = 0.6;

/** How strongly a contradicting claim pulls a tag down: 1 - weight x (contradicting confidence). */
export const CONTRADICTION_WEIGHT = 0.5;

/** More OCR lines than this is a page, not a card: card layouts are not looked for (see fuseAnalysis). */
export const MAX_CARD_LINES = 25;

/** How many of the strongest tags the overall confidence averages (see overallConfidence). */
export const OVERALL_TOP_TAGS = 3;

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

export interface FusedTag extends TagGrade {
  /** Contract enum value for AITag.source: the strongest supporting source, mapped. */
  contractSource: AITagSource;
}

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
  modelVersions: Record<string, string>;
  stageTimings: Record<string, number>;
  /** Parts that arrived (ok or failed) / parts expected: 1 when nothing was expected. */
  coverage: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/** OCR engines report 0..100, models 0..1: read both. */
const unitConfidence = (n: number) => clamp01(Number.isFinite(n) ? (n > 1 ? n / 100 : n) : 0);

const STAGE_TIMING_KEYS: Record<string, string> = { detector: 'object_detection', ocr: 'ocr', llm: 'llm_vision' };

// ---------------------------------------------------------------------------------------------
// Policy and tiers
// ---------------------------------------------------------------------------------------------

/** The tenant policy: the manifest's copy first, then the organization's settings; default permissive. */
export function resolvePolicy(manifest: PostManifest): EnhancementPolicy {
  const org = parseJsonObject(manifest.organization_json);
  const settings =
    org && typeof org['settings'] === 'object' && org['settings'] !== null ? (org['settings'] as Record<string, unknown>) : null;
  const raw = settings?.['ai_enhancement_policy'];
  const orgPolicy = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const autoEnhance =
    manifest.ai_policy?.auto_enhance ?? (typeof orgPolicy['auto_enhance'] === 'boolean' ? orgPolicy['auto_enhance'] : true);
  const q = manifest.ai_policy?.quality_threshold ?? orgPolicy['quality_threshold'];
  return {
    autoEnhance,
    qualityThreshold: typeof q === 'number' && q >= 0 && q <= 1 ? q : null,
    notifyOnEnhancement: typeof orgPolicy['notify_on_enhancement'] === 'boolean' ? orgPolicy['notify_on_enhancement'] : true,
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

// ---------------------------------------------------------------------------------------------
// Confidence fusion
// ---------------------------------------------------------------------------------------------

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
export function fuseClaims(claims: readonly TagClaim[]): Array<{
  tag: string;
  category: AITagCategory;
  confidence: number;
  bySource: Map<TagEvidenceSource, number>;
  labels: string[];
  evidence: TagEvidence[];
}> {
  const groups = new Map<string, TagClaim[]>();
  for (const claim of claims) {
    const key = `${claim.category}\u0000${claim.tag}`;
    const group = groups.get(key);
    if (group) group.push(claim);
    else groups.set(key, [claim]);
  }
  const out = [];
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

/** Most evidence entries a tag carries: enough to say who said what, bounded for the event size. */
export const MAX_TAG_EVIDENCE = 6;

/** The strongest claim per (source, label, model), strongest first. */
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

function contractSourceFor(category: AITagCategory, source: TagEvidenceSource): AITagSource {
  // The contract has no value for an llm; each category maps to the analysis it stands in for.
  if (category === 'color') return 'color_analysis';
  if (category === 'scene') return 'scene_analysis';
  if (source === 'ocr' || category === 'brand' || category === 'text') return 'text_extraction';
  return 'object_detection';
}

// ---------------------------------------------------------------------------------------------
// Privacy guards
// ---------------------------------------------------------------------------------------------

function compactAlnum(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Last line of defence for free-text tags (llm brand and material): nothing that looks like an
 * identifier, contact or redaction marker, nothing containing an item identifier.
 */
export function isPublishableTag(tag: string, sensitiveValues: readonly string[] = []): boolean {
  if (tag.length === 0 || tag.length > 50) return false;
  if (/[@[\]█*#]/.test(tag) || /\d{4,}/.test(tag) || /https?:|www\./i.test(tag)) return false;
  const flat = compactAlnum(tag);
  return !sensitiveValues.some((v) => {
    const value = compactAlnum(v);
    return value.length >= 4 && (flat.includes(value) || (flat.length >= 4 && value.includes(flat)));
  });
}

/** Replaces the item's own identifiers in free text (OCR lines, llm prose) by their kind. */
export function maskIdentifiers(text: string, identifiers: ReadonlyArray<{ kind: string; value: string }>): string {
  let out = text;
  for (const { kind, value } of identifiers) {
    if (value.trim().length < 4) continue;
    const pattern = value
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s*');
    out = out.replace(new RegExp(pattern, 'gi'), `[${kind.toUpperCase()}]`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Joining parts to the manifest
// ---------------------------------------------------------------------------------------------

/** Keeps one part per photo: ok beats failed (a retried stage may succeed after a give-up). */
function onePerPhoto<T extends PartResultBase>(parts: readonly T[], manifest: PostManifest, okPhotos: ReadonlySet<string>): Map<string, T> {
  const byPhoto = new Map<string, T>();
  for (const part of parts) {
    if (part.post_id !== manifest.post_id || part.revision !== manifest.revision || !okPhotos.has(part.photo_id)) continue;
    const seen = byPhoto.get(part.photo_id);
    if (!seen || (seen.status !== 'ok' && part.status === 'ok')) byPhoto.set(part.photo_id, part);
  }
  return byPhoto;
}

function clampBox(box: { x: number; y: number; width: number; height: number } | null | undefined): ContractBoundingBox | null {
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

// ---------------------------------------------------------------------------------------------
// Classifier evidence, object names, measured colours
// ---------------------------------------------------------------------------------------------

/** The fetcher's pixel measurement of a photo's colours, as a claim source of its own. */
export const MEASURED_COLOR_SOURCE: TagEvidenceSource = 'color_analysis';

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

/**
 * Name of a published object: the canonical item, so objects and tags compare literally, except for
 * animals, where the species (dog) says more than the category (pet) and still canonicalises to it,
 * and for non-items (person, car), which keep the detector's own label.
 */
function objectName(label: string, item: string | null): string {
  if (!item) return normalizeLabel(label);
  return item === 'pet' ? normalizeLabel(label) : item;
}

/**
 * The colours the fetcher measured on each photo: name, measured hex, and the photo's share in it as
 * the confidence (the share is what was measured; how sure we are that the item has that colour is
 * the tag's confidence). One entry per name over the post, from the photo where it covers most;
 * dominant = the largest colour of some photo. Named colours the tags dropped below the discard floor
 * are still listed: a 10 % red stripe is a measurement, not a claim about the item.
 */
function measuredColors(manifest: PostManifest, okPhotos: ReadonlySet<string>, tags: readonly FusedTag[]): ContractColorAnalysis[] {
  const best = new Map<string, { hex: string; share: number; dominant: boolean }>();
  for (const photo of manifest.photos) {
    if (!okPhotos.has(photo.photo_id)) continue;
    const measured = photo.colors.filter((c) => canonicalColor(c.name) && /^#[0-9a-f]{6}$/i.test(c.hex));
    const largest = Math.max(0, ...measured.map((c) => c.share));
    for (const c of measured) {
      const name = canonicalColor(c.name)!;
      const share = clamp01(c.share);
      const seen = best.get(name);
      const dominant = (seen?.dominant ?? false) || c.share === largest;
      if (!seen || share > seen.share) best.set(name, { hex: c.hex.toLowerCase(), share, dominant });
      else seen.dominant = dominant;
    }
  }
  const tagRank = new Map(tags.filter((t) => t.category === 'color').map((t, i) => [t.tag, i]));
  return [...best]
    .sort(([a, x], [b, y]) => y.share - x.share || (tagRank.get(a) ?? 99) - (tagRank.get(b) ?? 99) || a.localeCompare(b))
    .slice(0, 8)
    .map(([name, c]) => ({ color_name: name, hex_code: c.hex, confidence: round(c.share), dominant: c.dominant }));
}

// ---------------------------------------------------------------------------------------------
// fuseAnalysis: the photos' meaning
// ---------------------------------------------------------------------------------------------

export function fuseAnalysis(input: Omit<FusePostInput, 'eventId'>): Enrichment {
  const { manifest, thresholds } = input;
  const policy = resolvePolicy(manifest);
  const okPhotos = new Set(manifest.photos.filter((p) => p.status === 'ok').map((p) => p.photo_id));
  const parts = {
    detector: onePerPhoto(input.detections, manifest, okPhotos),
    ocr: onePerPhoto(input.texts, manifest, okPhotos),
    llm: onePerPhoto(input.descriptions, manifest, okPhotos),
  } as const;
  const partsOf = (stage: string): Map<string, PartResultBase> | undefined => (parts as Record<string, Map<string, PartResultBase>>)[stage];

  // What is missing and what failed.
  const missingStages = manifest.expected_stages.filter((stage) => {
    const got = partsOf(stage);
    return [...okPhotos].some((photoId) => !got?.has(photoId));
  });
  const failedPhotos: FailedPhoto[] = manifest.photos
    .filter((p) => p.status !== 'ok')
    .map((p) => ({
      photo_id: p.photo_id,
      stage: 'fetcher',
      error_code: p.error_code ?? 'MEDIA_AI_INTERNAL',
      error_message: p.error_message,
    }));
  for (const [stage, byPhoto] of Object.entries(parts)) {
    for (const part of byPhoto.values()) {
      if (part.status !== 'ok') {
        failedPhotos.push({
          photo_id: part.photo_id,
          stage,
          error_code: part.error_code ?? 'MEDIA_AI_INTERNAL',
          error_message: part.error_message,
        });
      }
    }
  }
  const expected = okPhotos.size * manifest.expected_stages.length;
  const arrived = manifest.expected_stages.reduce((n, stage) => n + (partsOf(stage)?.size ?? 0), 0);
  const coverage = expected === 0 ? 1 : Math.min(1, arrived / expected);

  const okDetections = [...parts.detector.values()].filter((p) => p.status === 'ok');
  const okTexts = [...parts.ocr.values()].filter((p) => p.status === 'ok');
  const okDescriptions = [...parts.llm.values()].filter((p) => p.status === 'ok');

  // Owner-only identifiers: collected once, kept out of every public field.
  const identifiers: SensitiveData['identifiers'] = [];
  for (const t of okTexts) {
    for (const id of t.sensitive_identifiers) {
      if (!identifiers.some((x) => x.kind === id.kind && x.value === id.value))
        identifiers.push({ kind: id.kind, value: id.value, photo_id: t.photo_id });
    }
  }
  const sensitiveValues = identifiers.map((i) => i.value);

  // Claims from every source.
  const claims: TagClaim[] = [];
  const objects: ContractDetectedObject[] = [];
  for (const d of okDetections) {
    const detectedNames = new Set<string>();
    for (const o of d.objects) {
      const confidence = clamp01(o.confidence);
      // A person is never a tag (not a lost item, and the matcher must not pair posts by who is in
      // them), but the detected object stays: "phone in a hand" is context, and it carries no identity.
      const item = isNeverTagged(o.label) ? null : canonicalItem(o.label);
      if (item) claims.push({ tag: item, category: 'object', source: 'detector', confidence, slot: null, label: o.label, model: o.model });
      if (confidence >= thresholds.discardBelow) {
        const name = objectName(o.label, item);
        detectedNames.add(name);
        objects.push({
          name,
          confidence: round(confidence),
          bounding_box: clampBox(o.box),
          attributes: { photo_id: d.photo_id, label: o.label, model: o.model, source: 'detector' },
        });
      }
    }
    for (const c of classifierItems(d.classifications)) {
      claims.push({
        tag: c.item,
        category: 'object',
        source: 'classifier',
        confidence: c.confidence,
        slot: 'item',
        label: c.labels[0],
        model: c.model,
      });
      // The classifier sees the whole photo, not a box: its item is listed as an object (without a box)
      // only when it is at least review-worthy and the detector did not already list it. This is how a
      // dog the detector scores under its cut-off (a dog hugged by a person) still reaches the objects.
      const name = objectName(c.name, c.item);
      if (c.confidence >= thresholds.humanReview && !detectedNames.has(name)) {
        objects.push({
          name,
          confidence: round(c.confidence),
          bounding_box: null,
          attributes: { photo_id: d.photo_id, label: c.labels.join('; '), model: c.model, source: 'classifier' },
        });
      }
    }
    for (const c of d.classifications) {
      if (canonicalItem(c.item) ?? canonicalItem(c.label)) continue;
      const scene = sceneForLabel(c.label);
      if (scene)
        claims.push({
          tag: scene,
          category: 'scene',
          source: 'classifier',
          confidence: clamp01(c.confidence),
          slot: null,
          label: normalizeLabel(c.label),
          model: c.model,
        });
    }
  }
  for (const t of okTexts) {
    const lines = t.lines.length > 0 ? t.lines : [{ text: t.text, confidence: t.confidence, box: null }];
    for (const line of lines) {
      // A legible brand word is strong evidence, but it may be printed on something else in the
      // photo (a bag, a poster): never more than 0.9 from one reading.
      const confidence = Math.min(0.9, unitConfidence(line.confidence));
      for (const hit of brandsInText(line.text)) {
        claims.push({ tag: hit.brand, category: 'brand', source: 'ocr', confidence, slot: 'brand', label: hit.brand });
        if (hit.item)
          claims.push({ tag: hit.item, category: 'object', source: 'ocr', confidence: confidence * 0.8, slot: null, label: hit.brand });
        // A brand that makes one kind of item is weaker evidence of it than a product word: the same
        // name is printed on its packaging, chargers and adverts.
        const implied = SINGLE_PRODUCT_BRANDS[hit.brand];
        if (implied)
          claims.push({ tag: implied, category: 'object', source: 'ocr', confidence: confidence * 0.7, slot: null, label: hit.brand });
      }
      // A document names itself ("PASSPORT", "DRIVER LICENSE"): evidence of the item no image model
      // has a class for. Not an exclusive claim: the words may be on a card lying next to the item.
      for (const hit of documentItemsInText(line.text)) {
        claims.push({
          tag: hit.item,
          category: 'object',
          source: 'ocr',
          confidence: confidence * hit.weight,
          slot: null,
          label: hit.phrase,
        });
      }
    }
    // A card's layout (HGT, SEX M, RESTRICTIONS; Member, Deductible; tel, fax) spans lines, so it is
    // read on the whole text. A card holds little text: a page full of prose that happens to list a
    // phone and a fax is a letter, not a card.
    const layout = lines.length <= MAX_CARD_LINES ? cardLayoutEvidence(lines.map((l) => l.text).join('\n')) : null;
    if (layout) {
      claims.push({
        tag: layout.item,
        category: 'object',
        source: 'ocr',
        confidence: Math.min(0.9, unitConfidence(t.confidence)) * layout.weight,
        slot: null,
        label: layout.kind,
      });
    }
  }
  for (const l of okDescriptions) {
    // The llm scores its category only; the other fields were not scored separately and get a discount.
    const confidence = clamp01(l.confidence);
    const item = canonicalItem(l.category);
    if (item)
      claims.push({ tag: item, category: 'object', source: 'llm', confidence, slot: 'item', label: normalizeLabel(l.category ?? item) });
    const brand = l.brand ? (canonicalBrand(l.brand) ?? normalizeLabel(l.brand)) : null;
    if (brand && isPublishableTag(brand, sensitiveValues))
      claims.push({ tag: brand, category: 'brand', source: 'llm', confidence: confidence * 0.9, slot: 'brand' });
    l.colors.forEach((raw, index) => {
      const color = canonicalColor(raw);
      if (color)
        claims.push({ tag: color, category: 'color', source: 'llm', confidence: confidence * (index === 0 ? 0.9 : 0.8), slot: null });
    });
    const material = l.material ? normalizeLabel(l.material) : null;
    if (material && isPublishableTag(material, sensitiveValues))
      claims.push({ tag: material, category: 'material', source: 'llm', confidence: confidence * 0.8, slot: 'material' });
    if (item && confidence >= thresholds.discardBelow) {
      const attributes: Record<string, string> = { photo_id: l.photo_id, source: 'llm' };
      if (brand && isPublishableTag(brand, sensitiveValues)) attributes['brand'] = brandDisplayName(brand);
      if (l.model && isPublishableTag(l.model, sensitiveValues)) attributes['model'] = l.model;
      if (material && isPublishableTag(material, sensitiveValues)) attributes['material'] = material;
      objects.push({ name: item, confidence: round(confidence), bounding_box: null, attributes });
    }
  }

  // Measured colours: the share of the (centre-weighted, background-damped) photo in a colour is the
  // claim that the item has it. Pixels do not know which of them are the item, so a colour alone
  // rarely reaches the auto tier; an llm naming the same colour raises it through agreement.
  for (const photo of manifest.photos) {
    if (!okPhotos.has(photo.photo_id)) continue;
    for (const c of photo.colors) {
      const color = canonicalColor(c.name);
      if (color)
        claims.push({
          tag: color,
          category: 'color',
          source: MEASURED_COLOR_SOURCE,
          confidence: clamp01(c.share),
          slot: null,
          label: c.name,
        });
    }
  }

  // Fuse, grade, drop.
  const tags: FusedTag[] = [];
  for (const fused of fuseClaims(claims)) {
    const confidence = round(fused.confidence);
    const tier = gradeConfidence(confidence, thresholds, policy);
    if (!tier) continue;
    const ranked = [...fused.bySource.entries()].sort((a, b) => b[1] - a[1]);
    tags.push({
      tag: fused.tag,
      category: fused.category,
      confidence,
      tier,
      sources: ranked.map(([s]) => s),
      evidence: fused.evidence,
      contractSource: contractSourceFor(fused.category, ranked[0]![0]),
    });
  }
  tags.sort((a, b) => b.confidence - a.confidence || a.tag.localeCompare(b.tag));

  const colors = measuredColors(manifest, okPhotos, tags);

  const sceneTag = tags.find((t) => t.category === 'scene');
  const sceneLabels = sceneTag
    ? claims.filter((c) => c.category === 'scene' && c.tag === sceneTag.tag && c.label).map((c) => c.label!)
    : [];
  const scene: ContractSceneAnalysis | null = sceneTag
    ? { primary_scene: sceneTag.tag, confidence: sceneTag.confidence, sub_scenes: [...new Set(sceneLabels)] }
    : null;

  const textContent: ContractExtractedText[] = [];
  const seenText = new Set<string>();
  for (const t of okTexts) {
    for (const line of t.lines) {
      const confidence = unitConfidence(line.confidence);
      const text = maskIdentifiers(line.text, identifiers).trim();
      if (!text || confidence < thresholds.discardBelow || seenText.has(text.toLowerCase())) continue;
      seenText.add(text.toLowerCase());
      textContent.push({ text, confidence: round(confidence), bounding_box: clampBox(line.box) });
    }
  }
  textContent.sort((a, b) => b.confidence - a.confidence);
  textContent.splice(30);

  objects.sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
  objects.splice(25);

  const overall = overallConfidence(tags);
  const modelVersions: Record<string, Set<string>> = {};
  const stageTimings: Record<string, number> = {};
  for (const [stage, byPhoto] of Object.entries(parts)) {
    for (const part of byPhoto.values()) {
      for (const [k, v] of Object.entries(part.model_versions)) (modelVersions[k] ??= new Set()).add(v);
      const key = STAGE_TIMING_KEYS[stage] ?? stage;
      // Photos run in parallel: the slowest photo is the stage's latency.
      stageTimings[key] = Math.max(stageTimings[key] ?? 0, Math.max(0, Math.round(part.duration_ms)));
    }
  }

  return {
    tags,
    objects,
    colors,
    scene,
    textContent,
    description: buildDescription(okDescriptions, tags, identifiers),
    overallConfidence: overall,
    level: enhancementLevel(overall, thresholds, policy),
    policy,
    missingStages,
    failedPhotos,
    sensitive: identifiers.length > 0 ? { classification: 'owner_only', identifiers } : null,
    // Two versions of one model only appear mid-rollout; both are named rather than one hidden.
    modelVersions: Object.fromEntries(
      Object.entries(modelVersions)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, [...v].sort().join(',')]),
    ),
    stageTimings,
    coverage,
  };
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

/**
 * The llm's description when one exists (the most confident photo's), identifiers masked. Otherwise a
 * sentence from tags at suggest tier or above only: weak guesses are not stated as facts.
 */
export function buildDescription(
  descriptions: readonly DescriptionRecord[],
  tags: readonly FusedTag[],
  identifiers: ReadonlyArray<{ kind: string; value: string }>,
): string | null {
  const best = [...descriptions].filter((d) => d.description && d.description.trim()).sort((a, b) => b.confidence - a.confidence)[0];
  if (best?.description) return maskIdentifiers(best.description.trim(), identifiers);
  const sure = tags.filter((t) => t.tier === 'auto_apply' || t.tier === 'suggest');
  const items = sure.filter((t) => t.category === 'object');
  const item = items[0];
  if (!item) return null;
  const colors = sure
    .filter((t) => t.category === 'color')
    .slice(0, 2)
    .map((t) => t.tag);
  const brand = sure.find((t) => t.category === 'brand');
  const material = sure.find((t) => t.category === 'material');
  const words = [colors.join(' and '), brand ? brandDisplayName(brand.tag) : '', item.tag].filter(Boolean).join(' ');
  let sentence = `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
  if (material) sentence += ` (${material.tag})`;
  sentence += '.';
  const others = items.slice(1, 4).map((t) => t.tag);
  if (others.length > 0) sentence += ` Also visible: ${others.join(', ')}.`;
  const scene = sure.find((t) => t.category === 'scene');
  if (scene) sentence += ` Scene: ${scene.tag.replace(/_/g, ' ')}.`;
  return sentence;
}

// ---------------------------------------------------------------------------------------------
// fusePost: the platform envelope
// ---------------------------------------------------------------------------------------------

const toAITag = (t: FusedTag): AITag => ({ tag: t.tag, confidence: t.confidence, source: t.contractSource, category: t.category });

/**
 * The post.enhanced event for one post revision. Throws MediaAiError MEDIA_AI_BAD_EVENT when the post
 * lacks facts the platform contract requires (see platform.ts); the caller publishes a
 * processing.error instead.
 */
export function fusePost(input: FusePostInput): PostEnhancedEvent {
  const { manifest, now } = input;
  const e = fuseAnalysis(input);
  const receivedAtIso = new Date(manifest.received_at).toISOString();
  const nowIso = new Date(now).toISOString();
  const rawPost = parseJsonObject(manifest.original_post_json);
  const rawOwner = parseJsonObject(manifest.post_owner_json);
  const rawPostObj =
    rawPost && !('id' in rawPost) && typeof rawPost['post'] === 'object' ? (rawPost['post'] as Record<string, unknown>) : rawPost;
  const postUserId = typeof rawPostObj?.['user_id'] === 'string' && rawPostObj['user_id'] ? rawPostObj['user_id'] : null;
  const ownerUserId = typeof rawOwner?.['user_id'] === 'string' && rawOwner['user_id'] ? rawOwner['user_id'] : null;
  const originalPost = toContractPost(rawPost, ownerUserId, {
    postId: manifest.post_id,
    title: manifest.post_title,
    description: manifest.post_description,
    type: manifest.post_type,
    organizationId: manifest.organization_id,
    receivedAtIso,
    manifestPhotos: manifest.photos,
  });
  const owner = toContractOwner(rawOwner, postUserId ?? originalPost.user_id);
  const organization = toContractOrganization(parseJsonObject(manifest.organization_json));

  const autoTags = e.tags.filter((t) => t.tier === 'auto_apply');
  const applied = e.level === 'auto_enhance';
  const enhancedDescription = applied ? e.description : null;
  const changes: EnhancementChange[] = [];
  if (autoTags.length > 0) changes.push('added_tags');
  if (enhancedDescription) changes.push('enhanced_description');
  if (e.objects.length > 0) changes.push('detected_objects');
  if (e.textContent.length > 0) changes.push('extracted_text');
  if (e.colors.length > 0) changes.push('color_analysis');
  const areas: ImprovementArea[] = [];
  if (e.tags.length > 0) areas.push('searchability');
  // The matcher compares tags with confidence > 0.8 only.
  const matchable = e.tags.some((t) => t.confidence > 0.8);
  if (matchable) areas.push('matchability');
  if (e.description) areas.push('description_quality');
  if (e.tags.some((t) => t.category === 'object')) areas.push('categorization');

  const enhancedMetadata: EnhancedMetadata = {
    enhanced_description: enhancedDescription,
    tags: autoTags.map(toAITag),
    attributes: { objects: e.objects, colors: e.colors, scene: e.scene, text_content: e.textContent },
    enhancement_summary: {
      changes_made: changes,
      improvement_areas: areas,
      // Confidence in what we say, scaled by how much of the expected analysis we actually had.
      quality_score: round(e.overallConfidence * e.coverage),
    },
  };
  const processingTimeMs = Math.max(0, Math.round(now - manifest.received_at));
  const aiAnalysis: AIMetadata = {
    processing_triggered: true,
    processing_status: 'completed',
    confidence_score: e.overallConfidence,
    tags: e.tags.map(toAITag),
    objects: e.objects,
    colors: e.colors,
    scene: e.scene,
    text_content: e.textContent,
    processing_metrics: {
      total_processing_time_ms: processingTimeMs,
      started_at: receivedAtIso,
      completed_at: nowIso,
      stage_timings: e.stageTimings,
    },
    model_versions: e.modelVersions,
  };
  const significant = changes.filter((c) => c === 'added_tags' || c === 'enhanced_description');
  const downstream: DownstreamActions = {
    reindex_required: e.tags.length > 0 || e.description !== null,
    matching_update_required: matchable,
    notification_policy: { notify_user: e.policy.notifyOnEnhancement && significant.length > 0, significant_changes: significant },
  };

  return {
    id: input.eventId ?? enrichmentEventId(manifest.post_id, manifest.revision),
    event_type: 'post.enhanced',
    timestamp: nowIso,
    version: 1,
    correlation_id: manifest.correlation_id,
    data: {
      post_id: manifest.post_id,
      revision: manifest.revision,
      original_post: originalPost,
      post_owner: owner,
      organization,
      enhanced_metadata: enhancedMetadata,
      ai_analysis: aiAnalysis,
      downstream_actions: downstream,
      ai_confidence: e.overallConfidence,
      enhancement_level: e.level,
      processing_time_ms: processingTimeMs,
      model_versions: e.modelVersions,
      missing_stages: e.missingStages,
      failed_photos: e.failedPhotos,
      tag_grades: e.tags.map(({ contractSource: _s, ...grade }) => grade),
      generated_description: e.description,
      sensitive: e.sensitive,
    },
  };
}
