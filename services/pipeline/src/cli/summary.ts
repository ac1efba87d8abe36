/**
 * The human-readable summary `media-ai analyze` prints per photo: what was seen, the item, the
 * colours, the text (already redacted), the tags by tier, the description, and what the post-level
 * figure is and does. Pure formatting of a published event: it shows nothing the event does not carry.
 */
import type { PostEnhancedEvent, TagGrade, TagTier } from '@media-ai/contracts';
import { OVERALL_TOP_TAGS } from '@media-ai/enrich';
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
  lines.push(...overallLines(data));
  lines.push(`  time:    ${data.processing_time_ms} ms`);
  return lines.join('\n');
}

/**
 * The post-level figure is not any one tag's: it is the mean of the strongest few (libs/enrich), and
 * it decides only whether the description is applied. Auto tags are applied on their own confidence,
 * so a 94 % auto tag beside a 61 % post is no contradiction once both are named for what they are.
 */
function overallLines(data: PostEnhancedEvent['data']): string[] {
  const top = [...data.tag_grades].sort((a, b) => b.confidence - a.confidence).slice(0, OVERALL_TOP_TAGS);
  const mean =
    top.length > 0 ? ` (mean of the ${top.length} strongest tags: ${top.map((g) => `${g.tag} ${pct(g.confidence)}`).join(', ')})` : '';
  const autoTags = data.enhanced_metadata.tags.length;
  const descriptionApplied = data.enhanced_metadata.enhanced_description !== null;
  const applied = [
    autoTags > 0 ? (autoTags === 1 ? 'the auto tag' : 'the auto tags') : null,
    descriptionApplied ? 'the description' : null,
  ].filter((x): x is string => x !== null);
  let effect =
    applied.length === 0 ? 'nothing is applied' : `${applied.join(' and ')} ${applied.length > 1 || autoTags > 1 ? 'are' : 'is'} applied`;
  if (data.generated_description && !descriptionApplied) effect += '; the description is only suggested';
  return [`  overall: ${pct(data.ai_confidence)}${mean}`, `           level ${data.enhancement_level}: ${effect}`];
}
