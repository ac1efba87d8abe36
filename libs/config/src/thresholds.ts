/**
 * The confidence tiers that grade tags (AI_CONFIDENCE_*): auto-apply, suggest, human review,
 * discard. Must never let an unordered set through: a suggest tier above auto-enhance would
 * silently publish tags nobody reviewed.
 */
import { z } from 'zod';
import { crossFieldIssue, decimal } from './env-fields.js';

export interface ConfidenceThresholds {
  autoEnhance: number;
  suggestTags: number;
  humanReview: number;
  discardBelow: number;
}

const TIERS = [
  ['AI_CONFIDENCE_AUTO_ENHANCE', 'autoEnhance', 0.85],
  ['AI_CONFIDENCE_SUGGEST_TAGS', 'suggestTags', 0.7],
  ['AI_CONFIDENCE_HUMAN_REVIEW', 'humanReview', 0.5],
  ['AI_CONFIDENCE_DISCARD_BELOW', 'discardBelow', 0.3],
] as const;

export const thresholdsSchema = z
  .object({
    AI_CONFIDENCE_AUTO_ENHANCE: decimal(0, 1),
    AI_CONFIDENCE_SUGGEST_TAGS: decimal(0, 1),
    AI_CONFIDENCE_HUMAN_REVIEW: decimal(0, 1),
    AI_CONFIDENCE_DISCARD_BELOW: decimal(0, 1),
  })
  .superRefine((env, ctx) => {
    // Equal neighbours are allowed (they empty a tier); a lower tier above a higher one is not.
    for (let i = 1; i < TIERS.length; i++) {
      const [higherName, , higherDefault] = TIERS[i - 1]!;
      const [lowerName, , lowerDefault] = TIERS[i]!;
      const higher = env[higherName] ?? higherDefault;
      const lower = env[lowerName] ?? lowerDefault;
      if (lower > higher) crossFieldIssue(ctx, lowerName, `expected at most ${higherName} (${higher}), got ${lower}`);
    }
  })
  .transform((env): ConfidenceThresholds => ({
    autoEnhance: env.AI_CONFIDENCE_AUTO_ENHANCE ?? 0.85,
    suggestTags: env.AI_CONFIDENCE_SUGGEST_TAGS ?? 0.7,
    humanReview: env.AI_CONFIDENCE_HUMAN_REVIEW ?? 0.5,
    discardBelow: env.AI_CONFIDENCE_DISCARD_BELOW ?? 0.3,
  }));
