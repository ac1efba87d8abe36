// Dominant colours, named in the platform's colour vocabulary (the Lab helpers stay internal).
export { dominantColors, type DominantColorOptions } from './dominant-colors.js';
export { COLOR_NAMES, nameColor, type ColorName } from './color-names.js';
