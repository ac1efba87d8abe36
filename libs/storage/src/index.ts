// Photo sources (gs, https, file) and the blob store for normalized photos.
export type * from './blob-store.js';
