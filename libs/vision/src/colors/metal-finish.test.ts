import { describe, expect, it } from 'vitest';
import type { Cell } from './cell-grid.js';
import type { Lab } from './color-space.js';
import { lightnessSpread, withMetalFinish } from './metal-finish.js';

/** One item cell per Lab, all weighted as item. */
const cellsOf = (labs: Lab[]): { cells: Cell[]; weights: number[] } => ({
  cells: labs.map((lab, i) => ({ lab, inside: true, rim: false, prior: 1, gx: i, gy: 0 })),
  weights: labs.map(() => 1),
});
const ramp = (n: number, from: number, to: number, a = 0, b = 0): Lab[] =>
  Array.from({ length: n }, (_, i) => ({ l: from + ((to - from) * i) / (n - 1), a, b }));

describe('withMetalFinish', () => {
  it('names a neutral surface with a highlight-to-reflection lightness swing silver', () => {
    const { cells, weights } = cellsOf(ramp(40, 60, 100));
    const colours = withMetalFinish([{ name: 'white', hex: '#e0e0e0', share: 1 }], cells, weights);
    expect(colours.map((c) => c.name)).toEqual(['silver']);
  });

  it('keeps an evenly lit white page with black print white, and merges nothing it did not rename', () => {
    // Paper at L* 90-95, print at L* 15: the dark cells stay out of the spread.
    const { cells, weights } = cellsOf([...ramp(40, 90, 95), ...ramp(20, 12, 18)]);
    expect(lightnessSpread(cells, weights, 'white', 'silver')).toBeLessThan(5);
    const colours = withMetalFinish(
      [
        { name: 'white', hex: '#f0f0f0', share: 0.7 },
        { name: 'black', hex: '#202020', share: 0.3 },
      ],
      cells,
      weights,
    );
    expect(colours.map((c) => c.name)).toEqual(['white', 'black']);
  });

  it('names a yellow surface with a metal lightness swing gold, merging it with the gold already named', () => {
    const { cells, weights } = cellsOf(ramp(40, 55, 95, 5, 60));
    const colours = withMetalFinish(
      [
        { name: 'yellow', hex: '#f0c800', share: 0.4 },
        { name: 'gold', hex: '#b8942a', share: 0.35 },
        { name: 'beige', hex: '#d8c8a8', share: 0.25 },
      ],
      cells,
      weights,
    );
    expect(colours).toEqual([
      { name: 'gold', hex: '#f0c800', share: 0.75 },
      { name: 'beige', hex: '#d8c8a8', share: 0.25 },
    ]);
  });

  it('leaves a white second colour of a grey item white, however uneven', () => {
    const { cells, weights } = cellsOf(ramp(40, 60, 100));
    const colours = withMetalFinish(
      [
        { name: 'silver', hex: '#b0b0b0', share: 0.6 },
        { name: 'white', hex: '#f8f8f8', share: 0.4 },
      ],
      cells,
      weights,
    );
    expect(colours.map((c) => c.name)).toEqual(['silver', 'white']);
  });

  it('leaves a matte yellow yellow', () => {
    const { cells, weights } = cellsOf(ramp(40, 82, 90, 0, 70));
    expect(withMetalFinish([{ name: 'yellow', hex: '#f0c800', share: 1 }], cells, weights)[0]!.name).toBe('yellow');
  });
});
