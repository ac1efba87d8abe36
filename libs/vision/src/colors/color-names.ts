/**
 * How a measured colour gets its name in the platform's colour vocabulary (COLOR_NAMES, the one list in
 * @media-ai/contracts): a few prototypes in Lab per name, and the rule that names an arbitrary colour.
 * Several prototypes per name because a name covers a region (light and dark blues are both "blue").
 * Must never name a colour outside the vocabulary; pure data and math.
 */
import { COLOR_HEX, COLOR_NAMES, type ColorName, type NamedColor } from '@media-ai/contracts';
import { chroma, hexToLab, type Lab } from './color-space.js';

const PROTOTYPES: Record<ColorName, readonly string[]> = {
  black: ['#000000', '#1a1a1a', '#202428'],
  white: ['#ffffff', '#f0f0f0', '#e8eaee'],
  gray: ['#808080', '#606060', '#454545', '#707880'],
  silver: ['#c0c0c0', '#a8a8a8', '#b4b8bc'],
  red: ['#d01818', '#b22222', '#e53935', '#8b1010', '#c0392b'],
  orange: ['#ff8c00', '#f57c00', '#e06010', '#ff9f40'],
  // Amber yellows (taxis, school buses) are still 'yellow' to people, not 'gold' or 'orange'.
  yellow: ['#ffeb3b', '#f5d90a', '#ffff00', '#f0c800', '#e8d44d', '#e0a820', '#d8a530'],
  green: ['#2e8b57', '#228b22', '#4caf50', '#1b5e20', '#6b8e23', '#8bc34a'],
  blue: ['#1e64c8', '#4169e1', '#2196f3', '#5b9bd5', '#4682b4', '#87ceeb', '#1a3a8a'],
  navy: ['#000080', '#1a2550', '#14213d'],
  purple: ['#800080', '#7b4fa0', '#9370db', '#4b2a6b'],
  pink: ['#ffc0cb', '#ff69b4', '#e75480', '#f4a6b8'],
  brown: ['#8b4513', '#a0522d', '#5c4033', '#6f4e37', '#a67b5b', '#3e2a1e', '#7b5b3a'],
  beige: ['#f5f5dc', '#d8c8a8', '#e8d8b8', '#c8b48c'],
  // The vocabulary's own gold (COLOR_HEX, #C9A227) first: without it that gold sits nearer the amber yellows.
  gold: ['#c9a227', '#b8942a', '#a88c3c', '#c5a55a'],
};

/**
 * Every name's prototypes, with the vocabulary's own colour (COLOR_HEX) among them: the colour a client shows
 * for a name must be named by it, and so must that colour in shade. Without it the vocabulary's purple
 * (#6A1B9A, a bluer purple than the web's #800080) shaded to L* 25 sat nearer the web navy #000080 (issue 20:
 * unboxed purple items named navy 3 of 8 on the tune split).
 */
const PALETTE: ReadonlyArray<{ name: ColorName; lab: Lab }> = COLOR_NAMES.flatMap((name) =>
  [...new Set([COLOR_HEX[name].toLowerCase(), ...PROTOTYPES[name]])].map((hex) => ({ name, lab: hexToLab(hex) })),
);

/**
 * Names a colour. Near-neutral colours are named by lightness alone: prototype distance would let
 * a faint tint (a warm white, a bluish grey) win a hue name no person would use.
 */
export function nameColor(lab: Lab): ColorName {
  if (chroma(lab) < 8 + lab.l * 0.04) {
    // Camera exposure greys white things down: paper at L* 75 is still called white by everyone.
    if (lab.l < 25) return 'black';
    if (lab.l < 58) return 'gray';
    if (lab.l < 72) return 'silver';
    return 'white';
  }
  let best: ColorName = 'gray';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const entry of PALETTE) {
    // Lightness weighs half: the same hue lit differently is still the same colour name.
    const d = 0.5 * (lab.l - entry.lab.l) ** 2 + (lab.a - entry.lab.a) ** 2 + (lab.b - entry.lab.b) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = entry.name;
    }
  }
  return best;
}

/** `colors` after a renaming: a name present twice merged into its first entry (shares added), largest share first. */
export function mergeSameNames(colors: readonly NamedColor[]): NamedColor[] {
  const merged: NamedColor[] = [];
  for (const colour of colors) {
    const same = merged.findIndex((c) => c.name === colour.name);
    if (same < 0) merged.push(colour);
    else {
      const kept = merged[same]!;
      merged[same] = { ...kept, share: Math.round((kept.share + colour.share) * 1000) / 1000 };
    }
  }
  return merged.sort((p, q) => q.share - p.share);
}
