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
}

const digitCount = (s: string): number => (s.match(/\d/g) ?? []).length;

/** Regions whose national numbers start with a trunk 0, tried for such numbers when the evidence names none. */
const TRUNK_PREFIX_REGIONS = ['GB', 'FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'CH', 'AT', 'PT', 'PL', 'TR'];

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

  for (const m of findNumbers(line, { v2: true })) add(m.startsAt, m.endsAt);
  // National numbers need 7+ digits; most lines have fewer and skip the region loop.
  if (digitCount(line) >= 7) {
    // Evidence's regions first; a number with a trunk 0 ("06 12 34 56 78") is also tried in the
    // European regions this service sees, where that format is the usual national one.
    const regions = [...options.regions, ...TRUNK_PREFIX_REGIONS.filter((r) => !options.regions.includes(r))];
    for (const region of regions) {
      const trunkOnly = !options.regions.includes(region);
      for (const m of findNumbers(line, { v2: true, defaultCountry: region as CountryCode })) {
        const text = line.slice(m.startsAt, m.endsAt);
        if (trunkOnly && !/^\(?0/.test(text)) continue;
        const labelled = options.labelEnds.some(
          (end) => end <= m.startsAt && !/\S/.test(line.slice(end, m.startsAt).replace(/[:.#-]/g, '')),
        );
        // Formatted like a phone number (separators or a trunk 0), so an order number does not pass.
        const formatted = /^\(?0|[\s().-]/.test(text) && digitCount(text) >= 8;
        if (labelled || (options.national && formatted) || (region === 'US' && /^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/.test(text))) {
          add(m.startsAt, m.endsAt);
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
