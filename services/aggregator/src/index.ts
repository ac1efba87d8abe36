// Aggregator stage: joins partial results into post.enhanced (or processing.error) per post revision.
export * from './stage.js';
