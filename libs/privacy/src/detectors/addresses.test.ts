import { describe, expect, it } from 'vitest';
import { findJoinedAddress, findStreets, hasPostcodeAndCity, isOneLineAddress, isStreetShapedLine } from './addresses.js';

describe('hasPostcodeAndCity', () => {
  it('reads a postcode OCR glued to its town', () => {
    expect(hasPostcodeAndCity('10115Berlin')).toBe(true);
    expect(hasPostcodeAndCity('1017AB Amsterdam')).toBe(true);
  });

  it('reads a UK postcode before the town, with O read for 0', () => {
    expect(hasPostcodeAndCity('SW1A 2AA London')).toBe(true);
    expect(hasPostcodeAndCity('M1 OAB Manchester')).toBe(true);
  });

  it('reads a Polish postcode before a town read small or with its O as a zero (privacy-rules-19)', () => {
    expect(hasPostcodeAndCity('64-320 tuków')).toBe(true);
    expect(hasPostcodeAndCity('10-100 mg')).toBe(false);
    expect(hasPostcodeAndCity('63-5000lesnica')).toBe(true);
    expect(hasPostcodeAndCity('63-500 Olesnica')).toBe(true);
  });

  it('is not any number before a word', () => {
    expect(hasPostcodeAndCity('500 Tablets')).toBe(false);
    expect(hasPostcodeAndCity('Refills: 2')).toBe(false);
  });
});

describe('isOneLineAddress', () => {
  it('is a street with its number, a comma, then postcode and town', () => {
    expect(isOneLineAddress('Hauptstraße 5, 10115 Berlin')).toBe(true);
    expect(isOneLineAddress('Calle Mayor 12, 28013 Madrid')).toBe(true);
    expect(isOneLineAddress('ul. Długa 7, 00-238 Warszawa')).toBe(true);
  });

  it('takes "s/n" (sin número) for the house number, glued to the postcode or not (privacy-rules-19)', () => {
    expect(isOneLineAddress('Travesía Pinar s/n.,41927 Sevilla')).toBe(true);
    expect(isOneLineAddress('Calle Real S/N, 28013 Madrid')).toBe(true);
  });

  it('needs the number in the street and the postcode-and-town after the comma', () => {
    expect(isOneLineAddress('Hauptstraße, 10115 Berlin')).toBe(false);
    expect(isOneLineAddress('Version 5, build 2024')).toBe(false);
  });
});

describe('isStreetShapedLine (only where a document prints its holder address)', () => {
  it('is words and a house number in either order, with or without a known street type', () => {
    for (const line of ['Am Lindenhof 14', 'Kerkpad 12b', '2 Place du Marché', 'Piazzetta Garibaldi 3/5']) {
      expect(isStreetShapedLine(line), line).toBe(true);
    }
  });

  it('takes "s/n" (sin número) for the house number (privacy-rules-19)', () => {
    for (const line of ['Rampa Iglesias s/n.', 'Cuesta del Moral s/n']) expect(isStreetShapedLine(line), line).toBe(true);
    expect(isStreetShapedLine('Serial no. S/N: 4411')).toBe(false);
  });

  it('is not a labelled value, an e-mail or a phone', () => {
    for (const line of ['Room: 12', 'jan@example.org 3', '+49 30 1234567']) expect(isStreetShapedLine(line), line).toBe(false);
  });
});

describe('findStreets', () => {
  it('knows more street types: French, Spanish, Italian, Polish, German and Dutch ones', () => {
    for (const line of [
      'Borgo Pinti 24',
      'Ronda de Toledo 8',
      'Faubourg Saint-Denis 41',
      'Rynek Główny 9',
      'Am Mühlensteig 4',
      'Zeedijk 17',
    ]) {
      expect(findStreets(line).length, line).toBeGreaterThan(0);
    }
  });

  it('reads a house number of up to five digits before a Portuguese type-first street (privacy-rules-14)', () => {
    for (const [line, street] of <Array<[string, string]>>[
      ['93818 Alameda Franco,84854-442 Nogueira do Sul', '93818 Alameda Franco'],
      ['1082 Alameda Warley, 35651-755 Silva do Sul', '1082 Alameda Warley'],
      ['12 Rodovia Anhanguera', '12 Rodovia Anhanguera'],
    ]) {
      const spans = findStreets(line);
      expect(
        spans.some((s) => s.start <= 0 && s.end >= street.length),
        line,
      ).toBe(true);
    }
  });

  it('knows the German street type as a word of its own after an adjective ("Alte Gasse 3")', () => {
    expect(findStreets('Alte Gasse 3').length).toBeGreaterThan(0);
    expect(findStreets('Neuer Markt 12').length).toBeGreaterThan(0);
  });
});

describe('a one-line address glued by OCR (privacy-rules-9)', () => {
  it('reads the dot OCR put for the comma between the house number and the postcode', () => {
    expect(isOneLineAddress('Kossuthter12.6720 Szeged')).toBe(true);
    expect(isOneLineAddress('Dlouha 7.11000 Praha')).toBe(true);
    // A price or a date before a town is none.
    expect(isOneLineAddress('Total 12.50 EUR')).toBe(false);
    expect(isOneLineAddress('Born 12.03.1990 Berlin')).toBe(false);
  });
});

describe('findJoinedAddress (privacy-rules-16)', () => {
  const covered = (line: string): string[] => findJoinedAddress(line).map((s) => line.slice(s.start, s.end));

  it('reads a street, postcode and town joined by a middle dot, a bar or a bullet, the phone after them left alone', () => {
    expect(covered('14 Mill Lane · LS6 2QB Headingley · 0113 496 0123')).toEqual(['14 Mill Lane · LS6 2QB Headingley']);
    expect(covered('Hauptweg 3|04109 Leipzig|0341 5550199')).toEqual(['Hauptweg 3|04109 Leipzig']);
    expect(covered('Via Roma 8 • 20121 Milano')).toEqual(['Via Roma 8 • 20121 Milano']);
  });

  it('reads a dash OCR glued between the house number (or the street) and the postcode', () => {
    expect(covered('Petőfi utca 12-6720 Szeged')).toEqual(['Petőfi utca 12-6720 Szeged']);
    expect(covered('ulicaLipowa7a-00-950 Warszawa')).toEqual(['ulicaLipowa7a-00-950 Warszawa']);
    expect(covered("3 Rued'Orsel-75018 Paris")).toEqual(["3 Rued'Orsel-75018 Paris"]);
  });

  it('reads a ZIP+4 before the town after a glued street', () => {
    expect(covered('5521thAvenue|98101-1234 Seattle')).toEqual(['5521thAvenue|98101-1234 Seattle']);
  });

  it('is no address without a street holding a number before the postcode, nor before a year', () => {
    expect(covered('Pharmacy · 10115 Berlin')).toEqual([]);
    expect(covered('Lot 12 - 2024 Edition')).toEqual([]);
    expect(covered('Take 2 tablets, 500 Tablets')).toEqual([]);
  });
});

describe('Turkish streets and glued postcodes (privacy-rules-17)', () => {
  const covered = (line: string): string[] => findStreets(line).map((s) => line.slice(s.start, s.end));

  it('reads a Turkish type word after the name, a street named for a date with its day', () => {
    expect(covered('30 Agustos Caddesi 10b')).toEqual(['30 Agustos Caddesi 10b']);
    expect(covered('Atatürk Caddesi 5')).toEqual(['Atatürk Caddesi 5']);
    expect(covered('Gül Sokak No: 4')).toEqual(['Gül Sokak No: 4']);
    expect(covered('30 Agustos Caddesi 89c·39761Tunceli')).toEqual(['30 Agustos Caddesi 89c·39761Tunceli']);
    expect(covered('Open 24 hours Cad 5')).toEqual([]);
  });

  it('reads a Brazilian CEP before the town, and a town whose O the reader glued to the postcode as a zero', () => {
    expect(hasPostcodeAndCity('56470-908 Caua doNorte')).toBe(true);
    expect(findJoinedAddress('3978 Marginal Sirineu·56470-908 Caua doNorte·(83)78510-0811').map((s) => s.end)).toEqual([44]);
    expect(hasPostcodeAndCity('901710viedo')).toBe(true);
    expect(hasPostcodeAndCity('250000ml')).toBe(false);
    expect(hasPostcodeAndCity('1234567 units')).toBe(false);
  });
});
