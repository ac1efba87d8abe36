// Result cache and join state stores.
export * from './result-cache.js';
export * from './join-store.js';
