// The photo's visual fingerprint: pooled-feature embeddings from the classifier's session and a perceptual hash
export * from './pooled-embedding-graph.js';
export * from './photo-fingerprint.js';
export * from './fingerprint-photos.js';
export * from './masked-pool.js';
export { fingerprintOptionsNamed } from './crop-variants.js';
