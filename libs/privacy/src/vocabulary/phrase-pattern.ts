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
/**
 * An o printed with an acute accent read as a 6, the accent joined to the o as the 6's stem ("M6vil"
 * for "Móvil", "Tel. m6vil"; privacy-rules-20): only where the phrase prints the accent.
 */
const ACCENT_CONFUSIONS: Readonly<Record<string, string>> = { ó: '6' };
const LETTER_CONFUSIONS: Readonly<Record<string, string>> = { i: 'l', l: 'i' };
const MIN_LETTERS_FOR_I_L = 4;
const MIN_LETTERS_FOLDED = 3;

export interface PhraseSourceOptions {
  /** Also match the reader's digit/letter confusions (OCR_CONFUSIONS). */
  ocrConfusions?: boolean;
}

/** Regex source for one phrase; `{no}` stands for an optional number mark (No., Nr., N°, #, number). */
export function phraseSource(phrase: string, options: PhraseSourceOptions = {}): string {
  const confusions = confusionsOf(phrase, options);
  return phrase
    .split('{no}')
    .map((part) => wordsSource(part, confusions))
    .join(NUMBER_MARK);
}

/** Which confusions a phrase's letters fold (null: none), by its letter count. */
function confusionsOf(phrase: string, options: PhraseSourceOptions): { iL: boolean } | null {
  const letters = (phrase.replace(/\{no\}/g, '').match(/\p{L}/gu) ?? []).length;
  return options.ocrConfusions && letters >= MIN_LETTERS_FOLDED ? { iL: letters >= MIN_LETTERS_FOR_I_L } : null;
}

function wordsSource(phrase: string, confusions: { iL: boolean } | null): string {
  let out = '';
  for (const ch of phrase.toLowerCase()) out += charSource(ch, confusions);
  return out;
}

function charSource(ch: string, confusions: { iL: boolean } | null): string {
  const base = BASE_OF.get(ch);
  const confused =
    confusions && base
      ? `${OCR_CONFUSIONS[base] ?? ''}${ACCENT_CONFUSIONS[ch] ?? ''}${confusions.iL ? (LETTER_CONFUSIONS[base] ?? '') : ''}`
      : '';
  if (confused && base) return `[${FOLDS[base]}${confused.replace(/\|/g, '\\|')}]`;
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
 * so the runs are a necessary condition only, never a stricter one. Give it phraseSource's options:
 * a folded letter's piece is then its class with the confusions (o-or-0), as the pattern reads it.
 */
export function requiredCharRuns(phrase: string, options: PhraseSourceOptions = {}): string[][] {
  const confusions = confusionsOf(phrase, options);
  const runs: string[][] = [];
  for (const part of phrase.split('{no}')) {
    let run: string[] = [];
    for (const ch of part.toLowerCase()) {
      const source = charSource(ch, confusions);
      if (/[?*]$/.test(source) || source.startsWith('(')) {
        if (run.length > 0) runs.push(run);
        run = [];
      } else run.push(source);
    }
    if (run.length > 0) runs.push(run);
  }
  return runs;
}
