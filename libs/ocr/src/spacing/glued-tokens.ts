/**
 * The glued-token test the eval and the spacing tools count with: a token is glued when one of
 * its runs of letters (4 or more) is not a word of the lexicon but splits into two or more of
 * its words ("DRIVERLICENSE", "Placeofbirth"). Pure apart from the lexicon. It measures; it must
 * never decide what the re-spacing step does, so its split rules are frozen here apart from the
 * step's tuned ones (restore-spaces.ts).
 */
import { segmentLetters, type SegmentOptions } from './segment-words.js';
import { wordLexicon, type WordLexicon } from './word-lexicon.js';

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

/** The words a glued token splits into (its first glued run), or null when it is not glued. */
export function gluedWords(token: string, lexicon: WordLexicon = wordLexicon()): string[] | null {
  for (const run of token.match(/\p{L}+/gu) ?? []) {
    if (run.length < GLUED_METRIC_MIN_LETTERS || lexicon.has(run)) continue;
    const split = segmentLetters(run, lexicon, GLUED_METRIC_SEGMENT);
    if (split && split.words.length >= 2) return split.words;
  }
  return null;
}

export function isGluedWordToken(token: string, lexicon: WordLexicon = wordLexicon()): boolean {
  return gluedWords(token, lexicon) !== null;
}
