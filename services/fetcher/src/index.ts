// Fetcher stage: downloads, checks and normalizes photos
export { createFetcherStage, type FetcherStageOptions } from './stage.js';
export { revisionOf } from './revision.js';
export * from './from-config.js';
export * from './service.js';
