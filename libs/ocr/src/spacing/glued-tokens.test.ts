import { describe, expect, it } from 'vitest';
import { gluedWords, isGluedWordToken } from './glued-tokens.js';

describe('the glued-token test (the word lists shipped in npm packages)', () => {
  it('calls a token glued when a run of letters is no word but splits into words', () => {
    expect(gluedWords('DRIVERLICENSE')).toEqual(['driver', 'license']);
    expect(gluedWords('Placeofbirth/Lieudenaissance')).toEqual(['place', 'of', 'birth']);
    expect(isGluedWordToken('startwith')).toBe(true);
  });

  it('does not call words, short codes or number runs glued', () => {
    for (const token of ['driver', 'LICENSE', 'Naissance', 'PPO', 'BCBS', '123456789', 'KX200', ''])
      expect(isGluedWordToken(token)).toBe(false);
  });
});
