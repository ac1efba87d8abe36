/**
 * Spaces for glued capitals. The Chinese PP-OCRv4 recogniser drops the spaces between Latin
 * words set in capitals or tight type ("ACMEAUDIOKX-200", "HIGHENERGY", "DRIVERLICENSE"); word
 * tags need them back. Tesseract reads such a line with its spaces but with worse letters, so it
 * only lends its spacing: Paddle's characters are never replaced. Pure.
 *
 * The rule, precisely: a line is re-read when one of its whitespace-separated tokens contains no
 * lower-case letter and contains a run of at least GLUED_MIN_RUN (8) consecutive capital letters
 * A-Z (digits and punctuation may surround the run: "8123STREETADDRESS", "KX-200"), or when a
 * lower-case letter is followed by three or more capitals ("RxBIN#").
 *
 * A space between a digit and a letter is kept only when it separates a run of digits from a
 * run of letters ("8123 STREET", "12 RESTRICTIONS"): codes that mix both ("WDLABCD456DG1234567XX1101",
 * serial numbers) stay whole, because redaction and identifiers need them in one piece.
 *
 * Tesseract's spacing is taken when, with spaces removed and upper-cased, its reading is within
 * an edit distance of max(1, 15 % of Paddle's length) of Paddle's, and a space only where both
 * tesseract words beside it score at least MIN_WORD_CONFIDENCE: on the passport's
 * "CANADIAN/CANADIENNE" tesseract read "CANAD" (96) "TENNE" (27), which would have cut a word in
 * two; every right split seen on ../shared/photos (DRIVER LICENSE, HIGH ENERGY, 8123 STREET ADDRESS)
 * had both words at 83..96. Its spaces are then mapped onto
 * Paddle's characters through the alignment, and inserted only inside glued tokens and only
 * between two letters or digits.
 */

export const GLUED_MIN_RUN = 8;
export const MAX_EDIT_SHARE = 0.15;
/** Tesseract word confidence (0..100) both words beside a borrowed space must have. */
export const MIN_WORD_CONFIDENCE = 80;

/** A word tesseract read, with its confidence (0..100). */
export interface ReadWord {
  text: string;
  confidence: number;
}

export function isGluedToken(token: string): boolean {
  if (!/\p{Ll}/u.test(token) && new RegExp(`[A-Z]{${GLUED_MIN_RUN},}`).test(token)) return true;
  // A lower-case word glued to a capitals word ("RxBIN#" on the insurance card): a small letter
  // followed by three or more capitals never happens inside one English word; "iPhone" and
  // "McDonald" (one capital after the small letter) do not match.
  return /\p{Ll}[A-Z]{3,}/u.test(token);
}

export function hasGluedCapitals(line: string): boolean {
  return line.split(/\s+/).some(isGluedToken);
}

/** Levenshtein alignment: for each index of b, the index of a it is matched or substituted with (-1 if inserted). */
export function align(a: string, b: string): { distance: number; bToA: number[] } {
  const n = a.length;
  const m = b.length;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => {
    const row = new Array<number>(m + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  const bToA = new Array<number>(m).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const cost = a[i - 1] === b[j - 1] ? 0 : 1;
    if (d[i]![j] === d[i - 1]![j - 1]! + cost) {
      bToA[j - 1] = i - 1;
      i--;
      j--;
    } else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return { distance: d[n]![m]!, bToA };
}

const ALNUM = /[\p{L}\p{N}]/u;

/**
 * Paddle's line with the spaces tesseract saw inside its glued tokens, or null when tesseract's
 * letters disagree too much to trust its spacing (or it adds no space).
 */
export function respace(paddle: string, tesseract: string | readonly ReadWord[]): string | null {
  // Paddle's non-space characters, with their positions in `paddle`.
  const chars: number[] = [];
  for (let i = 0; i < paddle.length; i++) if (!/\s/.test(paddle[i]!)) chars.push(i);
  const p = chars.map((i) => paddle[i]!.toUpperCase()).join('');
  // A plain string is a reading tesseract was sure of throughout.
  const read: ReadWord[] =
    typeof tesseract === 'string'
      ? tesseract
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((text) => ({ text, confidence: 100 }))
      : tesseract.map((w) => ({ text: w.text.trim(), confidence: w.confidence })).filter((w) => w.text.length > 0);
  const words = read.map((w) => w.text);
  if (words.length < 2 || p.length === 0) return null;
  const t = words.join('').toUpperCase();
  const { distance, bToA } = align(p, t);
  if (distance > Math.max(1, Math.floor(p.length * MAX_EDIT_SHARE))) return null;
  // Indexes into t where a tesseract word starts (not the first).
  const starts: number[] = [];
  let k = 0;
  read.slice(0, -1).forEach((w, i) => {
    k += w.text.length;
    if (w.confidence >= MIN_WORD_CONFIDENCE && read[i + 1]!.confidence >= MIN_WORD_CONFIDENCE) starts.push(k);
  });
  // Which positions of `paddle` lie inside a glued token.
  const glued = new Uint8Array(paddle.length);
  const re = /\S+/g;
  for (let m = re.exec(paddle); m; m = re.exec(paddle)) if (isGluedToken(m[0])) glued.fill(1, m.index, m.index + m[0].length);
  const before = new Set<number>();
  for (const s of starts) {
    // The first tesseract character of the word that Paddle also has.
    let j = s;
    while (j < t.length && bToA[j] === -1) j++;
    const a = j < t.length ? bToA[j]! : -1;
    if (a <= 0) continue;
    const at = chars[a]!;
    const prev = chars[a - 1]!;
    // Only between adjacent characters of one glued token, between two letters/digits.
    if (at !== prev + 1 || !glued[at] || !glued[prev]) continue;
    if (!ALNUM.test(paddle[at]!) || !ALNUM.test(paddle[prev]!)) continue;
    before.add(at);
  }
  const kept = keepCodesWhole(
    paddle,
    [...before].sort((x, y) => x - y),
  );
  if (kept.length === 0) return null;
  const insert = new Set(kept);
  let out = '';
  for (let i = 0; i < paddle.length; i++) out += (insert.has(i) ? ' ' : '') + paddle[i]!;
  return out;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;

/** Drops digit|letter split points unless both neighbouring segments are pure digits or pure letters. */
function keepCodesWhole(text: string, points: number[]): number[] {
  const tokenStart = (i: number): number => {
    let j = i;
    while (j > 0 && !/\s/.test(text[j - 1]!)) j--;
    return j;
  };
  const tokenEnd = (i: number): number => {
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!)) j++;
    return j;
  };
  return points.filter((at, k) => {
    const left = text[at - 1]!;
    const right = text[at]!;
    if (LETTER.test(left) && LETTER.test(right)) return true;
    const from = Math.max(tokenStart(at), k > 0 ? points[k - 1]! : 0);
    const to = Math.min(tokenEnd(at), k + 1 < points.length ? points[k + 1]! : text.length);
    const before = text.slice(from, at);
    const after = text.slice(at, to);
    const pure = (segment: string, re: RegExp): boolean => [...segment].every((c) => re.test(c));
    return (pure(before, DIGIT) && pure(after, LETTER)) || (pure(before, LETTER) && pure(after, DIGIT));
  });
}
