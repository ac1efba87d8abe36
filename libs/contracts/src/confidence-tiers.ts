/**
 * The confidence bars that grade every tag (auto-apply, suggest, human review) and the floor below
 * which a tag is dropped, with the service's defaults. The defaults are the platform's figures
 * (reference/deployment-guide.md, AI_CONFIDENCE_*); libs/config reads overrides from the environment
 * and fusion applies them. Must never hold a bar anywhere else: a second copy of a default is a
 * second opinion on what gets published unreviewed.
 */

/** The tier bars, highest first: auto-apply, suggest, human review, and the discard floor. */
export interface ConfidenceThresholds {
  autoEnhance: number;
  suggestTags: number;
  humanReview: number;
  discardBelow: number;
}

/** The bar names, highest first (the order config checks the environment's values against). */
export const CONFIDENCE_TIERS = ['autoEnhance', 'suggestTags', 'humanReview', 'discardBelow'] as const satisfies ReadonlyArray<
  keyof ConfidenceThresholds
>;

export const DEFAULT_THRESHOLDS: Readonly<ConfidenceThresholds> = Object.freeze({
  autoEnhance: 0.85,
  suggestTags: 0.7,
  humanReview: 0.5,
  discardBelow: 0.3,
});
