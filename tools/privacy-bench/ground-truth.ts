/**
 * The ground truth of one generated image, as the generator writes it and the scorer reads it.
 *
 * What is personal (decided once, here; the templates only tag their text with these categories):
 * - personal: every name of a person (holder, passenger, patient, prescriber, cardholder, the name
 *   after "Property of"), every date on an identity document, card, ticket or label (birth, issue,
 *   expiry, flight, fill date: with the document they point at one person), places of birth, every
 *   street address and postcode line (whoever's: text alone cannot tell a home from a shop, so a
 *   pharmacy's address counts too), every phone number and personal e-mail, document / licence /
 *   card / member / badge / ticket / Rx numbers, booking references, IBANs, MRZ lines, and the
 *   serial numbers and IMEIs of devices (identifiers: they may only leave as keyed hashes).
 * - non-personal (`words`): labels and document words, titles, issuing country and authority names,
 *   company and organisation names, job titles, airline, airports, flight numbers, seats, gates,
 *   drug names, doses and directions, websites of companies, product names and specifications.
 * - neutral (neither leak nor over-redaction): sex letters, nationality codes and words, heights,
 *   eye colours, licence categories, document type codes. They are personal in law but identify
 *   nobody alone; the benchmark does not push a redactor either way on them.
 *
 * Must never hold anything the scorer has to guess: every printed string is tagged by its template.
 */
import type { LocaleId } from './locales.js';

export const DOCUMENT_KINDS = [
  'passport',
  'national_id',
  'driving_licence',
  'residence_permit',
  'payment_card',
  'health_insurance_card',
  'business_card',
  'luggage_tag',
  'boarding_pass',
  'prescription_label',
  'badge',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** `none`: product labels, device stickers, pages of text. */
export type ImageKind = DocumentKind | 'none';

export const SPLITS = ['tune', 'holdout'] as const;
export type Split = (typeof SPLITS)[number];

export type PersonalCategory =
  | 'name'
  | 'date_of_birth'
  | 'date'
  | 'place_of_birth'
  | 'address'
  | 'postcode'
  | 'phone'
  | 'email'
  | 'document_number'
  | 'card_number'
  | 'iban'
  | 'mrz'
  | 'booking_reference'
  | 'ticket_number'
  | 'member_number'
  | 'rx_number'
  | 'serial_number'
  | 'imei';

/** Categories whose values the service must move into sensitive identifiers, hashed. */
export const IDENTIFIER_CATEGORIES: readonly PersonalCategory[] = ['serial_number', 'imei'];

export interface CalendarDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31, or 0 when the printed date has no day (card expiry 08/27). */
  day: number;
}

export interface PersonalString {
  category: PersonalCategory;
  /** Exactly as printed. */
  value: string;
  /** Dates: the calendar date the value prints. */
  date?: CalendarDate;
}

export interface FaceBox {
  /** Output pixel coordinates of the face's axis-aligned box (after every transform). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Which real photo the face was cropped from. */
  source: string;
}

export interface RenderParams {
  width: number;
  height: number;
  /** Degrees, counter-clockwise positive; 160..200 is upside down. */
  rotation: number;
  /** Largest corner displacement of the perspective warp, as a share of the document's size. */
  perspective: number;
  blurSigma: number;
  glare: number;
  jpegQuality: number;
  background: string;
  /** Share of the image's long side the document spans. */
  scale: number;
}

export interface ImageTruth {
  id: string;
  /** The image file name inside the benchmark folder. */
  file: string;
  index: number;
  split: Split;
  kind: ImageKind;
  /** The template (layout) that drew it: `<kind>/<layout>`. */
  template: string;
  /** How the tune generator varied the template's arrangement (layout-variation.ts); absent when as written. */
  variation?: string;
  locale: LocaleId;
  /** Font family of the body text (MRZ lines use the split's monospace). */
  font: string;
  personal: PersonalString[];
  /** Non-personal strings as printed (labels, titles, companies, ...). */
  words: string[];
  neutral: string[];
  /** Serial numbers and IMEIs printed (also in `personal`): the service may publish them only as keyed hashes. */
  identifiers: Array<{ kind: 'serial_number' | 'imei'; value: string }>;
  faces: FaceBox[];
  render: RenderParams;
}
