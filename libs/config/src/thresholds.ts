/**
 * The confidence tiers that grade tags, from AI_CONFIDENCE_*: auto-apply, suggest, human review,
 * discard. The bars and their defaults are the contract's (CONFIDENCE_TIERS, DEFAULT_THRESHOLDS in
 * @media-ai/contracts); this module only names their variables and reads them. Must never let an
 * unordered set through: a suggest tier above auto-enhance would silently publish tags nobody reviewed.
 */
import { CONFIDENCE_TIERS, DEFAULT_THRESHOLDS, type ConfidenceThresholds } from '@media-ai/contracts';
import { z } from 'zod';
import { crossFieldIssue, decimal } from './env-fields.js';

export type { ConfidenceThresholds };

/** The variable that overrides each bar. */
const VARIABLES = {
  autoEnhance: 'AI_CONFIDENCE_AUTO_ENHANCE',
  suggestTags: 'AI_CONFIDENCE_SUGGEST_TAGS',
  humanReview: 'AI_CONFIDENCE_HUMAN_REVIEW',
  discardBelow: 'AI_CONFIDENCE_DISCARD_BELOW',
} as const satisfies Record<keyof ConfidenceThresholds, string>;

type ThresholdsEnv = Partial<Record<(typeof VARIABLES)[keyof ConfidenceThresholds], number>>;

/** Each bar as the environment gives it, else its default. */
function thresholdsOf(env: ThresholdsEnv): ConfidenceThresholds {
  const bar = (tier: keyof ConfidenceThresholds) => env[VARIABLES[tier]] ?? DEFAULT_THRESHOLDS[tier];
  return {
    autoEnhance: bar('autoEnhance'),
    suggestTags: bar('suggestTags'),
    humanReview: bar('humanReview'),
    discardBelow: bar('discardBelow'),
  };
}

export const thresholdsSchema = z
  .object({
    AI_CONFIDENCE_AUTO_ENHANCE: decimal(0, 1),
    AI_CONFIDENCE_SUGGEST_TAGS: decimal(0, 1),
    AI_CONFIDENCE_HUMAN_REVIEW: decimal(0, 1),
    AI_CONFIDENCE_DISCARD_BELOW: decimal(0, 1),
  })
  .superRefine((env, ctx) => {
    // Equal neighbours are allowed (they empty a tier); a lower tier above a higher one is not.
    const thresholds = thresholdsOf(env);
    for (let i = 1; i < CONFIDENCE_TIERS.length; i++) {
      const higher = CONFIDENCE_TIERS[i - 1]!;
      const lower = CONFIDENCE_TIERS[i]!;
      if (thresholds[lower] > thresholds[higher]) {
        crossFieldIssue(ctx, VARIABLES[lower], `expected at most ${VARIABLES[higher]} (${thresholds[higher]}), got ${thresholds[lower]}`);
      }
    }
  })
  .transform(thresholdsOf);
