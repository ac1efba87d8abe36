/**
 * The values of a driving licence's numbered fields, decided by the number (EU directive
 * 2006/126/EC annex I, which AAMVA's card design follows): 1 surname, 2 given names, 3 date and place
 * of birth, 4a date of issue, 4b date of expiry, 4d personal number, 5 licence number, 7 signature
 * (when printed as a name), 8 address.
 * The number says what the value is in whatever language or words the value is written, so a
 * town of birth or a surname that is also a printed word goes too. For a recognised driving
 * licence only (the EHIC numbers its fields 3-9 with other meanings). Pure.
 *
 * Must never take the issuing authority (4c), the categories (9-12) or a label after the number
 * ("3 DOB", "4b EXP"): those are printed for every holder.
 */
import { findDates } from './dates.js';
import type { RedactedKind } from '../placeholders.js';
import type { Span } from '../spans.js';
import { authorityLineStart } from '../vocabulary/authorities.js';
import { isPlaceName } from '../vocabulary/places.js';
import { findLabels, isPrintedWord } from '../vocabulary/printed-words.js';

const FIELD_KINDS: Readonly<Record<string, RedactedKind>> = {
  '1': 'name',
  '2': 'name',
  '3': 'date_of_birth',
  '4a': 'date',
  '4b': 'date',
  // The EU's personal number; AAMVA's licence number ("4d LIC# WDLABCD456DG").
  '4d': 'id_number',
  '5': 'id_number',
  '8': 'address',
  // The holder's signature, which some cards print as text ("7.L.Zaruba"): a name when shaped like
  // one (SIGNATURE_VALUE; privacy-rules-13).
  '7': 'name',
};

/** A signature printed as text: an initial or a given name, then a surname ("L.Zaruba", "J. Smith"). */
const SIGNATURE_VALUE = /^(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’-]+\s)\p{Lu}[\p{L}'’-]+$/u;

/**
 * A field number: 4a-4d with or without a dot ("4b.18.01.2028", "4d 850312"); 1-14 with a dot or a
 * bracket before a space or a letter ("1. DOE", "2)Anna"), or at the start of the line before a
 * space ("5 D1234567"), or glued by its dot to a house number and a street ("8.293 Karla Gate";
 * privacy-rules-19). A date's day ("12.03.1985") is no field number: a digit follows its dot.
 */
const FIELD_NUMBER =
  /(?<![\p{L}\p{N}.,/:-])(1[0-4]|[1-9])(?:([a-dA-D])[.)]?(?=\s*[\p{L}\p{N}])|[.)](?:\s+(?=[\p{L}\p{N}])|(?=\p{L}))|(?<=^\s*\d{1,2})\s(?=\s*[\p{L}\p{N}])|(?<=^\s*\d{1,2})\.(?=\d{1,5}[A-Za-z]?\s+\p{Lu}))/gu;

/** Spans of the personal numbered fields' values on one line of a driving licence. */
export function findLicenceFieldValues(line: string): Span[] {
  const numbers = [...line.matchAll(FIELD_NUMBER)];
  const spans: Span[] = [];
  numbers.forEach((m, k) => {
    const field = `${m[1]}${(m[2] ?? '').toLowerCase()}`;
    const kind = FIELD_KINDS[field];
    if (!kind) return;
    let from = m.index + m[0].length;
    const to = numbers[k + 1]?.index ?? line.length;
    // A label printed after the number ("3 DOB", "4b EXP", "8 Address") stays; the value follows it.
    const label = findLabels(line.slice(from, to)).find((l) => l.start <= 2);
    if (label) from += label.end;
    let start = from;
    let end = to;
    while (start < end && !/[\p{L}\p{N}]/u.test(line[start]!)) start++;
    while (end > start && !/[\p{L}\p{N}.]/u.test(line[end - 1]!)) end--;
    // Printed wording after a number or a date ("5 DD1234567 Veteran") is the card's, not the value;
    // a name field keeps all its words (a surname may be a printed word), field 3 decides its place below,
    // and an address ends in its street's type whatever else the word is ("8.293 Karla Gate"; privacy-rules-19).
    if (kind !== 'name' && kind !== 'date_of_birth' && kind !== 'address') end = withoutTrailingPrinted(line, start, end);
    if (end <= start) return;
    if (field === '7' && !SIGNATURE_VALUE.test(line.slice(start, end))) return;
    if (kind !== 'date_of_birth') {
      spans.push({ start, end, kind });
      return;
    }
    // Field 3: the birth date, then the place of birth.
    const value = line.slice(start, end);
    const dates = findDates(value);
    for (const d of dates) spans.push({ start: start + d.start, end: start + d.end, kind: 'date_of_birth' });
    const after = dates.length ? start + dates.at(-1)!.end : start;
    const place = /[\p{L}][\p{L}\p{N}'’.\- ]*/u.exec(line.slice(after, end));
    // A country or state of birth ("UNITED KINGDOM") is printed for millions of holders; a town is not.
    if (place && !isPlaceName(place[0].trim()))
      spans.push({ start: after + place.index, end: after + place.index + place[0].trimEnd().length, kind: 'place_of_birth' });
    if (!dates.length && !place) spans.push({ start, end, kind: 'date_of_birth' });
  });
  return spans;
}

/**
 * Where a licence's issuing authority starts on a line: after field number 4c, whatever the
 * authority's name ("4c. Transportstyrelsen"), or where the authorities' vocabulary finds one; -1
 * when the line holds none.
 */
export function licenceAuthorityStart(line: string): number {
  const m = /^\s*4[cC](?:[.)]\s*|\s+)(?=\p{L})/u.exec(line);
  return m ? m[0].length : authorityLineStart(line);
}

/**
 * Spans on `next` when `line` is nothing but a field number ("3." above "09051996 TREBON"): OCR
 * reads a number and its value as two lines when a gap separates them.
 */
export function findLicenceFieldValuesBelow(line: string, next: string): Span[] {
  const m = /^\s*(1[0-4]|[1-9])([a-dA-D])?[.)]?\s*$/.exec(line);
  if (!m) return [];
  const prefix = `${m[1]}${m[2] ?? ''}. `;
  return findLicenceFieldValues(prefix + next)
    .map((sp) => ({ ...sp, start: sp.start - prefix.length, end: sp.end - prefix.length }))
    .filter((sp) => sp.start >= 0);
}

/** The end of [start, end) of `line` without the printed words that close it. */
function withoutTrailingPrinted(line: string, start: number, end: number): number {
  for (;;) {
    const m = /(?:^|\s)(\p{L}+)[\s.]*$/u.exec(line.slice(start, end));
    if (!m?.[1] || !isPrintedWord(m[1]) || m.index === 0) return end;
    end = start + m.index;
  }
}

/** The numbers ISO/IEC 18013-1 and the EU model give a licence's holder fields (9 the categories). */
const ISO_FIELD_NUMBERS = new Set(['1', '2', '3', '4a', '4b', '4c', '4d', '5', '8', '9']);

/**
 * The licence field numbers that open lines (1., 2., 3., 4a., 4b., 4c., 4d., 5., 8., 9.), each
 * counted once: a number glued to its value ("4b.18.01.2028"), before a space, or alone on its line
 * (OCR reads a number above its value when a gap parts them).
 * Whatever the country's language, four of them, one lettered (4a-4d: a list of steps has no 4b),
 * make a text a driving licence (recognise-document.ts).
 */
export function licenceFieldNumbersOpeningLines(lines: readonly string[]): Set<string> {
  return fieldNumbersOpeningLines(lines, ISO_FIELD_NUMBERS);
}

/**
 * The field numbers of `allowed` that open lines, read as licenceFieldNumbersOpeningLines reads
 * them; the EHIC numbers its fields 3-9 the same way (recognise-document.ts).
 */
export function fieldNumbersOpeningLines(lines: readonly string[], allowed: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const line of lines) {
    const m = /^\s*(1[0-4]|[1-9])(?:([a-dA-D])(?:[.)]|\s|(?=\p{L}|\d)|$)|[.)]?\s*$|[.)](?=\s|\p{L})|\s+(?=\p{L}))/u.exec(line);
    if (!m) continue;
    const field = `${m[1]}${(m[2] ?? '').toLowerCase()}`;
    if (allowed.has(field)) found.add(field);
  }
  return found;
}
