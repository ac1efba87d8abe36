import { describe, expect, it } from 'vitest';
import { findGluedStreets, hasPostcodeAndCity, isStreetShapedLine } from './detectors/addresses.js';
import { findDates, isGluedNumericDate } from './detectors/dates.js';
import { licenceFieldNumbersOpeningLines } from './detectors/licence-fields.js';
import { findPhones } from './detectors/phones.js';
import { personalTextEvidence } from './personal-text.js';
import { recogniseDocument } from './recognise-document.js';
import { redactPersonalData } from './redact.js';

/** Every personal value must be gone, every printed word must stay. */
function expectRedacted(text: string, secrets: string[], kept: string[]): ReturnType<typeof redactPersonalData> {
  const result = redactPersonalData(text);
  for (const secret of secrets) expect(result.text.toLowerCase(), `leaks ${secret}:\n${result.text}`).not.toContain(secret.toLowerCase());
  for (const word of kept) expect(result.text, `lost ${word}:\n${result.text}`).toContain(word);
  expect(result.text.split('\n')).toHaveLength(text.split('\n').length);
  return result;
}

const spansOf = (line: string, spans: Array<{ start: number; end: number }>): string[] => spans.map((s) => line.slice(s.start, s.end));

describe('fail closed: a text that looks like a personal card, of a type no rule knows (privacy-rules-5)', () => {
  // An Indian PAN card: no title, label or layout of the vocabulary, but a date, a name and a number.
  const pan = [
    'INCOME TAX DEPARTMENT',
    'GOVT. OF INDIA',
    'RAHUL KUMAR SHARMA',
    'SURESH KUMAR SHARMA',
    '15/08/1985',
    'Permanent Account Number',
    'BNZPS4821K',
  ].join('\n');

  it('a date, a name-shaped line and a number-shaped value on one text are evidence of a personal card', () => {
    const lines = pan.split('\n');
    expect(personalTextEvidence(lines, (l) => /^[A-Z]+ [A-Z]+ [A-Z]+$/.test(l)).evidence).toContain('date, name and number');
    expect(recogniseDocument(pan)).toBeNull();
  });

  it('on such a text the names, the date and the number go; the issuer and the country stay', () => {
    const r = expectRedacted(pan, ['RAHUL', 'SURESH', 'SHARMA', '15/08/1985', 'BNZPS4821K'], ['INCOME TAX DEPARTMENT', 'INDIA']);
    expect(r.document).toBeNull();
  });

  it('an MRZ-like line OCR could not read whole makes the text personal', () => {
    const lines = ['REPUBLIC OF KENYA', 'IDKYA2345678<<<<<<<<<<<<<<<', 'WANJIRU<<GRACE<<<<<<<<<<<'];
    expect(personalTextEvidence(lines, () => false).evidence).toContain('mrz-like line');
  });

  it('labelled lines with a full date are a form about someone: the date and the 5-character numbers go', () => {
    const text = ['MEMBERSHIP', 'Club: Harbour Rowing', 'Joined: 03.04.2019', 'No: 48213', 'Level: Senior'].join('\n');
    expectRedacted(text, ['03.04.2019', '48213'], ['MEMBERSHIP', 'Joined']);
  });

  it('a number printed in groups (a national number of many countries) goes on a personal text, a date stays a date', () => {
    const text = [
      'CARTEIRA DE SÓCIO',
      'Sócio: Ana Beatriz Souza',
      'Desde: 12/03/2019',
      'Registro: 123.456.789-09',
      'Válido: 01/02/2027',
    ].join('\n');
    // The title is no word of the vocabulary: failing closed, it goes as a name would (the cost).
    expectRedacted(text, ['123.456.789-09', 'Ana Beatriz Souza', '12/03/2019', '01/02/2027'], ['Sócio:', 'Registro:', 'Válido:']);
    const line = 'Ref 2023 448 1190 77';
    // As a number or, valid in some region of the vocabulary, as a phone: either way it goes.
    expect(redactPersonalData(`${text}\n${line}`).text.split('\n').at(-1)).toMatch(/^Ref \[(?:ID|PHONE)\]$/);
  });

  it('a product label or a device sticker (labelled lines, no date) is left as it is', () => {
    for (const text of [
      ['Kettle Pro', 'Model: WK-2201', 'Input: 220-240V~ 50/60Hz', 'Power: 2200W', 'Made in China'].join('\n'),
      ['Apple', 'Model: A2337', 'FCC ID: BCG-E3538', 'Designed by Apple in California'].join('\n'),
    ]) {
      expect(personalTextEvidence(text.split('\n'), () => true).evidence).toEqual([]);
      expect(redactPersonalData(text).text).toBe(text);
    }
  });
});

describe('ISO/IEC 18013 field numbers make a driving licence in any language (privacy-rules-5)', () => {
  // A Czech licence as OCR reads it without its title: the numbers 1, 2, 3, 4a-4d, 5, 9 are the model's.
  const licence = [
    '1. NOVÁKOVÁ',
    '2. JANA',
    '3. 12.04.1990 BRNO',
    '4a. 01.02.2020',
    '4b. 01.02.2030',
    '4c. MAGISTRÁT MĚSTA BRNA',
    '5. EF 123456',
    '9. AM/B1/B',
  ].join('\n');

  it('four numbered lines, one lettered, are a licence without a title', () => {
    expect(licenceFieldNumbersOpeningLines(licence.split('\n'))).toEqual(new Set(['1', '2', '3', '4a', '4b', '4c', '5', '9']));
    expect(recogniseDocument(licence)?.type).toBe('driving licence');
    const r = expectRedacted(licence, ['NOVÁKOVÁ', 'JANA', '12.04.1990', 'BRNO', '01.02.2020', '123456'], ['4c.', '9.']);
    // The field number stays, and the date is a date, not a phone read through "3. 12.04.1990".
    expect(r.text.split('\n')[2]).toMatch(/^3\. \[(?:DOB|DATE)\]/);
  });

  it('a list of numbered steps is no licence (no lettered field)', () => {
    const steps = ['1. Open the lid', '2. Fill with water', '3. Close the lid', '5. Press the switch', '8. Wait'].join('\n');
    expect(recogniseDocument(steps)?.type).not.toBe('driving licence');
  });
});

describe('shapes no rule read before (privacy-rules-5)', () => {
  it('eight digits that are a calendar date, in the orders documents print', () => {
    expect(isGluedNumericDate('07122025')).toBe(true); // DDMMYYYY
    expect(isGluedNumericDate('19850312')).toBe(true); // YYYYMMDD
    expect(isGluedNumericDate('12312024')).toBe(true); // MMDDYYYY
    expect(isGluedNumericDate('12345678')).toBe(false);
    expect(isGluedNumericDate('31021990')).toBe(false); // no 31 February
    expect(isGluedNumericDate('29022023')).toBe(false); // 2023 is no leap year
    expect(spansOf('DATE 07122025 GATE B12', findDates('DATE 07122025 GATE B12', { monthYear: false, glued: true }))).toEqual(['07122025']);
    // Only where the caller says the text is personal.
    expect(findDates('ORDER 07122025', { monthYear: false })).toEqual([]);
  });

  it('a phone written in groups with separators, valid in a region of the vocabulary, on a personal text', () => {
    const options = { regions: ['US', 'GB'], national: false, labelEnds: [], formatted: true };
    for (const [line, phone] of [
      ['Customer Service 1-800-555-0199', '1-800-555-0199'],
      ['Atendimento (11) 98765-4321', '(11) 98765-4321'],
      ['Kundtjänst 08-123 456 78', '08-123 456 78'],
    ] as const) {
      expect(spansOf(line, findPhones(line, options)).join(' '), line).toContain(phone);
    }
    // A date with dots is no phone, nor a number without its groups; a French number with dots is one.
    expect(findPhones('Valid 12.03.2028', options)).toEqual([]);
    expect(findPhones('3. 12.04.1990 BRNO', options)).toEqual([]);
    expect(new Set(spansOf('Portable 06.12.34.56.78', findPhones('Portable 06.12.34.56.78', options)))).toEqual(
      new Set(['06.12.34.56.78']),
    );
    expect(findPhones('Customer Service 1-800-555-0199', { ...options, formatted: false })).toEqual([]);
  });

  it('a street line glued into one token: a house number glued to a street word of the vocabulary', () => {
    for (const [line, street] of [
      ['RuadasFlores123,Centro', 'RuadasFlores123,Centro'],
      ['CalleMayor5', 'CalleMayor5'],
      ['Lindenstraße12', 'Lindenstraße12'],
      ['221BBakerStreet', '221BBakerStreet'],
    ] as const) {
      expect(spansOf(line, findGluedStreets(line)), line).toEqual([street]);
    }
    for (const line of ['Model:UD-8311', 'PropertyofChrisSmith', 'Input:100-240V~50/60Hz'])
      expect(findGluedStreets(line), line).toEqual([]);
  });
});

describe('a portrait printed beside the text, and a name on two lines (privacy-rules-6)', () => {
  // A library card: issuer, card title, holder, validity. No wording of a type the rules know, no number.
  const libraryCard = 'STADTBIBLIOTHEK LINZ\nLeseausweis\nJohanna Bergmann\ngültig bis 12/2026';

  it('without a portrait, a card with a name and a month alone is not evidence enough', () => {
    expect(redactPersonalData(libraryCard).text).toContain('Johanna Bergmann');
  });

  it('with a portrait beside it, the text fails closed: the holder and the date go, the issuer stays', () => {
    const r = redactPersonalData(libraryCard, { portrait: true });
    expect(r.text).not.toMatch(/Johanna|Bergmann|12\/2026/);
    expect(r.text).toContain('STADTBIBLIOTHEK LINZ');
    expect(r.text).toContain('Leseausweis');
    expect(r.text.split('\n')).toHaveLength(4);
  });

  it('a name printed as two single-word lines goes on a personal text', () => {
    const studentCard = 'ST. MARY COLLEGE\nSTUDENT\nAisha\nOkafor';
    const r = redactPersonalData(studentCard, { portrait: true });
    expect(r.text).not.toMatch(/Aisha|Okafor/);
    expect(r.text).toContain('ST. MARY COLLEGE');
    // With a labelled student number beside it, the pair is the name of "name and labelled number".
    expectRedacted(`${studentCard}\nMatr.-Nr. 0045871`, ['Aisha', 'Okafor', '0045871'], ['ST. MARY COLLEGE']);
  });

  it('a brand over its maker on two lines is no name (neither is a first name)', () => {
    const r = redactPersonalData('PREMERA\nMicrosoft\nBLUE CROSS\nANGEL BROWN', { portrait: true });
    expect(r.text).toContain('PREMERA');
    expect(r.text).toContain('Microsoft');
  });
});

describe('a year, a range of years or an issuer is no personal value on a card that fails closed (privacy-rules-7)', () => {
  it('a season or a school year is no phone, a validity year no postcode, whatever the policy', () => {
    for (const number of ['2024 - 2025', '2019/20', '1998-2003']) {
      expect(findPhones(`Season ${number}`, { regions: [], national: true, formatted: true, labelEnds: [] }), number).toEqual([]);
    }
    // A phone label still takes what follows it.
    expect(findPhones('Tel. 2024 2025', { regions: [], national: true, formatted: true, labelEnds: [4] })[0]).toMatchObject({
      start: 5,
      end: 14,
    });
    for (const line of ['Valid 2025', 'Since 1998', 'Season 2024 - 2025']) {
      expect(hasPostcodeAndCity(line), line).toBe(false);
      expect(isStreetShapedLine(line), line).toBe(false);
    }
    // Postcodes before the town, and a town with a five-digit postcode, still are.
    for (const line of ['2000 Antwerpen', '1990 Wien', 'Boston, 02118']) expect(hasPostcodeAndCity(line), line).toBe(true);
    expect(isStreetShapedLine('Im Rottland 20')).toBe(true);
  });

  it("a club's member card with no known title: the holder goes, the club, the season and the year stay", () => {
    const card = [
      'HARBOUR ROWING CLUB',
      'MEMBER',
      'Maria Lopez Garcia',
      'No 0045871',
      'Born 12.03.1990',
      'Season 2024 - 2025',
      'Valid 2025',
    ].join('\n');
    const r = expectRedacted(
      card,
      ['Maria', 'Lopez', '0045871', '12.03.1990'],
      ['HARBOUR ROWING CLUB', 'Season 2024 - 2025', 'Valid 2025'],
    );
    expect(r.document).toBeNull();
    // The same with a portrait beside the text (the strictest policy): the years and the club stay.
    const strict = redactPersonalData(card, { portrait: true }).text;
    for (const kept of ['HARBOUR ROWING CLUB', '2024 - 2025', '2025']) expect(strict).toContain(kept);
    for (const secret of ['Maria', '0045871', '12.03.1990']) expect(strict).not.toContain(secret);
  });

  it("a football club's or a firm's name over a holder's label is its issuer, the holder's name under it still goes", () => {
    for (const issuer of ['FC BARCELONA', 'Acme Corporation', 'Universität Wien']) {
      expectRedacted([issuer, 'MEMBER', 'Jan Kowalski', 'No 0045871', '12.03.1990'].join('\n'), ['Jan Kowalski', '0045871'], [issuer]);
    }
  });

  it('a year after a birth-date label still goes, on the strictest policy too', () => {
    const text = ['STUDENT CARD', 'Name: Jan Novak', 'Date of birth: 1998', 'No 0045871'].join('\n');
    expect(redactPersonalData(text, { portrait: true }).text).toBe(
      ['STUDENT CARD', 'Name: [NAME]', 'Date of birth: [DOB]', 'No [ID]'].join('\n'),
    );
  });
});

describe('fail closed on a prescription number (privacy-rules-9)', () => {
  it('the Rx sign before its digits, beside a name-shaped line, is a personal text', () => {
    const lines = ['Rx 4471203', 'Tel. 0161 496 0000', 'MAREK NOWICKI'];
    expect(personalTextEvidence(lines, (l) => /^[A-Z]+ [A-Z]+$/.test(l)).evidence).toContain('name and labelled number');
    // A product's "Rx only" beside a brand is none.
    expect(personalTextEvidence(['Rx only', 'ACME PHARMA'], (l) => /^[A-Z]+ [A-Z]+$/.test(l)).evidence).toEqual([]);
  });
});
