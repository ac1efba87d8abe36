/**
 * Turns tesseract's raw lines into the lines worth publishing: garbage dropped, boxes normalized.
 * Pure (plain data in, plain data out). It must never invent or reorder text; it only removes
 * words and lines that the thresholds below call noise.
 *
 * Why this exists: on photos without text tesseract still "reads" wood grain, fur and foliage as
 * short strings ("= eh", "Hl BH ELE", "ill"). The thresholds are measured on the no-text photos of
 * ../shared/photos (coffee cup, taxis, dog, pen, skateboard, bicycles, cafe, toy, laptop) against
 * the text photos (book pages, ID specimens, insurance card, batteries, business card).
 */

export interface OcrBox {
  /** 0..1 of the image the reader was given (upright), x/y = top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  box: OcrBox;
}

export interface OcrLine {
  text: string;
  /** 0..1, mean of the kept words. */
  confidence: number;
  box: OcrBox;
  words: OcrWord[];
}

export interface RawBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export interface RawWord {
  text: string;
  confidence: number;
  bbox: RawBbox;
}
export interface RawLine {
  words: RawWord[];
}

export interface LineFilterOptions {
  /**
   * A word is kept when its confidence (0..100) is at least this. 55: most words invented on the
   * no-text photos score 0..50 (taxis, cafe, bicycles, dog, toy dumps), while real words on the
   * book pages, cards and batteries score 80..96; what falls between is mostly OCR-mangled codes
   * ("CO02XK1ABJGH5" at 42), which a serial's label rescues from the unpublished context instead.
   */
  minWordConfidence: number;
  /**
   * A line survives only if it has an anchor: a word of at least 3 letters/digits scoring this
   * much. 80: garbage anchors on no-text photos top out around 73 ("ill" on the taxis photo),
   * while every real line in the test set has an anchor of 84+.
   */
  minAnchorConfidence: number;
  /**
   * Lines whose kept words average below this (0..100) are dropped. 65: every anchored line under
   * it in the test set was garbage; the weakest real lines average 71..72 ("BY Avery", "J (7 Cont"
   * on the tilted business card).
   */
  minLineConfidence: number;
}

export const DEFAULT_LINE_FILTER: LineFilterOptions = {
  minWordConfidence: 55,
  minAnchorConfidence: 80,
  minLineConfidence: 65,
};

const ALNUM = /[\p{L}\p{N}]/gu;

function alnumCount(text: string): number {
  return (text.match(ALNUM) ?? []).length;
}

/**
 * A word that is only punctuation carries nothing even when tesseract is sure of it ("|", "=",
 * "—"). A lone lower-case letter is kept only when very sure: the article "a" in a book line reads
 * at 95, while the "a", "i", "o" invented in fur and foliage stay under 85.
 */
function isNoiseWord(word: RawWord): boolean {
  const t = word.text.trim();
  const n = alnumCount(t);
  if (n === 0) return true;
  if (n === 1 && !/[0-9A-Z]/.test(t) && word.confidence < 85) return true;
  return false;
}

function normalizeBox(b: RawBbox, width: number, height: number): OcrBox {
  const clamp = (v: number): number => Math.min(1, Math.max(0, v));
  const x = clamp(b.x0 / width);
  const y = clamp(b.y0 / height);
  // Four decimals: a tenth of a pixel on a 1600-px photo, and no 0.30000000000000004 on the wire.
  const r4 = (v: number): number => Math.round(v * 10_000) / 10_000;
  return { x: r4(x), y: r4(y), width: r4(clamp(b.x1 / width) - x), height: r4(clamp(b.y1 / height) - y) };
}

function unionBox(boxes: RawBbox[]): RawBbox {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** Keeps the lines worth publishing; boxes are normalized to width x height. */
export function cleanLines(raw: RawLine[], width: number, height: number, options: LineFilterOptions = DEFAULT_LINE_FILTER): OcrLine[] {
  const out: OcrLine[] = [];
  for (const line of raw) {
    const words = line.words.filter((w) => w.text.trim() && w.confidence >= options.minWordConfidence && !isNoiseWord(w));
    if (words.length === 0) continue;
    const anchored = words.some((w) => alnumCount(w.text) >= 3 && w.confidence >= options.minAnchorConfidence);
    if (!anchored) continue;
    const mean = words.reduce((s, w) => s + w.confidence, 0) / words.length;
    if (mean < options.minLineConfidence) continue;
    out.push({
      text: words.map((w) => w.text.trim()).join(' '),
      confidence: round3(mean / 100),
      box: normalizeBox(unionBox(words.map((w) => w.bbox)), width, height),
      words: words.map((w) => ({ text: w.text.trim(), confidence: round3(w.confidence / 100), box: normalizeBox(w.bbox, width, height) })),
    });
  }
  return out;
}

/** How much readable text a pass found: the score that picks the best rotation. */
export function textScore(lines: OcrLine[]): number {
  // Letters/digits weighted by confidence: a long confident reading beats a short sure one.
  return lines.reduce((s, l) => s + l.words.reduce((ws, w) => ws + alnumCount(w.text) * w.confidence, 0), 0);
}

export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
