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
import { isPlaceName } from '../vocabulary/places.js';
import { findPrinted, isPrintedWord } from '../vocabulary/printed-words.js';

const HONORIFICS =
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
const NAME_PARTICLES = new Set([
  'de',
  'van',
  'der',
  'den',
  'von',
  'zu',
  'di',
  'da',
  'del',
  'della',
  'le',
  'la',
  'du',
  'dos',
  'das',
  'ten',
  'ter',
  'bin',
  'al',
  'y',
]);

/** Whether a value read after a label is a plausible name: 1..5 capitalised words, letters only, no printed wording. */
export const looksLikeName = memo(looksLikeNameOnce);

function looksLikeNameOnce(value: string): boolean {
  const v = spacedView(value).text.replace(/[/,]/g, ' ').trim();
  if (!/^\p{L}[\p{L}'’.\- ]{0,58}$/u.test(v)) return false;
  // Lower-case particles of names ("de Vries", "van der Berg", "da Silva") count as part of them.
  const words = v.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !NAME_PARTICLES.has(w));
  if (words.length === 0 || words.length > 5) return false;
  // Names are capitalised on documents and cards; "Name brands at low prices" is prose.
  if (!words.every((w) => /^\p{Lu}/u.test(w))) return false;
  if (!/\p{L}{2}/u.test(v)) return false;
  // A field label or printed wording is not a name ("Identification", "Date of birth", "BLUE CROSS").
  if (words.some((w) => w.length > 1 && (isPrintedWord(w) || isPlaceName(w)))) return false;
  return !findPrinted(v).some(
    (m) =>
      (m.start === 0 || v[m.start - 1] === ' ') && (m.end === v.length || v[m.end] === ' ') && !NAME_PARTICLES.has(v.slice(m.start, m.end)),
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
  const view = spacedView(line);
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
    if (!words.every((t) => /^\p{Lu}/u.test(t.text) && !/\d/.test(t.text))) continue;
    if (terms.some((t) => (ROMAN.test(t.text) && t.text.length <= 4) || PRODUCT_WORDS.has(t.text.toLowerCase()))) continue;
    // Its lexicon knows a first or last name among the words ("Gare du Nord" is a place, not a person).
    if (!words.some((t) => t.tags.some((g) => g === 'FirstName' || g === 'LastName' || g === 'Honorific'))) continue;
    if (words.some((t) => t.text.length > 1 && (isPrintedWord(t.text) || isPlaceName(t.text)) && !t.tags.includes('Honorific'))) continue;
    const first = terms.find((t) => !t.tags.includes('Honorific')) ?? terms[0]!;
    const last = terms.at(-1)!;
    const from = first.offset.start;
    const to = last.offset.start + last.text.length;
    const [start, end] = originalRange(view, from, to);
    spans.push({ start, end, kind: 'name' });
  }
  return spans;
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

/** The parts of a name worth remembering (3+ letters). */
export function nameParts(value: string): string[] {
  return spacedView(value)
    .text.split(/[^\p{L}'’-]+/u)
    .filter((p) => (p.match(/\p{L}/gu) ?? []).length >= 3);
}
