/**
 * Which document a text is, from what was read: titles and field labels (EVIDENCE in
 * document-types.ts), an MRZ (a parsed block with valid check digits makes a passport or an ID
 * near certain, and its document code says which), a card number that passes the scheme checks,
 * contact details (e-mail, phone) for business cards and luggage tags, a boarding pass's barcode
 * string. Each piece of evidence weighs in once; the type's confidence is 1 - Π(1 - weight).
 *
 * Must never put a personal value into `evidence`: evidence strings are the printed phrases and
 * model words that decided, safe to log and publish.
 */
import cardValidator from 'card-validator';
import { findEmails } from './detectors/contact.js';
import { fieldNumbersOpeningLines, licenceFieldNumbersOpeningLines } from './detectors/licence-fields.js';
import { readMrz, type MrzReading } from './detectors/mrz.js';
import { hasTitledIataName } from './detectors/travel.js';
import { BADGE_ROLES, DOCUMENT_TYPES, EHIC_NUMBERED_FIELDS, EVIDENCE, FIELD_EVIDENCE, type DocumentType } from './document-types.js';
import { PhraseMatcher } from './vocabulary/phrase-matcher.js';
import type { FieldName } from './vocabulary/field-labels.js';
import { findPlaceNames } from './vocabulary/places.js';
import { findLabels } from './vocabulary/printed-words.js';

export interface RecognisedDocument {
  /** A document type: an item tag of the taxonomy (LOST_AND_FOUND_ITEMS). */
  type: DocumentType;
  /** 0..1. */
  confidence: number;
  /** What decided: printed phrases ("phrase:passport"), "mrz:TD3 P check digits valid", "card number (luhn)". */
  evidence: string[];
}

/** Below this no type is claimed: one generic word ("member", "license") is not a document. */
export const RECOGNITION_THRESHOLD = 0.6;

const IDENTITY_TYPES: readonly DocumentType[] = ['passport', 'national id', 'driving licence', 'residence permit'];
/** The most an identity document's single piece of evidence can make it (below the threshold). */
const UNCORROBORATED = 0.5;
/** Fields only identity documents print; one of them corroborates an identity document's title. */
const IDENTITY_FIELDS = new Set<FieldName>([
  'surname',
  'given_names',
  'date_of_birth',
  'place_of_birth',
  'sex',
  'nationality',
  'document_number',
  'personal_number',
  'date_of_issue',
  'date_of_expiry',
  'authority',
  'signature',
]);

/** Evidence a staff or student card shows as well as an identity document (Scores.best). */
const FIELDS_BADGES_PRINT: ReadonlySet<string> = new Set([
  'field:name',
  'field:surname',
  'field:given_names',
  'field:date_of_birth',
  'field:document_number',
  'field:date_of_expiry',
  'field:signature',
  'issuing state name',
]);

/** Evidence that stands alone like an MRZ: four numbered licence fields are a whole layout, not one word. */
const ISO_LICENCE_FIELDS = 'iso 18013 field numbers';
/** The EHIC's numbered layout (EU Decision S2, fields 3-9); document-types.ts gives it the EHIC's policy. */
const EHIC_FIELDS = EHIC_NUMBERED_FIELDS;
const EHIC_NUMBERS: ReadonlySet<string> = new Set(['3', '4', '5', '6', '7', '8', '9']);

/** The longest run of consecutive lines that are one group of four digits each (OCR may read one group as five). */
function cardNumberGroupsInARow(lines: readonly string[]): number {
  let best = 0;
  let run = 0;
  for (const line of lines) {
    run = /^\s*\d{4,5}\s*$/.test(line) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

// The reader's digit/letter confusions count as the phrase ("GELDIG T.0.M."): evidence, not wording kept.
const MATCHER = new PhraseMatcher(
  EVIDENCE.map((e) => ({ phrase: e.phrase, payload: e })),
  { ocrConfusions: true },
);

class Scores {
  readonly #weights = new Map<DocumentType, Map<string, number>>();
  /** Evidence that weighs for another type once that type has evidence of its own (EvidencePhrase.yieldsTo). */
  readonly #yields: Array<{ type: DocumentType; evidence: string; to: DocumentType }> = [];

  add(type: DocumentType, evidence: string, weight: number, yieldsTo?: DocumentType): void {
    const byEvidence = this.#weights.get(type) ?? new Map<string, number>();
    byEvidence.set(evidence, Math.max(weight, byEvidence.get(evidence) ?? 0));
    this.#weights.set(type, byEvidence);
    if (yieldsTo) this.#yields.push({ type, evidence, to: yieldsTo });
  }

  /** The weights with yielding evidence moved to its type where that type has evidence of its own. */
  #settled(): Map<DocumentType, Map<string, number>> {
    const weights = new Map([...this.#weights].map(([t, m]) => [t, new Map(m)]));
    for (const { type, evidence, to } of this.#yields) {
      const shared = new Set(this.#yields.filter((y) => y.to === to).map((y) => y.evidence));
      const own = [...(this.#weights.get(to)?.keys() ?? [])].some((e) => !shared.has(e));
      const weight = weights.get(type)?.get(evidence);
      if (!own || weight === undefined) continue;
      weights.get(type)!.delete(evidence);
      const target = weights.get(to) ?? new Map<string, number>();
      target.set(evidence, Math.max(weight, target.get(evidence) ?? 0));
      weights.set(to, target);
    }
    return weights;
  }

  best(threshold: number): RecognisedDocument | null {
    let best: RecognisedDocument | null = null;
    const weights = this.#settled();
    const confidenceOf = (m: ReadonlyMap<string, number> | undefined) => 1 - [...(m?.values() ?? [])].reduce((p, w) => p * (1 - w), 1);
    // A staff or student card prints its holder's name, number, birth date and validity under labels
    // as an ID card does: where a badge's own words make it one, those fields corroborate no identity
    // title (privacy-rules-12; a passport still has its nationality, sex, authority, issue date, MRZ).
    const badge = confidenceOf(weights.get('badge')) >= threshold;
    for (const type of DOCUMENT_TYPES) {
      const byEvidence = weights.get(type);
      if (!byEvidence?.size) continue;
      let confidence = confidenceOf(byEvidence);
      // An identity document's policy removes every word that is not printed wording, so one title
      // alone ("Leather Passport Holder" on a wallet's packaging) is not enough: it needs a second
      // piece of evidence (another title or label, a field of the document), or an MRZ.
      const mrz = [...byEvidence.keys()].some((e) => e.startsWith('mrz:') || e === ISO_LICENCE_FIELDS);
      const corroborating = [...byEvidence.keys()].filter((e) => !badge || !FIELDS_BADGES_PRINT.has(e));
      if (IDENTITY_TYPES.includes(type) && corroborating.length < 2 && !mrz) confidence = Math.min(confidence, UNCORROBORATED);
      // Ties go to the earlier type of DOCUMENT_TYPES: identity documents first (privacy wins).
      if (!best || confidence > best.confidence + 1e-9) {
        const evidence = [...byEvidence].sort((a, b) => b[1] - a[1]).map(([e]) => e);
        best = { type, confidence: Math.round(confidence * 1000) / 1000, evidence };
      }
    }
    return best && best.confidence >= threshold ? best : null;
  }
}

function mrzEvidence(scores: Scores, reading: MrzReading): void {
  const code = reading.documentCode ?? '';
  const checked = reading.checkDigitsValid;
  const label = `mrz:${reading.format ?? 'shape'}${code ? ` ${code}` : ''}${checked ? ' check digits valid' : ''}`;
  const weight = checked ? 0.98 : 0.85;
  if (code.startsWith('P')) scores.add('passport', label, weight);
  else if (/^(?:A|IR|RP|CR|AR)/.test(code)) scores.add('residence permit', label, weight);
  else if (/^[IC]/.test(code)) scores.add('national id', label, weight);
  else if (reading.format === 'TD3') scores.add('passport', label, weight);
  // Three lines of thirty: the ID-card size (passports print two of 44).
  else if (reading.format === 'TD1') scores.add('national id', label, weight);
  else if (reading.format === 'FRENCH_DRIVING_LICENSE' || reading.format === 'SWISS_DRIVING_LICENSE') {
    scores.add('driving licence', label, weight);
  } else {
    // An MRZ of unknown code: some identity document; passports are the most common.
    scores.add('passport', label, 0.7);
    scores.add('national id', label, 0.65);
  }
}

/** What a line holds besides its labels, trimmed of separators: '' for a line of labels only. */
function besidesLabels(line: string, labels: ReadonlyArray<{ start: number; end: number }>): string {
  let rest = line;
  for (const l of [...labels].sort((a, b) => b.start - a.start)) rest = rest.slice(0, l.start) + rest.slice(l.end);
  return rest.replace(/[\s:.#/-]+/g, '');
}

/**
 * The fields a text writes as a form: a label before a colon and its value ("Namn: Erik"), or a
 * label alone on its line with a value on the line before or after it (tags print "NAME" over the
 * name, and a photo upside down is read bottom to top). A value is a line that holds no label.
 */
function labelledContactFields(lines: readonly string[]): Set<FieldName> {
  const fields = new Set<FieldName>();
  const labelsOf = lines.map((line) => findLabels(line));
  const labelOnly = lines.map((line, i) => labelsOf[i]!.length > 0 && besidesLabels(line, labelsOf[i]!) === '');
  const isValue = (i: number) => i >= 0 && i < lines.length && labelsOf[i]!.length === 0 && /\p{L}|\d/u.test(lines[i]!);
  lines.forEach((line, i) => {
    for (const label of labelsOf[i]!) {
      if (/^\s*:\s*\S/.test(line.slice(label.end))) fields.add(label.payload);
      else if (labelOnly[i] && labelsOf[i]!.length === 1 && (isValue(i + 1) || isValue(i - 1))) fields.add(label.payload);
    }
  });
  return fields;
}

/** OCR drops accents in any language ("HALLGATO" for "HALLGATÓ"): roles are compared without them. */
const withoutAccents = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ı/g, 'i');
const BADGE_ROLE_SET: ReadonlySet<string> = new Set(BADGE_ROLES.map(withoutAccents));

/** The role words standing alone on a line of their own (BADGE_ROLES). */
function badgeRoleLines(lines: readonly string[]): Set<string> {
  const roles = new Set<string>();
  for (const line of lines) {
    const word = withoutAccents(
      line
        .trim()
        .toLocaleLowerCase('en')
        .replace(/[.:!]+$/, ''),
    );
    if (BADGE_ROLE_SET.has(word)) roles.add(word);
  }
  return roles;
}

/**
 * A press pass's role ("PRESS", "PRESSE", "STAMPA") alone on its line is a badge's only at an event
 * a line names ("Conference 2026", "Kongres"): alone it is a button's or a door's word as often
 * (privacy-rules-13, a lanyard badge of tune seed 13).
 */
const PRESS_ROLES: ReadonlySet<string> = new Set(
  'press|media|presse|medien|prensa|stampa|pers|prasa|imprensa|basin|sajto|tisk|novinar'.split('|'),
);
const EVENT_WORD =
  /(?<!\p{L})(?:conference|congress|summit|expo|symposium|convention|konferenz|kongress|messe|congrès|conférence|salon|congreso|conferencia|congresso|conferenza|convegno|congres|konferentie|beurs|konferencja|kongres|targi|konferans|kongre|fuar|konferens|mässa|konference|veletrh|konferencia|kongresszus|konferenciá|kiállítás)(?!\p{L})/iu;

function pressRoleAtAnEvent(lines: readonly string[]): boolean {
  const press = lines.some((line) =>
    PRESS_ROLES.has(
      withoutAccents(
        line
          .trim()
          .toLocaleLowerCase('en')
          .replace(/[.:!]+$/, ''),
      ),
    ),
  );
  return press && lines.some((line) => EVENT_WORD.test(line));
}

/** Recognises the document from its lines and any earlier readings of the MRZ. */
export function recogniseFromLines(
  lines: readonly string[],
  mrz: readonly MrzReading[],
  threshold = RECOGNITION_THRESHOLD,
): RecognisedDocument | null {
  const scores = new Scores();
  for (const reading of mrz) mrzEvidence(scores, reading);
  let places = 0;
  /** Contact fields written as a tag's form: label and value on one line, or the label on a line of its own. */
  const labelled = labelledContactFields(lines);
  for (const line of lines) {
    for (const m of MATCHER.find(line)) scores.add(m.payload.type, `phrase:${m.payload.phrase}`, m.payload.weight, m.payload.yieldsTo);
    places += findPlaceNames(line).length;
    // A web address (the phrase matcher wants a word boundary, which "www.example" lacks).
    if (/(?<![\p{L}\d])(?:www\.|https?:\/\/)[\p{L}\d-]+\./iu.test(line)) scores.add('business card', 'web address', 0.35);
    if (findEmails(line).length) {
      scores.add('business card', 'e-mail address', 0.4);
      scores.add('luggage tag', 'e-mail address', 0.2);
    }
    // A number written internationally, or after a phone label of any of the languages ("Móvil", "Portable", "Tel.").
    const labelledPhone = findLabels(line).some((l) => l.payload === 'phone' && /^\s*[:.]?\s*\+?\(?\d/.test(line.slice(l.end)));
    if (/(?:\+\s?\d{1,3}|\(0\))[\s\d().-]{6,}/.test(line) || labelledPhone) {
      scores.add('business card', 'phone number', 0.4);
      scores.add('luggage tag', 'phone number', 0.25);
    }
    for (const m of line.matchAll(/(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g)) {
      // An IMEI passes Luhn too (a phone's sticker, its box): after its label it is no card number.
      if (findLabels(line.slice(0, m.index)).some((l) => l.payload === 'imei')) continue;
      if (cardValidator.number(m[0].replace(/\D/g, '')).isValid) scores.add('payment card', 'card number (scheme and luhn)', 0.8);
    }
    // Embossed card numbers OCR reads in pieces: a line of nothing but groups of four digits.
    if (/^\s*\d{4}(?:\s\d{4}){1,3}\s*$/.test(line)) scores.add('payment card', 'digit groups of a card number', 0.35);
    // A drug's strength, glued to its name or not ("Omeprazole500mg", "10 mg/ml"): a medicine's label.
    if (/\d\s?(?:mg|mcg|µg|ml)(?![\p{L}\d])/iu.test(line)) scores.add('prescription label', 'drug strength', 0.3);
    // The prescription's number after the Rx sign ("Rx 4239089", "Rx9444514").
    if (/(?<![\p{L}\d])rx\s?#?\s?\d{5,}/iu.test(line)) scores.add('prescription label', 'rx number', 0.5);
    // IATA bar-coded boarding pass data read as text: M1 + SURNAME/GIVEN + booking reference.
    if (/^M[1-4][A-Z]{2,}\/[A-Z]+/.test(line.replace(/\s+/g, ''))) scores.add('boarding pass', 'bcbp barcode data', 0.95);
    // A passenger named in the IATA form with a title ("AKSAKAL/ACIK MS"): a pass whose title and
    // labels were not read (retired held-out 45); an airline's bag tag prints it too, its own words decide there.
    if (hasTitledIataName(line)) {
      scores.add('boarding pass', 'passenger name in the iata form', 0.6);
      scores.add('luggage tag', 'passenger name in the iata form', 0.45);
    }
    // AAMVA and EU licences number their fields ("4d", "4a", "15 SEX", "1. MARTIN").
    if (/(?<![\p{L}\d])4[abcd](?=[\s.:]|\p{Lu})|^\s*[1-9]\.\s?\p{Lu}/u.test(line))
      scores.add('driving licence', 'numbered licence fields', 0.35);
    for (const label of findLabels(line)) {
      // Staff and student badges print the holder's number under a label of its own.
      if (label.payload === 'member_id' && /^[\s:.#-]*[A-Z]*\d/.test(line.slice(label.end)))
        scores.add('badge', 'labelled staff number', 0.3);
      // A type's own fields; a short common word ("for", "ticket", "doctor") counts only before ':' or '#'.
      const distinctive = label.phrase.length >= 7 || /[\s#]/.test(label.phrase) || /^\s*[:#]/.test(line.slice(label.end));
      if (distinctive) for (const [type, weight] of FIELD_EVIDENCE[label.payload] ?? []) scores.add(type, `field:${label.payload}`, weight);
      if (!IDENTITY_FIELDS.has(label.payload)) continue;
      for (const type of IDENTITY_TYPES) scores.add(type, `field:${label.payload}`, 0.3);
    }
  }
  // A luggage tag's labelled contact lines in any language of the field labels (privacy-rules-11:
  // "Namn:", "Nom :", "Adresse:"; the phrases listed only English, French, German, Spanish, Italian,
  // Dutch and Portuguese ones). A form that splits surname and given names is an identity document's,
  // so a name label counts only where no given-names label is written so.
  // privacy-rules-12: a label standing on a line of its own, its value on the line beside it, counts
  // as well ("NAME" / "Chris Smith", colon or not), and a first-name label alone ("Nombre:", "Jméno")
  // is a tag's name line: only a surname label beside it makes the form an identity document's.
  const identityForm = labelled.has('given_names') && (labelled.has('name') || labelled.has('surname'));
  const nameLine = !identityForm && (labelled.has('name') || labelled.has('surname') || labelled.has('given_names'));
  if (nameLine) scores.add('luggage tag', 'labelled name line', 0.35);
  if (labelled.has('address')) scores.add('luggage tag', 'labelled address line', 0.35);
  // A person's name and home address under labels of their own is a form about where to return
  // something: business cards never label the name, an identity document's form splits it.
  // A passenger's label over the name ("PASSAGEIRO", "PASAJERO") is the same line on a tag: a boarding
  // pass names its passenger but never prints a home address (privacy-rules-16).
  const holderLine = nameLine || (!identityForm && labelled.has('passenger'));
  if (holderLine && labelled.has('address')) scores.add('luggage tag', 'labelled name and address', 0.7);
  for (const role of badgeRoleLines(lines)) scores.add('badge', `role word on a line of its own:${role}`, 0.65);
  if (pressRoleAtAnEvent(lines)) scores.add('badge', 'press role at a named event', 0.65);
  // Four or more lines opening with the ISO 18013 / EU field numbers, one of them lettered: a
  // driving licence in any language, titled or not (no other card numbers its fields 4a-4d).
  const numbers = licenceFieldNumbersOpeningLines(lines);
  if (numbers.size >= 4 && ['4a', '4b', '4c', '4d'].some((n) => numbers.has(n))) scores.add('driving licence', ISO_LICENCE_FIELDS, 0.9);
  // Embossed card numbers read one group of four a line: three or more such lines in a row.
  if (cardNumberGroupsInARow(lines) >= 3) scores.add('payment card', 'card number in digit groups', 0.5);
  // A card's expiry alone on its line ("01/26", "12/2027"), or after its short label ("EXP 10/27",
  // "VALID 03/28"; privacy-rules-19), beside a scheme's name or a card label.
  if (lines.some((l) => /^\s*(?:(?:exp(?:iry|ires)?|valid|vence|val)\.?\s*:?\s*)?(?:0[1-9]|1[0-2])\s?\/\s?(?:\d{2}|20\d{2})\s*$/i.test(l)))
    scores.add('payment card', 'card expiry month/year', 0.35);
  // The European Health Insurance Card's numbered fields (3 surname ... 9 expiry), titled or not:
  // field 6 (the personal number) with no field 1 or 2 and no lettered 4a-4d, which a licence prints.
  const ehic = fieldNumbersOpeningLines(lines, EHIC_NUMBERS);
  if (ehic.size >= 4 && ehic.has('6') && !['1', '2', '4a', '4b', '4c', '4d'].some((n) => numbers.has(n))) {
    scores.add('health insurance card', EHIC_FIELDS, 0.9);
  }
  // The issuing state printed on the document: adds to every identity type alike.
  if (places > 0) for (const type of IDENTITY_TYPES) scores.add(type, 'issuing state name', 0.2);
  return scores.best(threshold);
}

/**
 * The document a text is (OCR lines, or free text), with `context` (every line the engine read,
 * low-confidence ones too) as more evidence; null when no type reaches RECOGNITION_THRESHOLD.
 * Never throws.
 */
export function recogniseDocument(text: string, context?: string): RecognisedDocument | null {
  if (typeof text !== 'string') return null;
  const lines = text.split('\n');
  const contextLines = typeof context === 'string' && context ? context.split('\n') : [];
  return recogniseFromLines([...lines, ...contextLines], [...readMrz(lines), ...readMrz(contextLines)]);
}
