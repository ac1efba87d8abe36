import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT, segmentInList, segmentLetters } from './segment-words.js';
import { WordLexicon, languageList } from './word-lexicon.js';

// Plain lists in frequency order: the segmentation logic, not the shipped lists.
const english = languageList('english', [
  'the',
  'of',
  'a',
  'and',
  'place',
  'date',
  'birth',
  'some',
  'one',
  'high',
  'energy',
  'someone',
  's',
  'pen',
  'is',
  'penis',
  'driver',
  'license',
]);
const french = languageList('french', ['de', 'la', 'le', 'lieu', 'date', 'naissance']);

describe('segmentInList', () => {
  it('splits a glued run into the cheapest sequence of words', () => {
    expect(segmentInList('placeofbirth', english)?.words).toEqual(['place', 'of', 'birth']);
    expect(segmentInList('highenergy', english)?.words).toEqual(['high', 'energy']);
    expect(segmentInList('lieudenaissance', french)?.words).toEqual(['lieu', 'de', 'naissance']);
  });

  it('keeps a word of the list whole: one frequent word is cheaper than its parts', () => {
    expect(segmentInList('someone', english)?.words).toEqual(['someone']);
  });

  it('returns null when the run is not made of words of the list', () => {
    expect(segmentInList('contoso', english)).toBeNull();
    expect(segmentInList('', english)).toEqual({ words: [], cost: 0, language: 'english' });
  });

  it('uses a one-letter word only when it is among the most frequent of its list', () => {
    // "a" ranks 3rd: allowed; "s" ranks 13th of this list but oneLetterRank 2 rules it out.
    expect(segmentInList('pens', english, { ...DEFAULT_SEGMENT, oneLetterRank: 2 })).toBeNull();
    expect(segmentInList('adate', english, { ...DEFAULT_SEGMENT, oneLetterPenalty: 0 })?.words).toEqual(['a', 'date']);
  });

  it('makes a short last part (an inflection ending) expensive', () => {
    const plain = segmentInList('dateof', english, { ...DEFAULT_SEGMENT, shortLastPartPenalty: 0 })!;
    const penalised = segmentInList('dateof', english, { ...DEFAULT_SEGMENT, shortLastPartPenalty: 20 })!;
    expect(plain.words).toEqual(['date', 'of']);
    expect(penalised.cost - plain.cost).toBeCloseTo(20);
  });
});

describe('segmentLetters', () => {
  it('tries every language and ignores case', () => {
    const lexicon = new WordLexicon([english, french]);
    expect(segmentLetters('DRIVERLICENSE', lexicon)).toMatchObject({ words: ['driver', 'license'], language: 'english' });
    expect(segmentLetters('Lieudenaissance', lexicon)).toMatchObject({ words: ['lieu', 'de', 'naissance'], language: 'french' });
  });
});
