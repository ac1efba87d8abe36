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

/**
 * The reader's digit/letter confusions in printed wording (privacy-rules-12): a label's O read as 0
 * ("T.0.M."), its I or l as 1, l or | ("VAL1D", "VALlD"), its S as 5 ("GÜLTIG BI5"). One folding for
 * every phrase: a letter also matches the characters OCR takes for it. I and l stand for each other
 * only in phrases of four letters or more ("dl" must not find the Italian "di"), and a phrase of
 * fewer than three letters is not folded at all ("DL" is no "D1", a licence category).
 */
const OCR_CONFUSIONS: Readonly<Record<string, string>> = { o: '0', s: '5', i: '1|', l: '1|' };
const LETTER_CONFUSIONS: Readonly<Record<string, string>> = { i: 'l', l: 'i' };
const MIN_LETTERS_FOR_I_L = 4;
const MIN_LETTERS_FOLDED = 3;

export interface PhraseSourceOptions {
  /** Also match the reader's digit/letter confusions (OCR_CONFUSIONS). */
  ocrConfusions?: boolean;
}

/** Regex source for one phrase; `{no}` stands for an optional number mark (No., Nr., N°, #, number). */
export function phraseSource(phrase: string, options: PhraseSourceOptions = {}): string {
  const letters = (phrase.replace(/\{no\}/g, '').match(/\p{L}/gu) ?? []).length;
  const confusions = options.ocrConfusions && letters >= MIN_LETTERS_FOLDED ? { iL: letters >= MIN_LETTERS_FOR_I_L } : null;
  return phrase
    .split('{no}')
    .map((part) => wordsSource(part, confusions))
    .join(NUMBER_MARK);
}

function wordsSource(phrase: string, confusions: { iL: boolean } | null): string {
  let out = '';
  for (const ch of phrase.toLowerCase()) {
    const base = BASE_OF.get(ch);
    const confused = confusions && base ? `${OCR_CONFUSIONS[base] ?? ''}${confusions.iL ? (LETTER_CONFUSIONS[base] ?? '') : ''}` : '';
    if (confused && base) out += `[${FOLDS[base]}${confused.replace(/\|/g, '\\|')}]`;
    else if (ch === ' ') out += '[\\s.]*';
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
