// Dominant colours, named in the platform's colour vocabulary (the Lab helpers stay internal).
export { dominantColors, type DominantColorOptions } from './dominant-colors.js';
export { nameColor } from './color-names.js';
