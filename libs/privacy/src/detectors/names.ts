/**
 * People's names: after a label (Name, Surname, Given names, Property of, Owner, Signature,
 * Holder, Passenger, Patient... in the languages of field-labels.ts), after an honorific (Dr, Mrs,
 * Herr, Mme, Sra...), and in running text with compromise's people() (its lexicon of first and last
 * names), each read through the glue-tolerant view so "PropertyofChrisSmith" and "ChrisSmith" are
 * found. Known names (from the MRZ, an e-mail's local part, a labelled field anywhere in the text)
 * are redacted wherever else they appear. Pure.
 */
import nlp from 'compromise';
import { memo } from '../memo.js';
import type { Span } from '../spans.js';
import { originalRange, spacedView } from '../text-view.js';
import { NAME_PARTICLES } from '../vocabulary/name-particles.js';
import { isPlaceName } from '../vocabulary/places.js';
import { findPrinted, isGarbledPrintedWord, isPrintedWord, namesAFirm } from '../vocabulary/printed-words.js';

/** Titles before a name, as documents and labels print them. */
export const HONORIFICS =
  'Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\\.ra|Dott|Dott\\.ssa|Dhr|Mevr|Pan|Pani|Bay|Bayan|Sir|Dame|Rev';
/** An honorific then one to three capitalised words ("Dr. Avery Smith", "Mrs J. Doe"). */
const HONORIFIC_NAME = new RegExp(
  `(?<![\\p{L}])(?:${HONORIFICS})(?:\\.\\s*|\\s+)(\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}\\.?(?![\\p{Ll}]))?(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2})`,
  'gu',
);

const ROMAN = /^[IVXLC]+$/;
/** Model-name words compromise takes for first names ("iPhone 12 Pro Max", "Galaxy Note"). */
const PRODUCT_WORDS = new Set([
  'pro',
  'max',
  'mini',
  'plus',
  'ultra',
  'air',
  'lite',
  'note',
  'edge',
  'studio',
  'series',
  'edition',
  'prime',
  'neo',
  'go',
]);

/** Whether a value read after a label is a plausible name: 1..5 capitalised words, letters only, no printed wording. */
export const looksLikeName = memo(looksLikeNameOnce);

function looksLikeNameOnce(value: string): boolean {
  const v = spacedView(value).text.replace(/[/,]/g, ' ').trim();
  if (!/^\p{L}[\p{L}'’.\- ]{0,58}$/u.test(v)) return false;
  // Lower-case particles of names ("de Vries", "van der Berg", "da Silva") count as part of them.
  const words = v.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !NAME_PARTICLES.has(w.toLowerCase()));
  if (words.length === 0 || words.length > 5) return false;
  // Names are capitalised on documents and cards; "Name brands at low prices" is prose.
  if (!words.every((w) => /^\p{Lu}/u.test(w))) return false;
  if (!/\p{L}{2}/u.test(v)) return false;
  // A field label or printed wording is not a name ("Identification", "Date of birth", "BLUE CROSS").
  if (words.some((w) => w.length > 1 && (isPrintedWord(w) || isPlaceName(w) || isGarbledPrintedWord(w)))) return false;
  return !findPrinted(v).some(
    (m) =>
      (m.start === 0 || v[m.start - 1] === ' ') &&
      (m.end === v.length || v[m.end] === ' ') &&
      !NAME_PARTICLES.has(v.slice(m.start, m.end).toLowerCase()),
  );
}

/** A device named after its owner, as phones and laptops name themselves ("Chris's iPhone", "Anna Smith’s MacBook Pro"). */
const DEVICE_OWNER = new RegExp(
  `(\\p{Lu}[\\p{Ll}'-]+(?:\\s+\\p{Lu}[\\p{Ll}'-]+)?)['’]s\\s*(?:iPhone|iPad|iPod|MacBook|iMac|Mac|AirPods|Apple\\s*Watch|Watch|Galaxy|Pixel|Phone|Laptop|PC|Kindle|Tablet|Headphones|Buds)`,
  'gu',
);

/** Owners' names in device names: the device stays, the name goes. */
export function findDeviceOwnerNames(line: string): Span[] {
  const view = spacedView(line);
  const spans: Span[] = [];
  for (const m of view.text.matchAll(DEVICE_OWNER)) {
    const [start, end] = originalRange(view, m.index, m.index + m[1]!.length);
    spans.push({ start, end, kind: 'name' });
  }
  return spans;
}

/** Whether a single word, in any casing, is a first name compromise's lexicon knows ("Aisha", "LIAM"). */
export const isFirstName = memo((word: string): boolean => {
  if (!/^\p{L}{2,}$/u.test(word)) return false;
  return nlp(word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).has('#FirstName');
});

/** Whether a single word, in any casing, is a first name or a surname compromise's lexicon or its suffix rules know ("Sanchez", "WEBER"). */
export const isKnownNameWord = memo((word: string): boolean => {
  if (!/^\p{L}{2,}$/u.test(word)) return false;
  return nlp(word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).has('(#FirstName|#LastName)');
});

/**
 * Whether an upper-case run glues a first name to more letters ("OLIVERPETERS"): compromise's lexicon
 * knows the first name. Drug and brand names rarely start with one ("AMOXICILLIN").
 */
export const startsWithFirstName = memo((word: string): boolean => {
  if (!/^\p{Lu}{6,}$/u.test(word)) return false;
  // A first name of 4+ letters and a surname of 4+ letters: shorter heads ("SAM" of "SAMSONITE") are too common inside words.
  for (let i = word.length - 4; i >= 4; i--) {
    const head = word.slice(0, i);
    if (nlp(head.charAt(0) + head.slice(1).toLowerCase()).has('#FirstName')) return true;
  }
  return false;
});

/**
 * Endings of the WHO's International Nonproprietary Names (the stems drug names are built on):
 * a prescription label prints its drug in capitals as often as its patient.
 */
const DRUG_STEM =
  /(?:CILLIN|MYCIN|MICIN|CYCLINE|FLOXACIN|AZOLE|PRAZOLE|TIDINE|PRIL|SARTAN|OLOL|ALOL|DIPINE|STATIN|FORMIN|GLIPTIN|GLITAZONE|GLIFLOZIN|LUKAST|TADINE|TRIPTAN|SETRON|OXETINE|PRAMINE|AZEPAM|AZOLAM|BARBITAL|CAINE|PROFEN|FENAC|COXIB|MAB|TINIB|VIR|VUDINE|THIAZIDE|SEMIDE|PARIN|XABAN|GATRAN|SONE|OLONE|TEROL|TROPIUM|DRONATE|RELIN|PAMIL|ZOSIN|ZEPINE|APINE|IDONE|PERIDOL|AMINE|PHYLLINE|THYROXINE|OPRAM|ETINE|PRAZOLE|IZINE|ADOL|CODONE|MORPHONE|CETAMOL|AMOL|SULFA\w*)$/;

/**
 * A glued run of capitals that is a person's name on a card ("KAYLISCHAMBERGER"): eight letters or
 * more, no printed wording, place or drug. Shorter runs are too often codes and words.
 */
export function looksLikeGluedName(word: string): boolean {
  return (
    /^\p{Lu}{8,}$/u.test(word) &&
    !isPrintedWord(word) &&
    !isPlaceName(word) &&
    !isGarbledPrintedWord(word) &&
    !findPrinted(word).some((m) => m.end - m.start >= 5) &&
    !DRUG_STEM.test(word)
  );
}

/** Honorific names: the honorific stays, the name goes. */
export function findHonorificNames(line: string): Span[] {
  const view = spacedView(line);
  const spans: Span[] = [];
  for (const m of view.text.matchAll(HONORIFIC_NAME)) {
    const name = m[1]!;
    const at = m.index + m[0].length - name.length;
    const [start, end] = originalRange(view, at, at + name.length);
    spans.push({ start, end, kind: 'name' });
  }
  return spans;
}

/**
 * compromise's people() over the view of a line: two or more capitalised words, one of which its
 * lexicon knows as a first name, last name or honorific ("Mark IV" and "Pro Max" are not people).
 */
export function findPersonNames(line: string): Span[] {
  // compromise costs a parse per line: only lines with two capitalised words can hold a person.
  if ((spacedView(line).text.match(/(?<!\p{L})\p{Lu}/gu) ?? []).length < 2) return [];
  return personNames(line).map((s) => ({ ...s }));
}

const personNames = memo(findPersonNamesOnce, 1024);

function findPersonNamesOnce(line: string): Span[] {
  // A firm's name is made of people's names ("Ponce Zaragoza e Hijos"): it is no one's.
  if (namesAFirm(line)) return [];
  const view = spacedView(line);
  const printed = findPrinted(view.text);
  const spans: Span[] = [];
  for (const person of nlp(view.text).people().json({ offset: true }) as PersonJson[]) {
    const terms = [...person.terms];
    // A surname its lexicon knows after a first name it does not ("Giulia Rossi", "Kenji Tanaka"):
    // the capitalised word before it is the first name.
    const firstTerm = terms[0];
    if (terms.length === 1 && firstTerm?.tags.includes('LastName')) {
      const before = /(\p{Lu}\p{Ll}{2,}|\p{Lu}{3,})\s+$/u.exec(view.text.slice(0, firstTerm.offset.start));
      if (before?.[1] && !isPrintedWord(before[1]) && !isPlaceName(before[1])) {
        terms.unshift({ text: before[1], tags: ['FirstName'], offset: { start: before.index, length: before[1].length } });
      }
    }
    const words = terms.filter((t) => !NAME_PARTICLES.has(t.text));
    if (words.length < 2) continue;
    if (terms.some((t) => CONJUNCTIONS.has(t.text.toLowerCase()))) continue;
    if (!words.every((t) => /^\p{Lu}/u.test(t.text) && !/\d/.test(t.text))) continue;
    if (terms.some((t) => (ROMAN.test(t.text) && t.text.length <= 4) || PRODUCT_WORDS.has(t.text.toLowerCase()))) continue;
    // Its lexicon knows a first or last name among the words ("Gare du Nord" is a place, not a person).
    if (!words.some((t) => t.tags.some((g) => g === 'FirstName' || g === 'LastName' || g === 'Honorific'))) continue;
    if (words.some((t) => t.text.length > 1 && (isPrintedWord(t.text) || isPlaceName(t.text)) && !t.tags.includes('Honorific'))) continue;
    // A word of a printed phrase ("Eigendom van", "Dowód osobisty", "Permis de conduire") is no name's.
    if (
      terms.some(
        (t) => !t.tags.includes('Honorific') && printed.some((p) => p.start < t.offset.start + t.text.length && t.offset.start < p.end),
      )
    ) {
      continue;
    }
    const first = terms.find((t) => !t.tags.includes('Honorific')) ?? terms[0]!;
    const last = terms.at(-1)!;
    const from = first.offset.start;
    const to = last.offset.start + last.text.length;
    if (namesAPlace(view.text, to)) continue;
    const [start, end] = originalRange(view, from, to);
    spans.push({ start, end, kind: 'name' });
  }
  return spans;
}

/**
 * Words that make the capitalised words before them a place named after someone ("Adolfo Suárez
 * Madrid-Barajas Airport", "John F. Kennedy International", "Gare Jean Jaurès" aside): the person's
 * name there is the place's, and a place is no one's personal data.
 */
const FACILITY = new RegExp(
  String.raw`^(?:[\s-]+\p{Lu}[\p{L}'’.-]*){0,3}[\s-]+(?:` +
    'Airport|International|Intl|Aeroporto|Aeropuerto|Aéroport|Aeroport|Flughafen|Lotnisko|Havalimanı|Luchthaven|' +
    'Station|Bahnhof|Gare|Estación|Stazione|Dworzec|University|Universität|Université|Universidad|Università|Universiteit|' +
    'Hospital|Krankenhaus|Klinikum|Hôpital|Ospedale|Ziekenhuis|Szpital|School|Schule|Gymnasium|École|Ecole|Escuela|' +
    'Scuola|College|Institute|Institut|Instituto|Istituto|Stadium|Stadion|Estadio|Stadio|Centre|Center|Zentrum|Centro|' +
    'Bridge|Brücke|Pont|Puente|Ponte|Museum|Musée|Museo|Library|Bibliothek|Church|Kirche|Église|Iglesia|Chiesa|Kerk|' +
    'Cathedral|Dom|Hall|Park|Square|Platz|Plaza|Piazza|Street|Straße|Strasse|Avenue|Road|Boulevard|Foundation|Stiftung' +
    String.raw`)(?![\p{Ll}])`,
  'iu',
);

/**
 * Words that join names into a firm's ("Sanford, Auer and Hermann", "Delatorre Olivera y Cavazos"):
 * one person's name has none of them (a Spanish "y" between surnames is rare on cards).
 */
export const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'und', 'y', 'e', 'et', 'en', 'i', 've', 'og', 'och', '&']);

/** A capitalised word of a firm's list of partners' names ("Barros", "O'Neill", "Kulas-Schinner"). */
const PARTNER = String.raw`\p{Lu}[\p{L}'’-]+`;
const PARTNERSHIP = new RegExp(String.raw`^\s*${PARTNER}(?:,\s*${PARTNER})+,?\s+(\S+)\s+${PARTNER}\s*$`, 'u');

/**
 * Whether a line names a partnership: a comma list of surnames, the last joined by a conjunction
 * ("Barros, Batista e Carvalho", "Sanford, Auer and Hermann"): how firms of partners are named; one
 * person's name is no such list (privacy-rules-20).
 */
export function namesAPartnership(line: string): boolean {
  const m = PARTNERSHIP.exec(line);
  return !!m && CONJUNCTIONS.has(m[1]!.toLowerCase());
}

/** Whether the words after a view offset make a name there part of a place's ("... Airport"). */
function namesAPlace(viewText: string, end: number): boolean {
  return FACILITY.test(viewText.slice(end));
}

/**
 * The rest of a name a rule found part of: the capitalised words (and name particles) that run on
 * from a name on the same line, read through the view ("Valerico Cassiano Bruni" when the e-mail
 * spelled two of them, "LIMÓN SALDAÑA" when the lexicon knew one). A run stops at printed wording,
 * a place, a digit, punctuation or a placeholder, and at five words; a run that ends in a facility
 * ("... Airport") is a place's name and is not widened.
 */
export function widenNames(line: string, spans: readonly Span[]): Span[] {
  const names = spans.filter((s) => s.kind === 'name');
  if (names.length === 0 || namesAFirm(line)) return [];
  const view = spacedView(line);
  const words = [...view.text.matchAll(/\p{L}[\p{L}'’.-]*/gu)].map((m) => {
    const [start, end] = originalRange(view, m.index, m.index + m[0].length);
    return { text: m[0], viewStart: m.index, viewEnd: m.index + m[0].length, start, end };
  });
  // Printed phrases of the line ("Eigendom van"), through the view so glued ones count.
  const printed = findPrinted(view.text);
  const inPrinted = (w: (typeof words)[number]): boolean => printed.some((p) => p.start < w.viewEnd && w.viewStart < p.end);
  // A particle is printed wording on its own ("der"); only a longer phrase ("Eigendom van") claims it.
  const inPrintedPhrase = (w: (typeof words)[number]): boolean =>
    printed.some((p) => p.start < w.viewEnd && w.viewStart < p.end && p.end - p.start > w.viewEnd - w.viewStart);
  const nameWord = (w: (typeof words)[number]): boolean =>
    /^\p{Lu}/u.test(w.text) &&
    !inPrinted(w) &&
    !NAME_PARTICLES.has(w.text.toLowerCase()) &&
    line[w.start - 1] !== '[' &&
    !(w.text.length > 1 && (isPrintedWord(w.text) || isPlaceName(w.text) || isGarbledPrintedWord(w.text)));
  const out: Span[] = [];
  let run: typeof words = [];
  const particle = (w: (typeof words)[number]): boolean => NAME_PARTICLES.has(w.text.toLowerCase());
  const flush = (): void => {
    // A run may open with particles ("VAN LEEUWEN", "de la Cruz"), never end with one.
    while (run.length && !nameWord(run.at(-1)!)) run.pop();
    const first = run[0];
    const last = run.at(-1);
    const count = run.filter(nameWord).length;
    if (first && last && run.length >= 2 && count <= 5 && !namesAPlace(view.text, last.viewEnd)) {
      if (names.some((n) => n.start < last.end && first.start < n.end)) out.push({ start: first.start, end: last.end, kind: 'name' });
    }
    run = [];
  };
  // A name keeps one case on a line: "ANGEL BROWN Premera Dental" is a name and then a plan (two columns read as one line).
  const caps = (w: (typeof words)[number]): boolean | undefined =>
    w.text.replace(/[^\p{L}]/gu, '').length < 2 || particle(w) ? undefined : !/\p{Ll}/u.test(w.text);
  let runCaps: boolean | undefined;
  for (const w of words) {
    const prev = run.at(-1);
    const style = caps(w);
    const joined =
      prev &&
      /^[\s-]*$/.test(view.text.slice(prev.viewEnd, w.viewStart)) &&
      !/\d/.test(line.slice(prev.end, w.start)) &&
      (style === undefined || runCaps === undefined || style === runCaps);
    if (!joined) {
      flush();
      runCaps = undefined;
    }
    if (style !== undefined && nameWord(w)) runCaps ??= style;
    if (nameWord(w) || (particle(w) && !inPrintedPhrase(w) && !CONJUNCTIONS.has(w.text.toLowerCase()))) run.push(w);
    else flush();
  }
  flush();
  return out;
}

interface PersonJson {
  terms: Array<{ text: string; tags: string[]; offset: { start: number; length: number } }>;
}

/**
 * Every occurrence of a known name part: whole words of the view (so "ChrisSmith" yields both), and
 * the stubs OCR leaves at a card's edge ("smi" of "smith"). Case-insensitive.
 */
export function findKnownNames(line: string, known: ReadonlySet<string>): Span[] {
  if (known.size === 0) return [];
  const names = [...known].map((n) => n.toLowerCase());
  const view = spacedView(line);
  const spans: Span[] = [];
  for (const m of view.text.matchAll(/\p{L}{3,}/gu)) {
    const w = m[0].toLowerCase();
    if (names.some((n) => n === w || (n.length >= 5 && w.length >= 3 && n.startsWith(w)))) {
      const [start, end] = originalRange(view, m.index, m.index + m[0].length);
      spans.push({ start, end, kind: 'name' });
      continue;
    }
    // Glued runs that hold known names of 4+ letters ("ANNAMARIAERIKSSONHOLDER").
    if (w.length <= 6) continue;
    for (const n of names) {
      if (n.length < 4) continue;
      for (let at = w.indexOf(n); at >= 0; at = w.indexOf(n, at + n.length)) {
        const [start, end] = originalRange(view, m.index + at, m.index + at + n.length);
        spans.push({ start, end, kind: 'name' });
      }
    }
  }
  return spans;
}

/**
 * The parts of a name worth remembering (3+ letters). Particles ("van", "der", "de la") are part of
 * many names and of ordinary wording ("Koninkrijk der Nederlanden"): alone they name nobody.
 */
export function nameParts(value: string): string[] {
  return spacedView(value)
    .text.split(/[^\p{L}'’-]+/u)
    .filter((p) => (p.match(/\p{L}/gu) ?? []).length >= 3 && !NAME_PARTICLES.has(p.toLowerCase()));
}
