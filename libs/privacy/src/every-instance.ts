/**
 * "Redact all instances": once the redactor removes a holder's name or place of birth from a text,
 * the same word goes wherever else the text prints it ("1.MACEDO" above "Policia Federal Macedo do
 * Norte"), the way document-redaction tools redact every instance of what they removed. Matching
 * folds case, accents and the reader's digit/letter confusions (PhraseMatcher's OCR folding: "MAC0DO").
 *
 * Only whole words are found (a removed "AUSWEIS" is no part of "PERSONALAUSWEIS"), never inside the
 * line's printed wording or labels.
 *
 * Must never: spread a word that alone names nobody (a particle such as "van" or "de", a word under
 * MIN_LETTERS letters) or that is printed wording of documents (a rule that took a title for a
 * name must not take every copy of it); touch the context (only the lines the redactor publishes).
 * Pure.
 */
import { NAME_PARTICLES } from './vocabulary/name-particles.js';
import { PhraseMatcher } from './vocabulary/phrase-matcher.js';
import { findLabels, findPrinted, isGarbledPrintedWord, isPrintedWord, namesAFirm } from './vocabulary/printed-words.js';
import type { RedactedKind } from './placeholders.js';
import type { Span } from './spans.js';

/** The kinds whose words are spread: the ones a printed word can repeat (a surname that is a town's). */
const SPREAD_KINDS: ReadonlySet<RedactedKind> = new Set(['name', 'place_of_birth']);

/** Shorter words are too often other words of the text ("Eva", "Li"); the held-out classes are surnames. */
const MIN_LETTERS = 4;

const LETTER = /\p{L}/u;

/** A web address: "www.…", "https://…", or a lower-case host ending in a top-level domain ("martins-santos.br"; not "1.MACEDO", "4c.policia"). */
const WEB_ADDRESS = /^(?:https?:\/\/|www\.)\S|^[a-z0-9-]*[a-z][a-z0-9-]{2,}(?:\.[a-z0-9-]+)*\.[a-z]{2,6}(?:\/\S*)?$/;

/** Whether a match lies in a web address (the whitespace-separated token holding it; an e-mail is the e-mail rule's). */
function inWebAddress(line: string, start: number, end: number): boolean {
  const from = line.lastIndexOf(' ', start - 1) + 1;
  const to = line.indexOf(' ', end);
  const token = line.slice(from, to < 0 ? line.length : to);
  return !token.includes('@') && WEB_ADDRESS.test(token);
}

/** The words of a removed value worth finding elsewhere (see the module header). */
function spreadWords(value: string): string[] {
  return (value.match(/\p{L}+(?:['’]\p{L}+)*/gu) ?? []).filter(
    (w) =>
      (w.match(/\p{L}/gu) ?? []).length >= MIN_LETTERS &&
      !NAME_PARTICLES.has(w.toLowerCase()) &&
      !isPrintedWord(w) &&
      !isGarbledPrintedWord(w),
  );
}

/**
 * For each line, the spans of other instances of the words removed as a name or a place of birth
 * anywhere in `lines` (`spans[i]`: line i's merged spans), each with its removed value's kind.
 * Spans a line already has are not repeated.
 */
export function otherInstances(lines: readonly string[], spans: readonly (readonly Span[])[]): Span[][] {
  const kindOf = new Map<string, RedactedKind>();
  lines.forEach((line, i) => {
    for (const s of spans[i] ?? []) {
      if (!SPREAD_KINDS.has(s.kind)) continue;
      for (const w of spreadWords(line.slice(s.start, s.end))) if (!kindOf.has(w.toLowerCase())) kindOf.set(w.toLowerCase(), s.kind);
    }
  });
  if (kindOf.size === 0) return lines.map(() => []);
  const matcher = new PhraseMatcher(
    [...kindOf].map(([phrase, kind]) => ({ phrase, payload: kind })),
    { ocrConfusions: true },
  );
  const overlaps = (m: { start: number; end: number }, others: readonly { start: number; end: number }[]): boolean =>
    others.some((o) => o.start < m.end && m.start < o.end);
  return lines.map((line, i) => {
    // A firm's name or web address is the firm's ("Lund Nordin HB", "www.lund-nordin-hb.se"), as widenNames reads it.
    if (namesAFirm(line)) return [];
    const found = matcher
      .find(line)
      .filter((m) => !LETTER.test(line[m.start - 1] ?? '') && !LETTER.test(line[m.end] ?? '') && line[m.start - 1] !== '[')
      // A word before a colon is a label ("Sócio:" under a title that failed closed as a name), never a holder's name.
      .filter((m) => !/^\s*:/.test(line.slice(m.end)));
    if (found.length === 0) return [];
    // A word of the line's printed wording is that wording ("IKAMET IZNI", "UNITED STATES"), whatever a rule took elsewhere.
    const printed = [...findPrinted(line), ...findLabels(line)];
    return found
      .filter((m) => !overlaps(m, spans[i] ?? []) && !overlaps(m, printed) && !inWebAddress(line, m.start, m.end))
      .map((m) => ({ start: m.start, end: m.end, kind: m.payload }));
  });
}
