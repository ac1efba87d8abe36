// Result cache and join state stores: memory (embedded mode) and Redis (production).
export * from './result-cache.js';
export * from './best-effort-cache.js';
export * from './join-store.js';
export * from './redis-client.js';
export * from './redis-join-store.js';
export * from './redis-result-cache.js';
