/**
 * Identifiers that let a lost post and a found photo be matched without exposing them: serial
 * numbers, IMEIs, document numbers (passport, ID, licence, permit, member card) and payment card
 * numbers. One normalisation serves both sides (OCR text and the post's own title and
 * description), so the same identifier gives the same keyed hash from either.
 *
 * Normalisation, and why:
 * - imei: digits only; the first 14 (type allocation code and serial) plus the Luhn check digit
 *   recomputed, so "35 209900 176148 1", an IMEI written without its check digit, a 16-digit
 *   IMEISV and one whose check digit OCR misread all become the same 15 digits.
 * - card_number: digits only.
 * - serial_number, document_number: upper case, letters and digits only (spaces, dashes, dots,
 *   slashes and MRZ fillers go), O folded to 0 and I and a lower-case l to 1. Those are the
 *   confusions OCR and people make most, and manufacturers avoid O and I in serials for that very
 *   reason (Apple, Dell, Lenovo); S/5, B/8 and Z/2 are not folded, because they are real,
 *   distinct characters of serials and folding them would make different serials collide.
 *
 * Must never log or publish a value; the caller hashes them (hash-identifier.ts).
 */
import luhn10 from 'card-validator/dist/luhn-10.js';
import { PLACEHOLDERS } from './placeholders.js';

export const IDENTIFIER_KINDS = ['serial_number', 'imei', 'document_number', 'card_number'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface Identifier {
  kind: IdentifierKind;
  /** Normalised value (see the module header); never publish it. */
  value: string;
}

function luhnCheckDigit(payload: string): string {
  for (let d = 0; d <= 9; d++) if (luhn10(`${payload}${d}`)) return String(d);
  return '0';
}

/** The normalised value of an identifier, or null when it cannot be one of that kind. */
export function normaliseIdentifier(kind: IdentifierKind, raw: string): string | null {
  switch (kind) {
    case 'imei': {
      const digits = raw.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1').replace(/\D/g, '');
      if (digits.length < 14 || digits.length > 16) return null;
      const body = digits.slice(0, 14);
      return body + luhnCheckDigit(body);
    }
    case 'card_number': {
      const digits = raw.replace(/\D/g, '');
      return digits.length >= 12 && digits.length <= 19 ? digits : null;
    }
    case 'serial_number':
    case 'document_number': {
      const value = raw
        .normalize('NFKC')
        .replace(/l/g, '1')
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .replace(/O/g, '0')
        .replace(/I/g, '1');
      const min = kind === 'serial_number' ? 4 : 5;
      return value.length >= min && value.length <= 30 && /\d/.test(value) ? value : null;
    }
    default:
      return null;
  }
}

/** Builds a normalised identifier, or null. */
export function identifier(kind: IdentifierKind, raw: string): Identifier | null {
  const value = normaliseIdentifier(kind, raw);
  return value ? { kind, value } : null;
}

/** Identifiers without duplicates, in first-seen order. */
export function uniqueIdentifiers(list: ReadonlyArray<Identifier | null>): Identifier[] {
  const seen = new Set<string>();
  const out: Identifier[] = [];
  for (const id of list) {
    if (!id) continue;
    const key = `${id.kind}:${id.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(id);
    }
  }
  return out;
}

// A label, then filler a person writes ("is", ":", "no."), then the value.
const FILLER = String.raw`(?:\s*(?:[:#=.-]|is|was|ist|est|es|è|:))*\s*`;
const VALUE = String.raw`((?=[A-Za-z0-9./-]*\d)[A-Za-z0-9][A-Za-z0-9./-]{3,29})`;
const POST_PATTERNS: ReadonlyArray<{ kind: IdentifierKind; pattern: RegExp }> = [
  {
    kind: 'imei',
    pattern: new RegExp(
      String.raw`(?<![\p{L}])(?:imei\s?[12]?|meid)(?:\s*(?:number|no\.?|nr\.?|#))?${FILLER}(\d(?:[\s/.-]?\d){13,16})(?!\d)`,
      'giu',
    ),
  },
  {
    kind: 'serial_number',
    pattern: new RegExp(
      String.raw`(?<![\p{L}])(?:s/n|sn|serial(?:\s*(?:number|no\.?|nr\.?|#))?|seriennummer|serien-?nr\.?|num[ée]ro de s[ée]rie|n[°º]\s*de\s*s[ée]rie|n[úu]mero de s[ée]rie|numero di serie|serienummer|numer seryjny|seri numaras[ıi])${FILLER}${VALUE}`,
      'giu',
    ),
  },
  {
    kind: 'document_number',
    pattern: new RegExp(
      String.raw`(?<![\p{L}])(?:passport|passeport|reisepass|pasaporte|passaporto|paspoort|passaporte|paszport|pasaport|id(?:entity)?\s*card|id|licen[cs]e|driver'?s?\s*licen[cs]e|document|permit|residence\s*permit|member(?:ship)?|ausweis|personalausweis|f[üu]hrerschein|dni|carte d'identit[ée]|permis)(?:\s*(?:number|no\.?|nr\.?|n[°º]|#|num[ée]ro|nummer|n[úu]mero))${FILLER}${VALUE}`,
      'giu',
    ),
  },
];

/** An identifier and where it is written in the text it was found in. */
interface IdentifierMatch {
  identifier: Identifier;
  start: number;
  end: number;
}

/** Every identifier written in a text, with where its value is (labels stay outside the span). */
function matchIdentifiers(text: string): IdentifierMatch[] {
  if (typeof text !== 'string' || !text) return [];
  const found: IdentifierMatch[] = [];
  const taken: Array<[number, number]> = [];
  for (const { kind, pattern } of POST_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const raw = m[1]!;
      const start = m.index + m[0].length - raw.length;
      taken.push([start, start + raw.length]);
      const value = raw.replace(/[.-]+$/, '');
      const id = identifier(kind, value);
      if (id) found.push({ identifier: id, start, end: start + value.length });
    }
  }
  for (const m of text.matchAll(/(?<![\d.,])\d(?:[ -]?\d){12,18}(?!\d)/g)) {
    if (taken.some(([s, e]) => s < m.index + m[0].length && m.index < e)) continue;
    const digits = m[0].replace(/\D/g, '');
    if (!luhn10(digits)) continue;
    const id = identifier(digits.length === 15 && !/^3[47]/.test(digits) ? 'imei' : 'card_number', digits);
    if (id) found.push({ identifier: id, start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/**
 * Identifiers a post's own title and description name ("lost my iPhone, IMEI 35 209900 176148 1",
 * "serial C02XK0ABJGH5", "passport no. X1234567"), plus bare 15-digit IMEIs and card numbers that
 * pass the Luhn check. Never throws.
 */
export function extractIdentifiers(text: string): Identifier[] {
  return uniqueIdentifiers(matchIdentifiers(text).map((m) => m.identifier));
}

/** The placeholder of the one token style (placeholders.ts) written where an identifier of each kind was. */
const IDENTIFIER_PLACEHOLDERS: Readonly<Record<IdentifierKind, string>> = Object.freeze({
  serial_number: PLACEHOLDERS.serial_number,
  imei: PLACEHOLDERS.imei,
  document_number: PLACEHOLDERS.id_number,
  card_number: PLACEHOLDERS.card_number,
});

/**
 * A post's title or description with every identifier extractIdentifiers finds replaced by its
 * placeholder ("IMEI [IMEI]", "serial [SERIAL]", "passport no. [ID]"), and those identifiers: the
 * text may then be echoed (post.enhanced's original_post, the llm's prompt) while the identifiers
 * leave only as keyed hashes. Only identifiers are touched; the rest of the text is kept as written.
 * Never throws.
 */
export function maskIdentifiers(text: string): { text: string; identifiers: Identifier[] } {
  const matches = matchIdentifiers(text).sort((a, b) => a.start - b.start);
  if (matches.length === 0) return { text: typeof text === 'string' ? text : '', identifiers: [] };
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.start < at) continue;
    out += text.slice(at, m.start) + IDENTIFIER_PLACEHOLDERS[m.identifier.kind];
    at = m.end;
  }
  return { text: out + text.slice(at), identifiers: uniqueIdentifiers(matches.map((m) => m.identifier)) };
}

const SEPARATOR = String.raw`[\s\-./]?`;

/** A pattern that finds an identifier's value written the ways OCR and people write it (separators, O/0, I/1). */
function valuePattern(id: Identifier): RegExp | null {
  const chars = [...id.value];
  let body: string;
  if (id.kind === 'imei') {
    // The first 14 digits identify the device; the check digit may be misread, absent, or an IMEISV's two.
    body = chars.slice(0, 14).join(SEPARATOR) + String.raw`(?:${SEPARATOR}\d){0,2}`;
  } else if (id.kind === 'card_number') {
    body = chars.join(SEPARATOR);
  } else {
    const fold = (c: string): string => {
      if (c === '0') return '[0Oo]';
      if (c === '1') return '[1IiLl|]';
      return /[A-Z]/.test(c) ? `[${c}${c.toLowerCase()}]` : c;
    };
    body = chars.map(fold).join(SEPARATOR);
  }
  if (chars.length < 4) return null;
  return new RegExp(String.raw`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, 'g');
}

/**
 * A text with every occurrence of the given identifiers' values replaced by their placeholder: for a
 * value a redactor found in one place (a label read only in the unpublished context, another line)
 * that is written again elsewhere without its label. Only those values are touched. Never throws.
 */
export function maskIdentifierValues(text: string, identifiers: readonly Identifier[]): string {
  if (typeof text !== 'string') return '';
  let out = text;
  for (const id of identifiers) {
    const pattern = valuePattern(id);
    if (pattern) out = out.replace(pattern, IDENTIFIER_PLACEHOLDERS[id.kind]);
  }
  return out;
}
