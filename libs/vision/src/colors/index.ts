// Dominant colours of a photo and colours of an item in it, named in the platform's colour vocabulary.
export { dominantColors, type DominantColorOptions } from './dominant-colors.js';
export { itemColors, type ItemColorOptions } from './item-colors.js';
export { nameColor } from './color-names.js';
// The Lab conversions, for tools that make test images in the same colour space.
export { byteToLinear, hexToLab, labToRgb, linearToByte, rgbToLab, type Lab } from './color-space.js';
export { salientObject, type ItemMask, type SalientObject, type SalientObjectOptions } from './salient-object.js';
