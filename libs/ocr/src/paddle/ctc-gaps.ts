/**
 * Word-gap evidence from the recogniser's CTC alignment, for the re-spacing step
 * (spacing/restore-spaces.ts): between two characters the model read with no space, how much the
 * alignment says a word gap lies there. Pure. It only scores; it never edits text.
 *
 * Two signals, per line: the run of blank timesteps between the two characters relative to the
 * line's own character pitch (the median start-to-start distance of its characters: type size and
 * crop width vary per line, so no absolute number works), and the probability the model still gave
 * the space class inside that gap while the blank won. GapScoreOptions holds the calibration and
 * its figures.
 */
import type { Decoded } from './ctc-decode.js';

export interface GapFeatures {
  /** Blank timesteps between the previous character's last step and this one's first. */
  blanks: number;
  /** The line's median start-to-start distance between consecutive characters, in timesteps. */
  pitch: number;
  /** Highest space-class probability inside the gap. */
  spaceProb: number;
}

/** Per character of decoded.text: the gap before it, or null (first character, a space, or next to one). */
export function gapFeatures(decoded: Decoded): (GapFeatures | null)[] {
  const { text, steps, ends, spaceProbs } = decoded;
  const n = text.length;
  if (steps.length !== n || ends.length !== n || spaceProbs.length !== n) return new Array<null>(n).fill(null);
  const strides: number[] = [];
  for (let i = 1; i < n; i++) if (text[i] !== ' ' && text[i - 1] !== ' ') strides.push(steps[i]! - steps[i - 1]!);
  if (strides.length === 0) return new Array<null>(n).fill(null);
  strides.sort((a, b) => a - b);
  const pitch = strides[Math.floor(strides.length / 2)]!;
  return Array.from({ length: n }, (_, i) => {
    if (i === 0 || text[i] === ' ' || text[i - 1] === ' ') return null;
    return { blanks: steps[i]! - ends[i - 1]! - 1, pitch, spaceProb: spaceProbs[i]! };
  });
}

export interface GapScoreOptions {
  /** A gap of at least this many blanks more than the pitch's own blanks, scaled by pitch, scores 1. */
  blankRatio: number;
  /** A space-class probability inside the gap at or above this scores 1. */
  spaceProb: number;
}

/**
 * Calibrated on the alignments of generated phrases rendered as text lines (tools/spacing-eval.ts
 * --render 8 --dump, tune split: 1,328 character pairs the model read without a space, 134 of
 * them word gaps) and checked on ../shared/photos (978 pairs, 18 dropped word gaps):
 * | rule | rendered: gaps / inside words | photos: gaps / inside words |
 * |---|---|---|
 * | space prob >= 0.01 | 102/134, 1/1194 | 18/18, 5/960 |
 * | space prob >= 0.03 | 79/134, 0/1194 | 18/18, 0/960 (highest inside a word: 0.023) |
 * | space prob >= 0.04 | 70/134, 0/1194 | 18/18, 0/960 |
 * | space prob >= 0.05 | 66/134, 0/1194 | 18/18, 0/960 |
 * | blanks >= 1.2 x pitch | 69/134, 21/1194 | 14/18, 17/960 |
 * | blanks >= 1.6 x pitch | 19/134, 1/1194 | 0/18, 0/960 |
 * | blanks >= 2 x pitch | 4/134, 0/1194 | 0/18, 0/960 |
 * The blank run alone is a poor witness (wide letters such as M and W leave long runs inside
 * words: the "IB M" of the OCR notes); the space class the model nearly emitted is a good one.
 * 0.04, not 0.03: on the eval's re-encoded copy of the Spark book page the "il" of "available"
 * reached 0.0315 (the re-spacing also refuses any gap inside a word of the lexicon).
 */
export const DEFAULT_GAP_SCORE: GapScoreOptions = { blankRatio: 2, spaceProb: 0.04 };

/**
 * The gap score of one character (>= 1: a word gap), NaN when there is no gap to score:
 * spaceProb / its threshold, or blanks / (blankRatio x pitch) when the blank run alone reaches
 * that. Ordinary gaps inside a word score about 0 (space probability under 0.002 for 1,191 of
 * 1,194 pairs inside words of the rendered set), which lets the caller veto a split there.
 */
export function gapScore(features: GapFeatures | null, options: GapScoreOptions = DEFAULT_GAP_SCORE): number {
  if (!features) return Number.NaN;
  const byBlanks = features.blanks / Math.max(1, options.blankRatio * features.pitch);
  const bySpace = features.spaceProb / options.spaceProb;
  return byBlanks >= 1 ? Math.max(byBlanks, bySpace) : bySpace;
}

/**
 * The gap scores of the decoded characters carried onto a published line (NFKC-normalised, CJK
 * removed, spaces collapsed, maybe respaced): characters are matched in order, and where the
 * published line cannot be walked onto the reading every score is NaN (no evidence, no harm).
 */
export function gapsForPublished(published: string, decoded: Decoded, options: GapScoreOptions = DEFAULT_GAP_SCORE): number[] {
  const features = gapFeatures(decoded);
  const out = new Array<number>(published.length).fill(Number.NaN);
  const raw = decoded.text;
  let j = 0;
  for (let i = 0; i < published.length; i++) {
    const c = published[i]!;
    if (c === ' ') continue;
    while (j < raw.length && raw[j]!.normalize('NFKC') !== c) j++;
    if (j >= raw.length) return new Array<number>(published.length).fill(Number.NaN);
    // Only between characters adjacent in both: a space or a dropped character in between is not this gap.
    if (i > 0 && published[i - 1] !== ' ' && j > 0 && raw[j - 1]!.normalize('NFKC') === published[i - 1])
      out[i] = gapScore(features[j]!, options);
    j++;
  }
  return out;
}
