import { describe, expect, it } from 'vitest';
import { AUTHORITIES } from './authorities.js';
import { FIELD_LABELS } from './field-labels.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { phraseSource, requiredCharRuns } from './phrase-pattern.js';

// Phrases with every kind of piece: optional spaces, dots, hyphens, apostrophes, ß, {no}, accents.
const PHRASES = [
  ...FIELD_LABELS.flatMap((label) => label.phrases),
  ...AUTHORITIES,
  'Straße',
  "holder's signature",
  'e-mail',
  'Card {no}',
  'Ř.I.D.',
  'Kennzeichen',
];

/** Ways OCR prints a phrase: cased, glued, accents dropped, ß spelt out, case-fold look-alikes (ſ, K). */
function printings(phrase: string): string[] {
  const plain = phrase.replace(/\{no\}/g, 'No.');
  const unaccented = plain.normalize('NFD').replace(/\p{M}/gu, '');
  return [plain, plain.toUpperCase(), plain.replace(/\s+/g, ''), unaccented.toUpperCase(), plain.replace(/ß/g, 'ss')]
    .flatMap((p) => [p, p.replace(/s/g, 'ſ').replace(/k/g, '\u212a')])
    .map((p) => `x1 ${p}: VALUE`);
}

/** Whether the run's pieces match consecutive code points somewhere in text. */
function holdsRun(text: string, run: readonly string[]): boolean {
  const pieces = run.map((source) => new RegExp(`^(?:${source})$`, 'iu'));
  const chars = [...text];
  return chars.some((_, at) => pieces.every((piece, k) => at + k < chars.length && piece.test(chars[at + k]!)));
}

describe('requiredCharRuns', () => {
  it("is held by every match of the phrase's pattern (the matcher's pre-check never skips one)", () => {
    let matches = 0;
    for (const phrase of PHRASES) {
      const pattern = new RegExp(phraseSource(phrase), 'giu');
      const runs = requiredCharRuns(phrase);
      for (const line of printings(phrase))
        for (const m of line.matchAll(pattern)) {
          matches++;
          for (const run of runs) expect(holdsRun(m[0], run), `${phrase} in ${m[0]}: ${run.join('')}`).toBe(true);
        }
    }
    expect(matches).toBeGreaterThan(PHRASES.length * 4);
  });

  it('leaves out what a match may lack (spaces, dots, hyphens, apostrophes, ß, the number mark)', () => {
    // holder | ' | s | space | e | - | mail | . | space | No | space | {no}
    expect(requiredCharRuns("holder's e-mail. No {no}").map((run) => run.length)).toEqual([6, 1, 1, 4, 2]);
    expect(requiredCharRuns('Straße')).toEqual([['[sśşšș]', '[tťţț]', '[rřŕ]', '[aàáâãäąåă]'], ['[eèéêëęěė]']]);
  });
});

describe('PhraseMatcher', () => {
  const matcher = new PhraseMatcher(['date of birth', 'straße', 'nom'].map((phrase) => ({ phrase, payload: phrase })));

  it('finds phrases glued, cased and folded as their patterns do', () => {
    expect(matcher.find('DATEOFBIRTH12MAR85').map((m) => m.phrase)).toEqual(['date of birth']);
    expect(matcher.find('STRASSE 5').map((m) => m.phrase)).toEqual(['straße']);
    expect(matcher.find('\u212aNOM: Dupont').map((m) => m.phrase)).toEqual([]);
    expect(matcher.find('Nom/Name: Dupont').map((m) => m.phrase)).toEqual(['nom']);
    expect(matcher.find('economy').map((m) => m.phrase)).toEqual([]);
  });
});
