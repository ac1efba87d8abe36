// The reference matcher: lost and found posts ranked by one fused score over their published enrichments
export * from './embedding.js';
export * from './match-profile.js';
export * from './match.js';
