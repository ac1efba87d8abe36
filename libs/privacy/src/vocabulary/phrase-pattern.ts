/**
 * Turns a printed phrase into a pattern that still finds it in OCR text: any case, spaces and dots
 * optional between words (PP-OCRv4 glues words: "Dateofbirth"), accents optional ("Prenoms" for
 * "Prénoms", "RIDICSKY PRUKAZ" for "ŘIDIČSKÝ PRŮKAZ": OCR models trained on English drop them in any
 * language), apostrophes optional. Pure.
 */

const FOLDS: Readonly<Record<string, string>> = {
  a: 'aàáâãäąåă',
  c: 'cçćč',
  d: 'dď',
  e: 'eèéêëęěė',
  g: 'gğ',
  i: 'iìíîïıİ',
  l: 'lłľĺ',
  n: 'nñńň',
  o: 'oòóôõöøő',
  r: 'rřŕ',
  s: 'sśşšș',
  t: 'tťţț',
  u: 'uùúûüůű',
  y: 'yý',
  z: 'zźżž',
};
const BASE_OF = new Map<string, string>();
for (const [base, variants] of Object.entries(FOLDS)) for (const v of variants) BASE_OF.set(v, base);

function withoutAccent(ch: string): string {
  return ch.normalize('NFD').replace(/\p{M}/gu, '');
}

/** Regex source for one phrase; `{no}` stands for an optional number mark (No., Nr., N°, #, number). */
export function phraseSource(phrase: string): string {
  return phrase.split('{no}').map(wordsSource).join(NUMBER_MARK);
}

function wordsSource(phrase: string): string {
  let out = '';
  for (const ch of phrase.toLowerCase()) out += charSource(ch);
  return out;
}

function charSource(ch: string): string {
  if (ch === ' ') return '[\\s.]*';
  if (ch === "'" || ch === '’') return "['’`]?";
  if (ch === '.') return '\\.?';
  if (ch === '-') return '[\\s-]?';
  if (ch === 'ß') return '(?:ß|ss)';
  if (BASE_OF.has(ch)) return `[${FOLDS[BASE_OF.get(ch)!]}]`;
  // Any other accented letter also matches its base letter: OCR models read "Ř" as "R" in any language.
  if (withoutAccent(ch) !== ch) return `[${ch}${withoutAccent(ch)}]`;
  return ch.replace(/[\\^$*+?()[\]{}|/]/g, '\\$&');
}

/** "No.", "Nr", "N°", "Nº", "#", "num", "number", "nummer", "número", "numéro", "numer", "numara". */
const NUMBER_MARK = '(?:number|nummer|n[úu]mero|num[ée]ro|numara|numero|numer|num|n\\.º|no|nr|n°|nº|#)\\.?';

/** A letter of any script (the boundary checks of label matching). */
export const LETTER = /\p{L}/u;
export const LOWER = /\p{Ll}/u;
export const UPPER = /\p{Lu}/u;

/**
 * The one-character pieces of phraseSource(phrase) that every match must contain, each as its own
 * source (a class or a literal), in runs that a match holds side by side (no optional piece between
 * them): a line without them, or without two neighbours of a run next to each other, cannot hold the
 * phrase. Optional pieces (ending in ? or *), groups and the number mark end a run and are left out,
 * so the runs are a necessary condition only, never a stricter one.
 */
export function requiredCharRuns(phrase: string): string[][] {
  const runs: string[][] = [];
  for (const part of phrase.split('{no}')) {
    let run: string[] = [];
    for (const ch of part.toLowerCase()) {
      const source = charSource(ch);
      if (/[?*]$/.test(source) || source.startsWith('(')) {
        if (run.length > 0) runs.push(run);
        run = [];
      } else run.push(source);
    }
    if (run.length > 0) runs.push(run);
  }
  return runs;
}
