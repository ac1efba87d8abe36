// Fetcher stage: downloads, checks and normalizes photos
export { createFetcherStage, type FetcherStageOptions } from './stage.js';
export { revisionOf } from './revision.js';
