/**
 * Finds printed phrases (labels, titles) in OCR lines without relying on spaces: a phrase may be
 * glued to its neighbours ("Dateofbirth/Datedenaissance12MAR/MAR85", "PropertyofChrisSmith").
 * Short phrases need a visible boundary (a non-letter, or a case change such as "ofChris") so that
 * "nom" is not found in "economy"; phrases of 7+ letters are distinctive enough to be found inside
 * glued runs ("CHRISTOPHERJOHNHOLDER'SSIGNATURE"). Pure.
 */
import { memo } from '../memo.js';
import { LETTER, LOWER, UPPER, phraseSource, type PhraseSourceOptions } from './phrase-pattern.js';

export interface PhraseMatch<T> {
  start: number;
  end: number;
  phrase: string;
  payload: T;
}

interface Compiled<T> {
  phrase: string;
  letters: number;
  pattern: RegExp;
  payload: T;
}

const LONG_PHRASE_LETTERS = 7;

export class PhraseMatcher<T> {
  readonly #phrases: Compiled<T>[];

  readonly #ocrConfusions: boolean;

  /**
   * `ocrConfusions`: also find phrases the reader misread digit for letter ("T.0.M.", "VAL1D"); for
   * what recognises a document and its labels, not for wording kept as printed.
   */
  constructor(entries: ReadonlyArray<{ phrase: string; payload: T }>, options: PhraseSourceOptions = {}) {
    this.#ocrConfusions = options.ocrConfusions ?? false;
    this.#phrases = entries
      .map(({ phrase, payload }) => ({
        phrase,
        letters: (phrase.replace(/\{no\}/g, '').match(/\p{L}/gu) ?? []).length,
        pattern: new RegExp(phraseSource(phrase, options), 'giu'),
        payload,
      }))
      // Longest first: "date of birth" wins over "date", "given names" over "name".
      .sort((a, b) => b.phrase.length - a.phrase.length);
  }

  /** Non-overlapping matches, leftmost first and the longest there ("Surname/Nom" is "surname", then "nom"). */
  readonly find: (line: string) => PhraseMatch<T>[] = memo((line) => this.#find(line));

  #find(line: string): PhraseMatch<T>[] {
    const candidates: PhraseMatch<T>[] = [];
    for (const entry of this.#phrases) {
      entry.pattern.lastIndex = 0;
      for (const m of line.matchAll(entry.pattern)) {
        const start = m.index;
        const end = start + m[0].length;
        if (end === start || !this.#bounded(line, start, end, entry.letters)) continue;
        // A folded phrase must still be read as a word: "0151" is a number, not "oisi".
        if (this.#ocrConfusions && !LETTER.test(m[0])) continue;
        candidates.push({ start, end, phrase: entry.phrase, payload: entry.payload });
      }
    }
    candidates.sort((a, b) => a.start - b.start || b.end - a.end);
    const taken: PhraseMatch<T>[] = [];
    for (const c of candidates) if (!taken.some((t) => t.start < c.end && c.start < t.end)) taken.push(c);
    return taken;
  }

  #bounded(line: string, start: number, end: number, letters: number): boolean {
    if (letters >= LONG_PHRASE_LETTERS) return true;
    const prev = line[start - 1] ?? '';
    const first = line[start] ?? '';
    const last = line[end - 1] ?? '';
    const next = line[end] ?? '';
    const before = !prev || !LETTER.test(prev) || (LOWER.test(prev) && UPPER.test(first));
    // A label glued to its value shows as a case change ("PrénomsCHRIS", "ofChris"), or as an
    // abbreviation in capitals before a capitalised word ("DGPMadrid": the M starts "Madrid").
    const after =
      !next || !LETTER.test(next) || (UPPER.test(next) && !UPPER.test(last)) || (UPPER.test(next) && LOWER.test(line[end + 1] ?? ''));
    return before && after;
  }
}
