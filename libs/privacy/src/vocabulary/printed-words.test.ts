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
