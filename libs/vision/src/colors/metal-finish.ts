/**
 * Metal or matte: whether an item's light neutral (or yellow) surface is polished metal, which people
 * call silver (gold), not white (yellow). Metal mirrors its surroundings, so within the item its
 * lightness swings between reflections and a highlight streak at one hue; a matte surface is lit
 * evenly and its cells keep close to one lightness. The spread is measured as the interquartile range
 * of L* over the item's cells of that name pair only: black print on a white page is dark cells, which
 * stay out of the measure, so a printed page does not turn silver. Shaded metal under a dim light reads
 * darker: its shadows fall below silver's lightness and it is named grey first, its highlights silver and
 * white; the same spread over its grey, silver and white cells names it silver (matte grey plastic and
 * fabric keep close to one lightness).
 * Pure arithmetic over the item's cells; must never rename anything but white and grey to silver and yellow to gold.
 */
import type { NamedColor } from '@media-ai/contracts';
import type { Cell } from './cell-grid.js';
import { mergeSameNames, nameColor } from './color-names.js';

/** Matte white and metal silver, matte yellow and metal gold: the names a finish decides between. */
const FINISHES: ReadonlyArray<{ matte: string; metal: string; over: readonly string[]; minSpread: number; minRise?: number }> = [
  // Tuned on the tune split's finished scenes (L* IQR): matte white at most 11.7, metal silver up to 28.5.
  { matte: 'white', metal: 'silver', over: ['white', 'silver'], minSpread: 15 },
  // Matte yellow at most 13.2, metal gold up to 30.4.
  { matte: 'yellow', metal: 'gold', over: ['yellow', 'gold'], minSpread: 16 },
  // Shaded metal whose darker half falls below silver's lightness (L* 58) is named grey first; its spread runs
  // over grey, silver and white cells, and its highlights rise well above its middle. A grey page's or card's
  // spread lies below its paper (print, shadow) and does not rise. Tune split, boxed (L* IQR, rise q90 - q50):
  // metal named grey first 17-24 and rise 15-32; matte grey plastic and fabric IQR at most 11.1; grey pages,
  // cards and an accented grey item IQR 17-26 but rise 5-11.
  { matte: 'gray', metal: 'silver', over: ['gray', 'silver', 'white'], minSpread: 15, minRise: 13 },
];
/** Fewer item cells of a pair than this are too few for a spread to mean anything. */
const MIN_CELLS = 12;
/** A cell counts as the item's at this item weight. */
const ITEM_WEIGHT = 0.5;

/** L* interquartile range of the item's cells named one of `names`; undefined when there are too few. */
export function lightnessSpread(cells: readonly Cell[], weights: readonly number[], names: readonly string[]): number | undefined {
  const at = lightnessQuantile(cells, weights, names);
  return at && at(0.75) - at(0.25);
}

/** How far the brightest tenth of the item's cells named one of `names` rises above their median L*; undefined when there are too few. */
export function highlightRise(cells: readonly Cell[], weights: readonly number[], names: readonly string[]): number | undefined {
  const at = lightnessQuantile(cells, weights, names);
  return at && at(0.9) - at(0.5);
}

/** The L* quantile function of the item's cells named one of `names`; undefined when there are too few. */
function lightnessQuantile(
  cells: readonly Cell[],
  weights: readonly number[],
  names: readonly string[],
): ((p: number) => number) | undefined {
  const ls: number[] = [];
  cells.forEach((cell, i) => {
    if ((weights[i] ?? 0) < ITEM_WEIGHT) return;
    if (names.includes(nameColor(cell.lab))) ls.push(cell.lab.l);
  });
  if (ls.length < MIN_CELLS) return undefined;
  ls.sort((p, q) => p - q);
  return (p: number) => ls[Math.floor(p * (ls.length - 1))] ?? 0;
}

/**
 * The item's colours with white named silver and yellow named gold where its surface has a metal's
 * lightness spread; a name then present twice is merged (shares added), largest share first.
 */
export function withMetalFinish(colors: readonly NamedColor[], cells: readonly Cell[], weights: readonly number[]): NamedColor[] {
  let renamed = [...colors];
  for (const { matte, metal, over, minSpread, minRise } of FINISHES) {
    // Only the item's own (first) colour: a white band on a grey item, or a white part beside a black
    // phone, is a second colour of its own, not a reflection.
    if (renamed[0]?.name !== matte) continue;
    const spread = lightnessSpread(cells, weights, over);
    if (spread === undefined || spread < minSpread) continue;
    if (minRise !== undefined && (highlightRise(cells, weights, over) ?? 0) < minRise) continue;
    renamed = renamed.map((c) => (c.name === matte ? { ...c, name: metal } : c));
  }
  return mergeSameNames(renamed);
}
