// Pure domain: fusion of partial results into tags, tiers, description; post.enhanced and processing.error builders.
export * from './fuse.js';
export * from './processing-error.js';
export * from './event-id.js';
export { canonicalItem, canonicalColor, canonicalBrand, brandsInText, COLOR_HEX, KNOWN_BRANDS } from './vocabulary.js';
export { toContractPost, toContractOwner, toContractOrganization } from './platform.js';
