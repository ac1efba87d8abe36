/**
 * The colours the fetcher measured on each photo (name, measured hex, share of the centre-weighted,
 * background-damped photo), as a claim source of their own and as the published colour analysis.
 * Pure; must never publish a hex that was not measured.
 */
import type { ContractColorAnalysis, ManifestPhoto, TagEvidenceSource } from '@media-ai/contracts';
import { MAX_PUBLISHED_COLORS } from '../calibration.js';
import type { TagClaim } from '../claims.js';
import { clamp01, round } from '../units.js';
import { canonicalColor } from '../vocabulary.js';

/** The fetcher's pixel measurement of a photo's colours, as a claim source of its own. */
export const MEASURED_COLOR_SOURCE: TagEvidenceSource = 'color_analysis';

/**
 * The share of a photo in a colour is the claim that the item has it. Pixels do not know which of them
 * are the item, so a colour alone rarely reaches the auto tier; an llm naming the same colour raises it
 * through agreement. `photos`: the photos the fetcher got.
 */
export function measuredColorClaims(photos: readonly ManifestPhoto[]): TagClaim[] {
  const claims: TagClaim[] = [];
  for (const photo of photos) {
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
  return claims;
}

/**
 * The published colour analysis: name, measured hex, and the photo's share in it as the confidence
 * (the share is what was measured; how sure we are that the item has that colour is the tag's
 * confidence). One entry per name over the post, from the photo where it covers most; dominant = the
 * largest colour of some photo. Named colours the tags dropped below the discard floor are still
 * listed: a 10 % red stripe is a measurement, not a claim about the item. Equal shares are ordered as
 * the colour tags are (`colorTagOrder`, strongest first).
 */
export function measuredColors(photos: readonly ManifestPhoto[], colorTagOrder: readonly string[]): ContractColorAnalysis[] {
  const best = new Map<string, { hex: string; share: number; dominant: boolean }>();
  for (const photo of photos) {
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
  const tagRank = new Map(colorTagOrder.map((tag, i) => [tag, i]));
  const rank = (name: string) => tagRank.get(name) ?? colorTagOrder.length;
  return [...best]
    .sort(([a, x], [b, y]) => y.share - x.share || rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, MAX_PUBLISHED_COLORS)
    .map(([name, c]) => ({ color_name: name, hex_code: c.hex, confidence: round(c.share), dominant: c.dominant }));
}
