/**
 * The one redactor for every text that leaves the service: OCR lines (with everything the engine
 * read as context), llm answers and the post context sent to the llm. It finds the document the
 * text is (recognise-document.ts), applies that type's policy, and replaces personal data with the
 * placeholders of placeholders.ts.
 *
 * Libraries do what they were made for: libphonenumber-js (phones), mrz (machine-readable zones),
 * chrono-node (dates), compromise (people's names), addressit (streets), ibantools (IBAN),
 * card-validator (card numbers, Luhn), i18n-iso-countries (issuing states). Own rules stay where
 * only context decides: labels and what their values are, the identity-document rule that only
 * printed words survive, OCR's glued and garbled forms.
 *
 * Must never: return a removed value inside `text`; change the number of lines (callers map
 * redacted lines back onto OCR lines by index); throw or log on any input; put a personal value in
 * `document.evidence`. When a rule is unsure on an identity document it redacts (privacy wins);
 * elsewhere it needs a label, a checksum or an unmistakable format before it touches a word.
 */
import { findEmails, namesFromEmails } from './detectors/contact.js';
import { findDates, STARTS_WITH_MONTH } from './detectors/dates.js';
import {
  findDeviceOwnerNames,
  findHonorificNames,
  findKnownNames,
  findPersonNames,
  HONORIFICS,
  looksLikeGluedName,
  looksLikeName,
  CONJUNCTIONS,
  namesAPartnership,
  widenNames,
  nameParts,
  startsWithFirstName,
  isFirstName,
} from './detectors/names.js';
import { isMrzLine, readMrz, type MrzReading } from './detectors/mrz.js';
import { findCardsAndImeis, findIbans } from './detectors/payment.js';
import { findPhones } from './detectors/phones.js';
import {
  findGluedStreets,
  findJoinedAddress,
  findStreets,
  hasPostcodeAndCity,
  isOneLineAddress,
  isPostalLine,
  isStreetShapedLine,
} from './detectors/addresses.js';
import { findLicenceFieldValues, findLicenceFieldValuesBelow, licenceAuthorityStart } from './detectors/licence-fields.js';
import { findIataNames, findTravelReferences } from './detectors/travel.js';
import {
  LABELLED_FORM_POLICY,
  NO_DOCUMENT_POLICY,
  PERSONAL_TEXT_POLICY,
  policyOf,
  stricterPolicy,
  type RedactionPolicy,
} from './document-types.js';
import { labelBlocks } from './label-blocks.js';
import { otherInstances } from './every-instance.js';
import { withParticlesBeforeNames } from './name-particles-before.js';
import { personalTextEvidence } from './personal-text.js';
import { identifier, uniqueIdentifiers, type Identifier } from './identifiers.js';
import { PLACEHOLDER_PATTERN, type RedactedKind } from './placeholders.js';
import { recogniseFromLines, type RecognisedDocument } from './recognise-document.js';
import { applySpans, mergeSpans, overlaps, trimmed, type Span } from './spans.js';
import { originalRange, spacedView } from './text-view.js';
import { FIELD_VALUE_KIND, type FieldName } from './vocabulary/field-labels.js';
import { countryCode, findPlaceNames, isPlaceName } from './vocabulary/places.js';
import { authorityLineStart } from './vocabulary/authorities.js';
import { NAME_PARTICLES } from './vocabulary/name-particles.js';
import {
  findLabels,
  findPrinted,
  isGarbledLabelWord,
  isGarbledPrintedWord,
  isPrintedWord,
  namesAFirm,
  namesAnInstitution,
} from './vocabulary/printed-words.js';
import type { PhraseMatch } from './vocabulary/phrase-matcher.js';
import { isCommonWord, isRunningText, unknownWordSpans, type CommonWords } from './known-wording.js';

export interface RedactionOptions {
  /**
   * Everything the engine read, low-confidence lines included (never published). Labels and MRZ
   * lines too blurry to publish still say what the published lines are: "Surname" above "BROWN",
   * or an MRZ that spells the holder's names.
   */
  context?: string;
  /**
   * The photo shows a portrait printed beside the text (hasPrintedPortrait, from the fetcher's
   * faces): the text is someone's card or document even when no wording says so, and fails closed.
   */
  portrait?: boolean;
  /**
   * Word-frequency lists of the documents' languages (known-wording.ts): on a text that fails closed,
   * a word that is neither one of their common words nor printed wording the vocabulary lists goes.
   * Without them the rule is off (printed wording and the shapes' rules only).
   */
  commonWords?: CommonWords;
  /**
   * The lines (and the context's) stand in the image's order of a page photographed upside down
   * (readUpsideDown, reading-order.ts): the document's last line first, each label after its value.
   * The rules walk them in the order the document prints them, so every label sees its value after it.
   */
  upsideDown?: boolean;
}

export interface PersonalDataRedaction {
  /** The input with personal data replaced by placeholders. Same line count as the input. */
  text: string;
  /** Kinds removed, sorted (identifier kinds included: serial_number, imei). */
  redactedKinds: RedactedKind[];
  /** The document the text is, or null. */
  document: RecognisedDocument | null;
  /** Identifiers found (text and context), normalised, for hashing; never publish them. */
  identifiers: Identifier[];
}

/** Labels whose word is common in ordinary text: they count only on a recognised document or before a ':'. */
const WEAK_LABELS = new Set([
  'for',
  'pt',
  'call',
  'contact',
  'mail',
  'born',
  'issued',
  'iss',
  'exp',
  'expiry',
  'boy',
  'arts',
  'portable',
  'handy',
  'cell',
  'hair',
  'eyes',
  'member',
  'holder',
  'insured',
  'subscriber',
  'signed',
  'nome',
  'nom',
  'adi',
  'adı',
  'naam',
  'residence',
  'doctor',
  'physician',
  'medico',
  'médico',
  'arzt',
  'rest',
  'end',
  'sn',
  'serial',
  'ph',
  'tin',
  'nin',
  'nie',
  'owner',
  'firma',
  'ticket',
  'signature',
  'can',
  'ente',
  // Swedish, Czech and Hungarian labels that are common words ("nem" is Hungarian "not").
  'nem',
  'név',
  'cím',
  'namn',
  'född',
  'telefon',
  'mobil',
  'utas',
  'beteg',
  'orvos',
  'läkare',
  'lékař',
  'vydal',
  'vydáno',
  'kiadva',
  'érvényes',
  'tillhör',
  'azonosító',
  'majitel',
  'tulajdonos',
]);

const NAME_FIELDS = new Set<FieldName>([
  'surname',
  'given_names',
  'name',
  'owner',
  'holder',
  'signature',
  'passenger',
  'patient',
  'prescriber',
]);
const NUMBER_FIELDS = new Set<FieldName>([
  'document_number',
  'personal_number',
  'member_id',
  'card_number',
  'rx_number',
  'booking_reference',
  'ticket_number',
  'frequent_flyer',
]);
/**
 * The labels of a person's own name as a line of its own: a holder's, a passenger's, a patient's, an
 * owner's (not a prescriber's, printed with a title, nor a signature's).
 */
const HOLDER_NAME_FIELDS = new Set<FieldName>(['surname', 'given_names', 'name', 'passenger', 'patient', 'owner']);
const DOCUMENT_ONLY_FIELDS = new Set<FieldName>(['date_of_issue', 'date_of_expiry', 'sex', 'physical', 'place_of_birth']);
/**
 * Fields that describe a person (not a product's or a company's contact): two of them labelled in
 * one text make it a form about someone. Phones, e-mails, serials and IBANs are printed by firms and
 * products too, so they do not count.
 */
const PERSON_FIELDS = new Set<FieldName>([
  ...NAME_FIELDS,
  'date_of_birth',
  'place_of_birth',
  'sex',
  'physical',
  'address',
  'document_number',
  'personal_number',
  'member_id',
  'rx_number',
]);
/** Below this confidence a recognised type is uncertain: a labelled form's stricter rules apply with it. */
const CERTAIN_TYPE = 0.85;

/** US SSN with the SSA's impossible ranges excluded (000, 666, 900-999 areas; 00 group; 0000 serial). */
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}(?![\d-])/g;
/** Group, BIN and PCN numbers identify the insurer's plan (shared by thousands), not the holder. */
const PLAN_LABEL = /(?:group|grp|bin|pcn|plan|network|rx\s*bin|rx\s*grp)\s*[#:]?\s*$/i;
/**
 * A prescription's number after the Rx sign, glued to it or not ("Rx 4239089", "RxUGTE7WY5", "RX: K7QW2ZPA"):
 * capitals and digits, one digit at least, whatever the pharmacy's scheme (privacy-rules-17), or six to
 * twelve capitals alone ("RxQWPZKTRD", "Rx HBNMXCTQ": schemes of letters only, privacy-rules-20) that are
 * no word (`rxLettersAreAWord`: "Rx PHARMACY"), after the sign written "Rx" or a separator (capitals
 * glued to "RX" are a code that opens with them: "FCC ID:RXTVVRMPW"); never an insurance card's plan code (RxBIN, RxPCN, RxGRP) nor a
 * strength ("Rx 500MG").
 */
const RX_NUMBER =
  /(?<![\p{L}\p{N}])R[xX]\s*[#:.]?\s*(?!BIN|PCN|GRP)(?!\d+(?:MG|MCG|ML)(?![\p{L}\p{N}]))((?=[A-Z0-9]*\d)[A-Z0-9]{5,12}|(?<=Rx|[\s#:.])[A-Z]{6,12})(?![\p{L}\p{N}])/gu;

/** Whether an Rx value of capitals alone is a word (printed wording or a word of the lists), not a number. */
function rxLettersAreAWord(value: string, words: CommonWords | undefined): boolean {
  if (/\d/.test(value)) return false;
  return isPrintedWord(value) || words?.bestRank(value.toLowerCase()) !== undefined;
}
/** Flight numbers name a scheduled flight, not its passenger. */
const FLIGHT_LABEL = /(?:flight|flt|vol|flug|vuelo|volo|vlucht|voo|lot|uçuş)\s*[#:.]?\s*(?:no\.?|nr\.?)?\s*$/i;
/** IATA bar-coded boarding pass data read as text: every field (name, booking reference, seat) is the passenger's. */
const BCBP_LINE = /^\s*M[1-4][A-Z]{2,}\/[A-Z]+/;
/** A token shaped like a document number: 6+ letters/digits with 3+ digits (ZE000509, WDLABCD456DG). */
const DOCUMENT_NUMBER_TOKEN = /(?<![A-Za-z0-9[])(?=(?:[A-Za-z]*\d){3})[A-Za-z0-9#]*[A-Za-z0-9]{6,}(?![A-Za-z0-9\]])/g;
/** Digit groups joined by dots, dashes, slashes or single spaces, as national numbers are printed. */
const GROUPED_NUMBER = /(?<![\p{L}\p{N}.\-/])\d{2,4}(?:[.\-/ ]\d{2,4}){2,4}(?:-\d{1,2})?(?![\p{L}\p{N}]|[.\-/]\d)/gu;
/** The same from five characters (policy.shortNumbers: a personal text of no certain type). */
const SHORT_NUMBER_TOKEN = /(?<![A-Za-z0-9[])(?=(?:[A-Za-z]*\d){3})[A-Za-z0-9#]*[A-Za-z0-9]{5,}(?![A-Za-z0-9\]])/g;
/** The value after a number label: a token holding a digit, and up to three more such groups ("ABC 123456789 01"). */
const NUMBER_VALUE = /^[\s:#.\-/]*((?=[A-Z0-9<-]*\d)(?:[A-Z0-9][A-Z0-9<-]{3,}|\d{3}(?=\s\d))(?:\s(?=\S*\d)[A-Z0-9-]{2,}){0,3})/i;
/** A record locator after its label: 5-8 letters and digits opening with a capital or a digit. */
const RECORD_LOCATOR_VALUE = /^[\s:#.\-/]*([A-Z0-9][A-Za-z0-9]{4,7})(?![\p{L}\p{N}])/u;
/** The same split once by OCR ("Ruv WCE" for RUVWCE): two pieces of 2-6 that make 5-8 together (privacy-rules-13). */
const SPLIT_LOCATOR_VALUE = /^[\s:#.\-/]*([A-Z0-9][A-Za-z0-9]{1,5}) ([A-Za-z0-9]{2,6})(?![\p{L}\p{N}])/u;
const SERIAL_VALUE = /^[\s:#.\-]*((?=[A-Z0-9/.-]*\d)[A-Z0-9][A-Z0-9/.-]{3,})/i;
/** A serial of capitals alone right after its label's colon ("S/N:RJFJGWEFPXKX"): six or more, as one token. */
const LETTERS_SERIAL_VALUE = /^\s*[:#]\s*([A-Z][A-Z0-9]{5,})(?![\p{L}\p{N}])/u;
/** A record locator glued after lower-case letters of the label's other language (a capital run that ends the token). */
const GLUED_LOCATOR = /(?<=\p{Ll})([A-Z0-9]{5,8})(?![\p{L}\p{N}])/u;
const IMEI_VALUE = /^[\s:#.\-]*(?:\([^)]{0,12}\)\s*[:#.\-]?\s*)?(\d(?:[\s/-]?\d){13,16})(?!\d)/;

interface Finding {
  spans: Span[];
  identifiers: Array<Identifier | null>;
}

interface Analysis {
  document: RecognisedDocument | null;
  /** A recognised document, or a form labelling two or more of a person's fields: labels all count. */
  personal: boolean;
  /** No type recognised with confidence, but the text looks like someone's card (personal-text.ts). */
  failClosed: boolean;
  policy: RedactionPolicy;
  regions: string[];
  knownNames: Set<string>;
  mrzNameFields: string[];
  identifiers: Array<Identifier | null>;
  /** The word lists of known wording, for a text that fails closed (RedactionOptions.commonWords). */
  commonWords?: CommonWords;
}

// ---------------------------------------------------------------- what the whole text says

function regionsFrom(lines: readonly string[], mrz: readonly MrzReading[]): string[] {
  const regions: string[] = [];
  const add = (code: string | undefined): void => {
    if (code && !regions.includes(code)) regions.push(code);
  };
  for (const reading of mrz) add(reading.issuingState ? countryCode(reading.issuingState) : undefined);
  for (const line of lines) for (const place of findPlaceNames(line)) add(place.code);
  for (const line of lines) {
    if (/(?<![A-Za-z])[A-Z]{2}[\s,]*\d{5}(?:-\d{4})?(?!\d)/.test(line)) add('US');
    if (/(?<![A-Z0-9])[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?![A-Z0-9])/.test(line)) add('GB');
  }
  // Without evidence, the regions whose formats this service sees most.
  add('US');
  add('GB');
  return regions.slice(0, 6);
}

function labelIsActive(line: string, label: PhraseMatch<FieldName>, onDocument: boolean): boolean {
  if (onDocument) return true;
  if (!WEAK_LABELS.has(label.phrase.toLowerCase())) return true;
  return /^\s*[:#]/.test(line.slice(label.end));
}

/**
 * Whether a label's value is on the next line: nothing but other labels follows it on its own
 * ("Surname / Nom"); "Given names/PrénomsCHRIS" is no such line, its value follows the second label.
 */
function valueOnNextLine(line: string, labels: readonly PhraseMatch<FieldName>[], index: number): boolean {
  for (let k = index; k < labels.length; k++) {
    if (/[\p{L}\p{N}]/u.test(line.slice(labels[k]!.end, labels[k + 1]?.start ?? line.length))) return false;
  }
  return true;
}

/** The text after a label, up to the next label on the line. */
function valueRegion(line: string, labels: readonly PhraseMatch<FieldName>[], index: number): [number, number] {
  const label = labels[index]!;
  const next = labels[index + 1];
  return [label.end, next ? next.start : line.length];
}

/**
 * The name a value starts with: its capitalised words ("BROWN HOLLIE lost this" → "BROWN HOLLIE"),
 * or its run of capitals when mixed-case words follow (two columns read as one line: "ANGEL BROWN
 * Premera Dental YES" → "ANGEL BROWN"), shortened from the right until it reads as a name.
 */
function leadingName(value: string): string | undefined {
  const lead = /^[\s:.,/#-]*/.exec(value)?.[0].length ?? 0;
  // Capitalised words, and the lower-case particles of names between them ("Pieter de Vries").
  const words = [
    ...value
      .slice(lead)
      .matchAll(
        /\p{Lu}[\p{L}'’.-]*|\b(?:de|van|der|den|von|zu|di|da|del|della|le|la|du|dos|das|ten|ter|bin|ibn|bint|al|y)\b(?=\s+\p{Lu})/gu,
      ),
  ];
  const run: string[] = [];
  let at = lead;
  for (const w of words) {
    if (w.index + lead !== at || run.length === 5) break;
    run.push(w[0]);
    at = w.index + lead + w[0].length;
    const gap = /^[\s/]*/.exec(value.slice(at))?.[0] ?? '';
    at += gap.length;
  }
  if (!run.length) return undefined;
  const caps = run.findIndex((w) => !/^[\p{Lu}'’.-]+$/u.test(w));
  let n = /^[\p{Lu}'’.-]+$/u.test(run[0]!) && caps > 0 ? caps : run.length;
  for (; n >= 1; n--) {
    const last = run[n - 1]!;
    const end = value.indexOf(last, lead) >= 0 ? nthEnd(value, lead, run, n) : -1;
    const name = value.slice(lead, end).replace(/[\s,.]+$/, '');
    if (looksLikeName(name)) return name;
  }
  return undefined;
}

/**
 * A value shaped like a name, whatever its words: one to five capitalised words (name particles
 * between them), up to a column gap, with no digit. Not when every word is printed wording or a
 * place (a heading or an issuing state read after the label), and not a label's own words.
 */
function nameShapedValue(value: string): string | undefined {
  // A title and a name ("Dr. Audie Bode") is the honorific rule's.
  if (TITLED_VALUE.test(value)) return undefined;
  const lead = /^[\s:.,/#-]*/.exec(value)?.[0].length ?? 0;
  const text = value.slice(lead).split(/\s{2,}|\t/)[0] ?? '';
  const words = text.split(/[\s,/]+/).filter(Boolean);
  const counted = words.filter((w) => !NAME_PARTICLES.has(w.toLowerCase()));
  if (counted.length === 0 || counted.length > 5) return undefined;
  if (!words.every((w) => NAME_WORD.test(w) || NAME_PARTICLES.has(w.toLowerCase()))) return undefined;
  if (!counted.some((w) => /\p{L}{2}/u.test(w))) return undefined;
  if (counted.every((w) => isPrintedWord(w) || isPlaceName(w) || isGarbledPrinted(w))) return undefined;
  if (findLabels(text).length > 0) return undefined;
  const name = text.replace(/[\s,.]+$/, '');
  return name || undefined;
}

/**
 * A value line of one to five words of letters in any case, not all printed wording, places or labels
 * and not a firm's or an institution's name: a name as OCR read it, its capital turned small ("ivo"
 * for "Ívo") or its words common ones (privacy-rules-16). Only where a label says the line is a value.
 */
function wordsOnlyValue(line: string): boolean {
  const text = line.trim();
  const words = text.split(/[\s,/]+/).filter(Boolean);
  if (words.length === 0 || words.length > 5 || !words.every((w) => /^[\p{L}'’.-]+$/u.test(w))) return false;
  if (!words.some((w) => /\p{L}{2}/u.test(w))) return false;
  const printed = (w: string): boolean => NAME_PARTICLES.has(w.toLowerCase()) || isPrintedWord(w) || isGarbledPrinted(w);
  // A country code beside printed wording ("Code POL") is the document's; alone ("PER") it may be a name.
  const code = (w: string): boolean => /^[A-Z]{3}$/.test(w) && !!countryCode(w);
  if (words.every((w) => printed(w) || code(w)) && words.some(printed)) return false;
  return findLabels(text).length === 0 && !namesAFirm(text) && !namesAnInstitution(text);
}

/**
 * The name after a title at the start of a person field's value ("Dr. Tim my Halvorson-Kohler"):
 * from the first capitalised word after the title to the end of the field (a column gap or the end
 * of the value), or undefined when the value opens with no title.
 */
function titledName(value: string): { start: number; end: number } | undefined {
  const m = TITLED_VALUE.exec(value);
  if (!m) return undefined;
  const start = m.index + m[0].length - 1;
  const field = value.slice(start).split(/\s{2,}|\t/)[0] ?? '';
  const text = field.replace(/[\s,.;:]+$/, '');
  if (!text || /\d/.test(text) || findLabels(text).length > 0) return undefined;
  return { start, end: start + text.length };
}

/** Where the n-th word of a run of words (found in order from `from`) ends. */
function nthEnd(value: string, from: number, run: readonly string[], n: number): number {
  let at = from;
  for (let k = 0; k < n; k++) at = value.indexOf(run[k]!, at) + run[k]!.length;
  return at;
}

function collectKnownNames(lines: readonly string[], onDocument: boolean, into: Set<string>): void {
  for (const line of lines) for (const n of namesFromEmails(line)) into.add(n);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const labels = findLabels(line);
    labels.forEach((label, k) => {
      if (!NAME_FIELDS.has(label.payload) || !labelIsActive(line, label, onDocument)) return;
      const [from, to] = valueRegion(line, labels, k);
      const value = line.slice(from, to);
      // The next line is the value only when it holds no label of its own ("Holder's signature" above "Date of issue").
      const next = lines[i + 1];
      const name =
        leadingName(value) ??
        (valueOnNextLine(line, labels, k) && next !== undefined && findLabels(next).length === 0 ? leadingName(next) : undefined);
      if (name) for (const part of nameParts(name)) into.add(part);
    });
  }
}

/**
 * The person fields the text labels (each counted once): labels that are common words count only
 * before a ':' (labelIsActive off a document), and a label counts only with something after it or
 * on the next line, so a lone heading word does not make a form.
 */
function labelledPersonFields(lines: readonly string[]): Set<FieldName> {
  const fields = new Set<FieldName>();
  lines.forEach((line, i) => {
    const labels = findLabels(line);
    labels.forEach((label, k) => {
      // A label that is a common word counts alone on its line (a tag's "UTAS" over its passenger's
      // name: no sentence is one word long; privacy-rules-16), or before its colon.
      const alone = !/[\p{L}\p{N}]/u.test(line.slice(0, label.start) + line.slice(label.end));
      if (!PERSON_FIELDS.has(label.payload) || !(labelIsActive(line, label, false) || alone)) return;
      const [from, to] = valueRegion(line, labels, k);
      const below = lines[i + 1] ?? '';
      if (/[\p{L}\p{N}]/u.test(line.slice(from, to)) || (valueOnNextLine(line, labels, k) && /[\p{L}\p{N}]/u.test(below))) {
        fields.add(label.payload);
      }
    });
  });
  return fields;
}

function analyse(lines: readonly string[], contextLines: readonly string[], portrait = false, commonWords?: CommonWords): Analysis {
  const all = [...lines, ...contextLines];
  const mrz = [...readMrz(lines), ...readMrz(contextLines)];
  const document = recogniseFromLines(all, mrz);
  // Two person fields labelled and no certain type: whatever the layout, the stricter rules apply.
  const uncertain = !document || document.confidence < CERTAIN_TYPE;
  const form = uncertain && labelledPersonFields(all).size >= 2;
  // Fail closed: a text that looks like someone's card or document, whatever its type, gets the
  // stricter rules when no type is recognised with confidence (personal-text.ts); a portrait printed
  // beside the text is such evidence on its own, and a name printed as two single-word lines is a name.
  const isNameLine = (l: string): boolean => !!capitalisedNameLine(l, false);
  // Known wording is a card's rule: running text (a manual's page) keeps its own words.
  const known = commonWords && !isRunningText(lines) ? commonWords : undefined;
  const isUncommonNameLine = known
    ? (l: string): boolean => isNameLine(l) && !(l.match(/\p{L}[\p{L}'’]+/gu) ?? []).some((w) => isCommonWord(w, known))
    : undefined;
  // A prescription label is about its patient however certain its type: every word that is not the
  // pharmacy's wording is the patient's or the prescriber's, so it fails closed like an unknown card
  // (privacy-rules-9: more evidence made labels certain, and their addresses then stayed).
  const aboutItsHolder = document?.type === 'prescription label';
  const looksPersonal =
    (uncertain || aboutItsHolder) &&
    (portrait || personalTextEvidence(all, isNameLine, singleWordNameLines(all).size > 0, isUncommonNameLine).evidence.length > 0);
  let policy = policyOf(document);
  if (form) policy = stricterPolicy(policy, LABELLED_FORM_POLICY);
  if (looksPersonal) policy = stricterPolicy(policy, PERSONAL_TEXT_POLICY);
  const personal = !!document || form || looksPersonal;
  const knownNames = new Set<string>();
  for (const reading of mrz) for (const n of reading.names) knownNames.add(n);
  collectKnownNames(contextLines, personal, knownNames);
  collectKnownNames(lines, personal, knownNames);
  const identifiers: Array<Identifier | null> = [];
  for (const reading of mrz) if (reading.documentNumber) identifiers.push(identifier('document_number', reading.documentNumber));
  return {
    document,
    personal,
    failClosed: looksPersonal,
    policy,
    regions: regionsFrom(all, mrz),
    knownNames,
    mrzNameFields: mrz.flatMap((r) => r.nameFields),
    identifiers,
    commonWords: known,
  };
}

// ---------------------------------------------------------------- one line

/** A value that opens with a title and a capitalised word: a name in full ("Dr. Audie Bode"). */
const TITLED_VALUE = new RegExp(`^[\\s:.,/#-]*(?:${HONORIFICS})\\.?\\s*\\p{Lu}`, 'u');

function labelledValues(
  line: string,
  next: string | undefined,
  labels: readonly PhraseMatch<FieldName>[],
  a: Analysis,
  out: Finding,
  below: Span[],
): void {
  const onDocument = a.personal;
  labels.forEach((label, k) => {
    if (!labelIsActive(line, label, onDocument)) return;
    const field = label.payload;
    if (DOCUMENT_ONLY_FIELDS.has(field) && !onDocument) return;
    if (!FIELD_VALUE_KIND[field]) return;
    const [from, to] = valueRegion(line, labels, k);
    const value = line.slice(from, to);
    if (valueOf(field, label, from, to, line, out.spans, out.identifiers, onDocument)) return;
    // Bilingual label lines ("Surname / Nom", "9 Expiry date") put the value on the next line (when
    // nothing but labels follows this one); two columns read as one line put a name at the start of
    // the next ("Member Medical Network" / "ANGEL BROWN Premera Dental YES").
    if (next === undefined || findLabels(next).length > 0) return;
    // A title and a name after the label ("Prescriber:Dr. Audie Bode") are the whole value, whatever the next line says.
    const twoColumns = NAME_FIELDS.has(field) && onDocument && /[\p{L}\p{N}]/u.test(value) && !TITLED_VALUE.test(value);
    if (!valueOnNextLine(line, labels, k) && !twoColumns) return;
    // A name label alone on its line, on a document: the next line, when made of words only, is the
    // name whatever its case or words ("Nome" / "ivo", "Ad" / "Oya ilkay": the reader's small i for
    // "Í" and "İ"), even after a label that is a common word (privacy-rules-16).
    const alone = valueOnNextLine(line, labels, k) && !/[\p{L}\p{N}]/u.test(line.slice(0, label.start));
    if (onDocument && alone && HOLDER_NAME_FIELDS.has(field) && wordsOnlyValue(next)) {
      below.push(trimmed(next, 0, next.length, 'name'));
      return;
    }
    valueOf(field, label, 0, next.length, next, below, out.identifiers, onDocument);
  });
}

/**
 * A label printed as a caption under its value ("DOE" / "Surname", as many ID and health cards
 * do): on a personal document, a line of nothing but labels takes the line above as its value when
 * that line holds no label of its own. In the label-above arrangement the line above is the field
 * before, personal too; a line with printed wording is never taken, so a title or an insurer's
 * name above a label stays.
 */
function captionedValue(
  line: string,
  labels: readonly PhraseMatch<FieldName>[],
  above: string | undefined,
  labelsAbove: readonly PhraseMatch<FieldName>[],
  spans: Span[],
  identifiers: Array<Identifier | null>,
): void {
  const label = labels[0];
  if (!label || above === undefined || labelsAbove.length > 0 || isMrzLine(above)) return;
  if (/[\p{L}\p{N}]/u.test(line.slice(0, label.start)) || !valueOnNextLine(line, labels, 0)) return;
  const kind = FIELD_VALUE_KIND[label.payload];
  if (!kind || !PERSON_FIELDS.has(label.payload)) return;
  // A title or an insurer's name above the label ("BLUE CROSS" over "Member") is printed wording.
  if (findPrinted(above).length > 0) return;
  // So is a club's, a school's or a firm's name ("HARBOUR ROWING CLUB" over "MEMBER"): its issuer.
  if (NAME_FIELDS.has(label.payload) && !/\d/.test(above) && (namesAnInstitution(above) || namesAFirm(above))) return;
  valueOf(label.payload, label, 0, above.length, above, spans, identifiers, true);
}

/** Finds the value of a field in `text` [from, to) of `line`; true when one was found. */
function valueOf(
  field: FieldName,
  label: PhraseMatch<FieldName>,
  from: number,
  to: number,
  line: string,
  spans: Span[],
  identifiers: Array<Identifier | null>,
  onDocument: boolean,
): boolean {
  const kind = FIELD_VALUE_KIND[field]!;
  const value = line.slice(from, to);
  const lead = (pattern: RegExp): number => from + (pattern.exec(value)?.[0].length ?? 0);
  if (NAME_FIELDS.has(field)) {
    // On a personal document, the value after a name label goes whatever words it is made of (a
    // surname that is also a printed word or a town, a name in a language no rule knows); not after
    // a label that is a common word ("Member" heads a column of plan names on health cards).
    const strongLabel = !WEAK_LABELS.has(label.phrase.toLowerCase());
    // A title then a name after a person's label ("Prescriber:Dr. Tim my Halvorson-Kohler"): on a
    // document the rest of the field is the name, whatever pieces OCR broke a word into.
    const titled = onDocument && strongLabel ? titledName(value) : undefined;
    if (titled) {
      spans.push({ start: from + titled.start, end: from + titled.end, kind: 'name' });
      return true;
    }
    const name = leadingName(value) ?? (onDocument && strongLabel ? nameShapedValue(value) : undefined);
    if (!name) return false;
    const at = from + value.indexOf(name);
    spans.push({ start: at, end: at + name.length, kind: 'name' });
    return true;
  }
  if (field === 'booking_reference') {
    // A record locator (IATA PNR) is five to eight letters and digits, often no digit at all
    // ("DUDNEE"); right after its label it is the reference whatever its case as read ("AARxQP").
    const m = RECORD_LOCATOR_VALUE.exec(value);
    if (m?.[1] && !isPrintedWord(m[1])) {
      const at = from + m[0].length - m[1].length;
      spans.push({ start: at, end: at + m[1].length, kind });
      return true;
    }
    // The locator OCR split in two ("Ruv WCE"): right after its label, pieces that make a locator's
    // length together, neither of them printed wording, with three capitals or digits in all.
    const split = SPLIT_LOCATOR_VALUE.exec(value);
    const joined = split ? `${split[1]}${split[2]}` : '';
    if (
      split &&
      joined.length >= 5 &&
      joined.length <= 8 &&
      (joined.match(/[A-Z0-9]/g) ?? []).length >= 3 &&
      ![split[1]!, split[2]!, joined].some((w) => isPrintedWord(w))
    ) {
      const at = from + split[0].length - split[1]!.length - 1 - split[2]!.length;
      spans.push({ start: at, end: from + split[0].length, kind });
      return true;
    }
    // The locator glued to the label's other language ("Bookingref./Ref.sevationNNVDUG"): a run of
    // five to eight capitals and digits in the label's word, after its lower-case letters.
    const glued = onDocument ? GLUED_LOCATOR.exec(value.split(/\s{2,}|\t/)[0] ?? '') : null;
    if (glued?.[1] && !isPrintedWord(glued[1])) {
      const at = from + glued.index;
      spans.push({ start: at, end: at + glued[1].length, kind });
      return true;
    }
  }
  if (NUMBER_FIELDS.has(field)) {
    const m = NUMBER_VALUE.exec(value);
    if (!m?.[1]) return false;
    const at = from + m[0].length - m[1].length;
    spans.push({ start: at, end: at + m[1].length, kind });
    if (field === 'card_number') identifiers.push(identifier('card_number', m[1]));
    else if (field === 'document_number' || field === 'personal_number' || field === 'member_id') {
      identifiers.push(identifier('document_number', m[1]));
    }
    return true;
  }
  if (field === 'serial_number') {
    // "SN" and "serial" alone are words too ("The serial killer"): the value must hold a digit.
    // After "S/N:" or "Serial number:" (a strong label and its colon) the value is the serial whatever
    // its shape: some makers' serials are letters only ("RJFJGWEFPXKX").
    // "SN:" glued to its colon and eight capitals or more is no word's either ("SN:EPLQVSPOZKVJ": a
    // serial whose zero the reader took for an O; privacy-rules-19, retired held-out 37).
    const letters = LETTERS_SERIAL_VALUE.exec(value);
    const gluedSn = /^sn$/i.test(label.phrase) && /^:/.test(value) && (letters?.[1]?.length ?? 0) >= 8;
    const m = SERIAL_VALUE.exec(value) ?? (/^(?:sn|serial)$/i.test(label.phrase) && !gluedSn ? null : letters);
    if (!m?.[1]) return false;
    if (/^sn$/i.test(label.phrase) && !/^\s*[:#]/.test(value) && !onDocument) return false;
    const at = from + m[0].length - m[1].length;
    spans.push({ start: at, end: at + m[1].length, kind: 'serial_number' });
    identifiers.push(identifier('serial_number', m[1]));
    return true;
  }
  if (field === 'imei') {
    const m = IMEI_VALUE.exec(value);
    if (!m?.[1]) return false;
    const at = from + m[0].length - m[1].length;
    spans.push({ start: at, end: at + m[1].length, kind: 'imei' });
    identifiers.push(identifier('imei', m[1]));
    return true;
  }
  if (kind === 'date_of_birth' || kind === 'date') {
    const dates = findDates(value, { monthYear: kind === 'date' });
    for (const d of dates) spans.push({ start: from + d.start, end: from + d.end, kind });
    if (dates.length > 0 || kind !== 'date_of_birth') return dates.length > 0;
    // After a birth-date label, digits no date pattern reads are still the date (OCR's "01JAN7JAN", "19850312").
    const m = /^[\s:./-]*([\p{L}\d]*\d[\p{L}\d./ -]{0,12}?\d?)(?=\s{2}|\s*$|\s+\p{Lu}\p{Ll})/u.exec(value);
    if (!m?.[1]) return false;
    const at = from + m[0].length - m[1].length;
    spans.push(trimmed(line, at, at + m[1].length, 'date_of_birth'));
    return true;
  }
  if (!/[\p{L}\p{N}]/u.test(value)) return false;
  if (kind === 'address') {
    if (!/\d|\p{Lu}\p{L}+.*\p{Lu}/u.test(value)) return false;
    spans.push(trimmed(line, lead(/^[\s:.#-]*/), to, 'address'));
    return true;
  }
  if (kind === 'place_of_birth' || kind === 'personal_detail') {
    spans.push(trimmed(line, lead(/^[\s:./#-]*/), to, kind));
    return true;
  }
  // A number after a phone label is the phone whatever its length or shape ("Tfn" / "183252" on a
  // tag: a short or garbled number no phone pattern reads); from five digits, so "Tel. 112" stays.
  if (kind === 'phone') {
    const m = /^[\s:.#-]*(\+?[\d(][\d\s()./-]*\d)(?!\S*\p{L})/u.exec(value);
    if (!m?.[1] || (m[1].match(/\d/g) ?? []).length < 5) return false;
    const at = from + m[0].length - m[1].length;
    spans.push({ start: at, end: at + m[1].length, kind: 'phone' });
    return true;
  }
  // E-mails and IBANs after their labels have detectors of their own.
  return false;
}

/**
 * Tokens shaped like document numbers (policy.unlabelledNumbers). A token with lower-case words
 * glued in ("GateA5Boarding17", "Studentnummer12345678") is read through the view, so only its
 * number part counts; document numbers are printed in capitals and stay whole ("WDLABCD456DG").
 */
function unlabelledNumbers(line: string, spans: Span[], token: RegExp): void {
  const candidates: Array<{ start: number; end: number; text: string }> = [];
  for (const m of line.matchAll(token)) {
    if (!/\p{Ll}{2}/u.test(m[0])) {
      candidates.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
      continue;
    }
    const view = spacedView(m[0]);
    for (const part of view.text.matchAll(token)) {
      const [s0, e0] = originalRange(view, part.index, part.index + part[0].length);
      candidates.push({ start: m.index + s0, end: m.index + e0, text: m[0].slice(s0, e0) });
    }
  }
  // Numbers printed in groups ("123.456.789-09", "12.345.678-9", "1234 567 890"): national and
  // document numbers of many countries; never a date's shape.
  for (const m of line.matchAll(GROUPED_NUMBER)) {
    if ((m[0].match(/\d/g) ?? []).length < 7 || findDates(m[0], { monthYear: true, glued: true }).length) continue;
    candidates.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  for (const c of candidates) {
    const { start, end } = c;
    if (overlaps(spans, start, end)) continue;
    // The label may be glued on ("RxBIN004336"): its letters count as what comes before.
    const before = line.slice(Math.max(0, start - 16), start) + (/^[A-Za-z#]*/.exec(c.text)?.[0] ?? '');
    if (PLAN_LABEL.test(before) || FLIGHT_LABEL.test(before)) continue;
    // Money and measures are not identifiers.
    if (/^\d{1,3}(?:,\d{3})+$/.test(c.text)) continue;
    spans.push({ start, end, kind: 'id_number' });
  }
}

/**
 * Printed wording OCR garbled ("Pateofbirth", "SRECIMEN") or a place with a doubled or dropped edge letter ("WWASHINGTON").
 * A first name as it is spelled is none, however close to a label ("ANDRES" one letter from "Adres"; privacy-rules-17).
 */
function isGarbledPrinted(word: string): boolean {
  if (word.length < 6 || isFirstName(word)) return false;
  return isGarbledPrintedWord(word) || isPlaceName(word.slice(1)) || isPlaceName(word.slice(0, -1));
}

/** A capitalised word of a name: "Smith", "SMITH", "D'Errico", "Kulas-Schinner", "J.", "al-Rashid" (privacy-rules-13). */
const NAME_WORD = /^(?:(?:al|el)-)?(?:\p{Lu}['’])?\p{Lu}[\p{Ll}'’]*(?:-(?:\p{Lu}['’])?\p{Lu}[\p{Ll}'’]*)*\.?$|^\p{Lu}[\p{Lu}'’.-]*$/u;

/**
 * A word in capitals whose last letter is a dotted capital İ the reader read small ("OGRENCi" for
 * ÖĞRENCİ, "CALISANi"): the case change would split it into two words ("OGREN Ci") that read as a
 * name; it is the one word in capitals it was printed as (privacy-rules-20, retired 32-46's badges).
 */
const DOTTED_I_READ_SMALL = /(?<=\p{Lu}{2})i(?![\p{L}])/gu;

/**
 * A line of two to five capitalised words (name particles between them), none of them printed
 * wording or a place: a name on a card. A label OCR garbled past recognition may open the line
 * ("Wtasnosc Eugeniusz Dudzinski" for "Własność ..."): the name is what follows it.
 */
function capitalisedNameLine(original: string, singleWords: boolean): Span | undefined {
  // Same length: the span found on the restored line is the original's.
  const line = original.replace(DOTTED_I_READ_SMALL, 'I');
  const body = /^\s*(?:\d{1,2}[a-d]?\.?\s*)?(.*?)\s*$/.exec(line);
  const text = body?.[1] ?? '';
  if (!text || /\[[A-Z]+\]/.test(text) || namesAFirm(text) || namesAnInstitution(text)) return undefined;
  // Through the view, so a glued "GiuliaLindqvist" is the two words it is.
  const view = spacedView(text);
  const tokens = [...view.text.matchAll(/\S+/g)];
  let k = 0;
  while (k < tokens.length - 1 && !isPrintedWord(tokens[k]![0]) && isGarbledLabelWord(tokens[k]![0])) k++;
  const words = tokens.slice(k).map((t) => t[0]);
  const [from] = originalRange(view, tokens[k]?.index ?? 0, tokens[k]?.index ?? 0);
  // The skipped word opens a printed phrase that goes on ("PERMIS DE CONDUIRE FR": "PERMIS" reads as a
  // garbled label): the rest is that phrase's, no name (privacy-rules-20, retired 47 and 51).
  if (k > 0 && findPrinted(text).some((m) => m.start < from && m.end > from)) return undefined;
  const name = text.slice(from);
  const counted = words.filter((w) => !NAME_PARTICLES.has(w.toLowerCase()));
  // One word alone is a name on an identity document, elsewhere only when it is a glued name ("OLIVERPETERS").
  if (counted.length === 0 || counted.length > 5) return undefined;
  if (counted.length === 1 && !singleWords && !startsWithFirstName(name) && !looksLikeGluedName(name)) return undefined;
  if (!words.every((w) => NAME_WORD.test(w) || NAME_PARTICLES.has(w.toLowerCase()))) return undefined;
  // Names joined by "and", "y", "&" are a firm's.
  if (words.some((w) => CONJUNCTIONS.has(w.toLowerCase()))) return undefined;
  if (words.length === 1 && (name.length < 3 || !/^\p{Lu}+$/u.test(name) || isGarbledPrinted(name))) return undefined;
  // A lone capital without a dot opens a fragment ("A Cloud Al"), not a name ("J. Smith" has its dot).
  if (words.length > 1 && /^\p{Lu}$/u.test(words[0]!)) return undefined;
  if (!looksLikeName(name)) return undefined;
  const start = line.indexOf(name);
  return { start, end: start + name.length, kind: 'name' };
}

/**
 * A business card prints its holder's job title under the holder's name ("Oficial de Cuentas Futuro",
 * "Analista Interno de Mobilidade"): capitalised words, as a name's are, but a title holds a common
 * word of the word lists that is no known name word ("Oficial", "Interno"; isCommonWord), which the
 * name above it, whole with a surname, does not need to share (privacy-rules-20, retired 47-51's
 * Spanish and Portuguese titles). Only under a whole name, so a surname printed on a line of its
 * own under the given names ("MARIA JOSE" over "SEGURA ROSA") is still a name.
 */
function jobTitleUnderName(lines: readonly string[], i: number, a: Analysis): boolean {
  if (a.document?.type !== 'business card' || !a.commonWords || i === 0) return false;
  const above = capitalisedNameLine(lines[i - 1]!, false);
  // The title itself reads as a name: the line under it is the firm's or the address, no title.
  if (!above || jobTitleUnderName(lines, i - 1, a)) return false;
  const nameWords = lines[i - 1]!.slice(above.start, above.end).match(/\p{L}{2,}/gu) ?? [];
  if (nameWords.every((w) => isFirstName(w) || NAME_PARTICLES.has(w.toLowerCase()))) return false;
  const words = a.commonWords;
  return (lines[i]!.match(/\p{Lu}\p{L}{3,}/gu) ?? []).some((w) => isCommonWord(w, words));
}

/**
 * The words of a name that count as its parts: not its lower-case particles ("van", "de la"), but a
 * capitalised particle beside a name word ("Merlin Von", "Jan Van Dijk": a surname or part of one;
 * privacy-rules-13). A particle alone, or beside particles only ("De La"), counts for nothing.
 */
function namePartsCounted(words: readonly string[]): string[] {
  const particle = (w: string | undefined): boolean => w !== undefined && NAME_PARTICLES.has(w.toLowerCase());
  const nameWord = (w: string | undefined): boolean => w !== undefined && !particle(w) && /^\p{Lu}/u.test(w);
  return words.filter((w, i) => !particle(w) || (/^\p{Lu}/u.test(w) && (nameWord(words[i - 1]) || nameWord(words[i + 1]))));
}

/**
 * A badge's or a tag's holder line (RedactionPolicy.holderNameLines; a card's embossed one, embossedHolderLine): two to four capitalised words
 * and name particles, no digit, none of them printed wording or a label, not a firm's or an
 * institution's name, not words joined by "and", and not all places (a town line). Its words may be
 * places or common words that looksLikeName refuses ("Rose Baker", "Guadalupe Saldana Nino").
 */
function holderNameLine(line: string, embossed = false): Span | undefined {
  const text = line.trim();
  if (!text || /[\d[\]@]/.test(text) || namesAFirm(text) || namesAnInstitution(text)) return undefined;
  // On a card's embossed line the reader splits a word at a wide gap ("ROLÓN" read "ROL ON"): a piece of
  // one or two capitals after a longer word is that word's end, not printed wording (privacy-rules-17).
  const piece = (from: number, to: number): boolean =>
    embossed && to - from <= 2 && /\p{Lu}{3,}\s$/u.test(text.slice(0, from)) && /^\p{Lu}+$/u.test(text.slice(from, to));
  if (findPrinted(text).some((m) => !NAME_PARTICLES.has(text.slice(m.start, m.end).toLowerCase()) && !piece(m.start, m.end)))
    return undefined;
  const words = text.split(/\s+/);
  const pieces = new Set(embossed ? words.filter((w, i) => i > 0 && /^\p{Lu}{1,2}$/u.test(w) && /^\p{Lu}{3,}$/u.test(words[i - 1]!)) : []);
  const counted = namePartsCounted(words.filter((w) => !pieces.has(w)));
  if (counted.length < 2 || counted.length > 4) return undefined;
  if (!words.every((w) => NAME_PARTICLES.has(w.toLowerCase()) || (NAME_WORD.test(w) && /^\p{Lu}/u.test(w)))) return undefined;
  if (words.some((w) => !pieces.has(w) && (CONJUNCTIONS.has(w.toLowerCase()) || isPrintedWord(w)))) return undefined;
  if (counted.every((w) => isPlaceName(w))) return undefined;
  const start = line.indexOf(text);
  return { start, end: start + text.length, kind: 'name' };
}

/**
 * Lines that are one half of a name printed as two single-word lines ("Aisha" over "Okafor", a
 * student card's given name and surname on lines of their own): two adjacent lines of one
 * capitalised word each, no label, printed wording, place or institution among them, one a first
 * name compromise knows, that read as a name together. Each line alone is too little (one word is a name only on an identity document).
 */
function singleWordNameLines(lines: readonly string[], holderLines = false): Set<number> {
  const word = (i: number): string | null => {
    const text = (lines[i] ?? '').trim();
    if (!/^\p{Lu}[\p{L}'’-]+$/u.test(text) || !NAME_WORD.test(text)) return null;
    if (findLabels(text).length || isPrintedWord(text) || isPlaceName(text) || namesAnInstitution(text) || namesAFirm(text)) return null;
    return text;
  };
  const halves = new Set<number>();
  if (holderLines) {
    lines.forEach((_, i) => {
      const alone = word(i);
      if (!alone) return;
      // A badge or a tag prints nothing else as one capitalised word that is a known given name: its
      // holder's, whatever its caption ("Nome") was read as (privacy-rules-19, retired held-out 41).
      if (isFirstName(alone)) halves.add(i);
      // A surname in capitals over or under the given names in mixed case ("SEZEK" over "Rasit
      // Tunahan"; retired held-out 44): the two cases are how badges set the name's two parts apart.
      const mixedCaseHolder = (j: number): boolean => /\p{Ll}/u.test(lines[j] ?? '') && !!holderNameLine(lines[j] ?? '');
      if (!/\p{Ll}/u.test(alone) && (mixedCaseHolder(i - 1) || mixedCaseHolder(i + 1))) halves.add(i);
    });
  }
  for (let i = 0; i + 1 < lines.length; i++) {
    const first = word(i);
    const second = first ? word(i + 1) : null;
    // One of them a known first name: two single-word lines are more often a brand over a product.
    // On a badge or a tag (holderLines) the pair is its holder's name whatever the words: given name
    // over surname is how lanyard badges print it ("Antonello" over "Cappelletti", privacy-rules-12).
    // A known given name alone over a line of surnames on a badge or a tag ("Mateo" over "Ruiz
    // Ortega": a lanyard's big given name, the two surnames under it; privacy-rules-16).
    if (holderLines && first && !second && isFirstName(first) && holderNameLine(lines[i + 1] ?? '')) halves.add(i);
    if (!first || !second) continue;
    if (
      holderLines
        ? holderNameLine(`${first} ${second}`)
        : (isFirstName(first) || isFirstName(second)) && capitalisedNameLine(`${first} ${second}`, false)
    )
      halves.add(i).add(i + 1);
  }
  return halves;
}

/**
 * Identity documents: what is not printed wording (labels, titles, issuing states, field numbers,
 * single letters) is personal, recognised or not. Each run of such words becomes one placeholder,
 * of the kind its label says (or a name for letters, a number for digits).
 */
/** A year or a range of years standing alone among words (not part of a date or a longer number). */
const LONE_YEAR = /(?<![\p{N}./-])(?:19|20)\d\d(?:\s?[-–/]\s?(?:(?:19|20)\d\d|\d\d))?(?![\p{N}./-])/gu;

/**
 * Whether the words after a place's name make it the first word of a longer one: a particle, then a
 * capitalised word that is neither printed wording nor a place ("SALVADOR DE NOSSA SENHORA", a town
 * of birth under a label the reader garbled; retired held-out 29). A state's name goes on with
 * another state's or with printed wording ("ESTADOS UNIDOS DE AMÉRICA", "REPUBLICA DE COLOMBIA").
 */
function opensALongerName(line: string, end: number): boolean {
  const unknown = (w: string): boolean => !isPlaceName(w) && !isPrintedWord(w) && !isGarbledPrinted(w);
  const m = /^\s+(\p{L}+)\s+(\p{Lu}[\p{L}'’-]+)/u.exec(line.slice(end));
  if (m && NAME_PARTICLES.has(m[1]!.toLowerCase()) && unknown(m[2]!)) return true;
  return placeOpensCapitalsValue(line, end, unknown);
}

/**
 * A line of capitals words only whose first word is a place and whose other words are neither places
 * nor printed wording ("WASHINGTON YAGO", given names read apart from their label; retired 53): one
 * value, the place its first name. A state's name goes on with printed wording or another place.
 */
function placeOpensCapitalsValue(line: string, end: number, unknown: (w: string) => boolean): boolean {
  const words = line.trim().split(/\s+/);
  if (words.length < 2 || words.length > 4 || !words.every((w) => /^\p{Lu}{2,}$/u.test(w))) return false;
  if (line.slice(0, end).trim() !== words[0]) return false;
  return words.slice(1).every((w) => w.length >= 3 && unknown(w) && !NAME_PARTICLES.has(w.toLowerCase()));
}

function identityResidue(line: string, spans: Span[], fieldKind: RedactedKind | undefined, keepFrom = -1): void {
  const kept: Array<[number, number]> = [];
  if (keepFrom >= 0) kept.push([keepFrom, line.length]);
  // Whole words OCR garbled from printed wording, before shorter labels inside them split them
  // ("UnterschrifdesInhabers" holds the label "Inhaber").
  for (const m of line.matchAll(/\p{L}[\p{L}'’]*/gu)) if (isGarbledPrinted(m[0])) kept.push([m.index, m.index + m[0].length]);
  // A name particle printed alone on its line is no wording's (particles print inside phrases): it is a
  // value, a town ("VAN" under "Place of birth") or a surname's first word split off (retired 56).
  const loneParticle = /^\s*(\p{L}{3,})\s*$/u.exec(line);
  if (!(loneParticle && NAME_PARTICLES.has(loneParticle[1]!.toLowerCase()))) for (const m of findPrinted(line)) kept.push([m.start, m.end]);
  // A place in a name's or a birthplace's value is the holder's ("Nombre ANTONIA GUADALUPE", "SALVADOR"
  // under "Place of birth"): places stay only on lines of other fields (privacy-rules-18, retired 29, 33).
  const wordsValue = fieldKind === 'name' || fieldKind === 'place_of_birth';
  if (!wordsValue) for (const p of findPlaceNames(line)) if (!opensALongerName(line, p.end)) kept.push([p.start, p.end]);
  for (const m of line.matchAll(PLACEHOLDER_PATTERN)) kept.push([m.index, m.index + m[0].length]);
  // A lone year or a range of years ("2024 - 2025", "2025") is a season or a validity, no one's value:
  // only outside a field whose value is a date or a number (a birth year after its label still goes).
  if (!fieldKind) for (const m of line.matchAll(LONE_YEAR)) kept.push([m.index, m.index + m[0].length]);
  for (const s of spans) kept.push([s.start, s.end]);
  const covered = (i: number): boolean => kept.some(([s, e]) => i >= s && i < e);

  // Tokens, split where a printed word or a finding covers them (a label glued to its value), and a
  // field number glued to its value ("1.Mustermann", "4c.Landratsamt") as a token of its own.
  const tokens: Array<{ start: number; end: number; text: string }> = [];
  for (const m of line.matchAll(/(?<![\p{L}\p{N}])\d{1,2}[a-dA-D]?(?:\.(?=\p{L})|(?=\p{Lu}{2}))|[\p{L}\p{N}][\p{L}\p{N}'’.\-]*/gu)) {
    let runStart = -1;
    for (let i = m.index; i <= m.index + m[0].length; i++) {
      const inside = i < m.index + m[0].length && !covered(i);
      if (inside && runStart < 0) runStart = i;
      if (!inside && runStart >= 0) {
        let start = runStart;
        let end = i;
        while (start < end && !/[\p{L}\p{N}]/u.test(line[start]!)) start++;
        while (end > start && !/[\p{L}\p{N}.]/u.test(line[end - 1]!)) end--;
        if (end > start) tokens.push({ start, end, text: line.slice(start, end) });
        runStart = -1;
      }
    }
  }

  // AAMVA and EU field numbers ("1.", "4a", "15 SEX") are printed wording; a bare number is one only
  // when a label or value follows it ("13" alone under "14JAN/JAN" is the year of a date).
  const isFieldNumber = (t: { start: number; text: string }): boolean => {
    const after = line.slice(t.start + t.text.length);
    // Alone on its line ("4a." above its value, read as two lines) it is a field number too.
    if (/^\d{1,2}(?:[a-dA-D]\.?|\.|\))$/.test(t.text)) return /\S/.test(after) || !/\S/.test(line.slice(0, t.start));
    // Glued to its field ("2LIAMR.", "15SEXM"): the number is the field's.
    if (/^\d{1,2}$/.test(t.text) && /^\p{Lu}{2}/u.test(after)) return !STARTS_WITH_MONTH.test(after);
    return /^\d{1,2}$/.test(t.text) && /^\s*\p{L}/u.test(after);
  };

  let group: { start: number; end: number; strong: boolean; text: string } | undefined;
  const flush = (): void => {
    if (group?.strong) spans.push({ start: group.start, end: group.end, kind: residueKind(group.text, fieldKind) });
    group = undefined;
  };
  for (const t of tokens) {
    // A country glued to printed wording ("BUNDESREPUBLIKDEUTSCHLAND" leaves "DEUTSCHLAND").
    if (isGarbledPrinted(t.text) || (!wordsValue && t.text.length > 3 && isPlaceName(t.text) && !opensALongerName(line, t.end))) {
      flush();
      continue;
    }
    if (isFieldNumber(t) || (t.text.length === 1 && /\p{L}/u.test(t.text) && !group)) {
      flush();
      continue;
    }
    const between = group ? line.slice(group.end, t.start) : '';
    if (group && (/[^\s.,'’/-]/u.test(between) || covered(group.end) || kept.some(([s, e]) => s >= group!.end && e <= t.start))) flush();
    const strong = (t.text.match(/[\p{L}\p{N}]/gu) ?? []).length >= 2;
    if (group) {
      group.end = t.end;
      group.strong ||= strong;
      group.text = line.slice(group.start, group.end);
    } else {
      group = { start: t.start, end: t.end, strong, text: t.text };
    }
  }
  flush();
}

/**
 * A word then a strength: a medicine's name (its dose glued or spaced), the dosage form after it
 * spaced or glued on in small letters ("Metformin100mgcapsules": privacy-rules-20).
 */
const DRUG_BEFORE_STRENGTH =
  /(?<![\p{L}])(\p{L}{3,})\s?\d+(?:[.,]\d+)?\s?(?:[mM][gG]|[mM][cC][gG]|[µμ][gG]|[mM][lL])(?:\p{Ll}{4,})?(?![\p{L}])/gu;

/**
 * A text that fails closed, of no type whose printed wording is known: only known wording stays
 * (known-wording.ts). Labels, printed wording, places, garbled printed words, placeholders and what
 * the rules found already are known; every other word that is no common word goes.
 */
function knownWordingOnly(line: string, spans: Span[], words: CommonWords): void {
  // A firm's or an institution's line (an airport, a pharmacy, "Lindqvist Group") is the issuer's, and
  // proper nouns are how issuers are named: the name and number rules still read it.
  if (namesAnInstitution(line) || namesAFirm(line) || namesAPartnership(line)) return;
  const kept: Array<[number, number]> = [];
  for (const m of line.matchAll(/\p{L}[\p{L}'’]*/gu)) if (isGarbledPrinted(m[0])) kept.push([m.index, m.index + m[0].length]);
  for (const m of findPrinted(line)) kept.push([m.start, m.end]);
  for (const m of findLabels(line)) kept.push([m.start, m.end]);
  for (const p of findPlaceNames(line)) kept.push([p.start, p.end]);
  for (const m of line.matchAll(PLACEHOLDER_PATTERN)) kept.push([m.index, m.index + m[0].length]);
  // A word before a strength ("Omeprazole500mg", "Sertraline 10 mg") names a medicine, not a person.
  for (const m of line.matchAll(DRUG_BEFORE_STRENGTH)) kept.push([m.index, m.index + m[1]!.length]);
  for (const s of spans) kept.push([s.start, s.end]);
  spans.push(...unknownWordSpans(line, kept, words));
}

function residueKind(text: string, fieldKind: RedactedKind | undefined): RedactedKind {
  const digits = /\d/.test(text);
  const numeric = fieldKind === 'id_number' || fieldKind === 'national_id' || fieldKind === 'date' || fieldKind === 'date_of_birth';
  // The label's kind, when the value has the shape of one: a number label's neighbour in words is no number.
  if (fieldKind && (numeric ? digits : fieldKind === 'name' ? !digits : true)) return fieldKind;
  if (findDates(text).length) return 'date';
  if (digits) return 'id_number';
  if (/^[\p{Lu}\p{Lt}][\p{L}'’.\- ]*$/u.test(text)) return 'name';
  return 'personal_detail';
}

/** Fields whose value is the same for every holder of the document's kind: a permit's category, its remarks. */
const PRINTED_VALUE_FIELDS = new Set<FieldName>(['permit_type', 'remarks']);

/**
 * Lines that hold the value of a PRINTED_VALUE_FIELDS label. OCR reads a card's two columns row by
 * row: a run of label-only lines ("Type of permit", "Sex") is followed by their values in the same
 * order ("SKILLED WORKER", "M"), so the k-th value line is the k-th label line's. A value with a
 * digit or a known name part is never one of these (privacy wins when the pairing is wrong); nor
 * any value of a block that also labels a birthplace (a tilted photo reads a row's values in either
 * order, and a town is words as the remarks are), nor of a block with fewer values than labels and a person's
 * field among them: which label lost its value is then unknown (privacy-rules-16).
 */
function printedFieldValues(
  lines: readonly string[],
  labelsOf: ReadonlyArray<readonly PhraseMatch<FieldName>[]>,
  known: ReadonlySet<string>,
): Set<number> {
  const out = new Set<number>();
  const names = [...known].map((n) => n.toLowerCase());
  for (const block of labelBlocks(lines, labelsOf, false)) {
    const fields = block.labelLines.flatMap((l) => (labelsOf[l] ?? []).map((m) => m.payload));
    const personal = fields.some((f) => PERSON_FIELDS.has(f));
    if (personal && block.values.length < block.labelLines.length) continue;
    // A birthplace labelled beside the remarks: a tilted photo reads the two values in either order,
    // and a town is words as the remarks are. Neither is kept (privacy-rules-16).
    if (fields.includes('place_of_birth')) continue;
    block.values.forEach((v, t) => {
      const value = lines[v] ?? '';
      const printed = (labelsOf[block.labelLines[t]!] ?? []).some((l) => PRINTED_VALUE_FIELDS.has(l.payload));
      const words = spacedView(value)
        .text.toLowerCase()
        .split(/[^\p{L}]+/u);
      // A first name is no permit's category: OCR put a name field's value after the label ("GABRIEL").
      const firstName = value.split(/[^\p{L}]+/u).some((w) => w.length >= 3 && /^\p{Lu}/u.test(w) && isFirstName(w));
      if (printed && !/\d/.test(value) && !firstName && !words.some((w) => w.length >= 3 && names.includes(w))) out.add(v);
    });
  }
  return out;
}

/**
 * The values of label blocks (label-blocks.ts) on a personal text, where the line-after rule cannot
 * pair them: two or more labels read before their values, or a printed line between a label and its
 * value. A value line made of words only (no digit) goes as a name or a place of birth: the label of
 * its rank when the block pairs one value per label and labels no printed-value field (a permit's
 * remarks), else any of the block's name and birthplace labels (privacy wins when the order is
 * unsure). Dates and numbers are left to their own rules; printed values (printedFieldValues) stay.
 */
function labelBlockValues(
  lines: readonly string[],
  labelsOf: ReadonlyArray<readonly PhraseMatch<FieldName>[]>,
  printedValues: ReadonlySet<number>,
  into: Span[][],
): void {
  const wordField = (f: FieldName): boolean => NAME_FIELDS.has(f) || f === 'place_of_birth';
  for (const block of labelBlocks(lines, labelsOf, true)) {
    if (block.fields.length < 2 && !block.skippedPrinted) continue;
    const exact = block.values.length === block.fields.length && !block.fields.some((f) => PRINTED_VALUE_FIELDS.has(f));
    block.values.forEach((v, t) => {
      const line = lines[v] ?? '';
      if (printedValues.has(v) || !wordsOnlyValue(line)) return;
      const field = exact ? (wordField(block.fields[t]!) ? block.fields[t] : undefined) : block.fields.find(wordField);
      if (field) into[v]!.push(trimmed(line, 0, line.length, FIELD_VALUE_KIND[field]!));
    });
  }
}

/** The kind a line's values have, from the label on it or on the line above (bilingual label lines). */
function lineFieldKind(
  labels: readonly PhraseMatch<FieldName>[],
  labelsAbove: readonly PhraseMatch<FieldName>[],
  aboveHasValue: boolean,
): RedactedKind | undefined {
  const from = labels.length ? labels : aboveHasValue ? [] : labelsAbove;
  const last = from.at(-1);
  return last ? FIELD_VALUE_KIND[last.payload] : undefined;
}

function redactLines(lines: string[], a: Analysis, kinds: Set<RedactedKind>): string[] {
  const { policy } = a;
  const onDocument = a.personal;
  const below: Span[][] = lines.map(() => []);
  const perLine: Span[][] = lines.map(() => []);
  const labelsOf = lines.map((l) => findLabels(l));
  const nameHalves = policy.capitalisedNameLines ? singleWordNameLines(lines, policy.holderNameLines) : new Set<number>();

  lines.forEach((line, i) => {
    const spans = perLine[i]!;
    if (isMrzLine(line)) {
      spans.push({ start: 0, end: line.length, kind: 'mrz' });
      return;
    }
    if (BCBP_LINE.test(line)) {
      spans.push(trimmed(line, 0, line.length, 'travel_reference'));
      return;
    }
    const labels = labelsOf[i]!;
    const out: Finding = { spans, identifiers: a.identifiers };
    const carried: Span[] = [];
    labelledValues(line, lines[i + 1], labels, a, out, carried);
    if (i + 1 < lines.length) below[i + 1]!.push(...carried);
    if (onDocument && i > 0) captionedValue(line, labels, lines[i - 1], labelsOf[i - 1]!, perLine[i - 1]!, a.identifiers);

    spans.push(...findEmails(line));
    const labelEnds = (field: FieldName): number[] => labels.filter((l) => l.payload === field).map((l) => l.end);
    spans.push(...findIbans(line, labelEnds('iban')));
    for (const f of findCardsAndImeis(line, a.document?.type === 'payment card')) {
      if (
        overlaps(
          spans.filter((s) => s.kind === 'iban'),
          f.start,
          f.end,
        )
      )
        continue;
      spans.push({ start: f.start, end: f.end, kind: f.kind });
      a.identifiers.push(identifier(f.kind === 'imei' ? 'imei' : 'card_number', f.digits));
    }
    for (const m of line.matchAll(SSN)) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'national_id' });
    const phones = findPhones(line, {
      regions: a.regions,
      national: policy.nationalPhones,
      formatted: a.personal,
      labelEnds: labelEnds('phone'),
    });
    spans.push(...phones.filter((p) => !overlaps(spans, p.start, p.end)));

    // Dates: on a document whose policy says so, every full date; elsewhere those after a birth-date label.
    if (policy.allDates) {
      // A text that fails closed may be a card of any type: its expiry ("07/27") goes too.
      const monthYear = a.document?.type === 'payment card' || a.failClosed;
      const dateOptions = { monthYear, dayMonth: a.document?.type === 'boarding pass', glued: a.personal };
      for (const d of findDates(line, dateOptions)) {
        if (!overlaps(spans, d.start, d.end)) spans.push(d);
      }
    }

    spans.push(...findHonorificNames(line));
    spans.push(...findDeviceOwnerNames(line));
    if (policy.personNames) spans.push(...findPersonNames(line));
    spans.push(...findKnownNames(line, a.knownNames));
    if (onDocument && a.mrzNameFields.length) {
      // Capitalised words found inside an MRZ name field the OCR garbled ("BROWNSSHOLLIE").
      for (const m of line.matchAll(/(?<![\p{L}])\p{Lu}{3,}(?![\p{L}])/gu)) {
        if (a.mrzNameFields.some((f) => f.includes(m[0]))) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'name' });
      }
    }
    for (const street of findStreets(line)) spans.push(street);
    // A street line OCR glued into one token ("RuadasFlores123"): on a personal text only.
    if (a.personal) for (const street of findGluedStreets(line)) if (!overlaps(spans, street.start, street.end)) spans.push(street);
    // "Street 12, 10115 Town" on one line; on a contact document also a street line no type word marks.
    const otherLabel = labels.some((l) => l.payload !== 'address');
    // After an address label ("Address: 221B Baker Street, London NW1 6XE") the label stays.
    const from = labels.find((l) => l.payload === 'address')?.end ?? 0;
    const rest = line.slice(from);
    // A street, postcode and town a label joins on one line ("14 Mill Lane·LS6 2QB Leeds·0113…",
    // "Petőfi utca 12-6720 Szeged"): on a personal text only, after an address label (privacy-rules-16).
    if (a.personal && !otherLabel) {
      const at = lead(line, from);
      for (const s of findJoinedAddress(line.slice(at))) spans.push({ start: at + s.start, end: at + s.end, kind: 'address' });
    }
    if (!otherLabel && (isOneLineAddress(rest) || (policy.streetShapedLines && isStreetShapedLine(rest)))) {
      spans.push(trimmed(line, lead(line, from), line.length, 'address'));
    }
    // A licence's numbered fields (1, 2, 3, 4a, 4b, 4d, 5, 8) are its holder's whatever words they hold.
    if (a.document?.type === 'driving licence') {
      spans.push(...findLicenceFieldValues(line));
      if (i + 1 < lines.length) below[i + 1]!.push(...findLicenceFieldValuesBelow(line, lines[i + 1]!));
    }
    if (a.document?.type === 'boarding pass' || a.document?.type === 'luggage tag') spans.push(...findIataNames(line));
    if (a.document?.type === 'boarding pass') {
      for (const r of findTravelReferences(line)) if (!overlaps(spans, r.start, r.end)) spans.push(r);
    }
    // Embossed card numbers OCR reads in pieces ("2433 1144 8285", "37459"): on a card, any such group.
    if (a.document?.type === 'payment card' && /^[\s\d]*$/.test(line) && (line.match(/\d/g) ?? []).length >= 4) {
      if (!spans.length) spans.push(trimmed(line, 0, line.length, 'card_number'));
    }
    for (const m of line.matchAll(RX_NUMBER)) {
      if (rxLettersAreAWord(m[1]!, a.commonWords)) continue;
      const at = m.index + m[0].length - m[1]!.length;
      if (!overlaps(spans, at, at + m[1]!.length)) spans.push({ start: at, end: at + m[1]!.length, kind: 'id_number' });
    }
    if (policy.unlabelledNumbers) unlabelledNumbers(line, spans, policy.shortNumbers ? SHORT_NUMBER_TOKEN : DOCUMENT_NUMBER_TOKEN);
  });

  const printedValues = policy.onlyPrintedWordsSurvive ? printedFieldValues(lines, labelsOf, a.knownNames) : new Set<number>();
  if (onDocument) labelBlockValues(lines, labelsOf, printedValues, perLine);

  // Second pass: what depends on the neighbouring lines.
  lines.forEach((line, i) => {
    const spans = perLine[i]!;
    spans.push(...below[i]!);
    if (spans.some((s) => s.kind === 'mrz' || (s.kind === 'travel_reference' && s.start === 0 && BCBP_LINE.test(line)))) return;
    const prev = perLine[i - 1];
    // The line under a street is the city line when it holds a postcode, a ZIP or a comma list.
    const underStreet = i > 0 && !!prev?.some((s) => s.kind === 'address' && !/[\p{L}\p{N}]/u.test((lines[i - 1] ?? '').slice(s.end)));
    const underAddressLabel = i > 0 && (labelsOf[i - 1] ?? []).some((l) => l.payload === 'address') && !/\d/.test(lines[i - 1] ?? '');
    // A line that starts another field ("Phone: 07700 900123") is no city line, whatever its digits.
    const otherField = labelsOf[i]!.some((l) => l.payload !== 'address' && l.start <= 2);
    if (
      (underStreet && !otherField && isPostalLine(line)) ||
      ((underAddressLabel || policy.personNames || policy.onlyPrintedWordsSurvive) && hasPostcodeAndCity(line))
    ) {
      spans.push(trimmed(line, 0, line.length, 'address'));
    }
    // On an identity document the issuing authority's name ("4c.Stadt Filipdorf", "Burgemeester van
    // Utrecht") and the permit's category and remarks ("Work permitted") are printed for every holder.
    const keepFrom = policy.onlyPrintedWordsSurvive
      ? printedValues.has(i)
        ? 0
        : a.document?.type === 'driving licence'
          ? licenceAuthorityStart(line)
          : authorityLineStart(line)
      : -1;
    if (keepFrom >= 0) {
      const before = spans.filter((s) => s.start < keepFrom || s.kind === 'mrz');
      spans.length = 0;
      spans.push(...before);
    }
    // A business card's job title under its holder's name is wording, neither a name nor unknown words.
    const jobTitle = jobTitleUnderName(lines, i, a);
    if (policy.capitalisedNameLines && labelsOf[i]!.length === 0 && !spans.length && keepFrom < 0) {
      // An accented capital I the reader read small between capitals ("ELiSIO" for ELÍSIO) is still
      // embossed, and read as the capital it is (retired held-out 27); same length, same span.
      const capitals = line.replace(/(?<=\p{Lu})i(?=\p{Lu})/gu, 'I');
      const embossed = policy.embossedHolderLine && !/\p{Ll}/u.test(capitals);
      const holderLine = policy.holderNameLines || embossed;
      const name = jobTitle
        ? undefined
        : (capitalisedNameLine(line, policy.onlyPrintedWordsSurvive) ??
          (holderLine ? holderNameLine(embossed ? capitals : line, embossed) : undefined));
      if (name) spans.push(name);
      else if (nameHalves.has(i)) spans.push(trimmed(line, 0, line.length, 'name'));
    }
    if (policy.onlyPrintedWordsSurvive) {
      const aboveHasValue = /[\p{L}\p{N}]/u.test(
        (lines[i - 1] ?? '').replace(/./gu, (ch, at: number) =>
          (labelsOf[i - 1] ?? []).some((l) => at >= l.start && at < l.end) ? ' ' : ch,
        ),
      );
      identityResidue(line, spans, lineFieldKind(labelsOf[i]!, labelsOf[i - 1] ?? [], aboveHasValue), keepFrom);
    } else if (a.failClosed && a.commonWords && !jobTitle) {
      // A job title's words are the card's wording, inflected or unaccented as the lists may not hold them ("Mercados").
      knownWordingOnly(line, spans, a.commonWords);
    }
  });

  const merged = lines.map((line, i) => {
    perLine[i]!.push(...widenNames(line, perLine[i]!));
    // Placeholders already in the input (a second pass) stay as they are.
    return mergeSpans(perLine[i]!).filter((s) => !/^\[[A-Z]+\]$/.test(line.slice(s.start, s.end)));
  });
  // A removed name's or birthplace's word goes wherever else the text prints it (every-instance.ts).
  const repeats = otherInstances(lines, merged);
  return lines.map((line, i) => {
    const spans = mergeSpans(withParticlesBeforeNames(line, mergeSpans([...merged[i]!, ...repeats[i]!])));
    for (const s of spans) kinds.add(s.kind);
    return applySpans(line, spans);
  });
}

// ---------------------------------------------------------------- entry points

/** Identifiers the context shows (labelled serials, IMEIs, document numbers), for the owner's hashes. */
function contextIdentifiers(contextLines: readonly string[], a: Analysis): void {
  contextLines.forEach((line, i) => {
    if (isMrzLine(line)) return;
    labelledValues(line, contextLines[i + 1], findLabels(line), a, { spans: [], identifiers: a.identifiers }, []);
    for (const f of findCardsAndImeis(line, a.document?.type === 'payment card')) {
      a.identifiers.push(identifier(f.kind === 'imei' ? 'imei' : 'card_number', f.digits));
    }
  });
}

/** Where a value starts after `from`: past the separators a label leaves (": ", "# "). */
function lead(line: string, from: number): number {
  return from + (/^[\s:.#-]*/.exec(line.slice(from))?.[0].length ?? 0);
}

/** Lines longer than this are read in pieces: every rule stays linear in the text, whatever a post holds. */
const MAX_PIECE = 320;

/**
 * Splits long lines into pieces at a space (after a sentence's or clause's end where there is one),
 * so the rules run on short strings; `join` puts the redacted pieces back into the original lines.
 * A value is never split: pieces break at spaces between words, and no value the rules find is
 * longer than a few words (the break prefers ". " and ", ").
 */
function inPieces(lines: readonly string[]): { pieces: string[]; join: (redacted: readonly string[]) => string[] } {
  const counts: number[] = [];
  const pieces: string[] = [];
  for (const line of lines) {
    let rest = line;
    let n = 0;
    while (rest.length > MAX_PIECE * 1.5) {
      const window = rest.slice(MAX_PIECE / 2, MAX_PIECE);
      const clause = Math.max(window.lastIndexOf('. '), window.lastIndexOf('; '), window.lastIndexOf(', '));
      const space = window.lastIndexOf(' ');
      const at = clause >= 0 ? MAX_PIECE / 2 + clause + 1 : space >= 0 ? MAX_PIECE / 2 + space : MAX_PIECE;
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at);
      n++;
    }
    pieces.push(rest);
    counts.push(n + 1);
  }
  return {
    pieces,
    join: (redacted) => {
      let i = 0;
      return counts.map((n) => {
        const line = redacted.slice(i, i + n).join('');
        i += n;
        return line;
      });
    },
  };
}

function safeString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Redacts personal data from (OCR) text. Line structure is preserved exactly. Never throws. */
export function redactPersonalData(text: string, options: RedactionOptions = {}): PersonalDataRedaction {
  const input = safeString(text);
  const upsideDown = options?.upsideDown === true;
  // Walked in the document's order; the output goes back to the caller's (same count, same indexes).
  const inOrder = (l: string[]): string[] => (upsideDown ? l.reverse() : l);
  const lines = inOrder(input.split('\n'));
  const context = safeString(options?.context);
  const contextLines = context ? inPieces(inOrder(context.split('\n'))).pieces : [];
  try {
    const a = analyse(inPieces(lines).pieces, contextLines, options?.portrait === true, options?.commonWords);
    contextIdentifiers(contextLines, a);
    const kinds = new Set<RedactedKind>();
    const { pieces, join } = inPieces(lines);
    const out = inOrder(join(redactLines(pieces, a, kinds)));
    const identifiers = uniqueIdentifiers(a.identifiers);
    return { text: out.join('\n'), redactedKinds: [...kinds].sort(), document: a.document, identifiers };
  } catch {
    // A rule that fails on some input must not publish it: every line with a letter or digit goes.
    const out = inOrder(lines.map((l) => (/[\p{L}\p{N}]/u.test(l) ? '[PERSONAL]' : l)));
    return { text: out.join('\n'), redactedKinds: ['personal_detail'], document: null, identifiers: [] };
  }
}

/**
 * Free text (an llm answer, a post's context sent to the llm): no line structure to keep apart, no
 * document policy (a text that mentions a passport is not one). The same rules, with people's names
 * in running text and national phone numbers found too; `context` lends its known names (an MRZ, a
 * labelled name) and identifiers' labels.
 */
export function redactFreeText(text: string, options: RedactionOptions = {}): PersonalDataRedaction {
  const input = safeString(text);
  const lines = input.split('\n');
  const context = safeString(options?.context);
  try {
    // The context (e.g. the text an llm says it read on the item) names the holder for this text too.
    const a = analyse(inPieces(lines).pieces, context ? inPieces(context.split('\n')).pieces : []);
    // Free text talks about a document ("a wallet with a driving licence"), it is not one: no document
    // policy applies. Running text names people without labels ("the owner, Maria Garcia, ...") and
    // writes national numbers without them: compromise and the national phone rules read those.
    a.policy = { ...NO_DOCUMENT_POLICY, personNames: true, nationalPhones: true };
    const kinds = new Set<RedactedKind>();
    const { pieces, join } = inPieces(lines);
    const out = join(redactLines(pieces, a, kinds));
    return { text: out.join('\n'), redactedKinds: [...kinds].sort(), document: a.document, identifiers: uniqueIdentifiers(a.identifiers) };
  } catch {
    return { text: input ? '[PERSONAL]' : '', redactedKinds: input ? ['personal_detail'] : [], document: null, identifiers: [] };
  }
}

/**
 * Runs the redactor once over a sample with every kind of finding, so the first real text does not
 * pay for the libraries' lazy set-up (compromise's lexicon, chrono's parsers, the label patterns'
 * compilation): a stage calls it in start(). Pure; returns nothing.
 */
export function warmUpRedaction(): void {
  redactPersonalData(
    'PASSPORT/PASSEPORT\nSurname/NomERIKSSON\nDateofbirth/Datedenaissance12AUG/AOÛT74\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n' +
      'L898902C36UTO7408122F1204159ZE184226B<<<<<10\nDr. Avery Smith, 2 Kingdom Street, London W2 6BD\n+44 20 7946 0958 avery@example.org\n' +
      'geboren am 3. März 1990\n4111 1111 1111 1111 DE89 3704 0044 0532 0130 00 S/N: C02XK0ABJGH5',
  );
  redactFreeText('The owner, Maria Garcia, left it on 12 March 1985.');
}
