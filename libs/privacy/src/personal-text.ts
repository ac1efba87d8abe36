/**
 * Whether a text looks like a personal card or document without knowing which one: the evidence any
 * layout and any language leaves (an MRZ-like line; a date, a name-shaped line and a number-shaped
 * value on one photo; several "label: value" or numbered-field lines). The redactor fails closed on
 * such a text: when no type is recognised with confidence, it applies the stricter policy anyway,
 * because a card whose type no rule knows is still someone's.
 *
 * Text evidence only: a portrait printed beside the text (portrait.ts, from the fetcher's faces) is
 * evidence of its own, which the redactor weighs beside this.
 *
 * Must never: read a value into the evidence (evidence names are fixed strings, safe to log); count
 * a label's own words as the name (the caller's name predicate excludes printed wording). Pure.
 */
import { findDates } from './detectors/dates.js';
import { isMrzLine } from './detectors/mrz.js';
import { findLabels } from './vocabulary/printed-words.js';

export interface PersonalTextEvidence {
  /** Fixed names of what was seen ("mrz-like line", "date, name and number", "labelled lines"). */
  evidence: string[];
}

/** Two or more runs of MRZ filler, in a line of capitals, digits and fillers: an MRZ OCR did not read whole. */
const MRZ_LIKE = /^[A-Z0-9<«]{3,}<{2,}[A-Z0-9<«]*$/;
/** A value shaped like a document, member or card number: 5+ letters and digits, 4+ digits. */
const NUMBER_SHAPE = /(?<![\p{L}\p{N}])(?=(?:[A-Z]*[-\s]?\d){4})[A-Z0-9][A-Z0-9-]{4,}(?![\p{L}\p{N}])/u;
/**
 * A number mark ("nr", "no", "nº", "#", "ID", "num") before 5+ digits: a card's holder number; and
 * the Rx sign before its digits, a prescription's number (privacy-rules-9).
 */
const LABELLED_NUMBER = /(?<![\p{L}])(?:nr|no|nº|n°|num|id|rx|#)\.?\s*[:#.-]?\s*[A-Z]{0,2}\d{5,}(?!\d)/iu;
/** "Word(s): value", a label of any language before a colon and a value after it. */
const LABEL_COLON_VALUE = /^\s*\p{L}[\p{L}'’.\s/-]{1,30}:\s*[\p{L}\p{N}]/u;
/** A field number opening a line before its value ("1. SILVA", "4a 01.02.2020", "3.Lisboa"). */
const NUMBERED_FIELD = /^\s*(?:1[0-4]|[1-9])[a-dA-D]?[.)]?\s*(?=\p{Lu}|\d)/u;

/**
 * The evidence that `lines` are a personal card or document; empty when there is none.
 * `isNameLine` says whether a line (no label on it) is shaped like a person's name; `nameOnTwoLines`
 * whether a name is printed as two single-word lines (a name-shaped line too); `isUncommonNameLine`
 * whether a line is a name none of whose words is a common word (known-wording.ts; absent, not used).
 */
export function personalTextEvidence(
  lines: readonly string[],
  isNameLine: (line: string) => boolean,
  nameOnTwoLines = false,
  isUncommonNameLine?: (line: string) => boolean,
): PersonalTextEvidence {
  const evidence: string[] = [];
  const compact = lines.map((l) => l.replace(/\s+/g, ''));
  if (compact.some((l) => isMrzLine(l) || (l.length >= 15 && MRZ_LIKE.test(l)))) evidence.push('mrz-like line');

  const dated = lines.some((l) => findDates(l, { monthYear: false, glued: true }).length > 0);
  // A card's expiry ("12/26", "VALID THRU 07/27") dates it as well as a full date does.
  const carded = dated || lines.some((l) => findDates(l, { monthYear: true }).length > 0);
  const named = nameOnTwoLines || lines.some((l) => findLabels(l).length === 0 && isNameLine(l));
  // On a line of its own: a glued date ("09052025") is the date, not also the number.
  const numbered = lines.some((l) => NUMBER_SHAPE.test(l) && findDates(l, { monthYear: false, glued: true }).length === 0);
  if (carded && named && numbered) evidence.push('date, name and number');
  // A number after a number label of any language ("ID-nr 8012946", "Nº 48213", "Matr. 0045871")
  // beside a name-shaped line: a staff, student or member card.
  if (named && lines.some((l) => LABELLED_NUMBER.test(l))) evidence.push('name and labelled number');
  // A card whose number was not read: a date (an expiry "07/27" counts) beside a name-shaped line none
  // of whose words is a common word of any language (`isUncommonNameLine`, from word-frequency lists):
  // a brand or a headline is made of words, a holder's name is not.
  if (carded && isUncommonNameLine && lines.some((l) => findLabels(l).length === 0 && isUncommonNameLine(l))) {
    evidence.push('date and uncommon name');
  }

  // Forms print their fields as "label: value" lines; with a full date among them they are about
  // someone (a product label's "Model:", "Input:" lines carry none, and its name reads like a
  // person's, so a name-shaped line is not enough). Numbered field lines are a card's ("1. SILVA",
  // "4a 01.02.2020"): a date or a name among them.
  const labelled = lines.filter((l) => LABEL_COLON_VALUE.test(l)).length;
  const fieldLines = lines.filter((l) => NUMBERED_FIELD.test(l) && !findDates(l.trim().slice(0, 10)).length).length;
  if (labelled >= 3 && dated) evidence.push('labelled lines');
  if (fieldLines >= 3 && (dated || named)) evidence.push('numbered field lines');
  return { evidence };
}
