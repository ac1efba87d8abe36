/**
 * Payment card numbers and IBANs. card-validator decides what a digit run is (Luhn, and whether
 * its prefix and length are a scheme's: Visa, Mastercard, Amex...); ibantools checks IBANs (country
 * length, mod-97). Own rules stay for OCR's slips, where leaking 15 of 16 digits would be worse
 * than one false [CARD]: a 4-4-4-4 grouping, or a scheme prefix and length on a payment card,
 * is a card number even when the Luhn check fails. Pure.
 */
import cardValidator from 'card-validator';
import luhn10 from 'card-validator/dist/luhn-10.js';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { Span } from '../spans.js';

/** Luhn (ISO/IEC 7812) over a string of digits; false for anything else, the empty string included. */
export function luhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhn10(digits);
}

/** ISO 13616: country, check digits, BBAN valid for that country (ibantools). */
export function ibanValid(raw: string): boolean {
  const iban = electronicFormatIBAN(raw);
  return !!iban && isValidIBAN(iban);
}

const DIGIT_RUN = /(?<![\d.,])\d(?:[ -]?\d){12,18}(?![\d])/g;
const IBAN_SHAPE = /(?<![A-Z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?(?![A-Z0-9])/g;

export interface DigitRunFinding extends Span {
  /** The digits, for identifiers (IMEIs and card numbers). */
  digits: string;
}

/**
 * Card numbers and unlabelled IMEIs among the digit runs of a line. 15 Luhn-valid digits without a
 * card scheme's 15-digit prefix (Amex 34/37) are an IMEI: phones print them bare on boxes and trays.
 */
export function findCardsAndImeis(line: string, onPaymentCard: boolean): DigitRunFinding[] {
  const found: DigitRunFinding[] = [];
  for (const m of line.matchAll(DIGIT_RUN)) {
    const digits = m[0].replace(/\D/g, '');
    const start = m.index;
    const end = start + m[0].length;
    const check = cardValidator.number(digits);
    if (digits.length === 15 && luhn10(digits) && !(check.isValid && check.card?.type === 'american-express')) {
      found.push({ start, end, kind: 'imei', digits });
    } else if (check.isValid || (luhn10(digits) && digits.length >= 13)) {
      found.push({ start, end, kind: 'card_number', digits });
    } else if (/^\d{4}([ -])\d{4}\1\d{4}\1\d{4}$/.test(m[0])) {
      found.push({ start, end, kind: 'card_number', digits });
    } else if (onPaymentCard && check.card && check.card.lengths.includes(digits.length)) {
      found.push({ start, end, kind: 'card_number', digits });
    }
  }
  return found;
}

/** IBANs that pass ibantools' check; after an IBAN label, any IBAN-shaped run (OCR slips). */
export function findIbans(line: string, labelEnds: readonly number[]): Span[] {
  const spans: Span[] = [];
  for (const m of line.matchAll(IBAN_SHAPE)) {
    if (ibanValid(m[0])) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'iban' });
  }
  // The label glued to its value ("IBANGB73..."), which the label matcher cannot tell from a word.
  const glued = [...line.matchAll(/IBAN(?=[A-Z]{2}[0-9OIl]{2})/gi)].map((m) => m.index + 4);
  for (const end of [...labelEnds, ...glued]) {
    const m = /^\s*[:#.]?\s*([A-Z]{2}[0-9OIl]{2}[A-Z0-9 ]{10,34})/.exec(line.slice(end));
    if (m?.[1]) {
      const start = end + m[0].length - m[1].length;
      spans.push({ start, end: start + m[1].trimEnd().length, kind: 'iban' });
    }
  }
  return spans;
}
