import { describe, expect, it } from 'vitest';
import { cleanLines, textScore, type RawLine, type RawWord } from './lines.js';
import { unrotateBox } from './tesseract-text-reader.js';

const word = (text: string, confidence: number, x0 = 0, y0 = 0, x1 = 10, y1 = 10): RawWord => ({
  text,
  confidence,
  bbox: { x0, y0, x1, y1 },
});

describe('cleanLines', () => {
  it('keeps a confident line and normalizes its box to the image', () => {
    const raw: RawLine[] = [{ words: [word('HIGH', 96, 100, 50, 200, 80), word('ENERGY', 95, 210, 50, 400, 80)] }];
    const [line] = cleanLines(raw, 1000, 500);
    expect(line?.text).toBe('HIGH ENERGY');
    expect(line?.confidence).toBeCloseTo(0.955, 3);
    expect(line?.box).toEqual({ x: 0.1, y: 0.1, width: 0.3, height: 0.06 });
    expect(line?.words.map((w) => w.text)).toEqual(['HIGH', 'ENERGY']);
  });

  it.each([
    ['punctuation only, however sure', [word('=', 96), word('|', 95)]],
    ['no anchor word of 3+ characters at 80+', [word('Yu', 68), word('BH', 76), word('ELE', 44)]],
    ['the taxis photo garbage: "ill" at 73', [word('ill', 73), word('Jl', 35)]],
    ['anchor present but the line mean is low', [word('Premera', 81), word('ww', 56), word('qq', 56), word('zz', 56)]],
  ])('drops a line of %s', (_name, words) => {
    expect(cleanLines([{ words }], 100, 100)).toEqual([]);
  });

  it('drops weak words inside a kept line but keeps a sure article', () => {
    const raw: RawLine[] = [{ words: [word('a', 95), word('free', 95), word('account', 96), word('ae', 12), word('a', 30)] }];
    expect(cleanLines(raw, 100, 100)[0]?.text).toBe('a free account');
  });

  it('clamps boxes that spill over the image edge', () => {
    const [line] = cleanLines([{ words: [word('VARTA', 92, -5, 90, 50, 120)] }], 100, 100);
    expect(line?.box).toEqual({ x: 0, y: 0.9, width: 0.5, height: 0.1 });
  });

  it('scores long confident readings above short ones', () => {
    const short = cleanLines([{ words: [word('VARTA', 92)] }], 10, 10);
    const long = cleanLines([{ words: [word('HIGH', 96), word('ENERGY', 96)] }, { words: [word('VARTA', 92)] }], 10, 10);
    expect(textScore(long)).toBeGreaterThan(textScore(short));
    expect(textScore([])).toBe(0);
  });
});

describe('unrotateBox', () => {
  const box = { x: 0.1, y: 0.2, width: 0.3, height: 0.1 };
  it('is the identity at 0', () => expect(unrotateBox(box, 0)).toEqual(box));
  it.each([90, 180, 270])('maps back from %i degrees so that rotating forth again gives the box', (deg) => {
    const back = unrotateBox(box, deg);
    // Rotating the upright box by the remaining angle must land on the original reading.
    const again = unrotateBox(back, (360 - deg) % 360);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(again[k]).toBeCloseTo(box[k], 9);
  });
  it('turns a wide box read sideways into a tall upright box', () => {
    const upright = unrotateBox({ x: 0.2, y: 0.4, width: 0.5, height: 0.1 }, 90);
    expect(upright.height).toBeCloseTo(0.5, 9);
    expect(upright.width).toBeCloseTo(0.1, 9);
    expect(upright.x).toBeCloseTo(0.4, 9);
    expect(upright.y).toBeCloseTo(0.3, 9);
  });
});
