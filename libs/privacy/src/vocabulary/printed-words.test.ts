import { describe, expect, it } from 'vitest';
import { findLabels, isGarbledLabelWord, namesAFirm } from './printed-words.js';

describe('namesAFirm', () => {
  it("finds a firm's legal form or family-firm word, spaced or glued", () => {
    for (const line of ['Martínez Hermanos S.L.', 'Bakker & Zonen', 'Rossi e Figli', 'Müller Söhne GmbH', 'KowalskiSp.zo.o.']) {
      expect(namesAFirm(line), line).toBe(true);
    }
  });

  it("is not a person's name", () => {
    for (const line of ['Lucía Fernández Ortega', 'Jan de Vries', 'Agnieszka Kowalska']) expect(namesAFirm(line), line).toBe(false);
  });
});

describe('findLabels', () => {
  it('is no label inside a longer printed phrase ("Residence" of "Residence permit")', () => {
    expect(findLabels('Residence permit').filter((l) => l.payload === 'address')).toEqual([]);
    expect(findLabels('Residence: Lyon').map((l) => l.payload)).toContain('address');
  });
});

describe('isGarbledLabelWord', () => {
  it('is a field label OCR misread by a letter or two', () => {
    expect(isGarbledLabelWord('Nationaltiy')).toBe(true);
    expect(isGarbledLabelWord('Geburtsdatun')).toBe(true);
    expect(isGarbledLabelWord('Gebvrtsdatun')).toBe(true);
  });

  it('is not a name', () => {
    expect(isGarbledLabelWord('Eugeniusz')).toBe(false);
    expect(isGarbledLabelWord('Lindqvist')).toBe(false);
  });
});

describe("labels the reader misread digit for letter (privacy-rules-12's one folding)", () => {
  it('finds a label with 0 for O, 1 or l for I, 5 for S', () => {
    for (const line of ['GELDIG T.0.M. 05-06-2026', 'VAL1D THRU 09/28', 'VALlD THRU 09/28', 'GÜLTIG BI5 2027', 'Giltig t.o.m.']) {
      expect(
        findLabels(line).map((l) => l.payload),
        line,
      ).toContain('date_of_expiry');
    }
  });

  it('finds no label in a number, and does not fold a phrase of two letters or swap i and l in a short one', () => {
    expect(findLabels('0151 5105')).toEqual([]);
    // "dl" (a licence's number label) is not "D1", a licence category, nor the Italian "di".
    expect(findLabels('Categoria D1').filter((l) => l.phrase === 'dl')).toEqual([]);
    expect(findLabels('Comune di Roma').filter((l) => l.phrase === 'dl')).toEqual([]);
  });
});

describe('findLabels: a label line OCR garbled by one letter (privacy-rules-17)', () => {
  it('reads a line of 9+ letters one letter from a label as that label', () => {
    expect(findLabels('Given rames').map((l) => l.payload)).toEqual(['given_names']);
    expect(findLabels('Geburtsdtum:').map((l) => l.payload)).toEqual(['date_of_birth']);
  });

  it('never reads a name alone on its line as a label, nor a shorter garbled word', () => {
    for (const line of ['BENDER', 'Nobile', 'Anna Bender', 'KOWALSKA ANNA', 'Given']) expect(findLabels(line), line).toEqual([]);
  });
});
