/**
 * Machine-readable zones composed per ICAO Doc 9303 (part 3: check digits and transliteration;
 * parts 4-6: TD3 passports, TD1 cards, TD2), then validated with the `mrz` package, so every
 * generated document carries an MRZ a real reader would accept. Composition is hand-written because
 * no npm package writes MRZs; validation is not.
 *
 * Must never return an MRZ that `mrz` rejects (it throws instead).
 */
import { parse } from 'mrz';
import type { CalendarDate } from './ground-truth.js';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface MrzHolder {
  /** Document code: P for passports, I / ID for identity cards, IR / AR for residence permits. */
  documentCode: string;
  /** Issuing state and nationality, ICAO alpha-3 (Germany is `D<<`). */
  issuingState: string;
  nationality: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  birthDate: CalendarDate;
  sex: 'M' | 'F' | '<';
  expiryDate: CalendarDate;
  /** Optional data / personal number (TD3: personal number, TD1 and TD2: optional data). */
  optional?: string;
}

/** ICAO 9303-3 4.9: weights 7, 3, 1; `<` is 0, A..Z are 10..35. */
export function checkDigit(field: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    const value = c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * weights[i % 3]!;
  }
  return String(sum % 10);
}

/** ICAO 9303-3 6: Latin letters with diacritics to A..Z (Ä → AE, ß → SS ...), the rest to `<`. */
export function transliterate(name: string): string {
  const special: Record<string, string> = {
    Ä: 'AE',
    Ö: 'OE',
    Ü: 'UE',
    ß: 'SS',
    Æ: 'AE',
    Ø: 'OE',
    Å: 'AA',
    Ł: 'L',
    Đ: 'D',
    Þ: 'TH',
    İ: 'I',
    I: 'I',
    ı: 'I',
  };
  let out = '';
  for (const ch of name.toLocaleUpperCase('en')) {
    if (special[ch]) out += special[ch];
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += /^[A-Z]$/.test(base) ? base : /^[0-9]$/.test(base) ? base : '<';
    }
  }
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + '<'.repeat(n - s.length));
const yymmdd = (d: CalendarDate) =>
  `${String(d.year % 100).padStart(2, '0')}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;

/** SURNAME<<GIVEN<NAMES, truncated to the field as 9303-3 4.6 allows (no check digit covers it). */
function nameField(surname: string, givenNames: string, width: number): string {
  const primary = transliterate(surname).replace(/<+/g, '<');
  const secondary = transliterate(givenNames).replace(/<+/g, '<');
  return pad(`${primary}<<${secondary}`.replace(/<+$/, ''), width);
}

/** Lines of the MRZ, validated by the `mrz` package (which knows the real issuing states). */
export function composeMrz(format: MrzFormat, h: MrzHolder): string[] {
  const lines = composeMrzLines(format, h);
  const result = parse(lines);
  if (!result.valid) {
    const bad = result.details.filter((d) => !d.valid).map((d) => `${d.label}: ${d.error ?? 'invalid'}`);
    throw new Error(`composed ${format} MRZ is invalid (${bad.join('; ')}):\n${lines.join('\n')}`);
  }
  return lines;
}

/** Lines of the MRZ as ICAO 9303 composes them, unvalidated (the specimens use the fictional state UTO). */
export function composeMrzLines(format: MrzFormat, h: MrzHolder): string[] {
  const docNo = transliterate(h.documentNumber).slice(0, 9);
  const docNoField = pad(docNo, 9);
  const docCd = checkDigit(docNoField);
  const dob = yymmdd(h.birthDate);
  const exp = yymmdd(h.expiryDate);
  const dobCd = checkDigit(dob);
  const expCd = checkDigit(exp);
  const code = pad(h.documentCode, 2);
  const optional = transliterate(h.optional ?? '');
  let lines: string[];
  if (format === 'TD3') {
    const personal = pad(optional, 14);
    const personalCd = optional ? checkDigit(personal) : '<';
    const composite = checkDigit(docNoField + docCd + dob + dobCd + exp + expCd + personal + personalCd);
    lines = [
      code + h.issuingState + nameField(h.surname, h.givenNames, 39),
      docNoField + docCd + h.nationality + dob + dobCd + h.sex + exp + expCd + personal + personalCd + composite,
    ];
  } else if (format === 'TD2') {
    const opt = pad(optional, 7);
    const composite = checkDigit(docNoField + docCd + dob + dobCd + exp + expCd + opt);
    lines = [
      code + h.issuingState + nameField(h.surname, h.givenNames, 31),
      docNoField + docCd + h.nationality + dob + dobCd + h.sex + exp + expCd + opt + composite,
    ];
  } else {
    const opt1 = pad(optional, 15);
    const line1 = code + h.issuingState + docNoField + docCd + opt1;
    const line2head = dob + dobCd + h.sex + exp + expCd + h.nationality + pad('', 11);
    const composite = checkDigit(line1.slice(5, 30) + line2head.slice(0, 7) + line2head.slice(8, 15) + line2head.slice(18, 29));
    lines = [line1, line2head + composite, nameField(h.surname, h.givenNames, 30)];
  }
  return lines;
}
