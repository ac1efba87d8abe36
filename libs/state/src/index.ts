// Result cache and join state stores.
export * from './result-cache.js';
