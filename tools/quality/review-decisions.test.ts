import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReviewDecisionRecord } from '@media-ai/contracts';
import { readDecisionsFile, reliabilityFromDecisions } from './review-decisions.js';

const decision = (
  id: string,
  tier: string,
  action: ReviewDecisionRecord['action'],
  confidence: number,
  tag = 'bicycle',
): ReviewDecisionRecord => ({
  decision_id: id,
  post_id: 'p',
  revision: 1,
  tenant: 'org',
  reviewer: 'alice',
  decided_at: 0,
  tag,
  tier,
  confidence,
  action,
  corrected_to: action === 'correct' ? 'bag' : null,
});

describe('reliability from review decisions', () => {
  const decisions = [
    decision('1', 'suggest', 'accept', 0.8),
    decision('2', 'suggest', 'reject', 0.72),
    decision('2', 'suggest', 'reject', 0.72), // redelivered: counted once
    decision('3', 'human_review', 'accept', 0.6),
    decision('4', 'human_review', 'correct', 0.5),
    decision('5', 'human_review', 'reject', 0.4, 'green'),
  ];

  it('counts an accepted tag right and a rejected or corrected one wrong, per tier, each decision once', () => {
    const rows = Object.fromEntries(reliabilityFromDecisions(decisions).map((r) => [r.bucket, r]));
    expect(rows['suggest']).toMatchObject({ tags: 2, right: 1, share: 0.5 });
    expect(rows['suggest']!.meanConfidence).toBeCloseTo(0.76);
    expect(rows['human_review']).toMatchObject({ tags: 3, right: 1 });
    expect(rows['human_review']!.share).toBeCloseTo(1 / 3);
    expect(rows['auto_apply']!.tags).toBe(0);
  });

  it('reads the desk export, a JSON array or JSON lines, and refuses anything else with a clear code', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'decisions-'));
    try {
      const file = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));
      expect(readDecisionsFile(file('export.json', JSON.stringify({ decisions })))).toHaveLength(6);
      expect(readDecisionsFile(file('array.json', JSON.stringify(decisions)))).toHaveLength(6);
      expect(readDecisionsFile(file('lines.jsonl', decisions.map((d) => JSON.stringify(d)).join('\n')))).toHaveLength(6);
      expect(() => readDecisionsFile(file('bad.json', '{"posts": []}'))).toThrow(/no list of review decisions/);
      expect(() => readDecisionsFile(file('garbage.txt', 'not json'))).toThrow(expect.objectContaining({ code: 'MEDIA_AI_BAD_REQUEST' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
