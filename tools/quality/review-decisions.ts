/**
 * Reliability by tier from human labels: the decisions reviewers made at the review desk
 * (media-ai.reviews; `GET /review/api/decisions` answers a tenant's), read as labels of the tags they
 * decided on. An accepted tag was right; a rejected or corrected one was wrong. So the tiers the desk
 * sees (suggest, human review) get a measured share right, and calibration can learn from it. Pure
 * apart from reading the file.
 * Must never count one decision twice (a redelivered record has the same decision_id).
 */
import { readFileSync } from 'node:fs';
import { COLOR_NAMES, MediaAiError, type ReviewDecisionRecord } from '@media-ai/contracts';
import { reliabilityByTier, type ReliabilityRow } from './reliability.js';
import type { JudgedTag } from './score.js';

const COLORS: ReadonlySet<string> = new Set(COLOR_NAMES);

/** Each decision once, as the label of the tag it decided on (the tier and confidence the tag had). */
export function judgedFromDecisions(decisions: readonly ReviewDecisionRecord[]): JudgedTag[] {
  const seen = new Set<string>();
  const judged: JudgedTag[] = [];
  for (const d of decisions) {
    if (seen.has(d.decision_id)) continue;
    seen.add(d.decision_id);
    if (d.tier !== 'auto_apply' && d.tier !== 'suggest' && d.tier !== 'human_review' && d.tier !== 'low') continue;
    // The record names no category; only colours and items reach the desk's tiers in practice.
    judged.push({
      tag: d.tag,
      category: COLORS.has(d.tag) ? 'color' : 'object',
      confidence: d.confidence,
      tier: d.tier,
      right: d.action === 'accept',
    });
  }
  return judged;
}

export function reliabilityFromDecisions(decisions: readonly ReviewDecisionRecord[]): ReliabilityRow[] {
  return reliabilityByTier(judgedFromDecisions(decisions));
}

/**
 * Decisions from a file: the JSON of `GET /review/api/decisions` (`{"decisions": [...]}`), a JSON
 * array of records, or one record per line (as a topic dump prints them).
 */
export function readDecisionsFile(file: string): ReviewDecisionRecord[] {
  const text = readFileSync(file, 'utf8').trim();
  let records: unknown;
  try {
    records =
      text.startsWith('[') || text.startsWith('{"decisions"')
        ? JSON.parse(text)
        : text
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l));
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_BAD_REQUEST', `${file} is neither JSON nor JSON lines of review decisions`, { cause: error });
  }
  const list = Array.isArray(records) ? records : (records as { decisions?: unknown }).decisions;
  if (
    !Array.isArray(list) ||
    !list.every((r) => typeof r === 'object' && r !== null && 'decision_id' in r && 'action' in r && 'tier' in r)
  ) {
    throw new MediaAiError('MEDIA_AI_BAD_REQUEST', `${file} holds no list of review decisions (decision_id, tier, action, ...)`);
  }
  return list as ReviewDecisionRecord[];
}
