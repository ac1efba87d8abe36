/**
 * Word segmentation of a glued run of letters ("placeofbirth" -> place of birth): the split into
 * words of one language's frequency list with the lowest total Zipf cost (Viterbi over the run,
 * as wordninja does), tried per language, best language wins. Pure apart from the lexicon it is
 * given. It only proposes a split; whether to take it is the caller's rule (restore-spaces.ts).
 *
 * Short words are where frequency lists are noisiest: Wikipedia's list ranks "s", "th" and "km"
 * among its first 300 words. So a part of one letter must be one of its list's most frequent
 * words ("a", Spanish "y", Polish "w"), and a part of two or three letters one of its list's
 * SHORT_WORD_RANK most frequent; without that, identifiers and names fall apart into letter
 * pairs ("CAAD" -> ca ad).
 */
import { WordLexicon, type LanguageList, type LexiconLanguage } from './word-lexicon.js';

export interface SegmentOptions {
  /** A one-letter part must rank below this in its list. */
  oneLetterRank: number;
  /** A part of two letters must rank below this. */
  twoLetterRank: number;
  /** A part of three letters must rank below this. */
  threeLetterRank: number;
  /** Parts longer than this are not looked up (the lists' junk tail holds 40-letter "words"). */
  maxPartLength: number;
  /**
   * Added to a split whose last part has two letters or fewer: an inflected word missing from a
   * 10,000-word list reads as stem + ending ("soluciones" -> solucion es, "rubberen" -> rubber en).
   */
  shortLastPartPenalty: number;
  /** Added to a split whose first part has two letters or fewer: a prefix ("coinsurance" -> co insurance). */
  shortFirstPartPenalty: number;
  /** Added for each one-letter part ("emanuela" -> emanuel a). */
  oneLetterPenalty: number;
}

export const DEFAULT_SEGMENT: SegmentOptions = {
  oneLetterRank: 16,
  twoLetterRank: 1000,
  threeLetterRank: 8000,
  maxPartLength: 24,
  shortLastPartPenalty: 20,
  shortFirstPartPenalty: 6,
  oneLetterPenalty: 6,
};

export interface Segmentation {
  /** Lower-case words in order; joined they are the run, lower-cased. */
  words: string[];
  /** Sum of the words' Zipf costs. */
  cost: number;
  language: LexiconLanguage;
}

function partCost(list: LanguageList, part: string, options: SegmentOptions): number | undefined {
  const rank = list.ranks.get(part);
  if (rank === undefined) return undefined;
  const limit =
    part.length === 1
      ? options.oneLetterRank
      : part.length === 2
        ? options.twoLetterRank
        : part.length === 3
          ? options.threeLetterRank
          : Infinity;
  if (rank >= limit) return undefined;
  return WordLexicon.cost(list, part);
}

/** The cheapest split of `lower` into words of one list, or null when there is none. */
export function segmentInList(lower: string, list: LanguageList, options: SegmentOptions = DEFAULT_SEGMENT): Segmentation | null {
  const n = lower.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const back = new Int32Array(n + 1);
  best[0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let k = 1; k <= Math.min(i, options.maxPartLength); k++) {
      if (best[i - k] === Infinity) continue;
      const c = partCost(list, lower.slice(i - k, i), options);
      if (c === undefined) continue;
      const penalty =
        (k === 1 ? options.oneLetterPenalty : 0) +
        (i === n && k <= 2 && k < n ? options.shortLastPartPenalty : 0) +
        (i === k && k <= 2 && k < n ? options.shortFirstPartPenalty : 0);
      const total = best[i - k]! + c + penalty;
      if (total < best[i]!) {
        best[i] = total;
        back[i] = k;
      }
    }
  }
  if (best[n] === Infinity) return null;
  const words: string[] = [];
  for (let i = n; i > 0; i -= back[i]!) words.unshift(lower.slice(i - back[i]!, i));
  return { words, cost: best[n]!, language: list.language };
}

/** The cheapest split of a run of letters over every language (case ignored), or null. */
export function segmentLetters(run: string, lexicon: WordLexicon, options: SegmentOptions = DEFAULT_SEGMENT): Segmentation | null {
  const lower = run.toLowerCase();
  let best: Segmentation | null = null;
  for (const list of lexicon.lists) {
    const s = segmentInList(lower, list, options);
    if (s && (!best || s.cost < best.cost)) best = s;
  }
  return best;
}
