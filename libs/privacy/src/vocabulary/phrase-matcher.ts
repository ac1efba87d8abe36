/**
 * Finds printed phrases (labels, titles) in OCR lines without relying on spaces: a phrase may be
 * glued to its neighbours ("Dateofbirth/Datedenaissance12MAR/MAR85", "PropertyofChrisSmith").
 * Short phrases need a visible boundary (a non-letter, or a case change such as "ofChris") so that
 * "nom" is not found in "economy"; phrases of 7+ letters are distinctive enough to be found inside
 * glued runs ("CHRISTOPHERJOHNHOLDER'SSIGNATURE"). Pure.
 */
import { memo } from '../memo.js';
import { LETTER, LOWER, UPPER, phraseSource, requiredCharRuns, type PhraseSourceOptions } from './phrase-pattern.js';

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
  /** Indices into the matcher's pieces: each must match some character of a line the phrase is in. */
  required: number[];
  /** Pairs of pieces (first × piece count + second) a line the phrase is in holds side by side. */
  requiredPairs: number[];
  payload: T;
}

const LONG_PHRASE_LETTERS = 7;

export class PhraseMatcher<T> {
  readonly #phrases: Compiled<T>[];
  /** Every phrase's required one-character pieces, each once, tested alone under the phrases' flags. */
  readonly #pieces: RegExp[] = [];
  /** Which pieces each character seen so far matches (a pure function of the character). */
  readonly #piecesOfChar = new Map<string, number[]>();

  readonly #ocrConfusions: boolean;

  /**
   * `ocrConfusions`: also find phrases the reader misread digit for letter ("T.0.M.", "VAL1D"); for
   * what recognises a document and its labels, not for wording kept as printed.
   */
  constructor(entries: ReadonlyArray<{ phrase: string; payload: T }>, options: PhraseSourceOptions = {}) {
    this.#ocrConfusions = options.ocrConfusions ?? false;
    const pieceIndex = new Map<string, number>();
    const indexOf = (source: string): number => {
      let index = pieceIndex.get(source);
      if (index === undefined) {
        index = this.#pieces.push(new RegExp(`^(?:${source})$`, 'iu')) - 1;
        pieceIndex.set(source, index);
      }
      return index;
    };
    // The pieces come from the same options as the patterns: a folded letter's piece is its class
    // with the confusions ("T.0.M." holds the class of o), so the pre-check never skips a match.
    const runs = entries.map(({ phrase }) => requiredCharRuns(phrase, options).map((run) => run.map(indexOf)));
    const pieceCount = this.#pieces.length;
    this.#phrases = entries
      .map(({ phrase, payload }, i) => ({
        phrase,
        letters: (phrase.replace(/\{no\}/g, '').match(/\p{L}/gu) ?? []).length,
        pattern: new RegExp(phraseSource(phrase, options), 'giu'),
        required: [...new Set(runs[i]!.flat())],
        requiredPairs: [...new Set(runs[i]!.flatMap((run) => run.slice(1).map((piece, j) => run[j]! * pieceCount + piece)))],
        payload,
      }))
      // Longest first: "date of birth" wins over "date", "given names" over "name".
      .sort((a, b) => b.phrase.length - a.phrase.length);
  }

  /** Non-overlapping matches, leftmost first and the longest there ("Surname/Nom" is "surname", then "nom"). */
  readonly find: (line: string) => PhraseMatch<T>[] = memo((line) => this.#find(line));

  #find(line: string): PhraseMatch<T>[] {
    const candidates: PhraseMatch<T>[] = [];
    const { present, pairs } = this.#piecesIn(line);
    for (const entry of this.#phrases) {
      // A cheap necessary condition before the regex: most phrases need a letter, or two letters
      // side by side, that the line lacks.
      if (!entry.required.every((piece) => present[piece] === 1)) continue;
      if (!entry.requiredPairs.every((pair) => pairs.has(pair))) continue;
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

  /**
   * present[i] is 1 where some character of the line matches piece i; pairs holds i × piece count + j
   * where a character matching i is followed by one matching j (code points, as the 'u' flag reads).
   */
  #piecesIn(line: string): { present: Uint8Array; pairs: Set<number> } {
    const pieceCount = this.#pieces.length;
    const present = new Uint8Array(pieceCount);
    const pairs = new Set<number>();
    let previous: number[] = [];
    for (const ch of line) {
      const pieces = this.#piecesOf(ch);
      for (const j of pieces) {
        present[j] = 1;
        for (const i of previous) pairs.add(i * pieceCount + j);
      }
      previous = pieces;
    }
    return { present, pairs };
  }

  #piecesOf(ch: string): number[] {
    let pieces = this.#piecesOfChar.get(ch);
    if (pieces === undefined) {
      pieces = [];
      for (let i = 0; i < this.#pieces.length; i++) if (this.#pieces[i]!.test(ch)) pieces.push(i);
      if (this.#piecesOfChar.size >= 4096) this.#piecesOfChar.clear();
      this.#piecesOfChar.set(ch, pieces);
    }
    return pieces;
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
