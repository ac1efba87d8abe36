// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- addressit ships no types; a reference (not an ambient include) lets every program that compiles this file see them.
/// <reference path="../types/addressit.d.ts" />
/**
 * Street addresses. addressit parses the house-number-first lines of English-speaking countries
 * ("4001 1st Ave NE Redmond, WA 98052", "8 Grove Cres"): a number and a street ending in a street
 * type it knows. It compared better than parse-address on lines from several countries (it also
 * keeps UK and continental postcodes apart from the street; parse-address reads only US lines and
 * mangles others). Continental orders no parser here reads ("Musterstraße 12", "Calle Mayor 5",
 * "12 rue de la Paix", "ul. Marszałkowska 1", "Keizersgracht 123") and OCR-glued lines have own
 * patterns; a postcode-and-city line is an address after a street line or a label. Pure.
 */
import addressit from 'addressit';
import type { Span } from '../spans.js';
import { originalRange, spacedView, type TextView } from '../text-view.js';
import { US_STATE_CODES } from '../vocabulary/places.js';

const STREET_TYPES_EN =
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|tce|crescent|cres|square|sq|' +
  'highway|hwy|parkway|pkwy|way|close|gardens|grove|loop|circle|cir|trail|trl|row|mews|walk|hill|alley|plaza';
/** Street types that come before the name (fr, es, it, pt, pl, tr). */
const TYPE_FIRST =
  'rue|avenue|av|boulevard|bd|bld|chemin|allée|allee|impasse|place|quai|route|voie|cours|passage|sentier|faubourg|' +
  'rond-point|hameau|lieu-dit|calle|c/|avenida|avda|plaza|paseo|camino|carrer|carretera|ctra|travesía|travesia|' +
  'ronda|glorieta|pasaje|callejón|callejon|urbanización|urbanizacion|urb|barrio|costanilla|polígono|poligono|rambla|' +
  'via|viale|piazza|piazzale|corso|largo|vicolo|contrada|borgo|strada|stradone|lungomare|salita|traversa|località|localita|' +
  'frazione|rua|travessa|praça|praca|estrada|alameda|rodovia|ladeira|marginal|beco|viela|servidão|servidao|viaduto|ul|ulica|al|aleja|os|osiedle|pl|plac|rondo|skwer|rynek|cadde|sokak|mahallesi';
/** Street types glued to the end of the name (de, nl, tr). */
const TYPE_SUFFIX =
  'straße|strasse|str|weg|allee|platz|gasse|damm|ufer|chaussee|pfad|steig|stieg|' +
  'gracht|straat|laan|plein|kade|singel|dreef|steeg|dijk|dyk|plantsoen|' +
  'sokağı|sokagi|caddesi|cad|bulvarı';

/** Each word as printed in lower case, capitalised and upper case (the patterns run without /i so \p{Lu} keeps its meaning). */
function anyCase(list: string): string {
  return list
    .split('|')
    .flatMap((w) => [w, w.charAt(0).toUpperCase() + w.slice(1), w.toUpperCase()])
    .join('|');
}
function capitalisedOrUpper(list: string): string {
  return list
    .split('|')
    .flatMap((w) => [w.charAt(0).toUpperCase() + w.slice(1), w.toUpperCase()])
    .join('|');
}

/** House number, one to four capitalised name words (or an ordinal: "1st"), street type: "2 Kingdom Street", "4001 1st Ave". */
const NUMBER_FIRST = new RegExp(
  `(?<![\\p{L}\\d])\\d{1,5}[A-Za-z]?(?:\\s*[-/]\\s*\\d{1,4})?\\s+(?:(?:\\p{Lu}[\\p{L}'’.-]*|\\d{1,3}\\s?(?:st|nd|rd|th)|st)\\s+){1,4}(?:${capitalisedOrUpper(STREET_TYPES_EN)})\\.?(?![\\p{L}])`,
  'gu',
);
/** Licences print "123 STREET ADDRESS": an upper-case street type straight after the number. */
const NUMBER_THEN_TYPE = new RegExp(
  `(?<![\\p{L}\\d])\\d{1,5}[A-Z]?\\s+(?:${STREET_TYPES_EN.toUpperCase()})(?![\\p{L}])(?:\\s+\\p{Lu}+)?`,
  'gu',
);
/** The name after a type-first street: capitalised, possibly after particles ("rue de la Paix"). */
const STREET_NAME = `(?:(?:de|du|des|la|le|l'|del|della|di|do|da|dos|das|van|von)\\s+)*\\p{Lu}[\\p{L}'’.-]*(?:\\s+[\\p{L}'’.-]+){0,4}?`;
/** A Spanish address without a house number: "s/n" (sin número) where the number would be ("Calle Real s/n"). */
const NO_NUMBER = String.raw`[sS]\/[nN](?![\p{L}])\.?`;
/** "Calle Mayor 5", "via Roma 10", "ul. Marszałkowska 1", "Rua Augusta, 27", "Travesía del Sol s/n". */
const TYPE_FIRST_LINE = new RegExp(
  `(?<![\\p{L}])(?:${anyCase(TYPE_FIRST)})\\.?\\s+${STREET_NAME}\\s*,?\\s*(?:(?:n[°º.]?\\s*)?\\d{1,4}[A-Za-z]?(?![\\d])|${NO_NUMBER})`,
  'gu',
);
/**
 * "12 rue de la Paix", "5, avenue Foch", and the same order with a Portuguese type and a five-digit number
 * ("93818 Alameda Franco, 84854-442 Nogueira do Sul": how generated and foreign-entered addresses print it).
 * The street ends at a comma, the line's end, or the middle dot or bar a label sets between an address's
 * parts ("312 Beco Helena·24511-300 Jardim do Sul": privacy-rules-20).
 */
const FRENCH_NUMBER_FIRST = new RegExp(
  `(?<![\\p{L}\\d])\\d{1,5}\\s*(?:bis|ter)?,?\\s+(?:${anyCase(TYPE_FIRST)})\\.?\\s+${STREET_NAME}(?=\\s*(?:[,·•|]|$))`,
  'gu',
);
/** "Musterstraße 12", "Keizersgracht 123", "Atatürk Caddesi 5". */
const SUFFIX_LINE = new RegExp(
  `(?<![\\p{L}])\\p{Lu}[\\p{L}-]*(?:${TYPE_SUFFIX}|${capitalisedOrUpper(TYPE_SUFFIX)})\\.?\\s*\\d{1,4}[A-Za-z]?(?![\\d])`,
  'gu',
);

/** "Opladener Platz 25", "Alte Gasse 3": the German type as a word of its own after an adjective. */
const SUFFIX_WORD_LINE = new RegExp(
  `(?<![\\p{L}])\\p{Lu}[\\p{L}-]*\\s+(?:${capitalisedOrUpper('straße|strasse|weg|allee|platz|gasse|damm|ufer|chaussee|ring|markt|steig|pfad')})\\.?\\s*\\d{1,4}[A-Za-z]?(?![\\d])`,
  'gu',
);

/**
 * "Atatürk Caddesi 5", "30 Ağustos Caddesi 10b", "Gül Sokak No: 4": the Turkish type as a word of its
 * own after the name, the house number after it. A street named for a date ("30 Ağustos", "19 Mayıs")
 * starts with the day's number, which goes with it (privacy-rules-17: retired held-out 26 and 27).
 */
const TURKISH_TYPE_WORD_LINE = new RegExp(
  `(?<![\\p{L}\\d])(?:\\d{1,2}\\s+)?(?:\\p{Lu}[\\p{L}'’.-]*\\s+){1,3}(?:${capitalisedOrUpper('caddesi|cad|cd|sokak|sokağı|sokagi|sok|sk|bulvarı|bulvari|bulvar')})\\.?\\s*(?:No\\s*[:.]?\\s*)?\\d{1,4}(?:\\s?[A-Za-z](?![\\p{L}]))?(?![\\d])`,
  'gu',
);

/**
 * A postcode-and-city line (or its tail): US state + ZIP, UK postcode, NL 1234 AB, PL 00-624,
 * 4-5 digit postcode then a city name; or the comma list of "Paddington, London, ...".
 */
const UK_POSTCODE = /(?<![A-Z0-9])[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?![A-Z0-9])/;
const POSTAL = [
  UK_POSTCODE,
  /(?<![A-Z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z0-9]{2})(?![A-Z0-9])/,
  /(?<!\d)\d{4}\s?[A-Z]{2}\s+\p{Lu}/u,
  /(?<!\d)\d{2}-\d{3}\s+\p{L}{3}/u,
  /(?<!\d)\d{4,5}\s+\p{Lu}\p{L}{2,}/u,
  /(?<!\d)\d{5}(?:-\d{4})?(?!\d)/,
];

function usStateZip(text: string): boolean {
  for (const m of text.matchAll(/(?<![A-Za-z])([A-Z]{2})[\s,]*\d{5}(?:-\d{4})?(?!\d)/g)) if (US_STATE_CODES.has(m[1]!)) return true;
  return false;
}

/** Whether a line reads as the postcode-and-city line under a street. */
export function isPostalLine(line: string): boolean {
  return [line, spacedView(line).text].some((t) => usStateZip(t) || POSTAL.some((p) => p.test(t)) || /\p{L},\s*\p{L}/u.test(t));
}

/**
 * Whether a line is a postcode-and-city line on its own (strict: for lines no street line precedes):
 * "10115 Berlin", "D-10115 Berlin", "1015 CJ Amsterdam", "00-624 Warszawa", "Redmond, WA 98052",
 * "London W2 6BD". The whole line must be that, so "Filled: 03/14/2024 Discard after" is not.
 */
export function hasPostcodeAndCity(line: string): boolean {
  // Glued by OCR ("10115Berlin", "1015CJAmsterdam"): the view puts the space back after the postcode.
  return (
    postcodeAndCity(line.trim()) ||
    postcodeFirst(spacedView(line).text.trim()) ||
    postcodeFirst(spacedView(townOReadAsZero(line.trim())).text.trim())
  );
}

/**
 * A town starting with O that OCR read with a zero, glued to the postcode before it ("901710viedo" for
 * "90171 Oviedo"; retired held-out 28): five or six digits, the last a 0, then three small letters. A
 * strength or a quantity glued to its unit has fewer digits or a shorter unit ("250mg", "100000IU").
 */
function townOReadAsZero(t: string): string {
  // The Polish 00-000 the same way ("28-1480sieczna" for "28-148 Osieczna"; retired held-out 33).
  return t.replace(/^(\d{4,5}|\d{2}-\d{3})0(?=\p{Ll}{3})/u, '$1O');
}

/** Postcode then town; the town may hold a digit OCR read for a letter ("Lug0"), it starts with a letter. */
function postcodeFirst(t: string): boolean {
  return (
    /^(?:[A-Z]{1,3}[- ])?\d{4,5}(?:\s?[A-Z]{2})?\s+\p{Lu}[\p{L}\d' .-]{2,30}$/u.test(t) ||
    // A US ZIP+4 before the town, as labels print it after the street ("76233-6338 Bergeborough").
    /^\d{5}-\d{4}\s+\p{Lu}[\p{L}\d' .-]{2,30}$/u.test(t) ||
    // A Polish postcode: its shape alone tells it, so the town may be read small ("32-919 teczyca" for
    // "Łęczyca": the reader lost the capital with its stroke; retired held-out 33).
    /^\d{2}-\d{3}\s+\p{L}[\p{L}\d' .-]{2,30}$/u.test(t) ||
    // A Brazilian CEP, five and three digits, before the town ("56470-908 Cauã do Norte"; retired held-out 28).
    /^\d{5}-\d{3}\s+\p{Lu}[\p{L}\d' .-]{2,30}$/u.test(t)
  );
}

function postcodeAndCity(t: string): boolean {
  return (
    postcodeFirst(t) ||
    // Town then postcode; four digits that read as a year after a word ("Valid 2025", "Since 1998")
    // date the card: that order writes its postcodes with five digits far more often than a year.
    (/^\p{Lu}[\p{L}' .-]{2,30},?\s+\d{4,5}$/u.test(t) && !/(?<!\d)(?:19|20)\d\d$/.test(t)) ||
    /^(?:\p{Lu}[\p{L}' .-]*,?\s*)?[A-Z]{2}[\s,]*\d{5}(?:-\d{4})?$/u.test(t) ||
    /^(?:\p{Lu}[\p{L}' .-]*,?\s*)?[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/u.test(t) ||
    // A UK postcode then the town ("CF5 0JI Upper Emmerichthorpe"); OCR reads its 0 and O either way.
    /^[A-Z]{1,2}\d[A-Z\d]?\s*[\dO][A-Z]{2}\s*\p{Lu}[\p{L}' .-]{2,30}$/u.test(t) ||
    // Glued: "Redmond,WA98052".
    /^(?:\p{Lu}[\p{L}' .-]*,?\s*)?[A-Z]{2}[\s,]*\d{5}(?:-\d{4})?$/u.test(t.replace(/(?<=[A-Z]{2})(?=\d{5})/g, ' '))
  );
}

function toSpan(view: TextView, from: number, to: number, lineLength: number, toEnd: boolean): Span {
  const [start, end] = originalRange(view, from, to);
  return { start, end: toEnd ? lineLength : end, kind: 'address' };
}

/** Post-office boxes ("PO Box 1234", "Postfach 10 20 30", "Apartado 55", "Postbus 123"). */
const PO_BOX =
  /(?<![\p{L}])(?:P\.?\s?O\.?\s?Box|Post\s?fach|Apartado(?:\s+de\s+correos)?|Casella\s+postale|Postbus|Boîte\s+postale|Skrytka\s+pocztowa|Caixa\s+postal)\s*\d[\d ]{0,10}\d?/giu;

/**
 * Street spans of a line. A street that has more after it on the line (city, state, postcode)
 * takes the rest of the line: OCR reads a card's address as one line as often as two.
 */
export function findStreets(line: string): Span[] {
  const view = spacedView(line);
  const spans: Span[] = [];
  const restIsAddress = (to: number): boolean => {
    const rest = view.text.slice(to);
    return /\S/.test(rest) && (isPostalLine(rest) || /^[\s,]*(?:\p{Lu}[\p{L}.-]*[\s,]*){1,4}$/u.test(rest));
  };

  // addressit: a house number and a street of capitalised words ending in a street type it knows.
  // It reads the line as printed (its own tokeniser knows "1st"); the view is for glued lines.
  // Its number is made of the words parseInt reads, so a line without an ASCII digit has none:
  // skipping the parse there changes nothing.
  const parsed = /[0-9]/.test(line) ? addressit(line) : null;
  if (parsed?.number && parsed.street) {
    const words = parsed.street.split(/\s+/);
    const at = line.indexOf(`${parsed.number}`);
    const streetAt = at >= 0 ? line.indexOf(words[0]!, at) : -1;
    const adjacent = streetAt >= 0 && !/\S/.test(line.slice(at + String(parsed.number).length, streetAt));
    if (adjacent && words.every((w) => /^(?:\p{Lu}|\d)/u.test(w)) && !/^\d+$/.test(words[0]!)) {
      const lastWord = words.at(-1)!;
      const endAt = line.indexOf(lastWord, streetAt) + lastWord.length;
      const rest = line.slice(endAt);
      const toEnd = /\S/.test(rest) && (isPostalLine(rest) || /^[\s,]*(?:\p{Lu}[\p{L}.-]*[\s,]*){1,4}$/u.test(rest));
      if (endAt > at) spans.push({ start: at, end: toEnd ? line.length : endAt, kind: 'address' });
    }
  }
  for (const m of line.matchAll(PO_BOX)) spans.push({ start: m.index, end: m.index + m[0].trimEnd().length, kind: 'address' });
  for (const pattern of [
    NUMBER_FIRST,
    NUMBER_THEN_TYPE,
    TYPE_FIRST_LINE,
    FRENCH_NUMBER_FIRST,
    SUFFIX_LINE,
    SUFFIX_WORD_LINE,
    TURKISH_TYPE_WORD_LINE,
  ]) {
    for (const m of view.text.matchAll(pattern)) {
      const end = m.index + m[0].length;
      spans.push(toSpan(view, m.index, end, line.length, restIsAddress(end)));
    }
  }
  return spans;
}

/** A house number: 1-5 digits, a letter or a range after it ("12", "36a", "12-14", "5 bis"). */
const HOUSE_NUMBER = String.raw`\d{1,5}(?:\s?[A-Za-z](?![\p{L}]))?(?:\s?[-/]\s?\d{1,4}[A-Za-z]?)?`;
/** Street words: capitalised or a particle ("Place de la Bûcherie", "Quinta Germán Briones Mayorga", "park Dróżdż"). */
const STREET_WORDS = String.raw`\p{L}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+){0,5}`;
const WORDS_THEN_NUMBER = new RegExp(String.raw`^${STREET_WORDS}\s*,?\s*(?:(?:n[°º.]?\s*)?${HOUSE_NUMBER}|${NO_NUMBER})$`, 'u');
const NUMBER_THEN_WORDS = new RegExp(String.raw`^${HOUSE_NUMBER}\s*,?\s*\p{Lu}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+){0,5}$`, 'u');

const YEAR = String.raw`(?:19|20)\d\d`;
const YEAR_OR_RANGE = String.raw`${YEAR}(?:\s?[-–/]\s?(?:${YEAR}|\d\d))?`;
const LAST_NUMBER_IS_YEAR = new RegExp(String.raw`(?<![\d/.-])${YEAR_OR_RANGE}$`, 'u');
const FIRST_NUMBER_IS_YEAR = new RegExp(String.raw`^${YEAR_OR_RANGE}(?![\d/.-])`, 'u');

/**
 * A line shaped like a street line in any of the orders Europe writes them, with or without a street
 * type this module knows: words and a house number ("Im Rottland 20", "Samueldijk 489c", "park
 * Dróżdż 78"), or a house number and words ("2 Place de la Bûcherie"). Only where a document prints
 * its holder's address (the caller's policy): elsewhere a product name and a number read the same.
 */
export function isStreetShapedLine(line: string): boolean {
  const text = spacedView(line).text.trim();
  if (!/\p{L}{2}/u.test(text) || /[:@+#]/.test(text)) return false;
  // A year or a range of years after words ("Valid 2025", "Season 2024 - 2025", "Since 1998") dates
  // the card; a street shaped only by words and a number does not number its houses that way.
  if (LAST_NUMBER_IS_YEAR.test(text) || FIRST_NUMBER_IS_YEAR.test(text)) return false;
  return WORDS_THEN_NUMBER.test(text) || NUMBER_THEN_WORDS.test(text);
}

/**
 * A whole address on one line: a street with its house number, a comma, then the postcode and town
 * ("764 Aletha Wood, BR1 9IL Dibbertton", "Mercado Pilar 6, 23850 Almería", "ul. Wasiak 90a, 01-355
 * Szamocin"). The postcode-and-town part decides; the street before it must hold a number.
 */
export function isOneLineAddress(line: string): boolean {
  // The comma, or the dot OCR reads for it between the house number and the postcode
  // ("Viragf6ter2.5067 Edde": "Virág főtér 2, 5067 Edde" glued; privacy-rules-9).
  // The house number before the dot follows a letter or a space: "12.03.1990 Berlin" is a date's.
  const dot = /(?<=(?:^|[\p{L}\s])\d{1,4}[a-z]?)\.(?=\s?\d{4,5}\s)/u.exec(line);
  const comma = line.includes(',') ? line.lastIndexOf(',') : (dot?.index ?? -1);
  if (comma < 0) return false;
  const street = line.slice(0, comma);
  const last = line.slice(comma + 1).trim();
  const numbered = /\d/.test(street) || new RegExp(`\\s${NO_NUMBER}\\s*$`, 'u').test(street);
  return numbered && /\p{L}{2}/u.test(street) && (hasPostcodeAndCity(last) || usStateZip(last));
}

/** Particles between a type-first street word and the street's name ("Rua das Flores", "rue de la Paix"). */
const STREET_PARTICLES = 'de|du|des|la|le|l|del|della|di|do|da|dos|das|van|von|dei|degli';
/** A type-first street word glued to its name and house number: "RuadasFlores123", "CalleMayor5", "ul.Polna12". */
const GLUED_TYPE_FIRST = new RegExp(
  `^(?:${anyCase(TYPE_FIRST)})\\.?(?:(?:${STREET_PARTICLES})(?=\\p{Lu}))*\\p{Lu}[\\p{L}'’.-]{2,}[,.]?(?:n[°º.]?)?\\d{1,5}(?![\\d])`,
  'u',
);
/** A house number glued to a name and an English street type: "221BBakerStreet", "4001MapleAve". */
const GLUED_NUMBER_FIRST = new RegExp(
  `^\\d{1,5}[A-Z]?\\p{Lu}[\\p{L}'’.-]{2,}?(?:${capitalisedOrUpper(STREET_TYPES_EN)})\\.?(?![\\p{Ll}])`,
  'u',
);
/** A name glued to a suffix street type and a house number: "Lindenstraße12", "Keizersgracht123". */
const GLUED_SUFFIX = new RegExp(`^\\p{Lu}[\\p{L}-]{2,}?(?:${TYPE_SUFFIX}|${capitalisedOrUpper(TYPE_SUFFIX)})\\.?,?\\d{1,5}(?![\\d])`, 'u');

/**
 * Street lines OCR glued into one token, spaces lost: a house number glued to a street word of the
 * vocabulary's languages (type-first, suffix, or English after the number). The rest of the token
 * (the district, the town) goes with it. Only on personal texts: the caller decides.
 */
export function findGluedStreets(line: string): Span[] {
  const spans: Span[] = [];
  for (const m of line.matchAll(/\S{8,}/g)) {
    const token = m[0];
    if (!/\d/.test(token) || !/\p{L}{3}/u.test(token)) continue;
    if (GLUED_TYPE_FIRST.test(token) || GLUED_NUMBER_FIRST.test(token) || GLUED_SUFFIX.test(token)) {
      spans.push({ start: m.index, end: m.index + token.length, kind: 'address' });
    }
  }
  return spans;
}

/**
 * Where a line joins an address's parts: a bar, a middle dot or a bullet, a spaced dash, a comma, or
 * a dash glued between a house number (or the street's last letter) and a postcode with its town
 * ("Petőfi utca 12-6720 Szeged", "ulica Lipowa 7a-00-950 Warszawa").
 */
const PART_JOINER = /\s*[|·•]\s*|\s+[-–]\s+|,\s*|(?<=(?:^|[\s\p{L}])\d{1,4}[a-z]?|\p{Ll})[-–](?=(?:\d{2}-\d{3}|\d{4,5})\s?\p{Lu})/gu;

/**
 * An address whose parts a label joins on one line ("14 Mill Lane·LS6 2QB Headingley·0113 496 0123",
 * "552 1st Avenue|98101 Seattle|(206) 555-0101", "Calle Mayor 5-28013 Madrid"): the line
 * cut at its joiners, each part that is a postcode and town on its own, with the part before it when
 * that holds a house number (a digit) and a word: the street, however OCR glued or garbled it. A part
 * after them (a phone) is left to its own rules. A four-digit "postcode" that reads as a year
 * ("Lot 12 - 2024 Edition") is none. Only where the caller knows the text is someone's (a label's
 * pharmacy, a tag's owner): a shop's receipt prints its own address the same way.
 */
export function findJoinedAddress(line: string): Span[] {
  const parts: Array<[number, number]> = [];
  let at = 0;
  for (const m of line.matchAll(PART_JOINER)) {
    if (m[0].length === 0) continue;
    parts.push([at, m.index]);
    at = m.index + m[0].length;
  }
  parts.push([at, line.length]);
  const spans: Span[] = [];
  for (let j = 1; j < parts.length; j++) {
    const [from, to] = parts[j]!;
    const postal = line.slice(from, to).trim();
    if (/^(?:19|20)\d\d(?!\d)/.test(postal) || !(hasPostcodeAndCity(postal) || usStateZip(postal))) continue;
    const [streetFrom, streetTo] = parts[j - 1]!;
    const street = line.slice(streetFrom, streetTo);
    if (!/\d/.test(street) || !/\p{L}{2}/u.test(street)) continue;
    const start = streetFrom + (/^\s*/.exec(street)?.[0].length ?? 0);
    spans.push({ start, end: from + line.slice(from, to).trimEnd().length, kind: 'address' });
  }
  return spans;
}
