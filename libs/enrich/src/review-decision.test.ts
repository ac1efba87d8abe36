import { MediaAiError, validatePostEnhanced, type PostEnhancedEvent, type ReviewDecisionRecord } from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator } from '@media-ai/contracts/test-support';
import { describe, expect, it } from 'vitest';
import { enrichmentEventId } from './event-id.js';
import { DEFAULT_THRESHOLDS, fusePost } from './fuse.js';
import { applyReviewDecision } from './review-decision.js';
import { NOW, PHOTO_1, POST_ID, detections, manifest } from './test-support/fixtures.js';

/** A phone the detector is unsure of and a backpack it barely sees: both wait for a person. */
function unsureEvent(): PostEnhancedEvent {
  const event = fusePost({
    manifest: manifest({ expected_stages: ['detector'] }),
    detections: [
      detections(PHOTO_1, [
        ['cell phone', 0.62],
        ['backpack', 0.52],
      ]),
    ],
    texts: [],
    descriptions: [],
    thresholds: DEFAULT_THRESHOLDS,
    now: NOW,
  });
  if (event.event_type !== 'post.enhanced') throw new Error('expected post.enhanced');
  return event;
}

function decision(fields: Partial<ReviewDecisionRecord>): ReviewDecisionRecord {
  return {
    decision_id: '0d2c4e6f-1a3b-4c5d-8e7f-9a0b1c2d3e4f',
    post_id: POST_ID,
    revision: 1,
    tenant: 'org',
    reviewer: 'moderator-1',
    decided_at: NOW + 60_000,
    tag: 'phone',
    tier: 'human_review',
    confidence: 0.6,
    action: 'accept',
    corrected_to: null,
    ...fields,
  };
}

const later = NOW + 61_000;

describe('applyReviewDecision', () => {
  const platform = loadPlatformPostEnhancedValidator();

  it('grades the unsure tags for review to begin with (the fixture is what the desk sees)', () => {
    const tiers = Object.fromEntries(unsureEvent().data.tag_grades.map((g) => [g.tag, g.tier]));
    expect(tiers.phone).toMatch(/^(suggest|human_review)$/);
    expect(tiers.backpack).toMatch(/^(suggest|human_review)$/);
  });

  it('makes an accepted tag auto-apply with the reviewer as a source, in the next revision', () => {
    const before = unsureEvent();
    const after = applyReviewDecision(before, decision({ action: 'accept' }), later)!;
    expect(after.data.revision).toBe(before.data.revision + 1);
    expect(after.id).toBe(enrichmentEventId(POST_ID, before.data.revision + 1));
    const phone = after.data.tag_grades.find((g) => g.tag === 'phone')!;
    expect(phone).toMatchObject({ tier: 'auto_apply', confidence: 1 });
    expect(phone.sources).toContain('reviewer');
    expect(phone.evidence[0]).toEqual({ source: 'reviewer', label: null, model: null, confidence: 1 });
    expect(after.data.enhanced_metadata.tags.map((t) => t.tag)).toContain('phone');
    expect(after.data.enhanced_metadata.enhancement_summary.changes_made).toContain('added_tags');
    expect(validatePostEnhanced(after).errors).toEqual([]);
    expect(platform(after).errors).toEqual([]);
  });

  it('removes a rejected colour from the colour lists too', () => {
    const before = unsureEvent();
    const black = { color_name: 'black', hex_code: '#1c1c1e', confidence: 0.55, dominant: true };
    const white = { color_name: 'white', hex_code: '#f4f4f4', confidence: 0.3, dominant: false };
    before.data.ai_analysis.colors = [black, white];
    before.data.enhanced_metadata.attributes.colors = [black, white];
    before.data.tag_grades.push({
      tag: 'black',
      category: 'color',
      confidence: 0.55,
      tier: 'human_review',
      sources: ['color_analysis'],
      evidence: [{ source: 'color_analysis', label: 'phone', model: 'yolox-nano', confidence: 0.55 }],
    });
    const after = applyReviewDecision(before, decision({ action: 'reject', tag: 'black', tier: 'human_review', confidence: 0.55 }), later)!;
    expect(after.data.tag_grades.map((g) => g.tag)).not.toContain('black');
    expect(after.data.ai_analysis.colors?.map((c) => c.color_name)).toEqual(['white']);
    expect(after.data.enhanced_metadata.attributes.colors?.map((c) => c.color_name)).toEqual(['white']);
    expect(JSON.stringify(after.data)).not.toContain('"black"');
    expect(validatePostEnhanced(after).errors).toEqual([]);
    expect(platform(after).errors).toEqual([]);
  });

  it('removes a rejected tag everywhere, objects of that name included', () => {
    const after = applyReviewDecision(unsureEvent(), decision({ action: 'reject', tag: 'backpack' }), later)!;
    expect(after.data.tag_grades.map((g) => g.tag)).not.toContain('backpack');
    expect(after.data.ai_analysis.tags!.map((t) => t.tag)).not.toContain('backpack');
    expect(JSON.stringify(after.data.ai_analysis.objects)).not.toContain('backpack');
    expect(JSON.stringify(after.data.enhanced_metadata.attributes)).not.toContain('backpack');
    expect(validatePostEnhanced(after).errors).toEqual([]);
  });

  it('replaces a corrected item with the taxonomy item the reviewer named', () => {
    const after = applyReviewDecision(unsureEvent(), decision({ action: 'correct', tag: 'backpack', corrected_to: 'bag' }), later)!;
    const tags = after.data.tag_grades.map((g) => g.tag);
    expect(tags).not.toContain('backpack');
    expect(after.data.tag_grades.find((g) => g.tag === 'bag')).toMatchObject({ tier: 'auto_apply' });
    expect(validatePostEnhanced(after).errors).toEqual([]);
    expect(platform(after).errors).toEqual([]);
  });

  it('changes nothing when applied again (a redelivered decision)', () => {
    const once = applyReviewDecision(unsureEvent(), decision({ action: 'accept' }), later)!;
    expect(applyReviewDecision(once, decision({ action: 'accept' }), later)).toBeNull();
    const rejected = applyReviewDecision(unsureEvent(), decision({ action: 'reject' }), later)!;
    expect(applyReviewDecision(rejected, decision({ action: 'reject' }), later)).toBeNull();
  });

  it('refuses a correction to something that is no item, and a decision about another post', () => {
    const bad = () => applyReviewDecision(unsureEvent(), decision({ action: 'correct', corrected_to: 'spaceship' }), later);
    expect(bad).toThrow(MediaAiError);
    expect(bad).toThrow(/taxonomy/);
    expect(() => applyReviewDecision(unsureEvent(), decision({ post_id: 'another' }), later)).toThrow(/cannot change/);
  });
});
