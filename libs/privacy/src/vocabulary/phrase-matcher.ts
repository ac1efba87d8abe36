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

const NO_PIECES: readonly number[] = [];

/** Whether marks[index] equals `mark` for every index (a loop, not every(closure): it runs per phrase per line). */
function hasAll(indices: readonly number[], marks: Uint8Array | Uint32Array, mark: number): boolean {
  for (let n = 0; n < indices.length; n++) if (marks[indices[n]!] !== mark) return false;
  return true;
}

/**
 * Whether a folded match read an I for an l (or an l for an I) where the two do not look alike: the
 * reader confuses a capital I with a small l inside a word in capitals ("VALlD"), never among small
 * letters, where "Mall" is a word of its own and no "mail" (privacy-rules-19, retired held-out 39).
 */
function swapsILAmongSmallLetters(text: string, phrase: string): boolean {
  if (phrase.includes('{no}')) return false;
  const read = [...text].filter((c) => /[\p{L}\d|]/u.test(c));
  const wanted = [...phrase.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()].filter((c) => LETTER.test(c));
  if (read.length !== wanted.length) return false;
  return read.some((c, k) => {
    const small = c.toLowerCase();
    const swapped = (wanted[k] === 'i' && small === 'l') || (wanted[k] === 'l' && small === 'i');
    return swapped && !UPPER.test(read[k - 1] ?? '') && !UPPER.test(read[k + 1] ?? '');
  });
}

export class PhraseMatcher<T> {
  readonly #phrases: Compiled<T>[];
  /** Every phrase's required one-character pieces, each once, tested alone under the phrases' flags. */
  readonly #pieces: RegExp[] = [];
  /** Which pieces each code point seen so far matches (a pure function of the character). */
  readonly #piecesOfChar = new Map<number, number[]>();
  /**
   * #piecesIn's answer, reused from line to line (#find reads it before the next line; no allocation a line):
   * present[i] is 1 where some character of the line matches piece i; pairStamp[i × piece count + j] equals
   * pairLine where a character matching i is followed by one matching j in the current line.
   */
  #present = new Uint8Array(0);
  #pairStamp = new Uint32Array(0);
  #pairLine = 0;

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
    this.#piecesIn(line);
    const present = this.#present;
    const pairStamp = this.#pairStamp;
    const pairLine = this.#pairLine;
    // Indexed loops and exec(): this runs for every phrase on every OCR line, and for..of, every(closure)
    // and matchAll's iterator were among the main isolate's largest allocation sites.
    for (let e = 0; e < this.#phrases.length; e++) {
      const entry = this.#phrases[e]!;
      // A cheap necessary condition before the regex: most phrases need a letter, or two letters
      // side by side, that the line lacks.
      if (!hasAll(entry.required, present, 1) || !hasAll(entry.requiredPairs, pairStamp, pairLine)) continue;
      const pattern = entry.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(line); m !== null; m = pattern.exec(line)) {
        const start = m.index;
        const end = start + m[0].length;
        if (end === start) {
          // What matchAll does after an empty match: step one code point ('u' flag), or exec would find it again.
          pattern.lastIndex = end + ((line.codePointAt(end) ?? 0) > 0xffff ? 2 : 1);
          continue;
        }
        if (!this.#bounded(line, start, end, entry.letters)) continue;
        // A folded phrase must still be read as a word: "0151" is a number, not "oisi".
        if (this.#ocrConfusions && (!LETTER.test(m[0]) || swapsILAmongSmallLetters(m[0], entry.phrase))) continue;
        candidates.push({ start, end, phrase: entry.phrase, payload: entry.payload });
      }
    }
    candidates.sort((a, b) => a.start - b.start || b.end - a.end);
    const taken: PhraseMatch<T>[] = [];
    for (const c of candidates) if (!taken.some((t) => t.start < c.end && c.start < t.end)) taken.push(c);
    return taken;
  }

  /**
   * Fills #present and stamps #pairStamp for `line` (code points, as the 'u' flag reads): which pieces
   * some character matches, and which pairs of pieces two neighbouring characters match.
   */
  #piecesIn(line: string): void {
    const pieceCount = this.#pieces.length;
    if (this.#present.length !== pieceCount) {
      this.#present = new Uint8Array(pieceCount);
      this.#pairStamp = new Uint32Array(pieceCount * pieceCount);
      this.#pairLine = 0;
    }
    const present = this.#present.fill(0);
    if (this.#pairLine === 0xffffffff) {
      this.#pairStamp.fill(0);
      this.#pairLine = 0;
    }
    const pairLine = ++this.#pairLine;
    const pairStamp = this.#pairStamp;
    let previous: readonly number[] = NO_PIECES;
    for (let at = 0; at < line.length;) {
      const code = line.codePointAt(at)!;
      at += code > 0xffff ? 2 : 1;
      const pieces = this.#piecesOf(code);
      for (let p = 0; p < pieces.length; p++) {
        const j = pieces[p]!;
        present[j] = 1;
        for (let q = 0; q < previous.length; q++) pairStamp[previous[q]! * pieceCount + j] = pairLine;
      }
      previous = pieces;
    }
  }

  #piecesOf(code: number): number[] {
    let pieces = this.#piecesOfChar.get(code);
    if (pieces === undefined) {
      const ch = String.fromCodePoint(code);
      pieces = [];
      for (let i = 0; i < this.#pieces.length; i++) if (this.#pieces[i]!.test(ch)) pieces.push(i);
      if (this.#piecesOfChar.size >= 4096) this.#piecesOfChar.clear();
      this.#piecesOfChar.set(code, pieces);
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
