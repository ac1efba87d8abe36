import { describe, expect, it } from 'vitest';
import { align, hasGluedCapitals, isGluedToken, respace } from './respace.js';

describe('the glued-capitals rule', () => {
  it('matches tokens without lower case holding >= 8 consecutive capitals', () => {
    for (const t of ['ACMEAUDIOKX-200', 'HIGHENERGY', 'DRIVERLICENSE', '8123STREETADDRESS', 'FEDERALLIMITSAPPLY'])
      expect(isGluedToken(t)).toBe(true);
    // A single long word matches too ('ALKALINE'): tesseract then reads one word and nothing changes.
    expect(isGluedToken('ALKALINE')).toBe(true);
    for (const t of ['VARTA', 'KX-200', 'WDLABCD456DG', 'DateofBirth/Datedenaissance', 'Highenergy', 'ABCDEFG1H'])
      expect(isGluedToken(t)).toBe(false);
  });

  it('matches a small word glued to a capitals word, not brand spellings with one capital', () => {
    for (const t of ['RxBIN#', 'ofPASSPORT']) expect(isGluedToken(t)).toBe(true);
    for (const t of ['iPhone', 'McDonald', 'MacBook', 'eBay', 'x86']) expect(isGluedToken(t)).toBe(false);
  });

  it('looks at every token of a line', () => {
    expect(hasGluedCapitals('Model HIGHENERGY 2')).toBe(true);
    expect(hasGluedCapitals('HIGH ENERGY')).toBe(false);
    expect(hasGluedCapitals('')).toBe(false);
  });
});

describe('respace', () => {
  it("takes tesseract's spaces when its letters agree", () => {
    expect(respace('HIGHENERGY', 'HIGH ENERGY')).toBe('HIGH ENERGY');
    expect(respace('DRIVERLICENSE', 'DRIVER LICENSE')).toBe('DRIVER LICENSE');
  });

  it("keeps Paddle's characters where tesseract misread some", () => {
    expect(respace('ACMEAUDIOKX-200', 'ACME AUDI0 KX-200')).toBe('ACME AUDIO KX-200');
    expect(respace('FEDERALLIMITSAPPLY', 'FEDERAI LIMITS APPLY')).toBe('FEDERAL LIMITS APPLY');
  });

  it('refuses a reading whose letters disagree too much', () => {
    expect(respace('HIGHENERGY', 'HI GH EN')).toBeNull();
    expect(respace('DRIVERLICENSE', 'ORIVER LIGENSF X')).toBeNull();
  });

  it('adds nothing when tesseract saw one word', () => {
    expect(respace('HIGHENERGY', 'HIGHENERGY')).toBeNull();
  });

  it('splits digits from words but keeps mixed codes whole', () => {
    expect(respace('8123STREETADDRESS', '8123 STREET ADDRESS')).toBe('8123 STREET ADDRESS');
    expect(respace('12RESTRICTIONS', '12 RESTRICTIONS')).toBe('12 RESTRICTIONS');
    expect(respace('5DDWDLABCD456DG1234567XX1101', '5 DDWDLABCD456DG 1234567XX1101')).toBeNull();
  });

  it('only touches glued tokens of the line', () => {
    expect(respace('Model KX200 HIGHENERGY', 'Mod el KX 200 HIGH ENERGY')).toBe('Model KX200 HIGH ENERGY');
  });
});

describe('align', () => {
  it('maps each character of b onto a, -1 for insertions', () => {
    expect(align('ABCD', 'ABXCD')).toEqual({ distance: 1, bToA: [0, 1, -1, 2, 3] });
  });
});

describe('respace with tesseract word confidences', () => {
  it('borrows a space only between two words tesseract was sure of (the passport nationality line)', () => {
    const read = [
      { text: 'CANADIAN/', confidence: 90 },
      { text: 'CANAD', confidence: 96 },
      { text: 'TENNE', confidence: 27 },
    ];
    expect(respace('CANADIAN/CANADIENNE', read)).toBeNull();
    expect(
      respace('DRIVERLICENSE', [
        { text: 'DRIVER', confidence: 96 },
        { text: 'LICENSE', confidence: 96 },
      ]),
    ).toBe('DRIVER LICENSE');
  });
});
