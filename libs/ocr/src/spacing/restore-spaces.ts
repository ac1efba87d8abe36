/**
 * Puts back the spaces an OCR engine dropped between words, on one published line, before
 * anything reads it (redaction, identifiers, tags, search). The recogniser reads
 * "Placeofbirth/Lieudenaissance", "NERedmond,WA98052", "ChrisSmith"; this returns
 * "Place of birth/Lieu de naissance", "NE Redmond, WA98052", "Chris Smith". Pure: plain text
 * in, plain text out, the lexicon passed in or the process's shared one.
 *
 * It must never change, drop or reorder a character (it only inserts single spaces), never split
 * inside an e-mail address, a URL, an MRZ line, code, or an identifier that mixes letters and
 * digits more than once (serials, document and card numbers stay whole for the redactor and
 * identifier extraction), and never split a run that is a word of the lexicon.
 *
 * The steps, inside each run of letters and digits of a token (punctuation stays where it is):
 * 1. word gaps the recogniser's alignment shows (ctc-gaps.ts), where the caller has them (weak
 *    ones only where both sides are words of the lexicon);
 * 2. a digit run glued to a word ("8123STREET", "12MAR"), never "1st", "5kg", "KX200";
 * 3. case changes inside a run that is not a word: "ChrisSmith", "NERedmond";
 * 4. word segmentation (segment-words.ts) of what is still not a word, taken only when the split
 *    is clearly cheaper than the run as one unknown word: cost <= unknownBase + unknownPerLetter
 *    x letters, with every part common enough (SegmentOptions), and never where the alignment
 *    says one of its cuts lies inside a word (gapVetoBelow).
 * A comma or semicolon between two letters gets a space after it ("Redmond,WA").
 *
 * Measured with tools/spacing-eval.ts (generated phrases: names, addresses, companies, jobs,
 * products, dates in 9 locales; tuned on the tune split, the held-out split run once at the end).
 * Restored word boundaries, precision / recall, rendered lines read by PP-OCRv4 (8 lines per
 * locale, every boundary between characters read right; "dropped": the ones the model lost):
 * | option | tune: every / dropped | held-out: every / dropped |
 * |---|---|---|
 * | the model's own spaces | 1.00 / 0.15, - / 0 | 1.00 / 0.15, - / 0 |
 * | (a) CTC gaps alone | 1.00 / 0.52, 1.00 / 0.44 | 0.98 / 0.52, 0.96 / 0.44 |
 * | (b) segmentation alone | 0.94 / 0.33, 0.90 / 0.21 | 0.96 / 0.36, 0.94 / 0.25 |
 * | (c) tesseract's spaces (hybrid re-read) | 1.00 / 0.34, 1.00 / 0.22 | 1.00 / 0.30, 1.00 / 0.17 |
 * | this step: (a) + digits + case + (b) | 1.00 / 0.61, 1.00 / 0.55 | 0.98 / 0.65, 0.97 / 0.59 |
 * | this step after (c) (the hybrid reader) | 1.00 / 0.71, 1.00 / 0.66 | 0.98 / 0.69, 0.98 / 0.63 |
 * Text only, every space removed (no pixels, so no CTC gaps): as printed P 0.98 R 0.70 (held-out
 * 0.98 / 0.70), in capitals 0.97 / 0.29 (0.95 / 0.28: names are not in the lists); wordsninja's
 * own splitter, every run split, 0.38 / 0.87. False splits of the phrases with their spaces: 19 of
 * 2,759 words (held-out 26 of 2,783), mostly compound place names ("Nolanhaven" -> Nolan haven,
 * "Buttermarkt") and words missing from a 10,000-word list ("Planejador"). Cost: 0.05-0.1
 * ms per glued line, median 1.3 ms per photo with text; the lists load once, ~0.3 s, ~10 MiB heap.
 */
import { DEFAULT_SEGMENT, segmentLetters, type SegmentOptions } from './segment-words.js';
import { wordLexicon, type WordLexicon } from './word-lexicon.js';

export interface RestoreSpacesOptions {
  segment: SegmentOptions;
  /** Runs shorter than this are never segmented ("PPO", "BCBS"). */
  minSegmentRun: number;
  /** A segmentation is taken when its cost <= unknownBase + unknownPerLetter x the run's letters. */
  unknownBase: number;
  unknownPerLetter: number;
  /** Words of the lexicon ranked at or beyond this and written with case changes are glued ("DateofBirth"). */
  rareWordRank: number;
  /** A digit run is split from a letter run of at least this many letters that is (or segments into) words. */
  minDigitWordLetters: number;
  /** Word-gap evidence at or above this (ctc-gaps.ts) is a space. */
  gapThreshold: number;
  /** Weaker evidence, at or above this, is a space when the letters on both sides are words of the lexicon. */
  weakGapThreshold: number;
  /**
   * Where the recogniser's alignment says "inside a word" (a gap score below this), no
   * segmentation cut is taken: "PASSEPORT" is not "PASSE PORT" when the model saw no gap.
   */
  gapVetoBelow: number;
  /** Which steps run (the comparison tool switches them one by one). */
  steps: { gaps: boolean; digits: boolean; caseChanges: boolean; segmentation: boolean };
}

export const DEFAULT_RESTORE_SPACES: RestoreSpacesOptions = {
  segment: DEFAULT_SEGMENT,
  minSegmentRun: 5,
  unknownBase: 2,
  unknownPerLetter: 2,
  rareWordRank: 40_000,
  minDigitWordLetters: 3,
  gapThreshold: 1,
  weakGapThreshold: 0.2,
  gapVetoBelow: 0.07,
  steps: { gaps: true, digits: true, caseChanges: true, segmentation: true },
};

export interface RestoreSpacesInput {
  /**
   * Word-gap evidence per character of the line (index i: between line[i - 1] and line[i]), as
   * ctc-gaps.ts scores it; NaN or missing where unknown.
   */
  gaps?: readonly number[];
  lexicon?: WordLexicon;
  options?: Partial<RestoreSpacesOptions>;
}

const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** Tokens whose inside is never touched: e-mail, URL or domain, MRZ, code. */
export function isProtectedToken(token: string): boolean {
  if (token.includes('@') || token.includes('<')) return true;
  if (/:\/\/|^www\./i.test(token)) return true;
  // A dot before a small letter: domains ("contoso.com"), code ("sc.setLogLevel"), abbreviations
  // ("e.g."). "Dr.AverySmith" is not one of them.
  if (/\p{L}\.\p{Ll}/u.test(token)) return true;
  return /[()[\]{}=_\\|*^~`]/.test(token);
}

/** Letter/digit changes inside a run of letters and digits: two or more make it an identifier. */
function transitions(run: string): number {
  let n = 0;
  for (let i = 1; i < run.length; i++) if (LETTER.test(run[i - 1]!) !== LETTER.test(run[i]!)) n++;
  return n;
}

export function restoreWordSpaces(line: string, input: RestoreSpacesInput = {}): string {
  const options = { ...DEFAULT_RESTORE_SPACES, ...input.options };
  const lexicon = input.lexicon ?? wordLexicon();
  const gaps = input.gaps;
  // Positions (indexes into line) that get a space before them.
  const before = new Set<number>();
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const token = m[0];
    if (isProtectedToken(token)) continue;
    const start = m.index;
    for (let i = 1; i < token.length - 1; i++) {
      if ((token[i] === ',' || token[i] === ';') && LETTER.test(token[i - 1]!) && LETTER.test(token[i + 1]!)) before.add(start + i + 1);
      // "Dr.Avery": a dot after a word of two letters or more, before a capitalised word ("U.S.A" and "ACME.COM" stay).
      if (
        token[i] === '.' &&
        LETTER.test(token[i - 1]!) &&
        LETTER.test(token[i - 2] ?? '') &&
        UPPER.test(token[i + 1]!) &&
        LOWER.test(token[i + 2] ?? '')
      )
        before.add(start + i + 1);
    }
    const runRe = /[\p{L}\p{N}]+/gu;
    for (let r = runRe.exec(token); r; r = runRe.exec(token)) {
      for (const at of splitRun(r[0], start + r.index, gaps, lexicon, options)) before.add(at);
    }
  }
  if (before.size === 0) return line;
  let out = '';
  for (let i = 0; i < line.length; i++) out += (before.has(i) ? ' ' : '') + line[i]!;
  return out;
}

/** Split points (absolute positions) inside one run of letters and digits starting at `offset`. */
function splitRun(
  run: string,
  offset: number,
  gaps: readonly number[] | undefined,
  lexicon: WordLexicon,
  options: RestoreSpacesOptions,
): number[] {
  const identifier = transitions(run) >= 2;
  if (identifier) return [];
  const points = new Set<number>();
  // 1. The recogniser's own word gaps, next to a letter; weak ones only between two words.
  if (options.steps.gaps && gaps) {
    const weak: number[] = [];
    for (let i = 1; i < run.length; i++) {
      const g = gaps[offset + i];
      if (g === undefined || !(LETTER.test(run[i - 1]!) || LETTER.test(run[i]!))) continue;
      // Never inside a word of the lexicon: the "il" of "available" once showed a space probability of 0.03.
      if (g >= options.gapThreshold && !insideKnownWord(run, i, lexicon, options)) points.add(i);
      else if (g >= options.weakGapThreshold && LETTER.test(run[i - 1]!) && LETTER.test(run[i]!)) weak.push(i);
    }
    // Pieces between every candidate cut, strong or weak: "ACME|AUDIO|KX" keeps the first cut only.
    const sorted = [0, ...[...points, ...weak].sort((x, y) => x - y), run.length];
    for (const i of weak) {
      const from = Math.max(...sorted.filter((p) => p < i));
      const to = Math.min(...sorted.filter((p) => p > i));
      const left = run.slice(from, i);
      const right = run.slice(i, to);
      const word = (w: string): boolean => w.length >= 2 && /^\p{L}+$/u.test(w) && lexicon.has(w);
      if (word(left) && word(right) && !lexicon.has(left + right)) points.add(i);
    }
  }
  // 2. Digits glued to a word.
  const letterRuns: [number, number][] = [];
  const lr = /\p{L}+/gu;
  for (let m = lr.exec(run); m; m = lr.exec(run)) letterRuns.push([m.index, m.index + m[0].length]);
  if (options.steps.digits && letterRuns.length === 1 && run.length > letterRuns[0]![1] - letterRuns[0]![0]) {
    const [a, b] = letterRuns[0]!;
    const letters = run.slice(a, b);
    const wordLike =
      letters.length >= options.minDigitWordLetters &&
      (lexicon.has(letters) || /^\p{Lu}\p{Ll}{2}/u.test(letters) || splitLetters(letters, lexicon, options).length > 0);
    if (wordLike) {
      if (a > 0) points.add(a);
      if (b < run.length) points.add(b);
    }
  }
  // 3 and 4, on each run of letters, between the points found so far.
  for (const [a, b] of letterRuns) {
    const cuts = [a, ...[...points].filter((p) => p > a && p < b).sort((x, y) => x - y), b];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const from = cuts[k]!;
      const piece = run.slice(from, cuts[k + 1]!);
      if (isKnownWord(piece, lexicon, options)) continue;
      const caseCuts = options.steps.caseChanges ? caseChanges(piece) : [];
      const parts = [0, ...caseCuts, piece.length];
      for (const c of caseCuts) points.add(from + c);
      for (let j = 0; j + 1 < parts.length; j++) {
        const sub = piece.slice(parts[j]!, parts[j + 1]!);
        if (!options.steps.segmentation) continue;
        // An ending is suspicious only at the end of the run: "Dateof|Birth" ends a piece with a word.
        const atRunEnd = from + parts[j + 1]! === b;
        const proposed = splitLetters(sub, lexicon, options, atRunEnd).map((p) => from + parts[j]! + p);
        const vetoed = options.steps.gaps && gaps ? proposed.some((p) => (gaps[offset + p] ?? Number.NaN) < options.gapVetoBelow) : false;
        if (!vetoed) for (const p of proposed) points.add(p);
      }
    }
  }
  return [...points].map((p) => offset + p);
}

/** Case changes inside a run of letters: small to capital ("ChrisSmith"), and capitals to a capitalised word ("NERedmond"). */
export function caseChanges(piece: string): number[] {
  const out: number[] = [];
  for (let i = 1; i < piece.length; i++) {
    const prev = piece[i - 1]!;
    const cur = piece[i]!;
    // Two small letters before the capital: "ChrisSmith", "DateofBirth"; not "McDonald", "iPhone", "BCAAxYZ".
    if (LOWER.test(prev) && LOWER.test(piece[i - 2] ?? '') && UPPER.test(cur) && piece.length - i >= 2) out.push(i);
    else if (UPPER.test(prev) && UPPER.test(cur) && i >= 2 && LOWER.test(piece[i + 1] ?? '') && LOWER.test(piece[i + 2] ?? '')) out.push(i);
  }
  return out;
}

/** Whether position i of the run lies inside a run of letters that is a word of the lexicon. */
function insideKnownWord(run: string, i: number, lexicon: WordLexicon, options: RestoreSpacesOptions): boolean {
  if (!LETTER.test(run[i - 1]!) || !LETTER.test(run[i]!)) return false;
  let from = i - 1;
  while (from > 0 && LETTER.test(run[from - 1]!)) from--;
  let to = i;
  while (to < run.length && LETTER.test(run[to]!)) to++;
  return isKnownWord(run.slice(from, to), lexicon, options);
}

/**
 * A word of the lexicon, left whole. Wikipedia's list also holds infobox keys such as
 * "dateofbirth" (rank 86,349): a word ranked rareWordRank or beyond that is written with case
 * changes ("DateofBirth") is taken for glued; "MacBook" (13,092) and "McDonald" stay whole.
 */
function isKnownWord(word: string, lexicon: WordLexicon, options: RestoreSpacesOptions): boolean {
  const rank = lexicon.bestRank(word);
  if (rank === undefined) return false;
  return rank < options.rareWordRank || caseChanges(word).length === 0;
}

/**
 * Split points inside a run of letters that is not a (common) word, when segmentation clearly
 * pays; [] otherwise. `atRunEnd`: the letters end their run, so a short last part is an ending.
 */
export function splitLetters(
  letters: string,
  lexicon: WordLexicon,
  options: RestoreSpacesOptions = DEFAULT_RESTORE_SPACES,
  atRunEnd = true,
): number[] {
  if (letters.length < options.minSegmentRun || lexicon.has(letters)) return [];
  const segment = atRunEnd ? options.segment : { ...options.segment, shortLastPartPenalty: 0 };
  const s = segmentLetters(letters, lexicon, segment);
  if (!s || s.words.length < 2) return [];
  if (s.cost > options.unknownBase + options.unknownPerLetter * letters.length) return [];
  const points: number[] = [];
  let at = 0;
  for (const w of s.words.slice(0, -1)) points.push((at += w.length));
  return points;
}
