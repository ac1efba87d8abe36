/**
 * Labels read as a block, their values after them (privacy-rules-16). A reader that walks a card row
 * by row reads the labels of fields printed side by side, each above its value, as lines of their own
 * ("Surname", "Given names"), then the values ("GEISLER", "Joost Kurt"); a tilted photo may even swap
 * the values' order, and a printed line between a label and its value ("STUDENT") hides the value
 * from the line-after rule. This walks such blocks and says which value line may be whose.
 *
 * Pure: reads the lines and the labels found on them. Must never claim a line that holds a label, nor
 * pair a block with more values than it has labels.
 */
import type { PhraseMatch } from './vocabulary/phrase-matcher.js';
import type { FieldName } from './vocabulary/field-labels.js';
import { isGarbledPrintedWord, isPrintedWord } from './vocabulary/printed-words.js';

export interface LabelBlock {
  /** The label-only lines, in reading order. */
  labelLines: number[];
  /** The field of each label-only line, in reading order (the last label of a line with several). */
  fields: FieldName[];
  /** The value lines after the block, in reading order, at most one per label. */
  values: number[];
  /** A line of printed wording only stood between the labels and their values. */
  skippedPrinted: boolean;
}

/** A line of labels only: what is left besides its labels is printed wording or noise. */
export function isLabelOnlyLine(line: string, labels: readonly PhraseMatch<FieldName>[]): boolean {
  if (labels.length === 0) return false;
  const rest = line.replace(/./gu, (ch, at: number) => (labels.some((l) => at >= l.start && at < l.end) ? ' ' : ch));
  return rest.split(/[^\p{L}\p{N}]+/u).every((w) => w.length < 2 || isPrintedWord(w) || isGarbledPrintedWord(w));
}

/** A line with no label whose words are all printed wording (a card's role, "STUDENT"): no one's value. */
function isPrintedOnlyLine(line: string): boolean {
  const words = line.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
  return words.length > 0 && words.every((w) => !/\d/.test(w) && (isPrintedWord(w) || isGarbledPrintedWord(w)));
}

/**
 * Each run of label-only lines and the value lines after it: lines with no label, up to one per
 * label, stopping at the next line that holds a label. With `skipPrinted`, lines of printed wording
 * only are passed over (and not counted) on the way.
 */
export function labelBlocks(
  lines: readonly string[],
  labelsOf: ReadonlyArray<readonly PhraseMatch<FieldName>[]>,
  skipPrinted: boolean,
): LabelBlock[] {
  const blocks: LabelBlock[] = [];
  const labelOnly = (i: number): boolean => isLabelOnlyLine(lines[i] ?? '', labelsOf[i] ?? []);
  for (let i = 0; i < lines.length;) {
    if (!labelOnly(i)) {
      i++;
      continue;
    }
    const fields: FieldName[] = [];
    const labelLines: number[] = [];
    let j = i;
    for (; j < lines.length && labelOnly(j); j++) {
      labelLines.push(j);
      fields.push(labelsOf[j]!.at(-1)!.payload);
    }
    const values: number[] = [];
    let skippedPrinted = false;
    let k = j;
    for (; k < lines.length && (labelsOf[k] ?? []).length === 0 && values.length < fields.length; k++) {
      if (skipPrinted && isPrintedOnlyLine(lines[k] ?? '')) {
        skippedPrinted = true;
        continue;
      }
      values.push(k);
    }
    blocks.push({ labelLines, fields, values, skippedPrinted });
    i = Math.max(k, j);
  }
  return blocks;
}
