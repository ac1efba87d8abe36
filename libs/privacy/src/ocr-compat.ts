/**
 * The shape libs/ocr's redactor has today (text, redactedKinds, sensitiveIdentifiers), so the ocr
 * stage and the llm stage can switch to this library with a one-line change of import
 * (`@media-ai/privacy/ocr-compat` in place of libs/ocr's './redact.js').
 *
 * `sensitiveIdentifiers` keeps today's contract (serial numbers and IMEIs only, which the stage
 * publishes in the field marked sensitive) but with normalised values; `identifiers` has every
 * identifier (document and card numbers too) for the stage to hash with hashIdentifier before
 * anything is published. Must never put a document or card number into `sensitiveIdentifiers`.
 */
import type { Identifier } from './identifiers.js';
import type { RecognisedDocument } from './recognise-document.js';
import { redactPersonalData as redact, type RedactionOptions } from './redact.js';

export { luhnValid, ibanValid } from './detectors/payment.js';
export type { RedactionOptions } from './redact.js';

export interface SensitiveIdentifierValue {
  /** 'serial_number' | 'imei' */
  kind: string;
  value: string;
}

export interface RedactionResult {
  /** The input with personal data replaced by [EMAIL], [PHONE], ... Same line count as the input. */
  text: string;
  /** Kinds removed (email, phone, card_number, iban, national_id, id_number, date_of_birth, ...), sorted; identifier kinds are not listed. */
  redactedKinds: string[];
  /** The item's serial numbers / IMEIs (normalised), taken out of the text. */
  sensitiveIdentifiers: SensitiveIdentifierValue[];
  /** Every identifier found, normalised, to hash (hashIdentifier) before publishing. */
  identifiers: Identifier[];
  /** The document the text is, or null. */
  document: RecognisedDocument | null;
}

export function redactPersonalData(text: string, options: RedactionOptions = {}): RedactionResult {
  const result = redact(text, options);
  return {
    text: result.text,
    redactedKinds: result.redactedKinds.filter((k) => k !== 'serial_number' && k !== 'imei'),
    sensitiveIdentifiers: result.identifiers
      .filter((id) => id.kind === 'serial_number' || id.kind === 'imei')
      .map((id) => ({ kind: id.kind, value: id.value })),
    identifiers: result.identifiers,
    document: result.document,
  };
}
