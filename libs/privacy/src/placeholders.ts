/**
 * The one token style of every text that leaves the service: a removed value becomes `[TOKEN]`,
 * upper case in square brackets, one token per kind of personal data. Readers (the llm stage, the
 * fusion, a reviewer) recognise a placeholder by PLACEHOLDER_PATTERN alone.
 *
 * Must never carry any part of the removed value (not its length, not its last digits).
 */

/** What was removed: the `redactedKinds` every caller counts and logs. */
export type RedactedKind =
  | 'name'
  | 'date_of_birth'
  | 'date'
  | 'place_of_birth'
  | 'address'
  | 'phone'
  | 'email'
  | 'id_number'
  | 'national_id'
  | 'card_number'
  | 'iban'
  | 'mrz'
  | 'serial_number'
  | 'imei'
  | 'travel_reference'
  | 'personal_detail';

/**
 * The placeholder written for each kind. National and document numbers share [ID]: a reader needs
 * to know a number was there, not which register it belongs to.
 */
export const PLACEHOLDERS: Readonly<Record<RedactedKind, string>> = Object.freeze({
  name: '[NAME]',
  date_of_birth: '[DOB]',
  date: '[DATE]',
  place_of_birth: '[PLACE]',
  address: '[ADDRESS]',
  phone: '[PHONE]',
  email: '[EMAIL]',
  id_number: '[ID]',
  national_id: '[ID]',
  card_number: '[CARD]',
  iban: '[IBAN]',
  mrz: '[MRZ]',
  serial_number: '[SERIAL]',
  imei: '[IMEI]',
  // Booking references, ticket and frequent-flyer numbers of a boarding pass.
  travel_reference: '[REF]',
  // Sex, height, eye colour, signature and other values of an identity document's fields.
  personal_detail: '[PERSONAL]',
});

/** Any placeholder this library writes (and nothing a photo of ordinary text is likely to show). */
export const PLACEHOLDER_PATTERN = /\[(?:NAME|DOB|DATE|PLACE|ADDRESS|PHONE|EMAIL|ID|CARD|IBAN|MRZ|SERIAL|IMEI|REF|PERSONAL)\]/g;

/** True when nothing but placeholders, spaces and punctuation is left of a text. */
export function isOnlyPlaceholders(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text.replace(PLACEHOLDER_PATTERN, ''));
}
