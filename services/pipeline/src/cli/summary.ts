/**
 * The human-readable summary `media-ai analyze` prints per photo: what was seen, the item, the
 * colours, the text (already redacted) and the tags by tier. Pure formatting of a published event:
 * it shows nothing the event does not carry.
 */
import type { PostEnhancedEvent, TagGrade, TagTier } from '@media-ai/contracts';
import type { EnrichmentEvent } from '../embedded/enrichment-observer.js';

const TIER_LABELS: ReadonlyArray<[TagTier, string]> = [
  ['auto_apply', 'auto'],
  ['suggest', 'suggest'],
  ['human_review', 'review'],
];

const pct = (value: number) => `${Math.round(value * 100)}%`;

function isEnhanced(event: EnrichmentEvent): event is PostEnhancedEvent {
  return event.event_type === 'post.enhanced';
}

/** The item is the strongest object-category tag: what a matcher would file the post under. */
export function primaryItem(grades: readonly TagGrade[]): TagGrade | undefined {
  return grades.filter((g) => g.category === 'object' && g.tier !== 'low').sort((a, b) => b.confidence - a.confidence)[0];
}

export function formatSummary(label: string, event: EnrichmentEvent): string {
  const lines = [label];
  if (!isEnhanced(event)) {
    const failure = event.data.failed_photos[0];
    lines.push(`  error:   ${event.data.error_code}${failure?.error ? ` (${failure.error})` : ''}`);
    return lines.join('\n');
  }
  const data = event.data;
  const attributes = data.enhanced_metadata.attributes;
  const item = primaryItem(data.tag_grades);
  lines.push(`  item:    ${item ? `${item.tag} (${pct(item.confidence)}, from ${item.sources.join('+')})` : '-'}`);
  const objects = (attributes.objects ?? []).map((o) => `${o.name} ${pct(o.confidence)}`);
  lines.push(`  objects: ${objects.length > 0 ? objects.join(', ') : '-'}`);
  const colors = (attributes.colors ?? []).map((c) => `${c.color_name} ${c.hex_code}`);
  lines.push(`  colours: ${colors.length > 0 ? colors.join(', ') : '-'}`);
  const texts = (attributes.text_content ?? []).map((t) => JSON.stringify(t.text));
  lines.push(`  text:    ${texts.length > 0 ? texts.join(' ') : '-'}`);
  if (data.enhanced_metadata.attributes.scene) lines.push(`  scene:   ${data.enhanced_metadata.attributes.scene.primary_scene}`);
  for (const [tier, name] of TIER_LABELS) {
    const tags = data.tag_grades.filter((g) => g.tier === tier).map((g) => `${g.tag} ${pct(g.confidence)}`);
    if (tags.length > 0) lines.push(`  ${`${name}:`.padEnd(8)} ${tags.join(', ')}`);
  }
  if (data.generated_description) lines.push(`  about:   ${data.generated_description}`);
  if (data.missing_stages.length > 0) lines.push(`  missing: ${data.missing_stages.join(', ')}`);
  for (const failed of data.failed_photos)
    lines.push(`  failed:  ${failed.stage} ${failed.error_code}${failed.error_message ? ` (${failed.error_message})` : ''}`);
  lines.push(`  overall: ${pct(data.ai_confidence)} (${data.enhancement_level}), ${data.processing_time_ms} ms`);
  return lines.join('\n');
}
