/**
 * A reviewer's decision applied to a published post.enhanced: the next revision of the post, with the
 * tag accepted (auto-apply, the reviewer as a source), rejected (gone, with the objects and colours of that name)
 * or corrected (the item replaced by the one the reviewer named, auto-apply). Pure; the caller passes
 * `now` and publishes the result.
 *
 * It must never invent a tag the reviewer did not name, never keep a rejected one anywhere in the
 * event, and never carry who reviewed into the event beyond the source 'reviewer' (the reviewer's
 * name stays on media-ai.reviews and in the audit log).
 */
import {
  LOST_AND_FOUND_ITEMS,
  MediaAiError,
  type AITag,
  type AITagSource,
  type EnhancementChange,
  type PostEnhancedEvent,
  type ReviewDecisionRecord,
  type TagEvidence,
  type TagGrade,
} from '@media-ai/contracts';
import { enrichmentEventId } from './event-id.js';

/** The evidence a reviewer adds: a person's word, full confidence, no model. */
const REVIEWER_EVIDENCE: TagEvidence = { source: 'reviewer', label: null, model: null, confidence: 1 };
/** The schema's bound on evidence per tag. */
const MAX_EVIDENCE = 6;

/** The tiers a person is asked about; an auto-apply tag is published unreviewed and is not the desk's. */
export const REVIEWABLE_TIERS: ReadonlySet<string> = new Set(['suggest', 'human_review']);

/** Whether `item` is a taxonomy item a tag may be corrected to. */
export function isCorrectableItem(item: string): boolean {
  return LOST_AND_FOUND_ITEMS.some((i) => i.tag === item);
}

/** Whether the decision was already applied to `event` (a redelivery, or a second click on the same tag). */
function alreadyApplied(grades: readonly TagGrade[], decision: ReviewDecisionRecord): boolean {
  const grade = grades.find((g) => g.tag === decision.tag);
  if (decision.action === 'accept') return !grade || grade.sources.includes('reviewer');
  return !grade; // rejected or corrected away
}

function reviewed(grade: TagGrade, tag: string = grade.tag): TagGrade {
  const sources = grade.sources.includes('reviewer') ? grade.sources : [...grade.sources, 'reviewer' as const];
  const evidence = [REVIEWER_EVIDENCE, ...grade.evidence.filter((e) => e.source !== 'reviewer')].slice(0, MAX_EVIDENCE);
  return { ...grade, tag, tier: 'auto_apply', confidence: 1, sources, evidence };
}

/**
 * The post's next revision (revision + 1, its own event id) with the decision applied, or null when
 * the decision changes nothing (the tag is gone or already decided: a redelivery is a no-op).
 * @throws MEDIA_AI_BAD_RECORD when the decision is about another post, or corrects to no taxonomy item.
 */
export function applyReviewDecision(event: PostEnhancedEvent, decision: ReviewDecisionRecord, now: number): PostEnhancedEvent | null {
  const { data } = event;
  if (decision.post_id !== data.post_id) {
    throw new MediaAiError('MEDIA_AI_BAD_RECORD', `A decision about post ${decision.post_id} cannot change post ${data.post_id}`);
  }
  if (decision.action === 'correct' && !(decision.corrected_to && isCorrectableItem(decision.corrected_to))) {
    throw new MediaAiError('MEDIA_AI_BAD_RECORD', 'A correction must name an item of the taxonomy');
  }
  if (alreadyApplied(data.tag_grades, decision)) return null;

  const sourceOf = new Map((data.ai_analysis.tags ?? []).map((t) => [t.tag, t.source]));
  let grades: TagGrade[];
  let objects = data.ai_analysis.objects ?? [];
  // A rejected colour leaves the colour lists too, not only the tags.
  let colors = data.ai_analysis.colors;
  let attributeColors = data.enhanced_metadata.attributes.colors;
  if (decision.action === 'accept') {
    grades = data.tag_grades.map((g) => (g.tag === decision.tag ? reviewed(g) : g));
  } else if (decision.action === 'reject') {
    grades = data.tag_grades.filter((g) => g.tag !== decision.tag);
    objects = objects.filter((o) => o.name !== decision.tag);
    colors = colors?.filter((c) => c.color_name !== decision.tag);
    attributeColors = attributeColors?.filter((c) => c.color_name !== decision.tag);
  } else {
    const item = decision.corrected_to!;
    const wrong = data.tag_grades.find((g) => g.tag === decision.tag)!;
    // The item may already be a tag of its own: the correction confirms that one.
    const existing = data.tag_grades.find((g) => g.tag === item);
    const corrected = reviewed(existing ?? { ...wrong, category: 'object' }, item);
    grades = data.tag_grades.filter((g) => g.tag !== decision.tag && g.tag !== item).concat(corrected);
    objects = objects.map((o) => (o.name === decision.tag ? { ...o, name: item } : o));
    if (!existing) sourceOf.set(item, 'object_detection');
  }
  grades.sort((a, b) => b.confidence - a.confidence || a.tag.localeCompare(b.tag));

  const toAITag = (g: TagGrade): AITag => ({
    tag: g.tag,
    confidence: g.confidence,
    source: sourceOf.get(g.tag) ?? contractSourceOf(g),
    category: g.category,
  });
  const autoTags = grades.filter((g) => g.tier === 'auto_apply').map(toAITag);
  const changes: EnhancementChange[] = data.enhanced_metadata.enhancement_summary.changes_made.filter((c) => c !== 'added_tags');
  if (autoTags.length > 0) changes.unshift('added_tags');
  const revision = data.revision + 1;
  const attributes = { ...data.enhanced_metadata.attributes, objects, ...(attributeColors ? { colors: attributeColors } : {}) };

  return {
    ...event,
    id: enrichmentEventId(data.post_id, revision),
    timestamp: new Date(now).toISOString(),
    data: {
      ...data,
      revision,
      tag_grades: grades,
      enhanced_metadata: {
        ...data.enhanced_metadata,
        tags: autoTags,
        attributes,
        enhancement_summary: { ...data.enhanced_metadata.enhancement_summary, changes_made: changes },
      },
      ai_analysis: { ...data.ai_analysis, tags: grades.map(toAITag), objects, ...(colors ? { colors } : {}) },
    },
  };
}

/** The contract's source for a tag the analysis did not list (as fusion maps categories). */
function contractSourceOf(grade: TagGrade): AITagSource {
  if (grade.category === 'color') return 'color_analysis';
  if (grade.category === 'scene') return 'scene_analysis';
  if (grade.category === 'brand' || grade.category === 'text') return 'text_extraction';
  return 'object_detection';
}
