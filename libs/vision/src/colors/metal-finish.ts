/**
 * Metal or matte: whether an item's neutral (or yellow) surface is polished metal, which people
 * call silver (gold), not white or grey (yellow). Metal mirrors its surroundings, so within the item its
 * lightness swings between reflections and a highlight streak at one hue; a matte surface is lit
 * evenly and its cells keep close to one lightness. The spread is measured as the interquartile range
 * of L* over the item's cells of that name pair only: black print on a white page is dark cells, which
 * stay out of the measure, so a printed page does not turn silver.
 * Pure arithmetic over the item's cells; must never rename anything but white or grey to silver and yellow to gold.
 */
import type { NamedColor } from '@media-ai/contracts';
import type { Cell } from './cell-grid.js';
import { mergeSameNames, nameColor } from './color-names.js';

/** Matte white or grey and metal silver, matte yellow and metal gold: the names a finish decides between. */
const FINISHES = [
  // Tuned on the tune split's finished scenes (L* IQR): matte white at most 11.7, metal silver up to 28.5.
  { matte: 'white', metal: 'silver', minSpread: 15, minTop: 0 },
  // Matte yellow at most 13.2, metal gold up to 30.4.
  { matte: 'yellow', metal: 'gold', minSpread: 16, minTop: 0 },
  // Brushed or anodised metal in a dim photo (issue 20): most of its cells fall below silver's L* 58 and it is named
  // grey, but its bands and reflections swing across grey and silver, and its highlights reach well into silver.
  // Tune split, boxed (spread over grey and silver cells; their 90th percentile L*): metal named grey spread 8.6-17.4;
  // grey items at 15 or more (an accent's edge, a page's shadow, a document's band) top out at L* 59-62, the metal
  // that passes at 65. A spread alone (no top) renamed 3 grey items of the older scenes.
  { matte: 'gray', metal: 'silver', minSpread: 15, minTop: 64 },
] as const;
/** Fewer item cells of a pair than this are too few for a spread to mean anything. */
const MIN_CELLS = 12;
/** A cell counts as the item's at this item weight. */
const ITEM_WEIGHT = 0.5;

/** L* interquartile range of the item's cells named `a` or `b`; undefined when there are too few. */
export function lightnessSpread(cells: readonly Cell[], weights: readonly number[], a: string, b: string): number | undefined {
  const at = pairLightness(cells, weights, a, b);
  return at && at(0.75) - at(0.25);
}

/** The L* quantile function over the item's cells named `a` or `b`; undefined when there are too few. */
function pairLightness(cells: readonly Cell[], weights: readonly number[], a: string, b: string): ((p: number) => number) | undefined {
  const ls: number[] = [];
  cells.forEach((cell, i) => {
    if ((weights[i] ?? 0) < ITEM_WEIGHT) return;
    const name = nameColor(cell.lab);
    if (name === a || name === b) ls.push(cell.lab.l);
  });
  if (ls.length < MIN_CELLS) return undefined;
  ls.sort((p, q) => p - q);
  return (p: number) => ls[Math.floor(p * (ls.length - 1))] ?? 0;
}

/**
 * The item's colours with white or grey named silver and yellow named gold where its surface has a metal's
 * lightness spread; a name then present twice is merged (shares added), largest share first.
 */
export function withMetalFinish(colors: readonly NamedColor[], cells: readonly Cell[], weights: readonly number[]): NamedColor[] {
  let renamed = [...colors];
  for (const { matte, metal, minSpread, minTop } of FINISHES) {
    // Only the item's own (first) colour: a white band on a grey item, or a white part beside a black
    // phone, is a second colour of its own, not a reflection.
    if (renamed[0]?.name !== matte) continue;
    const at = pairLightness(cells, weights, matte, metal);
    if (!at || at(0.75) - at(0.25) < minSpread || at(0.9) < minTop) continue;
    renamed = renamed.map((c) => (c.name === matte ? { ...c, name: metal } : c));
  }
  return mergeSameNames(renamed);
}
