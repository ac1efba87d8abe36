/**
 * Dates with chrono-node (en, de, fr, es, it, nl, pt parsers), plus the forms documents print that
 * no parser reads: the bilingual month of ICAO documents ("12 MAR/MARS 85", "01 JAN/JAN 1985"),
 * glued by OCR ("12MAR/MAR85"), and numeric dates glued to their label ("naissance12.03.1985").
 * Only full dates (day, month and year) count, and only where the caller says dates are personal
 * (after a birth-date label, or on a document whose policy says so). Pure.
 */
// Each language's parsers alone: chrono-node's index loads all 15 of its locales (~8 MiB of RSS more).
import * as de from 'chrono-node/de';
import * as en from 'chrono-node/en';
import * as es from 'chrono-node/es';
import * as fr from 'chrono-node/fr';
import * as it from 'chrono-node/it';
import * as nl from 'chrono-node/nl';
import * as pt from 'chrono-node/pt';
import type { Span } from '../spans.js';
import { originalRange, spacedView } from '../text-view.js';

// Abbreviations in the languages of the issue and more (sv, cs, hu: privacy-rules-4), with and without
// their accents (OCR models drop them).
const MONTHS = [
  'JAN|JANV|JANVIER|JANUAR|JANUARY|ENE|ENERO|GEN|GENNAIO|JANEIRO|JANUARI|STY|OCA|LED',
  'FEB|FEBR|FEV|FÉV|FEVR|FÉVR|FÉVRIER|FEVRIER|FEBRUAR|FEBRUARY|FEBRERO|FEBBRAIO|FEVEREIRO|FEBRUARI|LUT|SUB|ŞUB|ÚNO|UNO',
  'MAR|MARS|MÄR|MÄRZ|MARZ|MARCH|MARZO|MARÇO|MARCO|MAART|MRT|MRZ|MART|MÁR|BŘE|BRE',
  'APR|AVR|AVRIL|APRIL|ABR|ABRIL|APRILE|KWI|NIS|ÁPR|DUB',
  'MAY|MAI|MAG|MAGGIO|MAYO|MEI|MAIO|MAJ|MÁJ|KVĚ|KVE',
  'JUN|JUIN|JUNI|JUNE|JUNIO|GIU|GIUGNO|JUNHO|CZE|HAZ|JÚN|ČVN|CVN',
  'JUL|JUIL|JUILLET|JULI|JULY|JULIO|LUG|LUGLIO|JULHO|LIP|TEM|JÚL|ČVC|CVC',
  'AUG|AOU|AOÛ|AOUT|AOÛT|AUGUST|AGO|AGOSTO|AUGUSTUS|SIE|AĞU|AGU|SRP',
  'SEP|SEPT|SEPTEMBRE|SEPTEMBER|SEPTIEMBRE|SET|SETTEMBRE|SETEMBRO|WRZ|EYL|SZEP|ZÁŘ|ZAR',
  'OCT|OCTOBRE|OCTOBER|OKT|OKTOBER|OCTUBRE|OTT|OTTOBRE|OUT|OUTUBRO|PAŹ|PAZ|EKI|ŘÍJ|RIJ',
  'NOV|NOVEMBRE|NOVEMBER|NOVIEMBRE|NOVEMBRO|LIS|KAS',
  'DEC|DÉC|DECEMBRE|DÉCEMBRE|DEZ|DEZEMBER|DECEMBER|DICIEMBRE|DIC|DICEMBRE|DEZEMBRO|GRU|ARA|PRO',
]
  .join('|')
  .split('|')
  .sort((a, b) => b.length - a.length)
  // OCR reads the O of a month glued to digits as a zero ("23 0CT 2025", "A0UT").
  .map((month) => month.replace(/O/g, '[O0]'))
  .join('|');

/** A month's name or abbreviation anywhere (glued ones too: "12MAR85"). */
const MONTH_WORD = new RegExp(`(?:${MONTHS})`, 'iu');

/** A text that starts with a month's name or abbreviation ("JAN/JAN" after a glued day). */
export const STARTS_WITH_MONTH = new RegExp(`^(?:${MONTHS})(?![\\p{Ll}])`, 'iu');

/** 12 MAR/MARS 85, 12MAR/MAR85, 01 JAN 1985, 3. März 1990, 12 mars 1985. */
const DAY_MONTH_YEAR = new RegExp(
  `(?<!\\d)(?:[0-2]?\\d|3[01])\\s*\\.?\\s*(?:${MONTHS})\\.?(?:\\s*/\\s*(?:${MONTHS})\\.?)?\\s*,?\\s*(?:\\d{4}|\\d{2})(?!\\d)`,
  'giu',
);
/** Jan 1, 1985 / MAR 12 1985. */
const MONTH_DAY_YEAR = new RegExp(`(?<![\\p{L}])(?:${MONTHS})\\.?\\s*(?:[0-2]?\\d|3[01])\\s*,?\\s*\\d{4}(?!\\d)`, 'giu');
/** 01/06/1958, 01.06.58, 1958-06-01, glued to a label or not. */
const NUMERIC =
  /(?<!\d)(?:(?:[0-2]?\d|3[01])[/.-](?:0?\d|1[0-2])[/.-](?:\d{4}|\d{2})|(?:0?\d|1[0-2])[/.-](?:[0-2]?\d|3[01])[/.-](?:\d{4}|\d{2})|(?:19|20)\d{2}[/.-](?:0?\d|1[0-2])[/.-](?:[0-2]?\d|3[01]))(?![\d/]|[.-]\d)/g;
/** 12 03 1985: day, month and a four-digit year apart by spaces (a two-digit year would read phone digits). */
const SPACED = /(?<![\d\s]\s?|\d)(?:[0-2]?\d|3[01])\s(?:0?\d|1[0-2])\s(?:19|20)\d{2}(?!\d)/g;
/** 04/27, 12/2027: month and year, as payment cards print the expiry. */
const MONTH_YEAR = /(?<![\d/.])(?:0[1-9]|1[0-2])\s?\/\s?(?:\d{4}|\d{2})(?![\d/])/g;

const PARSERS = [en, de, fr, es, it, nl, pt];

/** 21MAR, 05 OCT: the day and month a boarding pass prints for its flight (IATA BCBP leaves the year out). */
const DAY_MONTH = new RegExp(`(?<![\\p{L}\\d])(?:[0-2]?\\d|3[01])\\s?(?:${MONTHS})(?![\\p{L}\\d/])`, 'giu');

export interface DateOptions {
  /** Month-year dates count too (payment cards' expiry). */
  monthYear: boolean;
  /** Day-month dates without a year count too (a boarding pass's flight date). */
  dayMonth?: boolean;
  /** Eight digits that are a valid date ("07122025", "19850312") count too (personal texts only). */
  glued?: boolean;
}

/** Eight digits alone (not inside a longer run of digits). */
const EIGHT_DIGITS = /(?<!\d)\d{8}(?!\d)/g;
/** Years a person's or a document's date falls in. */
const PLAUSIBLE_YEAR = (y: number): boolean => y >= 1900 && y <= 2099;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!PLAUSIBLE_YEAR(year) || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Eight digits that parse as a calendar date in one of the orders documents print without
 * separators (DDMMYYYY, MMDDYYYY, YYYYMMDD): OCR drops the dots, mobile passes and licences glue
 * them. Alone an eight-digit run may be any number, so only where the caller says the text is personal.
 */
export function isGluedNumericDate(digits: string): boolean {
  if (!/^\d{8}$/.test(digits)) return false;
  const n = (from: number, to: number): number => Number(digits.slice(from, to));
  return (
    isCalendarDate(n(4, 8), n(2, 4), n(0, 2)) || isCalendarDate(n(4, 8), n(0, 2), n(2, 4)) || isCalendarDate(n(0, 4), n(4, 6), n(6, 8))
  );
}

/** Spans of full dates on a line (kind 'date'; the caller decides which are birth dates). */
export function findDates(line: string, options: DateOptions = { monthYear: false }): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number): void => {
    spans.push({ start, end, kind: 'date' });
  };
  for (const pattern of [DAY_MONTH_YEAR, MONTH_DAY_YEAR, NUMERIC, SPACED]) {
    for (const m of line.matchAll(pattern)) add(m.index, m.index + m[0].length);
  }
  if (options.monthYear) for (const m of line.matchAll(MONTH_YEAR)) add(m.index, m.index + m[0].length);
  if (options.dayMonth) for (const m of line.matchAll(DAY_MONTH)) add(m.index, m.index + m[0].length);
  if (options.glued) for (const m of line.matchAll(EIGHT_DIGITS)) if (isGluedNumericDate(m[0])) add(m.index, m.index + m[0].length);
  // chrono reads the many written forms ("3. März 1990", "12 de marzo de 1985") the patterns lack;
  // numeric dates the patterns read all, so it runs only on lines with a year and a month's name.
  if (!/\d\d/.test(line) || !MONTH_WORD.test(line)) return spans;
  const view = spacedView(line);
  for (const parser of PARSERS) {
    for (const result of parser.parse(view.text)) {
      const c = result.start;
      if (!(c.isCertain('day') && c.isCertain('month') && c.isCertain('year'))) continue;
      // A time of day is no date of anyone's ("12:23 Monday, July 29").
      if (c.isCertain('hour')) continue;
      // Parsers take the preposition in ("am 3. März 1990", "le 12 mars"): it is no part of the date.
      const lead = /^(?:am|le|el|il|de|on|the|op|em|dnia|en)\s+/i.exec(result.text)?.[0].length ?? 0;
      const [start, end] = originalRange(view, result.index + lead, result.index + result.text.length);
      add(start, end);
    }
  }
  return spans;
}
