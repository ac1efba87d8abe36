/**
 * What a boarding pass (or a bag tag) prints about its passenger beyond labelled fields, in the
 * forms IATA fixes: the passenger as SURNAME/GIVEN NAMES plus a title (Resolution 722 and the bar-coded
 * boarding pass, BCBP), the booking reference (a six-character record locator) and the ticket
 * number (a three-digit airline code then ten digits). Boarding passes print these in boxes whose
 * labels OCR reads on another line or in another column, so shape decides here, on a recognised
 * boarding pass only. Pure.
 *
 * Must never take a flight number ("VN2786": a two-character airline designator and up to four
 * digits), a gate, a seat or a time of day: those are the flight's, not the passenger's.
 */
import nlp from 'compromise';
import { memo } from '../memo.js';
import type { Span } from '../spans.js';
import { NAME_PARTICLES } from '../vocabulary/name-particles.js';
import { isPlaceName } from '../vocabulary/places.js';
import { findPrinted, isPrintedWord } from '../vocabulary/printed-words.js';

/** Titles IATA appends to the given names ("SMITH/JOHN MR"). */
const TITLES = 'MR|MRS|MS|MISS|MSTR|DR|PROF|REV|SIR|MX|CHD|INF';

/**
 * SURNAME/GIVEN NAMES TITLE: capitals, a slash, capitals; the title may be glued on ("DOUGLAS/ALIZEMS"),
 * and the seat and sequence digits OCR read into one run before it ("31A00T20PONS/ARTHAUD MR";
 * privacy-rules-17): a digit is no letter of the surname.
 */
const IATA_NAME = /(?<![\p{L}])(\p{Lu}[\p{Lu}'’ -]*\p{Lu})\/(\p{Lu}[\p{Lu} ]*\p{Lu})(?![\p{L}\d])/gu;
/** The same with a date OCR glued after the title ("BARNA/ZENOMR26MAR2026": DDMMM and a year; privacy-rules-13). */
const IATA_NAME_GLUED_DATE =
  /(?<![\p{L}\d])(\p{Lu}[\p{Lu}'’ -]*\p{Lu})\/(\p{Lu}[\p{Lu} ]*\p{Lu})(?=\d{1,2}[A-Z]{3}(?:\d{2}|\d{4})?(?![\p{L}\d]))/gu;

/** Record locators: six letters and digits (IATA PNR), alone between separators. */
const RECORD_LOCATOR = /(?<![\p{L}\d])[A-Z0-9]{6}(?![\p{L}\d])/gu;
const RECORD_LOCATOR_LINE = /^\s*[A-Z0-9]{6}\s*$/;
/** A locator glued by a separator to the end of a label OCR garbled past reading ("okingreE-NECKAW"; privacy-rules-13). */
const GLUED_LOCATOR_AT_END = /(?<=[\p{L}.][-/:])[A-Z0-9]{6}(?=\s*$)/u;
/** Flight numbers: airline designator (two characters, one may be a digit) and 1-4 digits. */
const FLIGHT_NUMBER = /^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\d{1,4}[A-Z]?$/;
/** Ticket numbers: the airline's three-digit code, then ten digits (a space or dash may follow the code). */
const TICKET_NUMBER = /(?<!\d)\d{3}[\s-]?\d{10}(?!\d)/g;

/** Whether a word is a place compromise knows ("LONDON", "DUBLIN"): cities print in capitals on passes too. */
const isKnownPlace = memo((word: string): boolean => {
  const capitalised = word.charAt(0) + word.slice(1).toLowerCase();
  return isPlaceName(word) || nlp(capitalised).has('#Place');
});

/** Passenger names in the IATA form; the printed wording of bilingual labels ("CARTE D'EMBARQUEMENT/BOARDING PASS") is not one. */
export function findIataNames(line: string): Span[] {
  const spans: Span[] = [];
  for (const m of [...line.matchAll(IATA_NAME), ...line.matchAll(IATA_NAME_GLUED_DATE)]) {
    const sides = [m[1]!, m[2]!];
    // A surname's particle ("DE LANGE/INARA MS", "VAN DIJK/JAN MR") is no printed word, whatever labels print "de".
    const printed = (w: string): boolean => w.length > 1 && !NAME_PARTICLES.has(w.toLowerCase()) && isPrintedWord(w);
    if (sides.some((side) => side.split(/[\s-]+/).some(printed))) continue;
    if (sides.some((side) => isPrintedWord(side) || isPlaceName(side))) continue;
    let end = m.index + m[0].length;
    // A title printed apart ("SMITH/JOHN MR") goes with the name.
    const title = new RegExp(`^\\s+(?:${TITLES})(?![\\p{L}])`, 'u').exec(line.slice(end));
    // Two IATA location codes ("LHR/JFK") are the route; a name of three and three letters has its title.
    if (!title && sides.every((side) => /^[A-Z]{3}$/.test(side))) continue;
    if (title) end += title[0].length;
    spans.push({ start: m.index, end, kind: 'name' });
  }
  return spans;
}

/**
 * Whether a line prints a passenger in the IATA form with the title IATA appends ("AKSAKAL/ACIK MS"):
 * the way boarding passes and airline bag tags name their passenger, evidence of the document even
 * where no title or label was read (privacy-rules-19). Without its title a slash between capitals is
 * a route or a bilingual label as often.
 */
export function hasTitledIataName(line: string): boolean {
  const titled = new RegExp(`(?<![\\p{L}])(?:${TITLES})$`, 'u');
  return findIataNames(line).some((s) => titled.test(line.slice(s.start, s.end)));
}

/**
 * Booking references and ticket numbers a boarding pass prints without a label beside them. A record
 * locator is printed alone in its box: only a line that is nothing else is one (a glued word of
 * capitals elsewhere is not), or the six characters that end a line glued by a separator to a label
 * OCR garbled ("okingreE-NECKAW" for "Booking ref.: NECKAW").
 */
export function findTravelReferences(line: string): Span[] {
  const spans: Span[] = [];
  for (const m of line.matchAll(TICKET_NUMBER)) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'travel_reference' });
  const glued = GLUED_LOCATOR_AT_END.exec(line);
  if (!RECORD_LOCATOR_LINE.test(line) && !glued) return spans;
  for (const m of glued ? [glued] : line.matchAll(RECORD_LOCATOR)) {
    const token = m[0];
    if (FLIGHT_NUMBER.test(token) || /^\d+$/.test(token) || (token.match(/[A-Z]/g) ?? []).length < 2) continue;
    // A printed label glued to its number ("SEQ175": the boarding sequence) is no locator.
    if (findPrinted(token).some((p) => p.start === 0)) continue;
    if (/^[A-Z]+$/.test(token) && (isPrintedWord(token) || isKnownPlace(token))) continue;
    spans.push({ start: m.index, end: m.index + token.length, kind: 'travel_reference' });
  }
  return spans;
}
