import { describe, expect, it } from 'vitest';
import { ctcDecode, splitGappedDigits } from './ctc-decode.js';

describe('ctcDecode', () => {
  const keys = ['a', 'b', 'c'];
  // 5 classes: blank, a, b, c, space.
  const seq = (steps: number[][]): Float32Array => Float32Array.from(steps.flat());
  const onehot = (k: number, p = 0.9): number[] => [0, 1, 2, 3, 4].map((i) => (i === k ? p : (1 - p) / 4));

  it('drops blanks, collapses repeats, maps index i to keys[i-1] and the last index to a space', () => {
    const probs = seq([onehot(1), onehot(1), onehot(0), onehot(1), onehot(4), onehot(2, 0.7), onehot(2), onehot(3, 0.5)]);
    const out = ctcDecode(probs, 0, 8, 5, keys);
    expect(out.text).toBe('aa bc');
    expect(out.confidence).toBeCloseTo((0.9 + 0.9 + 0.9 + 0.7 + 0.5) / 5, 6);
    expect(out.steps).toEqual([0, 3, 4, 5, 7]);
  });

  it('records where each character ends and the space probability the blanks before it hid', () => {
    const mixed = (blank: number, space: number): number[] => [blank, 0, 0, 0, space];
    // a a blank(space 0.3) blank(space 0.1) b
    const probs = seq([onehot(1), onehot(1), mixed(0.7, 0.3), mixed(0.9, 0.1), onehot(2)]);
    const out = ctcDecode(probs, 0, 5, 5, keys);
    expect(out.text).toBe('ab');
    expect(out.steps).toEqual([0, 4]);
    expect(out.ends).toEqual([1, 4]);
    expect(out.spaceProbs[0]).toBe(0);
    expect(out.spaceProbs[1]).toBeCloseTo(0.3, 6);
  });

  it('gives confidence 0 for an all-blank sequence', () => {
    expect(ctcDecode(seq([onehot(0), onehot(0)]), 0, 2, 5, keys)).toEqual({ text: '', confidence: 0, steps: [], ends: [], spaceProbs: [] });
  });

  it('reads a sequence at an offset (one item of a batch)', () => {
    const probs = seq([onehot(1), onehot(2), onehot(3), onehot(3)]);
    expect(ctcDecode(probs, 2 * 5, 2, 5, keys).text).toBe('c');
  });
});

describe('splitGappedDigits', () => {
  // Timesteps below are the CTC alignments the rec model gave on ../shared/photos.
  it('splits a calendar row into its days by the wide gaps between them', () => {
    expect(splitGappedDigits({ text: '12131415', confidence: 1, steps: [2, 4, 12, 15, 22, 25, 32, 35] })).toBe('12 13 14 15');
    expect(splitGappedDigits({ text: '242526272829', confidence: 1, steps: [1, 4, 10, 12, 19, 21, 27, 30, 36, 39, 45, 47] })).toBe(
      '24 25 26 27 28 29',
    );
  });

  it('leaves evenly set numbers whole: phone numbers, ids, MRZ digits', () => {
    expect(
      splitGappedDigits({
        text: 'tel:+44(0)2098765432',
        confidence: 1,
        steps: [1, 4, 6, 8, 11, 14, 17, 21, 23, 25, 29, 31, 36, 38, 41, 44, 48, 50, 53, 56],
      }),
    ).toBe('tel:+44(0)2098765432');
    expect(splitGappedDigits({ text: '123456789', confidence: 1, steps: [3, 5, 8, 11, 14, 18, 21, 24, 27] })).toBe('123456789');
    expect(splitGappedDigits({ text: 'feb.2020', confidence: 1, steps: [1, 3, 6, 9, 12, 14, 17, 20] })).toBe('feb.2020');
  });

  it('never splits letters or short digit runs, and trusts nothing when steps and text disagree', () => {
    expect(splitGappedDigits({ text: 'IBM 123', confidence: 1, steps: [1, 2, 20, 21, 22, 40, 41] })).toBe('IBM 123');
    expect(splitGappedDigits({ text: '1234', confidence: 1, steps: [1, 2] })).toBe('1234');
  });
});
