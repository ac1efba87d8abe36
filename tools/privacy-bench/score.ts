/**
 * Scoring of one image: which personal strings leaked into what the service published, which
 * non-personal words it withheld although the OCR read them. Pure: plain data in, plain data out.
 *
 * Comparison: every text is normalised (NFKD, diacritics dropped, ß → ss, lower case, then every
 * character that is not a letter or a digit removed), so spaces, punctuation and the PP-OCRv4
 * recogniser's glued words do not matter. Redaction markers (`[NAME]`, `[DATE_OF_BIRTH]`, ...: a
 * bracketed run of capitals and underscores) are removed first, so a marker never counts as a word.
 *
 * Leaked (strict), per published line or sensitive identifier:
 * - name, place_of_birth: any of its tokens of >= 3 letters occurs as a word or inside a published
 *   token, unless that occurrence lies inside a longer non-personal word of the same image (a
 *   surname `Nom` inside the label `Nom`/`Nomination` does not count).
 * - date_of_birth, date: its day, month and year appear together in one published line in any format:
 *   as separate numbers or month names of any of the benchmark's languages (`12 MAR/MARS 85`,
 *   `12.03.1985`, `1985-03-12`, `03/12/1985`, `12MAR85`), or glued as one run of digits (`120385`,
 *   `19850312`, MRZ `850312`). A date printed without a day (card expiry `08/27`) leaks when month and
 *   year appear together.
 * - address (a street line): any of its words of >= 4 letters that is not a street-type word
 *   (street, straße, rue, via, calle, ...) occurs as for names; or its house number and a street word.
 * - postcode: the postcode (>= 4 characters) appears.
 * - email: its whole local part (before @) appears (the company domain is not personal: a website
 *   repeats it; a name inside the local part is scored as the name).
 * - mrz: any 10 consecutive characters of the line (fillers `<` removed by normalisation) appear.
 * - numbers (document, card, member, Rx, ticket, phone, IBAN, booking reference, serial, IMEI):
 *   min(6, length) consecutive characters of the value appear.
 * - a raw identifier value (not a hash) among the published sensitive identifiers leaks as well,
 *   by the same number rule: they may leave only as keyed hashes.
 *
 * Over-redacted: a non-personal word (a token of >= 3 letters/digits of a `words` string, not also
 * part of a personal string of the image) that occurs in the raw reading but in no published line
 * (an occurrence inside a longer word of the image, `nom` in `prenoms`, is not one).
 * A word the OCR never read is an OCR miss, not over-redaction; text recall reports those.
 */
import type { CalendarDate, ImageTruth, PersonalCategory, PersonalString } from './ground-truth.js';
import { MONTHS, MONTH_NAMES_EN } from './locales.js';

export function normalise(text: string): string {
  return stripMarkers(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[łŁ]/g, 'l')
    .replace(/[ıİ]/g, 'i')
    .replace(/[øØ]/g, 'o')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function stripMarkers(text: string): string {
  return text.replace(/\[[A-Z_]+\]/g, ' ');
}

/** Lower case, accents dropped, separators kept (date parsing needs the runs). */
function folded(text: string): string {
  return stripMarkers(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[łŁ]/g, 'l')
    .replace(/[ıİ]/g, 'i')
    .toLowerCase();
}

export interface Published {
  /** Every published line (the full text is these lines joined). */
  lines: string[];
  /** Sensitive identifiers as published (values should be hashes). */
  identifiers: Array<{ kind: string; value: string }>;
}

export interface PersonalResult {
  category: PersonalCategory;
  value: string;
  leaked: boolean;
  /** Where it leaked: the published line (or `identifier:<kind>`). */
  where?: string;
}

export interface ImageScore {
  id: string;
  personal: PersonalResult[];
  /** Non-personal words: printed, read by the OCR, and published. */
  words: Array<{ word: string; read: boolean; published: boolean }>;
}

/** Street-type words: printed in every address, so they identify nobody. */
const STREET_WORDS = new Set(
  (
    'street road avenue lane drive court place grove close way square terrace crescent gardens park ' +
    'strasse str weg allee platz gasse ring damm chaussee rue boulevard chemin impasse ' +
    'calle avenida plaza paseo camino carrer via viale piazza corso strada vicolo largo straat laan plein gracht kade singel ' +
    'ulica aleja droga osiedle rua travessa rodovia alameda praca caddesi sokak sokagi mahallesi bulvari apt suite unit flat'
  ).split(' '),
);

const wordsOf = (text: string): string[] =>
  folded(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Occurrences of `needle` in `hay` that no longer non-personal word of the image covers. */
function occursUncovered(hay: string, needle: string, cover: readonly string[]): boolean {
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const covered = cover.some((w) => {
      if (w.length <= needle.length) return false;
      for (let c = hay.indexOf(w); c >= 0; c = hay.indexOf(w, c + 1)) if (c <= at && c + w.length >= at + needle.length) return true;
      return false;
    });
    if (!covered) return true;
  }
  return false;
}

function windows(value: string, size: number): string[] {
  if (value.length <= size) return value ? [value] : [];
  return Array.from({ length: value.length - size + 1 }, (_, i) => value.slice(i, i + size));
}

/** Every way a month can be printed in the benchmark's languages (folded, no accents). */
function monthForms(month: number): Set<string> {
  const forms = new Set<string>();
  for (const list of Object.values(MONTHS)) forms.add(normalise(list[month - 1]!));
  forms.add(normalise(MONTH_NAMES_EN[month - 1]!));
  return forms;
}

function digitForms(d: CalendarDate): string[] {
  const dd = String(d.day).padStart(2, '0');
  const mm = String(d.month).padStart(2, '0');
  const yyyy = String(d.year);
  const yy = yyyy.slice(2);
  if (d.day === 0) return [`${mm}${yy}`, `${mm}${yyyy}`, `${yyyy}${mm}`];
  return [`${dd}${mm}${yyyy}`, `${mm}${dd}${yyyy}`, `${yyyy}${mm}${dd}`, `${dd}${mm}${yy}`, `${yy}${mm}${dd}`, `${mm}${dd}${yy}`];
}

/** Day, month and year of `d` together in one line, in any format. */
export function dateLeaks(line: string, d: CalendarDate): boolean {
  const f = folded(line);
  const digits = f.replace(/[^0-9]/g, '');
  if (digitForms(d).some((form) => digits.includes(form))) return true;
  const numbers = (f.match(/\d+/g) ?? []).map((n) => ({ text: n, value: Number(n) }));
  const letters = f.match(/[a-z]+/g) ?? [];
  const months = monthForms(d.month);
  const monthByName = letters.some((l) => months.has(l));
  // Try every number that could be the year: a two-digit year may equal the day (12.03.12).
  for (let yearIdx = 0; yearIdx < numbers.length; yearIdx++) {
    const y = numbers[yearIdx]!;
    if (!(y.text === String(d.year) || (y.text.length === 2 && y.value === d.year % 100))) continue;
    const rest = numbers.filter((_, i) => i !== yearIdx);
    if (d.day === 0) {
      if (monthByName || rest.some((n) => n.value === d.month && n.text.length <= 2)) return true;
      continue;
    }
    const dayIdx = rest.findIndex((n) => n.value === d.day && n.text.length <= 2);
    if (dayIdx < 0) continue;
    if (monthByName || rest.some((n, i) => i !== dayIdx && n.value === d.month && n.text.length <= 2)) return true;
  }
  return false;
}

function nameTokens(value: string, min: number): string[] {
  return wordsOf(value)
    .map(normalise)
    .filter((t) => t.length >= min && /[a-z]/.test(t));
}

/** Whether one personal string leaked into one published line (see the module header). */
export function leaksInto(p: PersonalString, line: string, cover: readonly string[]): boolean {
  const hay = normalise(line);
  if (!hay) return false;
  const value = normalise(p.value);
  switch (p.category) {
    case 'name':
    case 'place_of_birth':
      return nameTokens(p.value, 3).some((t) => occursUncovered(hay, t, cover));
    case 'date_of_birth':
    case 'date':
      return p.date ? dateLeaks(line, p.date) : hay.includes(value);
    case 'address': {
      const words = wordsOf(p.value).map(normalise);
      const distinctive = words.filter((w) => w.length >= 4 && /^[a-z]+$/.test(w) && !STREET_WORDS.has(w));
      if (distinctive.some((w) => occursUncovered(hay, w, cover))) return true;
      return value.length >= 4 && hay.includes(value);
    }
    case 'postcode':
      return value.length >= 4 && hay.includes(value);
    case 'email': {
      const local = normalise(p.value.split('@')[0] ?? '');
      return local.length >= 3 && hay.includes(local);
    }
    case 'mrz':
      return windows(value, 10).some((w) => hay.includes(w));
    default:
      return windows(value, 6).some((w) => hay.includes(w));
  }
}

/** Non-personal tokens worth scoring: >= 3 characters, not also part of a personal string. */
export function scoredWords(truth: Pick<ImageTruth, 'words' | 'personal'>): string[] {
  const personalTokens = new Set(truth.personal.flatMap((p) => wordsOf(p.value).map(normalise)));
  const personalJoined = truth.personal.map((p) => normalise(p.value));
  const out = new Set<string>();
  for (const w of truth.words.flatMap(wordsOf).map(normalise)) {
    if (w.length < 3 || personalTokens.has(w) || personalJoined.some((p) => p.includes(w))) continue;
    out.add(w);
  }
  return [...out];
}

export function scoreImage(truth: Pick<ImageTruth, 'id' | 'words' | 'personal'>, raw: readonly string[], published: Published): ImageScore {
  const cover = [...new Set(truth.words.flatMap(wordsOf).map(normalise))].filter((w) => w.length >= 3);
  const personal = truth.personal.map((p): PersonalResult => {
    const line = published.lines.find((l) => leaksInto(p, l, cover));
    if (line !== undefined) return { category: p.category, value: p.value, leaked: true, where: line };
    const id = published.identifiers.find((i) => leaksInto({ ...p, category: numberCategory(p.category) }, i.value, []));
    if (id) return { category: p.category, value: p.value, leaked: true, where: `identifier:${id.kind}` };
    return { category: p.category, value: p.value, leaked: false };
  });
  const rawNorm = raw.map(normalise);
  const pubNorm = published.lines.map(normalise);
  // A short word inside a longer word of the same image (`nom` in `prenoms`) is that longer word.
  const words = scoredWords(truth).map((word) => {
    const read = rawNorm.some((l) => occursUncovered(l, word, cover));
    const pub = pubNorm.some((l) => occursUncovered(l, word, cover));
    return { word, read, published: pub };
  });
  return { id: truth.id, personal, words };
}

/** Identifier values are compared as numbers whatever their category (they are never names). */
function numberCategory(c: PersonalCategory): PersonalCategory {
  return c === 'name' ||
    c === 'place_of_birth' ||
    c === 'address' ||
    c === 'email' ||
    c === 'mrz' ||
    c === 'date' ||
    c === 'date_of_birth' ||
    c === 'postcode'
    ? c
    : 'document_number';
}
