/**
 * The glued-token test the eval and the spacing tools count with: a token is glued when one of
 * its runs of letters (4 or more) is not a word of the lexicon but splits into two or more of
 * its words ("DRIVERLICENSE", "Placeofbirth"). Pure apart from the lexicon. It measures; it must
 * never decide what the re-spacing step does, so its split rules are frozen here apart from the
 * step's tuned ones (restore-spaces.ts).
 *
 * Two limits keep it to glued words: e-mail addresses, URLs, MRZ lines and code are identifiers
 * the step never splits by design ("sc.setLogLevel", "contoso.com"), so they are never glued; and
 * a part of four letters or more must be among the GLUED_METRIC_PART_RANK most frequent words of
 * its list, because the tail of Wikipedia's list is junk that splits names and brands ("premera"
 * = "prem", rank 41,118, + "era"). Without these limits the eval counted 13 tokens glued on
 * ../shared/photos before re-spacing, of which 2 were glued words ("Startwith", "Dr.AverySmith").
 */
import { isProtectedToken } from './restore-spaces.js';
import { segmentLetters, type SegmentOptions } from './segment-words.js';
import { WordLexicon, wordLexicon, type LanguageList } from './word-lexicon.js';

/** Parts of three letters or fewer must be frequent words; no cost rule: any split counts. */
export const GLUED_METRIC_SEGMENT: Readonly<SegmentOptions> = Object.freeze({
  oneLetterRank: 16,
  twoLetterRank: 1000,
  threeLetterRank: 8000,
  maxPartLength: 24,
  shortLastPartPenalty: 0,
  shortFirstPartPenalty: 0,
  oneLetterPenalty: 0,
});

/** Shorter runs are abbreviations and codes ("PPO", "BCBS"), not glued words. */
export const GLUED_METRIC_MIN_LETTERS = 4;

/** A part of four letters or more must rank below this in its list. */
export const GLUED_METRIC_PART_RANK = 30_000;

/** The lists with their tails (parts of 4+ letters ranked GLUED_METRIC_PART_RANK or beyond) cut, once per lexicon. */
const trimmed = new WeakMap<WordLexicon, WordLexicon>();
function metricLexicon(lexicon: WordLexicon): WordLexicon {
  let out = trimmed.get(lexicon);
  if (!out) {
    const lists: LanguageList[] = lexicon.lists.map((list) => ({
      ...list,
      ranks: new Map([...list.ranks].filter(([word, rank]) => word.length < 4 || rank < GLUED_METRIC_PART_RANK)),
    }));
    out = new WordLexicon(lists);
    trimmed.set(lexicon, out);
  }
  return out;
}

/** The words a glued token splits into (its first glued run), or null when it is not glued. */
export function gluedWords(token: string, lexicon: WordLexicon = wordLexicon()): string[] | null {
  if (isProtectedToken(token)) return null;
  const parts = metricLexicon(lexicon);
  for (const run of token.match(/\p{L}+/gu) ?? []) {
    if (run.length < GLUED_METRIC_MIN_LETTERS || lexicon.has(run)) continue;
    const split = segmentLetters(run, parts, GLUED_METRIC_SEGMENT);
    if (split && split.words.length >= 2) return split.words;
  }
  return null;
}

export function isGluedWordToken(token: string, lexicon: WordLexicon = wordLexicon()): boolean {
  return gluedWords(token, lexicon) !== null;
}
