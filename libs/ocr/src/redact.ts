/**
 * Personal-data redaction for OCR text, before anything is published. Pure: no I/O, no logging.
 *
 * It removes what identifies a person (e-mail, phone, card and account numbers, ID / passport /
 * licence numbers, dates of birth, MRZ lines, names and street addresses on documents and cards)
 * and moves the item's own serial numbers and IMEIs out of the text into `sensitiveIdentifiers`,
 * because they help the owner prove ownership but must never become tags or free text.
 *
 * It must never: return any removed value inside `text`; log or throw on input; change the number
 * of lines (callers map the redacted text back onto OCR lines by index); redact brand names, model
 * numbers (`KX-200`) or ordinary words. When a rule is unsure on an identity document it redacts
 * (privacy wins); elsewhere it needs a label or a checksum before it touches digits.
 */
import type { SensitiveIdentifier } from '@media-ai/contracts';

export interface RedactionResult {
  /** The input with personal data replaced by [EMAIL], [PHONE], ... Same line count as the input. */
  text: string;
  /** Kinds removed (email, phone, card_number, iban, national_id, id_number, date_of_birth, ...), sorted. */
  redactedKinds: string[];
  /** The item's serial numbers / IMEIs, taken out of the text. */
  sensitiveIdentifiers: SensitiveIdentifier[];
}

type Kind =
  'email' | 'phone' | 'card_number' | 'iban' | 'national_id' | 'id_number' | 'date_of_birth' | 'date' | 'mrz' | 'name' | 'address';

interface Ctx {
  kinds: Set<string>;
  identifiers: SensitiveIdentifier[];
}

// ---------------------------------------------------------------- checksums

/** Luhn (ISO/IEC 7812): payment cards and IMEIs. Catches every single-digit OCR error. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check of an IBAN (spaces allowed). */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

// ---------------------------------------------------------------- patterns

const EMAIL = /[A-Za-z0-9._%+-]+\s?@\s?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** OCR drops the dots of a domain ("AVEry.smith@ contoso com"): anything@word is still an address. */
const EMAIL_LOOSE =
  /[A-Za-z0-9._%+-]+\s?@\s?[A-Za-z0-9-]+(?:\s?[.,]\s?[A-Za-z0-9-]+)*(?:\s(?:com|org|net|edu|gov|io|co|uk|de|fr|ca|info)\b)?/gi;

/** A date with a day: 01/06/1958, 1958-06-01, 01.06.58, 01 JAN 1985, 01 JAN/JAN 85, Jan 1, 1985. */
const MONTH = '(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|SEPT|OCT|NOV|DEC)[A-Z]*\\.?';
const DATE_SRC =
  `(?:\\b\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})\\b` +
  `|\\b\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}\\b` +
  `|\\b\\d{1,2}\\s?${MONTH}(?:\\s?/\\s?${MONTH})?\\s?(?:\\d{4}|\\d{2})\\b` +
  `|\\b${MONTH}\\s\\d{1,2},?\\s\\d{4}\\b)`;
const DATE = new RegExp(DATE_SRC, 'gi');

const DOB_LABEL = /\b(?:D\.?O\.?B\.?|DATE\s+OF\s+BIRTH|BIRTH\s*DATE|DATE\s+DE\s+NAISSANCE|GEBURTSDATUM|BORN)\b/i;

/**
 * Labels after which a number is an identity number. Longest first so "Member ID" wins over
 * "Member" (a name label). The value must contain a digit, so "ID card" is not a label + value.
 */
const ID_LABEL_SRC =
  '(?:passport\\s*(?:no|number|num|#)\\.?|document\\s*(?:no|number|#)\\.?|identification\\s*(?:no|number|#)?\\.?' +
  '|member\\s*(?:id|no|number|#)\\.?|subscriber\\s*id|national\\s*id(?:\\s*(?:no|number))?\\.?|personal\\s*(?:no|number)\\.?' +
  "|driver'?s?\\s*licen[cs]e\\s*(?:no|number|#)\\.?|licen[cs]e\\s*(?:no|number|#)\\.?|lic\\s*(?:no|#)\\.?|DLN|DL\\s*(?:no|#)|DL" +
  '|ID\\s*(?:no|number|#)\\.?|SSN|social\\s*security\\s*(?:no|number)?\\.?|NIN|tax\\s*id|TIN|customer\\s*(?:no|number|id))';
const ID_LABELLED = new RegExp(
  `\\b(${ID_LABEL_SRC})(\\s*[:#.]?\\s*)((?=[A-Z0-9<-]*\\d)[A-Z0-9][A-Z0-9<-]{3,}(?:\\s(?=\\S*\\d)[A-Z0-9-]{2,}){0,3})`,
  'gi',
);

/** US SSN with the SSA's impossible ranges excluded (000, 666, 900-999 areas; 00 group; 0000 serial). */
const SSN = /\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b/g;

const SERIAL = /\b(S\/N|SN|SER(?:IAL)?(?:\s*(?:NO|NUMBER|NUM|#))?\.?)(\s*[:#.]?\s*)((?=[A-Z0-9/.-]*\d)[A-Z0-9][A-Z0-9/.-]{3,})/gi;
const IMEI_LABELLED = /\b(IMEI(?:\s?[12](?=\s*[:#]))?(?:\/SV)?)(\s*[:#.]?\s*)(\d(?:[\s/-]?\d){13,16})\b/gi;

/** Digit runs with card-like grouping (spaces / dashes), 13-19 digits. */
const DIGIT_RUN = /\b\d(?:[ -]?\d){12,18}\b/g;

const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g;
const IBAN_LABELLED = /\b(IBAN)(\s*[:#.]?\s*)([A-Z]{2}[0-9OIl]{2}[A-Z0-9 ]{10,34})/gi;

/**
 * Phones. International (+44 (0) 20 9876 5432), US ((206) 555-0100, 206-555-0100, 206.555.0100),
 * or after a phone label (tel, mob, fax, phone, cell) any 7..15-digit run. Unlabelled national
 * numbers are left alone on purpose: without a label they look like order or model numbers.
 */
const PHONE_INTL = /\+\s?\d{1,3}(?:[\s.-]?\(0\))?(?:[\s.-]?\(?\d{1,5}\)?){1,5}\d/g;
const PHONE_US = /(?<![\d-])\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b(?!-\d)/g;
const PHONE_LABELLED = /\b(tel|tel\.|phone|ph|mob|mobile|cell|fax|telephone|call)(\s*[:.]?\s*)(\+?\s?\(?\d[\d\s().-]{3,20}\d\)?)/gi;

/** Honorifics make a personal name unmistakable even without a label (business cards). */
const HONORIFIC_NAME = /\b(Dr|Mr|Mrs|Ms|Miss|Mx|Prof)(\.?\s+)([A-Z][a-z'’-]+(?:\s+[A-Z]\.?(?![a-z]))?(?:\s+[A-Z][a-z'’-]+){0,2})/g;

/** Labels after which the rest of the line (or the next line) is a person's name. */
const NAME_LABEL =
  /^\s*(?:\d{1,2}[a-z]?\s+)?(surname|last\s*name|family\s*name|given\s*names?|first\s*names?|first\s*name|full\s*name|name|holder|card\s*holder|cardholder|account\s*holder|member(?:\s*name)?|subscriber(?:\s*name)?|patient(?:\s*name)?|insured|nom|pr[ée]noms?|name\s+of\s+holder)\b(?:\s*\/\s*[\p{L}']+(?:\s+[\p{Ll}']+)*)?\s*[:.]?\s*(.*)$/iu;

/** A plausible name: letters, spaces, dots, hyphens, apostrophes; 1..5 words; not a field label. */
const NAME_VALUE = /^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’.\- ]{0,58}$/;

const STREET_TYPES =
  'street|st\\.|avenue|ave\\.?|road|rd\\.|boulevard|blvd\\.?|lane|ln\\.|drive|court|place|terrace|crescent|square|highway|hwy\\.?|parkway|way|close|gardens|strasse|straße';
/** "2 Kingdom Street", "123 STREET ADDRESS", "10 Downing St." (house number first: US/UK style). */
const STREET_ADDRESS = new RegExp(
  `(?:^|\\s|#)\\d{1,5}[A-Z]?\\s+(?:[A-Za-z][A-Za-z'’.-]*\\s+){0,3}(?:${STREET_TYPES})(?![A-Za-z])(?:\\s+(?:address|apt\\.?\\s*\\d+|suite\\s*\\d+))?`,
  'gi',
);
/**
 * The line after a street is the city line when it holds a postcode (UK W2 6BD, read "68D" at
 * times), a ZIP(+4), or the commas of "Paddington, London, ...".
 */
const POSTAL_LINE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z0-9]{2}|[A-Z]{2}\s+\d{5}(?:-\d{4})?|\d{5}(?:-\d{4})?)\b|\w,\s*\w/;

/**
 * Words that make a text an identity document or a personal card. On such text unlabelled
 * document numbers, dates and name fields are redacted too, because the layout (not a label)
 * is what says what they are.
 */
const DOCUMENT_HINT =
  /(?:\b(?:passport|passeport|identity\s*card|id\s*card|identification|national\s*id|residence\s*permit|permis|ausweis|member|insurance|health|medicare|medicaid|date\s+of\s+birth|D\.?O\.?B\.?|nationality|surname|given\s*names?|restrictions|endorsements|HGT|WGT)\b|licen[cs]e|\bSEX\s*[MFX]\b)/i;

/**
 * Identity documents proper (not member cards): on these a lone upper-case word on its own line is
 * a name field too ("BROWN", "HOLLIE" under labels OCR could not read).
 */
const IDENTITY_DOCUMENT_HINT =
  /(?:\b(?:passport|passeport|identity\s*card|national\s*id|residence\s*permit|nationality|surname)\b|licen[cs]e|\bSEX\s*[MFX]\b)/i;

const PLAN_LABEL = /\b(?:group|grp|bin|pcn|plan|network|rx\s*bin)\s*[#:]?\s*$/i;

/** Machine-readable zone: 30/36/44 chars of A-Z, 0-9 and fillers; OCR turns '<' into « or K runs. */
function isMrzLine(line: string): boolean {
  const compact = line.replace(/\s+/g, '');
  if (compact.length < 25) return false;
  const fillers = (compact.match(/[<«‹]/g) ?? []).length;
  if (fillers < 3) return false;
  // Mostly MRZ alphabet: tolerate a few OCR slips (lower case, 'L' for '<').
  const mrzChars = (compact.match(/[A-Z0-9<«‹]/g) ?? []).length;
  return mrzChars / compact.length >= 0.75 || /^P[<«A-Z][A-Z]{3}/.test(compact);
}

// ---------------------------------------------------------------- rules

function mark(ctx: Ctx, kind: Kind): void {
  ctx.kinds.add(kind);
}

function redactSerials(line: string, ctx: Ctx): string {
  line = line.replace(IMEI_LABELLED, (_m, label: string, sep: string, value: string) => {
    ctx.identifiers.push({ kind: 'imei', value: digitsOf(value) });
    return `${label}${sep}[IMEI]`;
  });
  line = line.replace(SERIAL, (m, label: string, sep: string, value: string) => {
    // "SN" alone is a common word fragment; accept it only with a separator (SN: / SN#).
    if (/^sn$/i.test(label) && !/[:#]/.test(sep)) return m;
    ctx.identifiers.push({ kind: 'serial_number', value });
    return `${label}${sep}[SERIAL]`;
  });
  return line;
}

function redactDigitRuns(line: string, ctx: Ctx): string {
  return line.replace(DIGIT_RUN, (m) => {
    const digits = digitsOf(m);
    // 15 Luhn-valid digits are an IMEI unless they carry an Amex prefix (34/37), which is a card.
    if (digits.length === 15 && luhnValid(digits) && !/^3[47]/.test(digits)) {
      ctx.identifiers.push({ kind: 'imei', value: digits });
      return '[IMEI]';
    }
    if (luhnValid(digits) && digits.length >= 13) {
      mark(ctx, 'card_number');
      return '[CARD]';
    }
    // 4-4-4-4 grouping is unmistakably a card even when OCR broke a digit (Luhn fails then):
    // leaking 15 of 16 digits would be worse than one false [CARD].
    if (/^\d{4}([ -])\d{4}\1\d{4}\1\d{4}$/.test(m)) {
      mark(ctx, 'card_number');
      return '[CARD]';
    }
    return m;
  });
}

function redactIbans(line: string, ctx: Ctx): string {
  line = line.replace(IBAN_LABELLED, (_m, label: string, sep: string) => {
    mark(ctx, 'iban');
    return `${label}${sep}[IBAN]`;
  });
  return line.replace(IBAN, (m) => {
    if (!ibanValid(m)) return m;
    mark(ctx, 'iban');
    return '[IBAN]';
  });
}

function redactPhones(line: string, ctx: Ctx): string {
  line = line.replace(PHONE_LABELLED, (m, label: string, sep: string, value: string) => {
    // 5+: a number cut short by OCR ("+44 (0) 20") still narrows down whose it is.
    const n = digitsOf(value).length;
    if (n < 5 || n > 15) return m;
    mark(ctx, 'phone');
    return `${label}${sep}[PHONE]`;
  });
  const replace = (m: string): string => {
    // A leading + and 5+ digits is a phone number, even one OCR cut short.
    const n = digitsOf(m).length;
    if (n < 5 || n > 15) return m;
    mark(ctx, 'phone');
    return '[PHONE]';
  };
  return (
    line
      .replace(PHONE_INTL, replace)
      // "(0)" is the trunk prefix of a number written internationally; OCR may have lost the "+44".
      .replace(/\(0\)\s?\d[\d\s-]{2,14}\d/g, () => {
        mark(ctx, 'phone');
        return '[PHONE]';
      })
      .replace(PHONE_US, (m) => {
        mark(ctx, 'phone');
        return m.replace(/\S[\s\S]*/, '[PHONE]');
      })
  );
}

function redactIdNumbers(line: string, ctx: Ctx): string {
  line = line.replace(ID_LABELLED, (m, label: string, sep: string) => {
    // Bare "DL" is also a size and a unit: require a separator after it.
    if (/^DL$/i.test(label) && !/[:#]/.test(sep)) return m;
    mark(ctx, /ssn|social|nin|national|tax|tin/i.test(label) ? 'national_id' : 'id_number');
    return `${label}${sep}[ID]`;
  });
  return line.replace(SSN, () => {
    mark(ctx, 'national_id');
    return '[ID]';
  });
}

/**
 * On identity documents, document numbers are printed without a usable label (ZE000509,
 * WDLABCD456DG, 123456789): any token of 6+ letters/digits holding 3+ digits goes. Off documents
 * this rule does not run, which is what keeps model numbers such as KX-200 intact.
 */
function redactDocumentNumbers(line: string, ctx: Ctx): string {
  return line.replace(/(?<![A-Za-z0-9[])(?=(?:[A-Za-z]*\d){3})[A-Za-z0-9#]*[A-Za-z0-9]{6,}(?![A-Za-z0-9\]])/g, (m, offset: number) => {
    // Group, BIN and PCN numbers identify the insurer's plan (shared by thousands), not the holder.
    if (PLAN_LABEL.test(line.slice(Math.max(0, offset - 16), offset))) return m;
    // Money and measures are not identifiers.
    if (/^\d{1,3}(?:,\d{3})+$/.test(m)) return m;
    // A date on a document is handled by the date rules.
    if (new RegExp(`^${DATE_SRC}$`, 'i').test(m)) return m;
    mark(ctx, 'id_number');
    return '[ID]';
  });
}

function redactDates(lines: string[], ctx: Ctx, isDocument: boolean): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const labelHere = DOB_LABEL.test(line);
    const labelAbove = i > 0 && DOB_LABEL.test(lines[i - 1] ?? '') && !new RegExp(DATE_SRC, 'i').test(lines[i - 1] ?? '');
    // The date sits on the label's line ("DOB 01/06/1958") or under a bilingual label line.
    if (labelHere || labelAbove) {
      lines[i] = line.replace(DATE, () => {
        mark(ctx, 'date_of_birth');
        return '[DOB]';
      });
    }
    if (isDocument) {
      // Issue and expiry dates on an ID narrow down who holds it; they carry nothing for matching.
      lines[i] = (lines[i] ?? '').replace(DATE, () => {
        mark(ctx, 'date');
        return '[DATE]';
      });
    }
  }
}

function looksLikeName(value: string): boolean {
  const v = value.trim();
  if (!NAME_VALUE.test(v)) return false;
  const words = v.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 5) return false;
  // Names are capitalised on documents and cards; "Name brands at low prices" is prose.
  if (!words.every((w) => /^[\p{Lu}]/u.test(w))) return false;
  // A field label is not a name ("Identification", "Date of birth").
  if (
    /\b(?:date|birth|number|identification|nationality|sex|address|signature|issue|expir|authority|type|code|group|plan|network)\b/i.test(v)
  )
    return false;
  return /[A-Za-zÀ-ÿ]{2}/.test(v);
}

function redactNames(lines: string[], ctx: Ctx, isDocument: boolean, knownNames: Set<string>): void {
  const remember = (value: string): void => {
    // Each part of a found name is redacted wherever else it appears (a name repeats on a card).
    for (const part of value.split(/[\s.]+/)) if (part.length >= 3) knownNames.add(part);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    lines[i] = line.replace(HONORIFIC_NAME, (_m, title: string, sep: string, name: string) => {
      mark(ctx, 'name');
      remember(name);
      return `${title}${sep}[NAME]`;
    });
    const label = NAME_LABEL.exec(lines[i] ?? '');
    if (!label) continue;
    const rest = (label[2] ?? '').trim();
    if (rest && looksLikeName(rest)) {
      remember(rest);
      lines[i] = (lines[i] ?? '').slice(0, (lines[i] ?? '').length - rest.length) + '[NAME]';
      mark(ctx, 'name');
    } else if (i + 1 < lines.length && !NAME_LABEL.test(lines[i + 1] ?? '')) {
      const next = lines[i + 1] ?? '';
      if (!rest && looksLikeName(next)) {
        remember(next);
        lines[i + 1] = '[NAME]';
        mark(ctx, 'name');
        i++;
        continue;
      }
      // Two columns read as one line ("Member Medical Network" / "ANGEL BROWN Premera Dental"):
      // the upper-case run that starts the next line sits under the label.
      const lead = /^([A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’.-]*){0,3})(?=\s+[A-Z][a-z]|\s*$)/.exec(next);
      if (lead?.[1] && looksLikeName(lead[1])) {
        remember(lead[1]);
        lines[i + 1] = '[NAME]' + next.slice(lead[1].length);
        mark(ctx, 'name');
        i++;
      }
    }
  }
  if (!isDocument) return;
  // AAMVA driver licences number their name fields: 1 = family name, 2 = given names. OCR reads
  // them as "1 TALBOT", "2 LIAM R." (or glues the digit on: "2LIAMR.").
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /^(\W{0,2}\d?\s*[12])\s*[+*]?\s*([A-Z][A-Z'’.-]*(?:\s+[A-Z][A-Z'’.-]*){0,3})\s*$/.exec(line);
    if (m && m[2] && m[2].replace(/[^A-Z]/g, '').length >= 3) {
      remember(m[2]);
      lines[i] = `${m[1]} [NAME]`;
      mark(ctx, 'name');
    }
  }
}

function redactAddresses(lines: string[], ctx: Ctx): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!STREET_ADDRESS.test(line)) continue;
    STREET_ADDRESS.lastIndex = 0;
    lines[i] = line.replace(STREET_ADDRESS, (m) => `${/^\s/.test(m) ? ' ' : ''}[ADDRESS]`);
    mark(ctx, 'address');
    const next = lines[i + 1];
    if (next !== undefined && POSTAL_LINE.test(next)) {
      lines[i + 1] = '[ADDRESS]';
      i++;
    }
  }
}

/**
 * The first MRZ line of a passport (TD3) spells the holder's names: P<CCCSURNAME<<GIVEN<NAMES<<<.
 * Knowing them lets the visual zone's name fields go too, even when OCR garbled their labels.
 */
function namesFromMrz(line: string): string[] {
  const compact = line.replace(/\s+/g, '').replace(/[«‹]/g, '<');
  const m = /^[PIAC][A-Z<][A-Z<]{3}([A-Z<]+)$/.exec(compact);
  if (!m || !m[1]) return [];
  return m[1]
    .split(/<+/)
    .map((n) => n.replace(/[^A-Z]/g, ''))
    .filter((n) => n.length >= 3);
}

/** The name field of a TD3 first line (after P<CCC), fillers and OCR's misreads of them kept. */
function mrzNameField(line: string): string | null {
  const compact = line.replace(/\s+/g, '').toUpperCase();
  // Document code (2 chars: P<, PA, ID...), issuing state (3 letters), then the names.
  const m = /^[PIAC][A-Z<«]([A-Z]{3})([A-Z<«]{6,})$/.exec(compact);
  return m?.[2] ?? null;
}

/**
 * OCR reads '<<' as 'SS', 'KK' or 'LL' often enough that splitting the MRZ name field fails
 * ("BROWNSSHOLLIE"). An upper-case word of 3+ letters found inside the field is one of the names.
 */
function redactMrzSpelledNames(lines: string[], fields: string[], ctx: Ctx): void {
  if (fields.length === 0) return;
  for (let i = 0; i < lines.length; i++) {
    lines[i] = (lines[i] ?? '').replace(/(?<![\p{L}])[A-Z]{3,}(?![\p{L}])/gu, (word) => {
      if (!fields.some((f) => f.includes(word))) return word;
      mark(ctx, 'name');
      return '[NAME]';
    });
  }
}

/**
 * Words printed on identity and insurance cards that are not names. A line of two or three
 * upper-case words none of which is here is read as a name field ("ANGEL BROWN", "LIAM R.").
 * On a document, a brand this list lacks is redacted too: privacy wins over a lost brand word.
 */
const DOCUMENT_WORDS = new Set(
  (
    'PASSPORT PASSEPORT CANADA CANADIAN CANADIENNE UNITED STATES AMERICA KINGDOM REPUBLIC FEDERAL STATE ' +
    'DRIVER DRIVERS LICENSE LICENCE PERMIT IDENTITY IDENTIFICATION CARD NATIONAL RESIDENCE ' +
    'LIMITS APPLY CLASS DONOR VETERAN SEX EYES HAIR HGT WGT RESTRICTIONS END ENDORSEMENTS NONE REAL ' +
    'HEALTH SAVINGS PLAN MEDICAL DENTAL VISION NETWORK GROUP MEMBER SERVICES INSURANCE BLUE CROSS SHIELD ' +
    'PPO HMO EPO POS RX BIN PCN COPAY DEDUCTIBLE COINSURANCE PRIMARY CARE SPECIALIST EMERGENCY URGENT ' +
    'YES NO NOT VALID VOID SPECIMEN SAMPLE TYPE CODE ISSUED ISSUE EXPIRES EXPIRY DATE BIRTH PLACE ' +
    'SIGNATURE HOLDER AUTHORITY NATIONALITY OBSERVATIONS AND OF THE FOR WITH IN OUT WASHINGTON'
  ).split(' '),
);

function redactCapitalisedNameLines(lines: string[], ctx: Ctx, singleWords: boolean): void {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (singleWords && /^[A-Z][A-Z'’-]{2,}$/.test(line) && !DOCUMENT_WORDS.has(line.replace(/['’-]/g, ''))) {
      lines[i] = '[NAME]';
      mark(ctx, 'name');
      continue;
    }
    const m = /^([A-Z][A-Z'’-]+)\s+([A-Z][A-Z'’-]*\.?)(?:\s+([A-Z][A-Z'’-]*\.?))?$/.exec(line);
    if (!m) continue;
    const words = [m[1], m[2], m[3]].filter((w): w is string => !!w).map((w) => w.replace(/[.'’-]/g, ''));
    if (words.some((w) => DOCUMENT_WORDS.has(w))) continue;
    lines[i] = '[NAME]';
    mark(ctx, 'name');
  }
}

/** Redacts every whole-word occurrence of names already known to be the holder's. */
function redactKnownNames(lines: string[], names: Set<string>, ctx: Ctx): void {
  if (names.size === 0) return;
  const known = [...names].map((n) => n.toLowerCase());
  for (let i = 0; i < lines.length; i++) {
    lines[i] = (lines[i] ?? '').replace(/(?<![\p{L}])\p{L}{3,}(?![\p{L}])/gu, (word) => {
      const w = word.toLowerCase();
      // Whole names, and the stubs OCR leaves at a card's edge ("smi" of "smith", 3+ letters).
      if (!known.some((n) => n === w || (n.length >= 5 && n.startsWith(w)))) return word;
      mark(ctx, 'name');
      return '[NAME]';
    });
  }
}

// ---------------------------------------------------------------- entry point

export interface RedactionOptions {
  /**
   * Everything the engine read, low-confidence lines included (never published). Labels and MRZ
   * lines that were too blurry to publish still say what the published lines are: "Surname" above
   * "BROWN", or an MRZ that spells the holder's names.
   */
  context?: string;
}

/** Redacts personal data from (OCR) text. Line structure is preserved exactly. */
export function redactPersonalData(text: string, options: RedactionOptions = {}): RedactionResult {
  const ctx: Ctx = { kinds: new Set(), identifiers: [] };
  const lines = text.split('\n');
  const contextLines = options.context ? options.context.split('\n') : [];
  const isDocument = DOCUMENT_HINT.test(text) || DOCUMENT_HINT.test(options.context ?? '') || [...lines, ...contextLines].some(isMrzLine);

  const knownNames = new Set<string>();
  const mrzNameFields: string[] = [];
  for (const line of contextLines) {
    if (isMrzLine(line)) {
      namesFromMrz(line).forEach((n) => knownNames.add(n));
      const field = mrzNameField(line);
      if (field) mrzNameFields.push(field);
    }
  }
  // The local part of an e-mail address spells its owner's name (avery.smith@...).
  for (const line of [...contextLines, ...lines]) {
    for (const m of line.matchAll(/([A-Za-z]{3,})[._-]\s?([A-Za-z]{3,})\s?@/g)) {
      if (m[1]) knownNames.add(m[1]);
      if (m[2]) knownNames.add(m[2]);
    }
  }
  // Serial numbers are the strings OCR is least sure of (no dictionary helps), so their lines often
  // fall below the publishing thresholds; the owner still gets what a labelled line read.
  for (const line of contextLines) redactSerials(line, ctx);
  if (contextLines.length) {
    // Names found by label in the context (its own copy, discarded) are redacted in the text.
    redactNames([...contextLines], { kinds: new Set(), identifiers: [] }, isDocument, knownNames);
  }
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (isMrzLine(line)) {
      for (const name of namesFromMrz(line)) knownNames.add(name);
      const field = mrzNameField(line);
      if (field) mrzNameFields.push(field);
      lines[i] = '[MRZ]';
      mark(ctx, 'mrz');
      continue;
    }
    line = redactSerials(line, ctx);
    line = line.replace(EMAIL, () => {
      mark(ctx, 'email');
      return '[EMAIL]';
    });
    line = line.replace(EMAIL_LOOSE, () => {
      mark(ctx, 'email');
      return '[EMAIL]';
    });
    line = redactIbans(line, ctx);
    line = redactIdNumbers(line, ctx);
    line = redactDigitRuns(line, ctx);
    line = redactPhones(line, ctx);
    lines[i] = line;
  }
  redactDates(lines, ctx, isDocument);
  redactNames(lines, ctx, isDocument, knownNames);
  redactKnownNames(lines, knownNames, ctx);
  if (isDocument) redactMrzSpelledNames(lines, mrzNameFields, ctx);
  const isIdentityDocument =
    IDENTITY_DOCUMENT_HINT.test(text) || IDENTITY_DOCUMENT_HINT.test(options.context ?? '') || mrzNameFields.length > 0;
  if (isDocument) redactCapitalisedNameLines(lines, ctx, isIdentityDocument);
  redactAddresses(lines, ctx);
  if (isDocument) {
    for (let i = 0; i < lines.length; i++) lines[i] = redactDocumentNumbers(lines[i] ?? '', ctx);
  }

  const seen = new Set<string>();
  const sensitiveIdentifiers = ctx.identifiers.filter((id) => {
    const key = `${id.kind}:${id.value}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { text: lines.join('\n'), redactedKinds: [...ctx.kinds].sort(), sensitiveIdentifiers };
}
