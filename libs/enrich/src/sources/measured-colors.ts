/**
 * Measured colours as claims and as the published colour analysis, from two measurements: the item's
 * own colours, measured by the detector stage inside each object's box against its surroundings (the
 * claim names its item: "black" with evidence "phone"), and the fetcher's whole-photo palette (name,
 * measured hex, share of the centre-weighted, background-damped photo), a weaker claim of its own.
 * Pure; must never publish a hex that was not measured.
 */
import type {
  ConfidenceThresholds,
  ContractColorAnalysis,
  DetectionsRecord,
  ManifestPhoto,
  NamedColor,
  TagEvidenceSource,
  TextsRecord,
} from '@media-ai/contracts';
import {
  ITEM_COLOR_WEIGHT,
  MAX_COLORED_ITEMS_PER_PHOTO,
  MAX_PUBLISHED_COLORS,
  PHOTO_PALETTE_WEIGHT,
  SALIENT_OBJECT_COLOR_WEIGHT,
} from '../calibration.js';
import type { TagClaim } from '../claims.js';
import { clamp01, round } from '../units.js';
import { canonicalColor, canonicalItem, isNeverTagged, normalizeLabel } from '../vocabulary.js';
import { documentColors, documentEvidence, documentFillingFrame, isDocumentLike } from './frame-document.js';
import { salientItem } from './item-boxes.js';

/** The fetcher's pixel measurement of a photo's colours, as a claim source of its own. */
export const MEASURED_COLOR_SOURCE: TagEvidenceSource = 'color_analysis';

/** One detected thing's measured colours, with the name its colour claims give it in their evidence. */
export interface ColoredItem {
  /** The canonical item (phone), or the detector's own label for a non-item (car). */
  item: string;
  model: string;
  /** The detector's confidence in the box (the classifier's in the item, for a salient object). */
  confidence: number;
  colors: readonly NamedColor[];
  /** How much its colour shares count for: ITEM_COLOR_WEIGHT in a detector box, SALIENT_OBJECT_COLOR_WEIGHT in the salient object. */
  weight: number;
}

/**
 * The objects whose colours count, per photo: not a person (never tagged; its box holds clothes and
 * skin, not a lost item), confident at least to the discard floor, measured; the most confident
 * MAX_COLORED_ITEMS_PER_PHOTO of each photo, so a street's tenth car does not colour the post. And the
 * item only the classifier names (a pen, a passport: no detector class, so no box): when no detected
 * object is that item, the photo's salient object stands in for its box. A document or card filling
 * the frame (frame-document.ts: named by the text read or a model, its text or box spanning the frame)
 * is the item instead, with the whole photo's colours: its salient object is the portrait or the text
 * block inside it. `texts` and `photos` (the fetcher's palettes) give that rule its facts; without them
 * it never fires.
 */
export function coloredItems(
  detections: readonly DetectionsRecord[],
  thresholds: ConfidenceThresholds,
  texts: readonly TextsRecord[] = [],
  photos: readonly ManifestPhoto[] = [],
): ColoredItem[] {
  return detections.flatMap((part) => {
    const boxed: ColoredItem[] = part.objects
      .filter((o) => !isNeverTagged(o.label) && o.confidence >= thresholds.discardBelow && (o.colors?.length ?? 0) > 0)
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, MAX_COLORED_ITEMS_PER_PHOTO)
      .map((o) => ({
        item: canonicalItem(o.label) ?? normalizeLabel(o.label),
        model: o.model,
        confidence: o.confidence,
        colors: o.colors ?? [],
        weight: ITEM_COLOR_WEIGHT,
      }));
    const palette = photos.find((p) => p.photo_id === part.photo_id)?.colors ?? [];
    const document =
      palette.length > 0
        ? documentFillingFrame(
            documentEvidence(
              part,
              texts.find((t) => t.photo_id === part.photo_id),
              thresholds,
            ),
          )
        : null;
    if (document) {
      // The document is the item: its colours are the frame's, and what lies inside it (the salient
      // portrait, a detected document-like box measured against its own rim) is not another item.
      const others = boxed.filter((b) => b.item !== document.item && !isDocumentLike(b.item));
      return [...others, { ...document, colors: documentColors(palette), weight: ITEM_COLOR_WEIGHT }];
    }
    const salient = salientItem(part, thresholds);
    return salient ? [...boxed, { ...salient, weight: SALIENT_OBJECT_COLOR_WEIGHT }] : boxed;
  });
}

/**
 * An item's share in a colour is the claim that the item has it (x its weight), its evidence
 * naming the item. The photo's share in a colour is a weaker claim (x PHOTO_PALETTE_WEIGHT): pixels of
 * the whole photo do not know which of them are the item. An llm naming the same colour raises either
 * through agreement. `photos`: the photos the fetcher got.
 */
export function measuredColorClaims(photos: readonly ManifestPhoto[], items: readonly ColoredItem[] = []): TagClaim[] {
  const claims: TagClaim[] = [];
  const claim = (name: string, share: number, weight: number, label: string, model?: string): void => {
    const color = canonicalColor(name);
    if (!color) return;
    const confidence = clamp01(share) * weight;
    claims.push({
      tag: color,
      category: 'color',
      source: MEASURED_COLOR_SOURCE,
      confidence,
      slot: null,
      label,
      ...(model ? { model } : {}),
    });
  };
  for (const { item, model, colors, weight } of items) for (const c of colors) claim(c.name, c.share, weight, item, model);
  for (const photo of photos) for (const c of photo.colors) claim(c.name, c.share, PHOTO_PALETTE_WEIGHT, c.name);
  return claims;
}

/**
 * The published colour analysis: name, measured hex, and the measured share as the confidence (the
 * share is what was measured; how sure we are that the item has that colour is the tag's confidence).
 * The items' colours come first (share of the item, dominant = an item's largest colour), then the
 * photos' palette (share of the photo, dominant = a photo's largest colour) for names no item has.
 * One entry per name over the post, where it covers most; named colours the tags dropped below the
 * discard floor are still listed: a 10 % red stripe is a measurement, not a claim about the item.
 * Equal shares are ordered as the colour tags are (`colorTagOrder`, strongest first).
 */
export function measuredColors(
  photos: readonly ManifestPhoto[],
  colorTagOrder: readonly string[],
  items: readonly ColoredItem[] = [],
): ContractColorAnalysis[] {
  const tagRank = new Map(colorTagOrder.map((tag, i) => [tag, i]));
  const rank = (name: string) => tagRank.get(name) ?? colorTagOrder.length;
  const ofItems = strongestByName(items.map((i) => i.colors));
  const ofPhotos = strongestByName(photos.map((p) => p.colors));
  for (const name of ofItems.keys()) ofPhotos.delete(name);
  const ordered = (best: Map<string, { hex: string; share: number; dominant: boolean }>) =>
    [...best].sort(([a, x], [b, y]) => y.share - x.share || rank(a) - rank(b) || a.localeCompare(b));
  return [...ordered(ofItems), ...ordered(ofPhotos)]
    .slice(0, MAX_PUBLISHED_COLORS)
    .map(([name, c]) => ({ color_name: name, hex_code: c.hex, confidence: round(c.share), dominant: c.dominant }));
}

/** Per colour name, the measurement where it covers most; dominant when it is the largest of some measurement. */
function strongestByName(
  measurements: ReadonlyArray<readonly NamedColor[]>,
): Map<string, { hex: string; share: number; dominant: boolean }> {
  const best = new Map<string, { hex: string; share: number; dominant: boolean }>();
  for (const colors of measurements) {
    const measured = colors.filter((c) => canonicalColor(c.name) && /^#[0-9a-f]{6}$/i.test(c.hex));
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
  return best;
}
