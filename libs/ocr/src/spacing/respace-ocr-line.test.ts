import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../lines.js';
import { respaceOcrLine } from './respace-ocr-line.js';

const box = (x: number, width: number) => ({ x, y: 0.2, width, height: 0.05 });

describe('respaceOcrLine', () => {
  it('splits a glued word into words with boxes cut in proportion to their characters', () => {
    const line: OcrLine = {
      text: 'Name ChrisSmith',
      confidence: 0.9,
      box: box(0.1, 0.5),
      words: [
        { text: 'Name', confidence: 0.95, box: box(0.1, 0.1) },
        { text: 'ChrisSmith', confidence: 0.85, box: box(0.3, 0.3) },
      ],
    };
    const out = respaceOcrLine(line);
    expect(out.text).toBe('Name Chris Smith');
    expect(out.words.map((w) => [w.text, w.box.x, w.box.width, w.confidence])).toEqual([
      ['Name', 0.1, 0.1, 0.95],
      ['Chris', 0.3, 0.15, 0.85],
      ['Smith', 0.45, 0.15, 0.85],
    ]);
    expect(out.box).toEqual(line.box);
  });

  it('returns the line itself when nothing is glued', () => {
    const line: OcrLine = {
      text: 'HIGH ENERGY',
      confidence: 0.9,
      box: box(0, 1),
      words: [
        { text: 'HIGH', confidence: 0.9, box: box(0, 0.4) },
        { text: 'ENERGY', confidence: 0.9, box: box(0.5, 0.5) },
      ],
    };
    expect(respaceOcrLine(line)).toBe(line);
  });
});
