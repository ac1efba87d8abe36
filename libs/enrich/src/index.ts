// Pure domain: fusion of partial results into tags, tiers, description; post.enhanced and processing.error builders.
export * from './fuse.js';
export * from './processing-error.js';
export * from './event-id.js';
export { canonicalItem, canonicalColor, canonicalBrand, brandsInText, KNOWN_BRANDS } from './vocabulary.js';
/** The colour vocabulary's home is @media-ai/contracts; re-exported because this package always exported it. */
export { COLOR_HEX } from '@media-ai/contracts';
export { toContractPost, toContractOwner, toContractOrganization } from './platform.js';
// The frame-filling document rule, for the colour benchmark to apply it to its generated scenes as the aggregator does.
export { documentColors, documentFillingFrame, type DocumentEvidence, type FrameDocument } from './sources/frame-document.js';
export { applyReviewDecision, isCorrectableItem, REVIEWABLE_TIERS } from './review-decision.js';
