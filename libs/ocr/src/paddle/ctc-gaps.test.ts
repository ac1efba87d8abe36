import { describe, expect, it } from 'vitest';
import type { Decoded } from './ctc-decode.js';
import { DEFAULT_GAP_SCORE, gapFeatures, gapScore, gapsForPublished } from './ctc-gaps.js';

// "ACMEAUDIO": characters 4 steps apart, one blank in between, and a wider gap with some space
// probability before the A of AUDIO.
const acme: Decoded = {
  text: 'ACMEAUDIO',
  confidence: 0.9,
  steps: [0, 4, 8, 12, 20, 24, 28, 32, 36],
  ends: [2, 6, 10, 14, 22, 26, 30, 34, 38],
  spaceProbs: [0, 0, 0.001, 0, 0.04, 0, 0, 0.002, 0],
};

describe('gapFeatures', () => {
  it('measures blanks against the line pitch', () => {
    const f = gapFeatures(acme);
    expect(f[0]).toBeNull();
    expect(f[1]).toEqual({ blanks: 1, pitch: 4, spaceProb: 0 });
    expect(f[4]).toEqual({ blanks: 5, pitch: 4, spaceProb: 0.04 });
  });

  it('has nothing to say next to a space the model read, or when the alignment is missing', () => {
    const f = gapFeatures({ text: 'AB CD', confidence: 1, steps: [0, 3, 5, 7, 10], ends: [1, 4, 5, 8, 11], spaceProbs: [0, 0, 0, 0, 0] });
    expect(f.map((x) => x !== null)).toEqual([false, true, false, false, true]);
    expect(gapFeatures({ text: 'AB', confidence: 1, steps: [0], ends: [0], spaceProbs: [0] })).toEqual([null, null]);
  });
});

describe('gapScore', () => {
  it('scores 1 or more for a wide gap or a space the blank hid, NaN where there is no gap', () => {
    const f = gapFeatures(acme);
    expect(gapScore(f[4]!)).toBeGreaterThanOrEqual(1);
    expect(gapScore(f[1]!)).toBeLessThan(1);
    expect(gapScore({ blanks: 8, pitch: 4, spaceProb: 0 })).toBeCloseTo(1);
    expect(gapScore({ blanks: 0, pitch: 4, spaceProb: DEFAULT_GAP_SCORE.spaceProb })).toBeCloseTo(1);
    expect(gapScore(null)).toBeNaN();
  });
});

describe('gapsForPublished', () => {
  it('carries the scores onto the published line by walking its characters', () => {
    const gaps = gapsForPublished('ACME AUDIO', acme);
    expect(gaps).toHaveLength(10);
    // After the space inserted before AUDIO there is no gap left to score.
    expect(gaps[5]).toBeNaN();
    expect(gaps[1]).toBeLessThan(1);
    expect(gapsForPublished('ACMEAUDIO', acme)[4]).toBeGreaterThanOrEqual(1);
  });

  it('maps full-width characters through NFKC and gives up on a line that is not the reading', () => {
    const wide: Decoded = { text: 'ＡB', confidence: 1, steps: [0, 9], ends: [0, 9], spaceProbs: [0, 0.5] };
    expect(gapsForPublished('AB', wide)[1]).toBeGreaterThanOrEqual(1);
    expect(gapsForPublished('XYZ', acme).every(Number.isNaN)).toBe(true);
  });
});
