import { describe, expect, it } from 'vitest';
import { caseChanges, isProtectedToken, restoreWordSpaces } from './restore-spaces.js';

describe('restoreWordSpaces (the word lists shipped in npm packages)', () => {
  it('restores the glued lines of the issue', () => {
    expect(restoreWordSpaces('Placeofbirth/Lieudenaissance')).toBe('Place of birth/Lieu de naissance');
    expect(restoreWordSpaces('40011st Ave NERedmond,WA98052')).toBe('40011st Ave NE Redmond, WA98052');
    expect(restoreWordSpaces('ChrisSmith')).toBe('Chris Smith');
    expect(restoreWordSpaces('DateofBirth/Datedenaissance')).toBe('Date of Birth/Date de naissance');
  });

  it('splits glued capitals, and digits from a word, but not codes', () => {
    expect(restoreWordSpaces('HIGHENERGY')).toBe('HIGH ENERGY');
    expect(restoreWordSpaces('DRIVERLICENSE')).toBe('DRIVER LICENSE');
    expect(restoreWordSpaces('8123STREETADDRESS')).toBe('8123 STREET ADDRESS');
    expect(restoreWordSpaces('12MAR')).toBe('12 MAR');
    for (const code of ['KX200', 'CAAD8', '1st', '5kg', 'ZE000509', 'WDLABCD456DG1234567XX1101', 'BCAAXYZ', 'PPO'])
      expect(restoreWordSpaces(code)).toBe(code);
  });

  it('never touches e-mail addresses, URLs, MRZ lines or code', () => {
    for (const token of [
      'avery.smith@contoso.com',
      'https://www.contoso.com/',
      'www.ibm.com/cloud/watsonstudio',
      'P<CANBROWN<<HOLLIE<<<<<<<<<<',
      'ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08',
      'sc.setLogLevel(newLevel).',
    ]) {
      expect(isProtectedToken(token)).toBe(true);
      expect(restoreWordSpaces(`see ${token} now`)).toBe(`see ${token} now`);
    }
  });

  it('leaves words of the lists whole, brand spellings included', () => {
    for (const line of ['Watson Studio', 'Paddington, London', 'MacBook iPhone YouTube McDonald', 'CANADIAN/CANADIENNE', 'Handmade']) {
      expect(restoreWordSpaces(line)).toBe(line);
    }
    // Not in the lists, but a two-letter first part is a prefix more often than a word.
    expect(restoreWordSpaces('Coinsurance')).toBe('Coinsurance');
  });

  it('puts a space after a comma or an abbreviation dot between words', () => {
    expect(restoreWordSpaces('Dr.AverySmith')).toBe('Dr. Avery Smith');
    expect(restoreWordSpaces('London,UK')).toBe('London, UK');
    expect(restoreWordSpaces('1,500 U.S.A ACME.COM')).toBe('1,500 U.S.A ACME.COM');
  });

  it('only ever inserts spaces', () => {
    for (const line of ['Placeofbirth/Lieudenaissance', 'NERedmond,WA98052', 'Ünïcödé Straße12', 'ÉTATCIVIL', 'a', '', '  two  spaces ']) {
      const out = restoreWordSpaces(line);
      expect(out.replace(/ /g, '')).toBe(line.replace(/ /g, ''));
    }
  });

  it('takes the word gaps the recogniser saw, between letters, outside protected tokens', () => {
    const line = 'ACMEAUDIOKX x@y.com';
    const gapsOnly = { steps: { gaps: true, digits: false, caseChanges: false, segmentation: false } };
    const gaps = Array.from(line, () => Number.NaN);
    gaps[4] = 1.5; // ACME|AUDIO
    gaps[14] = 3; // inside the e-mail address: ignored
    expect(restoreWordSpaces(line, { gaps, options: gapsOnly })).toBe('ACME AUDIOKX x@y.com');
    // Weak evidence counts only between two words: ACME|AUDIO yes, AUDIO|KX no.
    gaps[4] = 0.5;
    gaps[9] = 0.5;
    expect(restoreWordSpaces(line, { gaps, options: gapsOnly })).toBe('ACME AUDIOKX x@y.com');
    gaps[4] = 0.1;
    expect(restoreWordSpaces(line, { gaps, options: gapsOnly })).toBe(line);
  });

  it('never takes a gap inside a word of the lexicon', () => {
    const line = 'Spark UI available at';
    const gaps = Array.from(line, () => Number.NaN);
    gaps[line.indexOf('lable')] = 1.05;
    expect(restoreWordSpaces(line, { gaps })).toBe(line);
  });
});

describe('caseChanges', () => {
  it('finds lower-to-upper and capitals-to-capitalised-word changes, never a lone leading letter', () => {
    expect(caseChanges('ChrisSmith')).toEqual([5]);
    expect(caseChanges('NERedmond')).toEqual([2]);
    expect(caseChanges('iPhone')).toEqual([]);
    expect(caseChanges('McDonald')).toEqual([]);
    expect(caseChanges('BCAAxYZ')).toEqual([]);
    expect(caseChanges('PDFs')).toEqual([]);
  });
});
