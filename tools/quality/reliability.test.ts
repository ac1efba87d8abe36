import { describe, expect, it } from 'vitest';
import type { TagTier } from '@media-ai/contracts';
import { autoApplyByCategory, formatReliability, reliabilityByConfidence, reliabilityByTier } from './reliability.js';
import type { JudgedTag } from './score.js';

const tag = (confidence: number, tier: TagTier, right: boolean | null, category: JudgedTag['category'] = 'object'): JudgedTag => ({
  tag: 't',
  category,
  confidence,
  tier,
  right,
});

describe('reliability', () => {
  const tags = [
    tag(0.95, 'auto_apply', true),
    tag(0.9, 'auto_apply', false, 'color'),
    tag(1, 'auto_apply', true),
    tag(0.72, 'suggest', true),
    tag(0.75, 'suggest', null, 'scene'),
    tag(0.31, 'low', false),
  ];

  it('buckets by 0.1 of confidence, 1 in the last bucket, unjudged tags left out', () => {
    const rows = reliabilityByConfidence(tags);
    expect(rows.map((r) => [r.bucket, r.tags, r.right])).toEqual([
      ['0.3-0.4', 1, 0],
      ['0.7-0.8', 1, 1],
      ['0.9-1.0', 3, 2],
    ]);
    expect(rows[2]!.share).toBeCloseTo(2 / 3);
    expect(rows[2]!.meanConfidence).toBeCloseTo((0.95 + 0.9 + 1) / 3);
  });

  it('reports every tier, empty ones with no share, and the auto-applied tags by category', () => {
    const byTier = reliabilityByTier(tags);
    expect(byTier.map((r) => [r.bucket, r.tags, r.right])).toEqual([
      ['auto_apply', 3, 2],
      ['suggest', 1, 1],
      ['human_review', 0, 0],
      ['low', 1, 0],
    ]);
    expect(Number.isNaN(byTier[2]!.share)).toBe(true);
    expect(autoApplyByCategory(tags).map((r) => [r.bucket, r.tags, r.right])).toEqual([
      ['color', 1, 0],
      ['object', 2, 2],
    ]);
    expect(formatReliability('t', byTier)).toContain('human_review       0      0     -         -');
  });
});
