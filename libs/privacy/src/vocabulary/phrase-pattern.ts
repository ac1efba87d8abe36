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
  for (const ch of phrase.toLowerCase()) {
    if (ch === ' ') out += '[\\s.]*';
    else if (ch === "'" || ch === '’') out += "['’`]?";
    else if (ch === '.') out += '\\.?';
    else if (ch === '-') out += '[\\s-]?';
    else if (ch === 'ß') out += '(?:ß|ss)';
    else if (BASE_OF.has(ch)) out += `[${FOLDS[BASE_OF.get(ch)!]}]`;
    // Any other accented letter also matches its base letter: OCR models read "Ř" as "R" in any language.
    else if (withoutAccent(ch) !== ch) out += `[${ch}${withoutAccent(ch)}]`;
    else out += ch.replace(/[\\^$*+?()[\]{}|/]/g, '\\$&');
  }
  return out;
}

/** "No.", "Nr", "N°", "Nº", "#", "num", "number", "nummer", "número", "numéro", "numer", "numara". */
const NUMBER_MARK = '(?:number|nummer|n[úu]mero|num[ée]ro|numara|numero|numer|num|n\\.º|no|nr|n°|nº|#)\\.?';

/** A letter of any script (the boundary checks of label matching). */
export const LETTER = /\p{L}/u;
export const LOWER = /\p{Ll}/u;
export const UPPER = /\p{Lu}/u;
