/**
 * Phone numbers with libphonenumber-js (Google's libphonenumber metadata, every region): numbers
 * written internationally anywhere, national numbers when a label says so or when the document
 * carries contact details, each checked for validity in the regions the evidence names (the
 * issuing state, country names and label languages), US and GB when it names none.
 * Own rules stay for what no parser accepts: numbers OCR cut short after a +country code or a
 * "(0)" trunk mark, which still narrow down whose number it is. Pure.
 */
import { findNumbers, type CountryCode } from 'libphonenumber-js/max';
import type { Span } from '../spans.js';

export interface PhoneOptions {
  /** Regions to read national numbers in (ISO alpha-2), most likely first. */
  regions: readonly string[];
  /** Accept valid national numbers without a label (contact documents). */
  national: boolean;
  /** Spans of phone labels on this line (Tel, Mob, Fax, Telefon...). */
  labelEnds: readonly number[];
  /**
   * A personal text (a document, a card, a form): a number written in groups with separators only
   * ("1-800-555-0199", "(11) 98765-4321", "06 12 34 56 78") that is valid in a region of the
   * vocabulary's languages is a phone, label or not.
   */
  formatted?: boolean;
}

/**
 * The regions whose languages the labels' vocabulary speaks (en, fr, de, es, it, nl, pt, pl, tr,
 * sv, cs, hu): where the documents this service reads come from. Tried after the evidence's own.
 */
const VOCABULARY_REGIONS = [
  'US',
  'GB',
  'CA',
  'AU',
  'IE',
  'FR',
  'BE',
  'CH',
  'DE',
  'AT',
  'ES',
  'IT',
  'NL',
  'PT',
  'BR',
  'PL',
  'TR',
  'SE',
  'CZ',
  'SK',
  'HU',
];

/** Groups of digits with separators only: 9-15 digits in three or more groups, no date's shape. */
function writtenInGroups(number: string): boolean {
  const n = digitCount(number);
  if (n < 9 || n > 15) return false;
  if ((number.match(/\d+/g) ?? []).length < 3) return false;
  return !isDateShaped(number);
}

/**
 * A run holding a date: "12.03.1985", "1985-03-12", "04.05.2022 4" (a date and the next field's
 * number read as one run), "3. 12.04.1990" (a licence's field number before it): no phone without
 * a label. "06.12.34.56.78" is a French number, not a date: more digit groups follow.
 */
function isDateShaped(number: string): boolean {
  return /(?<!\d[./-]?)(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})(?![./-]?\d)/.test(number);
}

/**
 * A lone year or a range of years ("2024 - 2025", "2019/20", "1998-2003"): a season, a school year or
 * a validity printed on cards of every kind, never a phone number without a phone label.
 */
export function isYearRange(number: string): boolean {
  const m = /^\(?((?:19|20)\d\d)\)?(?:\s*[-–/]\s*((?:19|20)?\d\d))?$/.exec(number.trim());
  if (!m) return false;
  if (!m[2]) return true;
  const to = m[2].length === 2 ? Number(m[1]!.slice(0, 2) + m[2]) : Number(m[2]);
  return to >= Number(m[1]) && to - Number(m[1]) <= 10;
}

const digitCount = (s: string): number => (s.match(/\d/g) ?? []).length;

/** Regions whose national numbers start with a trunk 0, tried for such numbers when the evidence names none. */
const TRUNK_PREFIX_REGIONS = ['GB', 'FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'CH', 'AT', 'PT', 'PL', 'TR'];

/** A run that may hold a phone number: digits with the separators numbers are written with (and a leading + or 00). */
const CANDIDATE = /(?:\+\s?|(?<![\d]))\(?\d[\d\s().\/-]{4,22}\d\)?/g;

/** "+44 (0) 20" cut short, "+33 6 12": a + and 5+ digits. */
const CUT_INTERNATIONAL = /\+\s?\d(?:[\s().-]{0,3}\d){4,16}/g;
/** "(0) 20 9876 5432": the trunk mark of a number written internationally whose +44 OCR lost. */
const TRUNK_MARK = /\(0\)\s?\d[\d\s-]{2,14}\d/g;
/** After a label: any 5..15-digit run with the usual separators. */
const AFTER_LABEL = /^\s*[:.#-]?\s*(\+?\s?\(?\d[\d\s().\/-]{3,22}\d\)?)/;

export function findPhones(line: string, options: PhoneOptions): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number): void => {
    spans.push({ start, end, kind: 'phone' });
  };

  // libphonenumber reads each phone-shaped run on its own: its matcher is slow on long runs of digits.
  for (const candidate of line.matchAll(CANDIDATE)) {
    const text = candidate[0];
    const offset = candidate.index;
    // Digit soup ("1 1 1 1 1") is no number anyone writes: phone groups are mostly 2+ digits.
    if ((text.match(/(?<!\d)\d(?!\d)/g) ?? []).length > 3) continue;
    for (const m of findNumbers(text, { v2: true })) add(offset + m.startsAt, offset + m.endsAt);
    // National numbers need 7+ digits.
    if (digitCount(text) < 7) continue;
    // Evidence's regions first; a number with a trunk 0 ("06 12 34 56 78") is also tried in the
    // European regions this service sees, where that format is the usual national one.
    const extra = options.formatted ? VOCABULARY_REGIONS : TRUNK_PREFIX_REGIONS;
    const regions = [...options.regions, ...extra.filter((r) => !options.regions.includes(r))];
    for (const region of regions) {
      const trunkOnly = !options.regions.includes(region) && !options.formatted;
      if (trunkOnly && !/(?:^|[\s(])0\d/.test(text)) continue;
      for (const m of findNumbers(text, { v2: true, defaultCountry: region as CountryCode })) {
        const number = text.slice(m.startsAt, m.endsAt);
        if (trunkOnly && !/^\(?0/.test(number)) continue;
        const at = offset + m.startsAt;
        const labelled = options.labelEnds.some((end) => end <= at && !/\S/.test(line.slice(end, at).replace(/[:.#-]/g, '')));
        // Formatted like a phone number (separators or a trunk 0), so an order number does not pass.
        const formatted = /^\(?0|[\s().-]/.test(number) && digitCount(number) >= 8;
        if (!labelled && (isDateShaped(number) || isYearRange(number))) continue;
        if (
          labelled ||
          (options.national && formatted) ||
          (options.formatted && writtenInGroups(number)) ||
          (region === 'US' && /^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/.test(number))
        ) {
          add(at, offset + m.endsAt);
        }
      }
    }
  }
  for (const m of line.matchAll(CUT_INTERNATIONAL)) {
    const n = digitCount(m[0]);
    if (n >= 5 && n <= 15) add(m.index, m.index + m[0].length);
  }
  for (const m of line.matchAll(TRUNK_MARK)) add(m.index, m.index + m[0].length);
  // A number after a phone label, even one no region accepts (OCR slips, cut-off digits).
  for (const end of options.labelEnds) {
    const m = AFTER_LABEL.exec(line.slice(end));
    if (!m?.[1]) continue;
    const n = digitCount(m[1]);
    if (n < 5 || n > 15) continue;
    const start = end + m[0].length - m[1].length;
    add(start, start + m[1].length);
  }
  return spans;
}
