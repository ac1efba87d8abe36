/**
 * Every number fusion weighs evidence with, by name, each with where it came from: the platform's
 * contract or its matcher, a measurement, or a judgment. A judgment is a rule of thumb written down
 * when the rule was introduced (the commit named) and explained in libs/enrich/README.md; none was
 * fitted to data. What checks them all together is the reliability table of `npm run eval`
 * (README.md, Quality): confidence bucket and tier against the labelled photos. Change a number here
 * only with that table measured before and after. The tier bars are not here: they are configuration
 * (DEFAULT_THRESHOLDS in @media-ai/contracts, AI_CONFIDENCE_*).
 *
 * Pure constants; must never hold anything learned from a post.
 */

// --- Combining sources -----------------------------------------------------------------------

/**
 * No combination of model outputs justifies certainty; a 1.0 would read downstream as "verified by a
 * person". 0.99 keeps fused scores comparable with single-model scores, which never reach 1 either.
 * Judgment (aad8539).
 */
export const MAX_FUSED_CONFIDENCE = 0.99;

/**
 * Weight of each additional agreeing source in the noisy-OR. Noisy-OR assumes independent evidence;
 * our sources are not independent (detector and classifier look at the same pixels, the llm too), so
 * a second source closes only part of the remaining doubt instead of all the independence math gives.
 * Judgment (aad8539); the eval later measured correlated mistakes between detectors (README, Quality:
 * COCO 'remote'), which is the reason it damps.
 */
export const AGREEMENT_WEIGHT = 0.6;

/** How strongly a contradicting claim pulls a tag down: 1 - weight x (contradicting confidence). Judgment (aad8539). */
export const CONTRADICTION_WEIGHT = 0.5;

// --- OCR text as evidence --------------------------------------------------------------------

/**
 * Most one OCR reading counts for: a legible brand word or card layout is strong evidence, but it may
 * be printed on something else in the photo (a bag, a poster). Judgment (aad8539).
 */
export const MAX_OCR_READING_CONFIDENCE = 0.9;

/** A product word ("iPhone") as evidence of its item (phone), x the reading's confidence. Judgment (aad8539). */
export const OCR_PRODUCT_WORD_ITEM_WEIGHT = 0.8;

/**
 * A brand that makes one kind of item (VARTA -> batteries) as evidence of that item, x the reading's
 * confidence: weaker than a product word, because the same name is printed on its packaging, chargers
 * and adverts. Judgment (bfa1477).
 */
export const OCR_SINGLE_PRODUCT_BRAND_WEIGHT = 0.7;

/**
 * A document type the ocr stage recognised (passport, payment card, luggage tag...: libs/privacy's
 * recogniser, whose MRZ, card-number and printed-title evidence makes its confidence), x that
 * confidence, for the document type's tag and the coarser item it is a kind of (document, card). Below
 * 1 for the reason MAX_OCR_READING_CONFIDENCE is: the document may lie beside the item the post is
 * about. Judgment (issue 14): an MRZ-backed passport (0.99) then reaches auto-apply (0.89), a type with
 * two printed phrases (about 0.75) human review.
 */
export const OCR_DOCUMENT_TYPE_WEIGHT = 0.9;

/**
 * More OCR lines than this is a page, not a card: card layouts are not looked for. Judgment (bfa1477):
 * a letter listing a phone and a fax matched the business-card layout.
 */
export const MAX_CARD_LINES = 25;

/**
 * A card layout's weight (x the reading's confidence): the minimum at the layout's minimum number of
 * field labels, one step more per further label, never above the maximum (OCR misreads and forms with
 * similar fields remain possible). Judgment (bfa1477). The weights of single document phrases
 * ("PASSPORT" 0.9, "member" 0.4) are listed with the phrases, DOCUMENT_PHRASES in vocabulary.ts.
 */
export const CARD_LAYOUT_MIN_WEIGHT = 0.5;
export const CARD_LAYOUT_WEIGHT_PER_EXTRA_FIELD = 0.1;
export const CARD_LAYOUT_MAX_WEIGHT = 0.8;

// --- The llm's answer as evidence ------------------------------------------------------------

/**
 * The llm scores its category only; the other fields were not scored separately, so each is the
 * category's confidence x a discount. Judgment (aad8539).
 */
export const LLM_BRAND_WEIGHT = 0.9;
export const LLM_FIRST_COLOR_WEIGHT = 0.9;
export const LLM_OTHER_COLOR_WEIGHT = 0.8;
export const LLM_MATERIAL_WEIGHT = 0.8;

// --- Measured colours as evidence --------------------------------------------------------------

/**
 * An item's share in a colour, measured in its box against its surroundings, x this: the claim that
 * the item has that colour. Not 1: the box may hold a second thing, and the item/background split is a
 * colour model, not a mask. Judgment (this branch, issue 20): the generated colour benchmark's item
 * top-1 accuracy (tools/colour-eval.ts) is what it rests on.
 */
export const ITEM_COLOR_WEIGHT = 0.9;

/**
 * The share in a colour of the photo's salient object (separated from the photo's border ring, no box
 * known) x this, for an item only the classifier names: weaker than an item's box, since the region
 * is a guess of where the item is; stronger than the whole photo's palette, which holds the table too.
 * Judgment (issue 20): the generated benchmark's unboxed scenes, salient top-1 0.833 against 0.883 in
 * a box (tools/colour-eval.ts, tune).
 */
export const SALIENT_OBJECT_COLOR_WEIGHT = 0.8;

/**
 * The whole photo's share in a colour x this: a weaker claim than an item's, since the photo's
 * pixels do not know which of them are the item (the table under a phone). Judgment (issue 20).
 */
export const PHOTO_PALETTE_WEIGHT = 0.6;

/** Most detected things per photo whose colours count, most confident first: a street's tenth car says nothing of the item. Judgment (issue 20). */
export const MAX_COLORED_ITEMS_PER_PHOTO = 3;

// --- What is published -----------------------------------------------------------------------

/**
 * How many of the strongest tags the overall confidence averages: how sure we are of what we lead
 * with. Judgment (aad8539): the Python original averaged every result and faint OCR strings diluted a
 * sure item.
 */
export const OVERALL_TOP_TAGS = 3;

/** The matcher pairs posts on tags with confidence above this (platform-contracts.md §6, fn-matcher docs). */
export const MATCHER_MIN_CONFIDENCE = 0.8;

/** Most evidence entries a tag carries: enough to say who said what, bounded for the event size. Judgment (3dd17b1). */
export const MAX_TAG_EVIDENCE = 6;

/** Longest free-text tag: the platform's Post.tags allow 1-50 characters (platform-contracts.md §6). */
export const MAX_TAG_LENGTH = 50;

/** Most text lines, objects and colours one event lists, strongest first: bounds for the event size. Judgment (aad8539). */
export const MAX_PUBLISHED_TEXT_LINES = 30;
export const MAX_PUBLISHED_OBJECTS = 25;
export const MAX_PUBLISHED_COLORS = 8;
