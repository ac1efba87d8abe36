/**
 * Whether an OCR reading is of a page photographed upside down, from where its words stand. The
 * reader's direction classifier turns each upside-down crop so its text reads, and lays its words
 * back onto the upright image: a turned line's words then run right to left in the image, and the
 * page's lines come top to bottom in the image, i.e. the document's last line first. A label's
 * value then stands on the line before its label, so the redactor walks such a reading in reverse
 * (RedactionOptions.upsideDown).
 *
 * Reads boxes only, never text; must never call a reading upside down without a majority of its
 * horizontal multi-word lines running right to left (a page of one-word lines gives no evidence).
 */

interface Box {
  x: number;
  width: number;
  height: number;
}

export interface PositionedLine {
  box: Box;
  words: readonly { box: Box }[];
}

export interface PositionedReading {
  /** Clockwise rotation the reader applied before reading (its lines are then in that image's order). */
  rotation: number;
  lines: readonly PositionedLine[];
}

/** A turned line's words must run right to left in most of their steps. */
function lineDirection(line: PositionedLine): -1 | 0 | 1 {
  // A vertical line (a page read sideways, boxes mapped back upright) says nothing about left and right.
  if (line.words.length < 2 || line.box.width <= line.box.height) return 0;
  let leftward = 0;
  let rightward = 0;
  for (let i = 1; i < line.words.length; i++) {
    const step = line.words[i]!.box.x - line.words[i - 1]!.box.x;
    if (step < 0) leftward++;
    else if (step > 0) rightward++;
  }
  return leftward > rightward ? -1 : rightward > leftward ? 1 : 0;
}

export function readUpsideDown(reading: PositionedReading): boolean {
  // A reader that turned the whole image first (tesseract's sideways passes) already reads its lines in order.
  const turn = ((Math.round(reading.rotation) % 360) + 360) % 360;
  if (turn > 45 && turn < 315) return false;
  let turned = 0;
  let upright = 0;
  for (const line of reading.lines) {
    const direction = lineDirection(line);
    if (direction < 0) turned++;
    else if (direction > 0) upright++;
  }
  return turned >= 2 && turned > upright;
}
