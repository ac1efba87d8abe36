// The scoring rules on plain data: what counts as a leak and as over-redaction (score.ts header).
import { describe, expect, it } from 'vitest';
import type { PersonalString } from './ground-truth.js';
import { summaryLine, totals, type ScoredImage } from './report.js';
import { dateLeaks, leaksAtWordBoundary, leaksInto, normalise, occursAtWordBoundary, scoreImage, scoredWords } from './score.js';

const name = (value: string): PersonalString => ({ category: 'name', value });
const dob: PersonalString = { category: 'date_of_birth', value: '12 MAR/MARS 85', date: { year: 1985, month: 3, day: 12 } };

describe('leaks', () => {
  it('catches a name glued to its label in one token', () => {
    expect(leaksInto(name('John Smith'), 'PropertyofJohnSmith', [])).toBe(true);
    expect(leaksInto(name('Hollie Brown'), 'Givennames/PrénomsHOLLIE', [])).toBe(true);
  });

  it('does not count a name token that lies inside a longer non-personal word of the image', () => {
    // Surname "Nom" would match the bilingual label "Surname/Nom" everywhere.
    expect(leaksInto(name('Ann Nom'), 'Surname/Nomination', ['surname', 'nomination'])).toBe(false);
    expect(leaksInto(name('Ann Nom'), 'Surname/Nomination NOM', ['surname', 'nomination'])).toBe(true);
  });

  it('does not count a name token spelt only across two printed words back to back', () => {
    // "Ali" across "FEDERAL IDENTIFICATION": letters of printed words only, at neither word's edge.
    const cover = ['not', 'valid', 'for', 'federal', 'identification'];
    expect(leaksInto(name('Ali Rivera'), 'NOT VALID FOR FEDERAL IDENTIFICATION', cover)).toBe(false);
    // At a word's edge it is the name glued to a printed word, and still leaks.
    expect(leaksInto(name('Ali Rivera'), 'FOR FEDERAL ALI IDENTIFICATION', cover)).toBe(true);
    expect(leaksInto(name('Alfor Rivera'), 'VALID ALFOR FEDERAL', cover)).toBe(true);
  });

  it('ignores name tokens under three letters and redaction markers', () => {
    expect(leaksInto(name('Li Wu'), 'Li Wu', [])).toBe(false);
    expect(leaksInto(name('John Smith'), 'Property of [NAME]', [])).toBe(false);
  });

  it('finds a date in any format, glued or not, and only with day, month and year together', () => {
    for (const line of [
      '12MAR/MARS85',
      '12 MAR/MARS 85',
      'DOB 12.03.1985',
      '1985-03-12',
      '03/12/1985',
      'Geburtstag12031985',
      '12 mars 1985',
      'ZE000509<9CAN8503127F2301147',
    ]) {
      expect(dateLeaks(line, dob.date!), line).toBe(true);
    }
    for (const line of ['12 MAR', 'MAR 85', '[DATE_OF_BIRTH]', 'Date of birth/Date de naissance', '12 APR 85']) {
      expect(dateLeaks(line, dob.date!), line).toBe(false);
    }
    // A two-digit year equal to the day: 12.03.12.
    expect(dateLeaks('12 MAR 2012', { year: 2012, month: 3, day: 12 })).toBe(true);
  });

  it('treats a card expiry (no day) as month and year together', () => {
    const expiry = { year: 2027, month: 8, day: 0 };
    expect(dateLeaks('VALID THRU 08/27', expiry)).toBe(true);
    expect(dateLeaks('VALID THRU', expiry)).toBe(false);
  });

  it('leaks a number when six of its characters appear in a row', () => {
    const phone: PersonalString = { category: 'phone', value: '+49 30 1234567' };
    expect(leaksInto(phone, 'Tel. (030) 1234567', [])).toBe(true);
    expect(leaksInto(phone, 'Tel. [PHONE] 4567', [])).toBe(false);
    const iban: PersonalString = { category: 'iban', value: 'DE89 3704 0044 0532 0130 00' };
    expect(leaksInto(iban, 'IBAN DE8937', [])).toBe(true);
    expect(leaksInto(iban, 'IBAN [IBAN]', [])).toBe(false);
  });

  it('leaks an MRZ line from any ten consecutive characters', () => {
    const mrz: PersonalString = { category: 'mrz', value: 'P<CANBROWN<<HOLLIE<<<<<<<<<<<<<<<<<<<<<<<<<<' };
    expect(leaksInto(mrz, 'P<CANBROWN<<HOLL', [])).toBe(true);
    expect(leaksInto(mrz, 'P<CAN [MRZ]', [])).toBe(false);
  });

  it('leaks an e-mail by its local part and an address by its street name', () => {
    expect(leaksInto({ category: 'email', value: 'athina_dupont79@yahoo.fr' }, 'athina dupont79 yahoo fr', [])).toBe(true);
    expect(leaksInto({ category: 'email', value: 'athina_dupont79@yahoo.fr' }, '[EMAIL]', [])).toBe(false);
    const street: PersonalString = { category: 'address', value: 'Bensberger Str. 867' };
    expect(leaksInto(street, '8 BENSBERGERSTR867', [])).toBe(true);
    expect(leaksInto(street, 'Str. 867', [])).toBe(false);
  });

  it('counts a raw identifier among the sensitive identifiers as leaked, a hash as not', () => {
    const truth = { id: 'x', words: ['S/N'], personal: [{ category: 'serial_number' as const, value: 'R211JGHMB286' }] };
    const raw = scoreImage(truth, ['S/N: R211JGHMB286'], {
      lines: ['S/N: [SERIAL]'],
      identifiers: [{ kind: 'serial_number', value: 'R211JGHMB286' }],
    });
    expect(raw.personal[0]!.leaked).toBe(true);
    expect(raw.personal[0]!.where).toBe('identifier:serial_number');
    const hashed = scoreImage(truth, ['S/N: R211JGHMB286'], {
      lines: ['S/N: [SERIAL]'],
      identifiers: [{ kind: 'serial_number', value: 'hmac-sha256:3f1c9a0b7d2e4f6a8b0c1d2e3f4a5b6c' }],
    });
    expect(hashed.personal[0]!.leaked).toBe(false);
  });
});

describe('keyed hashes', () => {
  it('never compares a published keyed hash, whose digits can spell a birth date by chance; a raw value beside it leaks', () => {
    const truth = {
      id: 'h',
      words: [],
      personal: [{ category: 'date_of_birth', value: '03/07/1991', date: { year: 1991, month: 7, day: 3 } } as PersonalString],
    };
    const hash = '850996256d486d63fd3156b4745def3bd91bff80b7ac8dd0fd3fdd67420c' + '0307';
    const chance = hash.slice(0, 60) + '9107';
    expect(dateLeaks(chance, truth.personal[0]!.date!)).toBe(true);
    expect(scoreImage(truth, [], { lines: [], identifiers: [{ kind: 'document_number', value: chance }] }).personal[0]!.leaked).toBe(false);
    expect(scoreImage(truth, [], { lines: [], identifiers: [{ kind: 'document_number', value: '03071991' }] }).personal[0]!.leaked).toBe(
      true,
    );
    expect(hash).toHaveLength(64);
  });
});

describe('document evidence', () => {
  it("never compares the recogniser's evidence names, constants of its vocabulary; a raw identifier beside them leaks", () => {
    const street = { category: 'address', value: '4 Wilderman Fields' } as PersonalString;
    const truth = { id: 'e', words: [], personal: [street] };
    const evidence = [{ kind: 'document_evidence', value: 'numbered licence fields' }];
    expect(leaksInto(street, 'numbered licence fields', [])).toBe(true);
    expect(scoreImage(truth, [], { lines: [], identifiers: evidence }).personal[0]!.leaked).toBe(false);
    expect(scoreImage(truth, ['8.4 Wilderman Fields'], { lines: ['4 Wilderman Fields'], identifiers: evidence }).personal[0]!.leaked).toBe(
      true,
    );
  });
});

describe('word-boundary counting', () => {
  it('leaves out a name found only inside a longer word, with a letter on either side', () => {
    // "Anita" inside the health insurance card's published evidence "tessera sanitaria".
    expect(leaksInto(name('Anita Rossi'), 'phrase:tessera sanitaria', [])).toBe(true);
    expect(leaksAtWordBoundary(name('Anita Rossi'), 'phrase:tessera sanitaria', [])).toBe(false);
    expect(leaksAtWordBoundary(name('Anita Rossi'), 'Anita', [])).toBe(true);
    expect(leaksAtWordBoundary(name('Anita Rossi'), 'Nome: ROSSI,', [])).toBe(true);
  });

  it('takes a change of case for a boundary (words the recogniser glued keep their capitals)', () => {
    expect(occursAtWordBoundary('PropertyofJohnSmith', 'john')).toBe(true);
    expect(occursAtWordBoundary('Givennames/PrénomsHOLLIE', 'hollie')).toBe(true);
    expect(occursAtWordBoundary("SMITHHolder'ssignature", 'smith')).toBe(true);
    expect(occursAtWordBoundary('Sanitaria', 'anita')).toBe(false);
    expect(occursAtWordBoundary('SANITARIA', 'anita')).toBe(false);
  });

  it('marks the leak each way in a scored image, and a town of birth also printed in the issuer name', () => {
    const truth = {
      id: 't',
      words: ['Comune di Verona'],
      personal: [name('Anita Rossi'), { category: 'place_of_birth', value: 'Verona' } as PersonalString],
    };
    const score = scoreImage(truth, [], { lines: ['tessera sanitaria', 'Comune di Verona'], identifiers: [] });
    expect(score.personal.map((p) => [p.leaked, p.inWordOnly, p.alsoPrinted])).toEqual([
      [true, true, false],
      [true, false, true],
    ]);
    // The recogniser's evidence published among the identifiers, as tune seed 11 found it: a constant of
    // its vocabulary, never compared (privacy-rules-17's scorer).
    const evidence = { kind: 'document_evidence', value: 'phrase:tessera sanitaria' };
    const byEvidence = scoreImage({ ...truth, words: [] }, [], { lines: [], identifiers: [evidence] });
    expect(byEvidence.personal[0]).toMatchObject({ leaked: false });
  });
});

describe('name particles', () => {
  const place = (value: string): PersonalString => ({ category: 'place_of_birth', value });

  it('does not count a particle alone as a leak of a name or place, and counts it the earlier way beside', () => {
    // "van" inside printed wording names nobody; "Dijk" does.
    expect(leaksInto(name('Anna van Dijk'), 'Burgemeester van Borger', [])).toBe(false);
    expect(leaksInto(name('Anna van Dijk'), 'Burgemeester van Borger', [], true)).toBe(true);
    expect(leaksInto(name('Anna van Dijk'), 'van Dijk', [])).toBe(true);
    expect(leaksInto(name('Espinosa de los Monteros'), 'Los Angeles', [])).toBe(false);
    expect(leaksInto(place('Brandenburg an der Havel'), 'Bundesrepublik der Deutschen', [])).toBe(false);
    expect(leaksInto(place('Brandenburg an der Havel'), 'HAVEL', [])).toBe(true);
    // A capitalised particle is a particle too; a name of particles only keeps them.
    expect(leaksInto(name('Jan Van Dijk'), 'VAN', [])).toBe(false);
    expect(leaksInto(name('Van Der'), 'VAN', [])).toBe(true);
    // A street's particle is no street word either.
    const street: PersonalString = { category: 'address', value: 'Via della Rosa 12' };
    expect(leaksInto(street, 'Farmacia della Stazione', [])).toBe(false);
    expect(leaksInto(street, 'Farmacia della Stazione', [], true)).toBe(true);
    expect(leaksInto(street, 'ROSA', [])).toBe(true);
  });

  it('scores both countings on an image and sums them into both totals', () => {
    const truth = { id: 'n', words: ['Burgemeester van Borger'], personal: [name('Anna van Dijk'), name('Piet Jansen')] };
    const score = scoreImage(truth, [], { lines: ['Burgemeester van Borger', 'JANSEN'], identifiers: [] });
    expect(score.personal.map((p) => [p.leaked, p.leakedCountingParticles])).toEqual([
      [false, true],
      [true, true],
    ]);
    const image = {
      truth: { ...truth, kind: 'passport', faces: [] },
      score,
      documentType: 'passport',
      facesBlurred: 0,
    } as unknown as ScoredImage;
    const t = totals([image]);
    expect([t.leaked, t.leaked_counting_particles]).toEqual([1, 2]);
    expect(summaryLine(t)).toContain('leaked=1 leak_rate=0.5000 leaked_counting_particles=2 ');
  });
});

describe('over-redaction', () => {
  const truth = {
    id: 'p',
    words: ['Surname/Nom', 'Given names/Prénoms', 'PASSPORT'],
    personal: [name('BROWN'), name('HOLLIE')],
  };

  it('counts a label the OCR read and the service withheld', () => {
    const s = scoreImage(truth, ['Surname/Nom BROWN', 'PASSPORT'], { lines: ['[NAME]', 'PASSPORT'], identifiers: [] });
    const surname = s.words.find((w) => w.word === 'surname')!;
    expect(surname).toEqual({ word: 'surname', read: true, published: false });
  });

  it('does not count a label the OCR never read', () => {
    const s = scoreImage(truth, ['BROWN', 'PASSPORT'], { lines: ['[NAME]', 'PASSPORT'], identifiers: [] });
    expect(s.words.find((w) => w.word === 'prenoms')).toEqual({ word: 'prenoms', read: false, published: false });
    expect(s.words.filter((w) => w.read && !w.published)).toEqual([]);
  });

  it('finds words read glued together, and scores only words of three characters or more', () => {
    expect(scoredWords(truth)).toEqual(['surname', 'nom', 'given', 'names', 'prenoms', 'passport']);
    const s = scoreImage(truth, ['Givennames/PrénomsHOLLIE'], { lines: ['Givennames/Prénoms[NAME]'], identifiers: [] });
    expect(s.words.filter((w) => w.read).map((w) => w.word)).toEqual(['given', 'names', 'prenoms']);
    expect(s.words.filter((w) => w.read && !w.published)).toEqual([]);
  });

  it('leaves out words that are also part of a personal string', () => {
    expect(scoredWords({ words: ['Stadt Köln', 'Köln'], personal: [{ category: 'address', value: 'Kölner Str. 5' }] })).toEqual(['stadt']);
  });

  it('normalises accents, case, spaces and punctuation away', () => {
    expect(normalise('Prénoms / Given-Names [NAME] Straße')).toBe('prenomsgivennamesstrasse');
  });
});
