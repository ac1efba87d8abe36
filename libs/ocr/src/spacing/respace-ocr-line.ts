/**
 * Re-spacing for readers that give word boxes (tesseract): each word goes through
 * restoreWordSpaces, and a word it splits becomes several words whose boxes are cut from the
 * word's box along x in proportion to their characters. Pure. It must be given lines in the
 * image they were read in (text running along x), before boxes are turned upright, and it must
 * never change a character.
 */
import type { OcrLine, OcrWord } from '../lines.js';
import { restoreWordSpaces, type RestoreSpacesOptions } from './restore-spaces.js';

const r4 = (v: number): number => Math.round(v * 10_000) / 10_000;

export function respaceOcrLine(line: OcrLine, options: Partial<RestoreSpacesOptions> = {}): OcrLine {
  const words: OcrWord[] = [];
  let changed = false;
  for (const word of line.words) {
    const spaced = restoreWordSpaces(word.text, { options });
    if (spaced === word.text) {
      words.push(word);
      continue;
    }
    changed = true;
    const n = word.text.length;
    let at = 0;
    for (const part of spaced.split(' ')) {
      if (!part) continue;
      const f0 = at / n;
      const f1 = (at + part.length) / n;
      at += part.length;
      const box = {
        x: r4(word.box.x + word.box.width * f0),
        y: word.box.y,
        width: r4(word.box.width * (f1 - f0)),
        height: word.box.height,
      };
      words.push({ text: part, confidence: word.confidence, box });
    }
  }
  return changed ? { ...line, text: words.map((w) => w.text).join(' '), words } : line;
}
