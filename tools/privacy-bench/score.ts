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
 * - name, place_of_birth: any of its identifying tokens of >= 3 letters occurs as a word or inside a
 *   published token, unless that occurrence lies inside a longer non-personal word of the same image
 *   (a surname `Nom` inside the label `Nom`/`Nomination` does not count). A name particle (`van`,
 *   `der`, `dos`: NAME_PARTICLES) alone names nobody: it is no identifying token, so `van` published
 *   in the printed `Burgemeester van Borger` leaks nothing of `Anna van Dijk`, while `Dijk` does (the
 *   particle leaks only together with the rest). A string made of particles only keeps them all.
 *   The earlier counting, every token a particle included, is kept beside it (`leakedCountingParticles`,
 *   summary `leaked_counting_particles`) so that the change stays visible.
 * - date_of_birth, date: its day, month and year appear together in one published line in any format:
 *   as separate numbers or month names of any of the benchmark's languages (`12 MAR/MARS 85`,
 *   `12.03.1985`, `1985-03-12`, `03/12/1985`, `12MAR85`), or glued as one run of digits (`120385`,
 *   `19850312`, MRZ `850312`). A date printed without a day (card expiry `08/27`) leaks when month and
 *   year appear together.
 * - address (a street line): any of its words of >= 4 letters that is not a street-type word
 *   (street, straße, rue, via, calle, ...) nor a particle (`della`) occurs as for names; or its house
 *   number and a street word.
 * - postcode: the postcode (>= 4 characters) appears.
 * - email: its whole local part (before @) appears (the company domain is not personal: a website
 *   repeats it; a name inside the local part is scored as the name).
 * - mrz: any 10 consecutive characters of the line (fillers `<` removed by normalisation) appear.
 * - numbers (document, card, member, Rx, ticket, phone, IBAN, booking reference, serial, IMEI):
 *   min(6, length) consecutive characters of the value appear.
 * - a raw identifier value (not a hash) among the published sensitive identifiers leaks as well,
 *   by the same number rule: they may leave only as keyed hashes. A keyed hash (64 hex digits, an
 *   HMAC-SHA256) holds no value: its digits can spell a date or six digits of a number by chance
 *   (a birth date 03/07/1991 as `...0703 91...` in one), so it is never compared. Nor is the
 *   document's evidence (`document_evidence`): the recogniser's own names for what it saw
 *   (`phrase:driving licence`, `numbered licence fields`), constants of its vocabulary that never
 *   hold the text read; a street word ("Fields") or a town inside "passport" ("Port") is chance.
 *
 * Word-boundary counting (a second figure beside the strict one, `leaked_at_word_boundary`): a
 * name, place of birth or street word leaked only inside a longer word of the published line, with a
 * letter on either side of every occurrence (`Anita` inside the evidence `tessera sanitaria`), is
 * not counted there (`inWordOnly`). A change of case is a boundary (`PropertyofChrisSmith`,
 * `SMITHHolder's`): the recogniser glues words and keeps their capitals. A name glued to another
 * word in one case (`CHRISTOPHERJOHNSMITH`) has no boundary to find: the strict count keeps it.
 * A leaked name or place-of-birth token that is also a whole word of the image's own printed wording
 * (a town of birth printed in the issuer's name) is a real ambiguity: both countings count it, and
 * `alsoPrinted` marks it so that reports can say how many there are.
 *
 * Over-redacted: a non-personal word (a token of >= 3 letters/digits of a `words` string, not also
 * part of a personal string of the image) that occurs in the raw reading but in no published line
 * (an occurrence inside a longer word of the image, `nom` in `prenoms`, is not one).
 * A word the OCR never read is an OCR miss, not over-redaction; text recall reports those.
 */
import type { CalendarDate, ImageTruth, PersonalCategory, PersonalString } from './ground-truth.js';
import { MONTHS, MONTH_NAMES_EN } from './locales.js';

export function normalise(text: string): string {
  return folded(text).replace(/[^a-z0-9]/g, '');
}

export function stripMarkers(text: string): string {
  return text.replace(/\[[A-Z_]+\]/g, ' ');
}

/** Lower case, accents dropped, separators kept (date parsing needs the runs). */
function folded(text: string): string {
  return foldedKeepingCase(text).toLowerCase();
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
  /** Leaked by the earlier counting, where a name particle alone counted (see the header). */
  leakedCountingParticles: boolean;
  /** Where it leaked: the published line (or `identifier:<kind>`). */
  where?: string;
  /** Leaked only inside longer words of the published lines (word-boundary counting leaves it out). */
  inWordOnly?: boolean;
  /** A leaked name token that is also a whole word of the image's printed wording (see the header). */
  alsoPrinted?: boolean;
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

/**
 * Particles of people's and places' names (`van der Berg`, `de los Monteros`, `da Silva`, `von Trapp`,
 * `Brandenburg an der Havel`): part of a name beside its other words, no one's name alone, and
 * ordinary words of printed wording elsewhere (`Koninkrijk der Nederlanden`, `Burgemeester van ...`).
 * Faker, whose name data the generator draws from, keeps no list of them (its Dutch, Spanish, French
 * and Italian surnames only embed them: `van Dijk`, `de Anda`, `Da silva`), so the scorer keeps this
 * short one; words under 3 letters are listed for completeness (name tokens that short never count).
 * The scorer's own list: the redactor's vocabulary is what is measured, never what measures.
 */
export const NAME_PARTICLES: ReadonlySet<string> = new Set(
  (
    'van von vom zum zur der den des ten ter het del dal della delle dei degli dos das los las bin ibn bint ' +
    'de da di do du la le zu al af av y'
  ).split(' '),
);

const wordsOf = (text: string): string[] =>
  folded(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * Occurrences of `needle` in `hay` that no longer non-personal word of the image covers, nor a run of
 * the image's words printed one after the other that the needle straddles from inside its first word
 * to inside its last (`ali` in "FEDERAL IDENTIFICATION", normalised `federalidentification`): letters
 * of printed words only, at no word's edge, so no reading of the name put them there (round 21).
 */
function occursUncovered(hay: string, needle: string, cover: readonly string[]): boolean {
  const at0 = hay.indexOf(needle);
  if (at0 < 0) return false;
  const spans: Array<[number, number]> = [];
  for (const w of cover) for (let c = hay.indexOf(w); c >= 0; c = hay.indexOf(w, c + 1)) spans.push([c, c + w.length]);
  for (let at = at0; at >= 0; at = hay.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    const covered = spans.some(([s, e]) => e - s > needle.length && s <= at && e >= end) || straddlesPrintedWords(spans, at, end);
    if (!covered) return true;
  }
  return false;
}

/** Whether [at, end) starts strictly inside one printed word and ends strictly inside a later one, words back to back. */
function straddlesPrintedWords(spans: ReadonlyArray<[number, number]>, at: number, end: number): boolean {
  const reach = (from: number): boolean => {
    for (const [s, e] of spans) {
      if (s !== from) continue;
      if (e > end) return true;
      if (e < end && reach(e)) return true;
    }
    return false;
  };
  return spans.some(([s, e]) => s < at && e > at && e < end && reach(e));
}

/**
 * Whether `token` (normalised letters) occurs in `line` with no letter on either side, a change of
 * case counting as a boundary (words the recogniser glued keep their capitals).
 */
export function occursAtWordBoundary(line: string, token: string): boolean {
  const text = foldedKeepingCase(line);
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return lower.includes(token);
  const letter = (c: string | undefined): boolean => c !== undefined && /\p{L}/u.test(c);
  const upper = (c: string | undefined): boolean => c !== undefined && /\p{Lu}/u.test(c);
  const lowerCase = (c: string | undefined): boolean => c !== undefined && /\p{Ll}/u.test(c);
  for (let at = lower.indexOf(token); at >= 0; at = lower.indexOf(token, at + 1)) {
    const end = at + token.length;
    const before = text[at - 1];
    const after = text[end];
    const opens = !letter(before) || (lowerCase(before) && upper(text[at]));
    const closes = !letter(after) || (upper(after) && (lowerCase(text[end - 1]) || lowerCase(text[end + 1])));
    if (opens && closes) return true;
  }
  return false;
}

/** Accents and letters without an ASCII decomposition dropped to their base letter, case kept. */
function foldedKeepingCase(text: string): string {
  return stripMarkers(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[łŁ]/g, 'l')
    .replace(/[ıİ]/g, 'i')
    .replace(/[øØ]/g, 'o');
}

/** The tokens of a name, place of birth or street that word-boundary counting looks for (as leaksInto). */
function boundaryTokens(p: PersonalString): string[] | null {
  if (p.category === 'name' || p.category === 'place_of_birth') return nameTokens(p.value, 3);
  if (p.category === 'address') return streetWords(p.value);
  return null;
}

/** A street's words that identify it: >= 4 letters, no street-type word, no particle. */
function streetWords(value: string, countParticles = false): string[] {
  return wordsOf(value)
    .map(normalise)
    .filter((w) => w.length >= 4 && /^[a-z]+$/.test(w) && !STREET_WORDS.has(w) && (countParticles || !NAME_PARTICLES.has(w)));
}

/** leaksInto, counting a name's or street word's occurrence only at a word boundary (see the header). */
export function leaksAtWordBoundary(p: PersonalString, line: string, cover: readonly string[]): boolean {
  if (!leaksInto(p, line, cover)) return false;
  const tokens = boundaryTokens(p);
  if (!tokens) return true;
  const hay = normalise(line);
  if (tokens.some((t) => occursUncovered(hay, t, cover) && occursAtWordBoundary(line, t))) return true;
  // A street leaked whole (house number and street glued) is no word inside another.
  const value = normalise(p.value);
  return p.category === 'address' && value.length >= 4 && hay.includes(value);
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

/** A name's tokens of `min` letters or more; its particles only with `countParticles` or when it is nothing else. */
function nameTokens(value: string, min: number, countParticles = false): string[] {
  const tokens = wordsOf(value)
    .map(normalise)
    .filter((t) => t.length >= min && /[a-z]/.test(t));
  const identifying = tokens.filter((t) => !NAME_PARTICLES.has(t));
  return countParticles || identifying.length === 0 ? tokens : identifying;
}

/**
 * Whether one personal string leaked into one published line (see the module header);
 * `countParticles`: the earlier counting, a name particle alone a leak.
 */
export function leaksInto(p: PersonalString, line: string, cover: readonly string[], countParticles = false): boolean {
  const hay = normalise(line);
  if (!hay) return false;
  const value = normalise(p.value);
  switch (p.category) {
    case 'name':
    case 'place_of_birth':
      return nameTokens(p.value, 3, countParticles).some((t) => occursUncovered(hay, t, cover));
    case 'date_of_birth':
    case 'date':
      return p.date ? dateLeaks(line, p.date) : hay.includes(value);
    case 'address': {
      if (streetWords(p.value, countParticles).some((w) => occursUncovered(hay, w, cover))) return true;
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
  const printed = new Set(cover);
  const personal = truth.personal.map((p): PersonalResult => {
    const asNumber = { ...p, category: numberCategory(p.category) };
    const identifiers = published.identifiers.filter((i) => !KEYED_HASH.test(i.value) && i.kind !== 'document_evidence');
    const leakedCountingParticles =
      published.lines.some((l) => leaksInto(p, l, cover, true)) || identifiers.some((i) => leaksInto(asNumber, i.value, [], true));
    const line = published.lines.find((l) => leaksInto(p, l, cover));
    if (line !== undefined) {
      const inWordOnly = !published.lines.some((l) => leaksAtWordBoundary(p, l, cover));
      const tokens = boundaryTokens(p) ?? [];
      const alsoPrinted = (p.category === 'name' || p.category === 'place_of_birth') && tokens.some((t) => printed.has(t));
      return { category: p.category, value: p.value, leaked: true, leakedCountingParticles, where: line, inWordOnly, alsoPrinted };
    }
    const id = identifiers.find((i) => leaksInto(asNumber, i.value, []));
    if (id) {
      // A number among the sensitive identifiers: the same boundary rule as on a line.
      const inWordOnly = !identifiers.some((i) => leaksAtWordBoundary(asNumber, i.value, []));
      return { category: p.category, value: p.value, leaked: true, leakedCountingParticles, where: `identifier:${id.kind}`, inWordOnly };
    }
    return { category: p.category, value: p.value, leaked: false, leakedCountingParticles };
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

/** An HMAC-SHA256 as the stage publishes it: its characters are chance, no one's value. */
const KEYED_HASH = /^[0-9a-f]{64}$/;

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
