/**
 * Machine-readable zones (ICAO 9303 TD1, TD2, TD3, and the French ID / licence formats the mrz
 * package knows): finds MRZ-shaped lines, parses whole blocks with the mrz package and checks their
 * check digits. Every MRZ field is personal, so an MRZ-shaped line is redacted whole even when its
 * check digits fail (an OCR slip); a block that parses with valid check digits also says which
 * document it is, which state issued it, and yields the holder's names and the document number.
 * Pure.
 */
import { parse, type ParseResult } from 'mrz';
import { NAME_PARTICLES } from '../vocabulary/name-particles.js';

export interface MrzReading {
  /** TD1, TD2, TD3, ... when a block parsed. */
  format?: string;
  /** Document code (P, I, ID, AR, IR, V...). */
  documentCode?: string;
  /** ISO alpha-3 (or D) of the issuing state. */
  issuingState?: string;
  /** True when every check digit of the block is right. */
  checkDigitsValid: boolean;
  /** Document number, only when its own check digit is right. */
  documentNumber?: string;
  /** Name parts spelled by the MRZ (surname and given names). */
  names: string[];
  /**
   * The raw name fields of first lines (fillers and OCR's misreads of them kept: "BROWNSSHOLLIE"):
   * a capitalised word found inside one is a name even when splitting the field failed.
   */
  nameFields: string[];
}

const FILLER = /[<«‹]/g;

/** The MRZ text of a line: spaces out, OCR's fillers («, ‹) as '<', upper case. */
export function mrzText(line: string): string {
  return line.replace(/\s+/g, '').replace(FILLER, '<').toUpperCase();
}

/** Whether a line is shaped like an MRZ line: 25+ characters, fillers, mostly the MRZ alphabet. */
export function isMrzLine(line: string): boolean {
  const compact = line.replace(/\s+/g, '');
  if (compact.length < 25) return false;
  const fillers = (compact.match(FILLER) ?? []).length;
  if (fillers < 3) return false;
  // Mostly MRZ alphabet: tolerate a few OCR slips (lower case, 'L' or 'K' for '<').
  const mrzChars = (compact.match(/[A-Z0-9<«‹]/g) ?? []).length;
  return mrzChars / compact.length >= 0.75 || /^[PIAC][<«A-Z][A-Z]{3}/.test(compact);
}

function tryParse(lines: string[]): ParseResult | undefined {
  try {
    return parse(lines, { autocorrect: true });
  } catch {
    return undefined;
  }
}

function checkDigitsValid(result: ParseResult): boolean {
  const checks = result.details.filter((d) => d.field?.endsWith('CheckDigit'));
  return checks.length > 0 && checks.every((d) => d.valid);
}

function fromResult(result: ParseResult, block: readonly string[]): MrzReading {
  const f = result.fields;
  const numberCheck = result.details.find((d) => d.field === 'documentNumberCheckDigit');
  const issuing = result.details.find((d) => d.field === 'issuingState');
  return {
    nameFields: [],
    format: result.format,
    documentCode: f.documentCode ?? undefined,
    // The package validates the state against its list; a fictional one (UTO) still names the field.
    issuingState: issuing ? block[issuing.line]?.slice(issuing.start, issuing.end).replace(/</g, '') || undefined : undefined,
    checkDigitsValid: checkDigitsValid(result),
    documentNumber: numberCheck?.valid && f.documentNumber ? f.documentNumber : undefined,
    names: [f.lastName, f.firstName]
      .filter((n): n is string => !!n)
      .flatMap((n) => n.split(/\s+/))
      // Particles ("VAN", "DER") are parts of names, not names: alone they would remove "Koninkrijk der Nederlanden".
      .filter((n) => n.length >= 2 && !NAME_PARTICLES.has(n.toLowerCase())),
  };
}

/** Names spelled by a TD3/TD2 first line even when OCR garbled its fillers ("BROWNSSHOLLIE"). */
export function mrzNameField(line: string): string | undefined {
  const m = /^[PIACV][A-Z<]([A-Z<]{3})([A-Z<]{6,})$/.exec(mrzText(line));
  return m?.[2];
}

function namesOfFirstLine(line: string): string[] {
  const field = mrzNameField(line);
  if (!field) return [];
  return (
    field
      .split(/<+/)
      .map((n) => n.replace(/[^A-Z]/g, ''))
      // OCR reads filler runs as K and L runs; those are no names.
      .filter((n) => n.length >= 3 && !/^[KL]+$/.test(n) && !NAME_PARTICLES.has(n.toLowerCase()))
  );
}

/** An MRZ's first line read too short to pass isMrzLine: document code, issuing state, a name with its '<<'. */
const SHORT_FIRST_LINE = /^[PIACV][A-Z<][A-Z]{3}[A-Z]+<<[A-Z<]*$/;

/** Reads every MRZ block among the lines (consecutive MRZ-shaped lines). */
export function readMrz(lines: readonly string[]): MrzReading[] {
  const readings: MrzReading[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!isMrzLine(lines[i] ?? '')) continue;
    let j = i;
    while (j + 1 < lines.length && isMrzLine(lines[j + 1] ?? '')) j++;
    const block = lines.slice(i, j + 1).map(mrzText);
    // A first line OCR read short (fillers dropped: "IRCZEJELINEK<<SILVAN<<<") still opens the block:
    // its document code says which document the MRZ belongs to.
    const before = i > 0 ? mrzText(lines[i - 1] ?? '') : '';
    if (!isMrzLine(lines[i - 1] ?? '') && SHORT_FIRST_LINE.test(before)) block.unshift(before);
    readings.push(readBlock(block));
    i = j;
  }
  return readings;
}

function readBlock(block: string[]): MrzReading {
  // Whole block first (TD1: 3 x 30, TD2: 2 x 36, TD3: 2 x 44), then any 2 or 3 consecutive lines.
  for (let size = Math.min(3, block.length); size >= 2; size--) {
    for (let start = 0; start + size <= block.length; start++) {
      const lines = block.slice(start, start + size);
      const result = tryParse(lines);
      if (result) return fromResult(result, lines);
    }
  }
  // A lone TD3 second line: its document number still has a check digit to verify.
  for (const line of block) {
    if (line.length === 44 && !line.startsWith('P')) {
      const lines = [`P<${'<'.repeat(42)}`, line];
      const result = tryParse(lines);
      if (result) {
        const reading = fromResult(result, lines);
        return { ...reading, documentCode: undefined, issuingState: line.slice(10, 13).replace(/</g, '') || undefined, names: [] };
      }
    }
  }
  const names = block.flatMap(namesOfFirstLine);
  const nameFields = block.map(mrzNameField).filter((f): f is string => !!f);
  // The first line still says what it is when OCR broke a check digit: the document code (OCR reads
  // the I of "ID" as 1) and the issuing state (O read as 0; Germany's "D<<").
  const code = /^([PIACV1])([A-Z<0-9])([A-Z<0]{3})/.exec(block[0] ?? '');
  const documentCode = code ? `${code[1] === '1' ? 'I' : code[1]}${/[A-Z]/.test(code[2]!) ? code[2] : ''}` : undefined;
  const state = code?.[3]!.replace(/0/g, 'O').replace(/<+$/, '');
  return {
    checkDigitsValid: false,
    names,
    nameFields,
    documentCode,
    issuingState: state || undefined,
    format: blockFormat(block),
  };
}

/**
 * The ICAO size of a block whose check digits failed: three lines, or TD1's second line, are an ID
 * card; a line of 40+ characters is TD3 (passport books). OCR drops fillers: shorter lines say nothing.
 */
function blockFormat(block: readonly string[]): string | undefined {
  if (block.some((l) => l.length >= 40)) return 'TD3';
  // TD1's second line starts with the birth date, its check digit, the sex and the expiry date
  // (TD2 and TD3 start theirs with the document number).
  if (block.length === 3 || block.some((l) => /^\d{7}[MFX<]\d{7}/.test(l))) return 'TD1';
  return undefined;
}
