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

/** The reader's digit/letter confusions of a printing (phraseSource's ocrConfusions): O→0, S→5, I→1, l→|, I↔l. */
function confusedPrintings(phrase: string): string[] {
  return printings(phrase).flatMap((p) => [
    p.replace(/[oO]/g, '0').replace(/[sS]/g, '5'),
    p.replace(/[iI]/g, '1').replace(/[lL]/g, '|'),
    p.replace(/[iI]/g, 'l').replace(/[oO]/g, '0'),
  ]);
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

  it('is held by every match of a folded pattern, confused spellings too ("T.0.M." holds o-or-0)', () => {
    const options = { ocrConfusions: true };
    let confused = 0;
    for (const phrase of [...PHRASES, 'T.O.M.', 'valid until', 'bis']) {
      const pattern = new RegExp(phraseSource(phrase, options), 'giu');
      const runs = requiredCharRuns(phrase, options);
      for (const line of [...printings(phrase), ...confusedPrintings(phrase)])
        for (const m of line.matchAll(pattern)) {
          if (/[05|1]/.test(m[0])) confused++;
          for (const run of runs) expect(holdsRun(m[0], run), `${phrase} in ${m[0]}: ${run.join('')}`).toBe(true);
        }
    }
    expect(confused).toBeGreaterThan(PHRASES.length);
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

  it('finds a folded label in its confused spelling past the pre-check, and only where folded', () => {
    const phrases = ['t.o.m.', 'valid until', 'bis'].map((phrase) => ({ phrase, payload: phrase }));
    const folded = new PhraseMatcher(phrases, { ocrConfusions: true });
    expect(folded.find('GELDIG T.0.M. 12.2030').map((m) => m.phrase)).toEqual(['t.o.m.']);
    expect(folded.find('VAL1D UNT|L 03/29').map((m) => m.phrase)).toEqual(['valid until']);
    expect(folded.find('GÜLTIG BI5 2031').map((m) => m.phrase)).toEqual(['bis']);
    expect(new PhraseMatcher(phrases).find('GELDIG T.0.M. 12.2030')).toEqual([]);
  });
});
