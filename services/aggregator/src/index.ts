// Aggregator stage: joins partial results into post.enhanced (or processing.error) per post revision.
export * from './stage.js';
export * from './from-config.js';
export * from './service.js';
