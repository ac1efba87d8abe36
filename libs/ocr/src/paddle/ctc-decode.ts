/**
 * Recogniser output for PP-OCRv4 rec: greedy CTC decoding of the [N, T, 6625] softmax into text,
 * confidence and each character's timestep, and the digit-grid spacing those timesteps reveal.
 * Pure, no I/O (the rec model's input is prepared in rec-preprocess.ts). It must never invent a
 * character the softmax did not pick: it only drops blanks and repeats, and adds spaces.
 */
export interface Decoded {
  text: string;
  /** Mean of the kept characters' probabilities (0 when nothing was kept). */
  confidence: number;
  /** Timestep of each kept character (same length as text). */
  steps: number[];
  /** Last timestep of each kept character's run of repeats (same length as text). */
  ends: number[];
  /**
   * For each kept character, the highest probability of the space class at the timesteps between
   * the previous character's end and its start (0 for the first character and for adjacent ones):
   * where the recogniser saw a word gap but let the blank win.
   */
  spaceProbs: number[];
}

/** Per timestep of a batch's [N, T] outputs: the class picked, its probability, the space class's probability. */
export interface CtcSteps {
  best: ArrayLike<number>;
  bestProb: ArrayLike<number>;
  /** Absent when the model has no space class. */
  spaceProb?: ArrayLike<number>;
}

/**
 * Greedy CTC over one sequence: argmax per timestep, blank (0) dropped, repeats collapsed;
 * index i >= 1 is keys[i - 1], and index keys.length + 1 is a space.
 */
export function ctcDecode(probs: Float32Array, offset: number, steps: number, classes: number, keys: readonly string[]): Decoded {
  return ctcDecodeSteps(ctcReduce(probs, offset, steps, classes, keys.length + 1), 0, steps, keys);
}

/** The per-timestep reductions ctcDecodeSteps reads, from `steps` rows of a softmax of `classes` columns. */
export function ctcReduce(probs: Float32Array, offset: number, steps: number, classes: number, space: number): CtcSteps {
  const best = new Int32Array(steps);
  const bestProb = new Float32Array(steps);
  const spaceProb = space < classes ? new Float32Array(steps) : undefined;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    // The first class at the maximum, as the graph's ArgMax picks it (rec-tail.ts).
    let k0 = 0;
    let p0 = probs[base]!;
    for (let k = 1; k < classes; k++) {
      const p = probs[base + k]!;
      if (p > p0) {
        p0 = p;
        k0 = k;
      }
    }
    best[t] = k0;
    bestProb[t] = p0;
    if (spaceProb) spaceProb[t] = probs[base + space]!;
  }
  return { best, bestProb, spaceProb };
}

/** Greedy CTC over one sequence of reduced steps (from ctcDecode or the rec graph's own reductions). */
export function ctcDecodeSteps(reduced: CtcSteps, offset: number, steps: number, keys: readonly string[]): Decoded {
  let text = '';
  let sum = 0;
  const kept: number[] = [];
  const ends: number[] = [];
  const spaceProbs: number[] = [];
  const space = keys.length + 1;
  const { best: bests, bestProb, spaceProb } = reduced;
  let previous = -1;
  let gapSpace = 0;
  for (let t = 0; t < steps; t++) {
    const best = bests[offset + t]!;
    if (best !== 0 && best !== previous) {
      text += best === space ? ' ' : (keys[best - 1] ?? '');
      sum += bestProb[offset + t]!;
      kept.push(t);
      ends.push(t);
      spaceProbs.push(kept.length > 1 ? gapSpace : 0);
      gapSpace = 0;
    } else if (best !== 0) {
      ends[ends.length - 1] = t;
    } else if (spaceProb) {
      gapSpace = Math.max(gapSpace, spaceProb[offset + t]!);
    }
    previous = best;
  }
  return { text, confidence: kept.length ? sum / kept.length : 0, steps: kept, ends, spaceProbs };
}

/** Shortest digit run looked at by splitGappedDigits: a 3-digit run is a number, not a grid. */
const MIN_DIGIT_RUN = 4;

/**
 * Puts back the spaces the rec model drops between numbers set apart on a grid: a calendar row
 * reads "12131415" where the print says "12 13 14 15". Between two digits the CTC alignment shows
 * the gap: inside a number the characters are 2-3 timesteps apart, between the calendar's numbers
 * 6-8. A digit-to-digit gap of at least max(2.5 x the run's smallest gap, smallest + 4) becomes a
 * space. Measured on ../shared/photos: the smartwatch calendar's rows split into their days; phone
 * numbers (gaps 2-5), the 9-digit member id, MRZ lines and serials (uniform gaps) stay whole.
 * Letters are never split (a gap rule breaks "IBM" into "IB M": see the notes on OCR pitfalls).
 */
export function splitGappedDigits(decoded: Pick<Decoded, 'text' | 'confidence' | 'steps'>): string {
  const { text, steps } = decoded;
  if (steps.length !== text.length) return text;
  let out = '';
  let runStart = 0;
  const isDigit = (i: number) => i < text.length && text[i]! >= '0' && text[i]! <= '9';
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(i)) {
      out += text[i];
      continue;
    }
    runStart = i;
    while (isDigit(i + 1)) i++;
    const run = text.slice(runStart, i + 1);
    if (run.length < MIN_DIGIT_RUN) {
      out += run;
      continue;
    }
    const gaps = Array.from({ length: run.length - 1 }, (_, k) => steps[runStart + k + 1]! - steps[runStart + k]!);
    const smallest = Math.min(...gaps);
    const wide = Math.max(2.5 * smallest, smallest + 4);
    out += run[0];
    gaps.forEach((gap, k) => (out += (gap >= wide ? ' ' : '') + run[k + 1]));
  }
  return out;
}
