import { describe, expect, it } from 'vitest';
import { LEXICON_LANGUAGES, WordLexicon, languageList, wordLexicon } from './word-lexicon.js';

describe('languageList', () => {
  it('ranks lower-cased letter words in order, first occurrence wins, and adds accent-free forms', () => {
    const list = languageList('french', ['Le', 'été', 'le', "aujourd'hui", '42', 'Été', 'ou', 'où']);
    expect([...list.ranks]).toEqual([
      ['le', 0],
      ['été', 1],
      ['ou', 2],
      ['où', 3],
      // "été" read without accents; "où" without them is "ou", which keeps its own rank.
      ['ete', 1],
    ]);
  });

  it('costs follow Zipf: a frequent word is cheaper', () => {
    const list = languageList('english', ['the', 'of', 'birth']);
    expect(WordLexicon.cost(list, 'the')!).toBeLessThan(WordLexicon.cost(list, 'birth')!);
    expect(WordLexicon.cost(list, 'nope')).toBeUndefined();
  });
});

describe('wordLexicon (the lists shipped in npm packages)', () => {
  const lexicon = wordLexicon();

  it('holds every language, and is loaded once', () => {
    expect(lexicon.lists.map((l) => l.language)).toEqual([...LEXICON_LANGUAGES]);
    expect(lexicon.lists[0]!.ranks.size).toBeGreaterThan(100_000);
    for (const list of lexicon.lists.slice(1)) expect(list.ranks.size).toBeGreaterThan(9_000);
    expect(wordLexicon()).toBe(lexicon);
  });

  it('knows words of each language, case-insensitively', () => {
    for (const word of ['Birth', 'naissance', 'Geburt', 'nacimiento', 'nascita', 'geboorte', 'nascimento', 'urodzenia', 'doğum'])
      expect(lexicon.has(word)).toBe(true);
    expect(lexicon.has('contoso')).toBe(false);
    expect(lexicon.bestRank('the')).toBe(0);
  });
});
