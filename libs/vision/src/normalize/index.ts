// Photo normalisation: magic-byte type detection and the sharp pipeline every stage's input goes through.
export { detectImageType, IMAGE_MEDIA_TYPES, type ImageType } from './detect-image-type.js';
export { normalizePhoto, type NormalizedPhoto, type NormalizeOptions } from './normalize-photo.js';
