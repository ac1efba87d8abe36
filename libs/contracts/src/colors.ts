/**
 * The one colour vocabulary: the names the fetcher measures in (libs/vision), the llm may answer with
 * (its closed enum), and fusion tags with, each with a reference sRGB. The matcher compares these names
 * literally across posts, so every stage reads them from here and nowhere else.
 *
 * The hex is a name's textbook colour, never a measurement: post.enhanced carries the fetcher's
 * measured hex. Must never grow a name the downstream tags do not know. Pure data.
 */

/** Colour name -> reference sRGB. The order is the vocabulary's order (COLOR_NAMES). */
export const COLOR_HEX = {
  black: '#1A1A1A',
  white: '#F5F5F5',
  gray: '#808080',
  silver: '#C0C0C0',
  red: '#C62828',
  orange: '#EF6C00',
  yellow: '#F9D71C',
  green: '#2E7D32',
  blue: '#1E5AA8',
  navy: '#1B2A4A',
  purple: '#6A1B9A',
  pink: '#E91E8C',
  brown: '#6D4C41',
  beige: '#D8C3A5',
  gold: '#C9A227',
} as const satisfies Record<string, `#${string}`>;

export type ColorName = keyof typeof COLOR_HEX;

/** The colour names, in vocabulary order (a non-empty tuple, so a zod enum can be built from it). */
export const COLOR_NAMES = Object.keys(COLOR_HEX) as [ColorName, ...ColorName[]];

export function isColorName(value: string): value is ColorName {
  return Object.hasOwn(COLOR_HEX, value);
}
