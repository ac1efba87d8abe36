/**
 * Metal or matte: whether an item's light neutral (or yellow) surface is polished metal, which people
 * call silver (gold), not white (yellow). Metal mirrors its surroundings, so within the item its
 * lightness swings between reflections and a highlight streak at one hue; a matte surface is lit
 * evenly and its cells keep close to one lightness. The spread is measured as the interquartile range
 * of L* over the item's cells of that name pair only: black print on a white page is dark cells, which
 * stay out of the measure, so a printed page does not turn silver.
 * Pure arithmetic over the item's cells; must never rename anything but white to silver and yellow to gold.
 */
import type { NamedColor } from '@media-ai/contracts';
import type { Cell } from './cell-grid.js';
import { mergeSameNames, nameColor } from './color-names.js';

/** Matte white and metal silver, matte yellow and metal gold: the names a finish decides between. */
const FINISHES = [
  // Tuned on the tune split's finished scenes (L* IQR): matte white at most 11.7, metal silver up to 28.5.
  { matte: 'white', metal: 'silver', minSpread: 15 },
  // Matte yellow at most 13.2, metal gold up to 30.4.
  { matte: 'yellow', metal: 'gold', minSpread: 16 },
] as const;
/** Fewer item cells of a pair than this are too few for a spread to mean anything. */
const MIN_CELLS = 12;
/** A cell counts as the item's at this item weight. */
const ITEM_WEIGHT = 0.5;

/** L* interquartile range of the item's cells named `a` or `b`; undefined when there are too few. */
export function lightnessSpread(cells: readonly Cell[], weights: readonly number[], a: string, b: string): number | undefined {
  const ls: number[] = [];
  cells.forEach((cell, i) => {
    if ((weights[i] ?? 0) < ITEM_WEIGHT) return;
    const name = nameColor(cell.lab);
    if (name === a || name === b) ls.push(cell.lab.l);
  });
  if (ls.length < MIN_CELLS) return undefined;
  ls.sort((p, q) => p - q);
  const at = (p: number) => ls[Math.floor(p * (ls.length - 1))] ?? 0;
  return at(0.75) - at(0.25);
}

/**
 * The item's colours with white named silver and yellow named gold where its surface has a metal's
 * lightness spread; a name then present twice is merged (shares added), largest share first.
 */
export function withMetalFinish(colors: readonly NamedColor[], cells: readonly Cell[], weights: readonly number[]): NamedColor[] {
  let renamed = [...colors];
  for (const { matte, metal, minSpread } of FINISHES) {
    // Only the item's own (first) colour: a white band on a grey item, or a white part beside a black
    // phone, is a second colour of its own, not a reflection.
    if (renamed[0]?.name !== matte) continue;
    const spread = lightnessSpread(cells, weights, matte, metal);
    if (spread === undefined || spread < minSpread) continue;
    renamed = renamed.map((c) => (c.name === matte ? { ...c, name: metal } : c));
  }
  return mergeSameNames(renamed);
}
