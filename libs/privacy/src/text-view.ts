/**
 * A glue-tolerant view of an OCR line. PP-OCRv4 drops most spaces between words
 * ("PropertyofChrisSmith", "40011stAveNERedmond,WA98052"); the view puts a space back wherever a
 * word boundary is certain from the characters alone (lower case before upper case, a letter
 * against a digit, after a comma), and keeps a map to the original offsets so a finding in the view
 * redacts exactly the original characters. Pure.
 *
 * Must never be published: it exists to let word-based libraries (compromise, addressit,
 * chrono-node) read glued text; the output is always the original line with spans replaced.
 */

export interface TextView {
  text: string;
  /** Original offset of each character of `text` (an inserted space maps to the next original character). */
  offsets: number[];
}

function boundaryBetween(prev: string, next: string): boolean {
  if (/\p{Ll}/u.test(prev) && /\p{Lu}/u.test(next)) return true;
  if (/\p{L}/u.test(prev) && /\d/.test(next)) return true;
  if (/\d/.test(prev) && /\p{L}/u.test(next)) return true;
  if (/[,;)]/.test(prev) && /[\p{L}\p{N}]/u.test(next)) return true;
  return false;
}

/** An abbreviation in capitals glued to a capitalised word: "DGPMadrid" is "DGP" and "Madrid". */
function abbreviationEnds(line: string, i: number): boolean {
  return /\p{Lu}{2}/u.test(line.slice(Math.max(0, i - 2), i)) && /^\p{Lu}\p{Ll}/u.test(line.slice(i, i + 2));
}

export function spacedView(line: string): TextView {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (i > 0 && (boundaryBetween(line[i - 1]!, ch) || abbreviationEnds(line, i))) {
      text += ' ';
      offsets.push(i);
    }
    text += ch;
    offsets.push(i);
  }
  return { text, offsets };
}

/** The original [start, end) of a view's [start, end). */
export function originalRange(view: TextView, start: number, end: number): [number, number] {
  const from = view.offsets[start] ?? view.offsets.at(-1) ?? 0;
  const to = end > start ? (view.offsets[end - 1] ?? from) + 1 : from;
  return [from, to];
}
