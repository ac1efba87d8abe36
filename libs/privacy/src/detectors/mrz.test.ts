import { describe, expect, it } from 'vitest';
import { readMrz } from './mrz.js';

describe('readMrz on blocks whose check digits OCR broke', () => {
  // A German identity card (TD1, ICAO 9303 part 5) as OCR reads it: the I of "ID" read as 1, a check digit wrong.
  const td1 = ['1DD<<T220001294<<<<<<<<<<<<<<<', '6408125<2010315D<<<<<<<<<<<<<4', 'MUSTERMANN<<ERIKA<<<<<<<<<<<<<'];

  it('still says the document code, the issuing state and the TD1 size', () => {
    const [reading] = readMrz(td1);
    expect(reading?.checkDigitsValid).toBe(false);
    expect(reading?.documentCode).toBe('ID');
    expect(reading?.issuingState).toBe('D');
    expect(reading?.format).toBe('TD1');
    expect(reading?.names).toEqual(expect.arrayContaining(['MUSTERMANN', 'ERIKA']));
  });

  it('reads the state with O read as zero', () => {
    const [reading] = readMrz(['I<P0L<ABC1234567<<<<<<<<<<<<<<<', '8001014F3001012POL<<<<<<<<<<<9', 'KOWALSKA<<ANNA<<<<<<<<<<<<<<<<']);
    expect(reading?.issuingState).toBe('POL');
  });

  it('keeps name particles out of the names: alone they are words of printed wording', () => {
    const [reading] = readMrz(['P<NLDVAN<DER<BERG<<JAN<PIETER<<<<<<<<<<<<<<<', 'XN01BC0150NLD6503101M2401151999999990<<<<<82']);
    expect(reading?.names).toEqual(expect.arrayContaining(['BERG', 'JAN', 'PIETER']));
    expect(reading?.names).not.toContain('VAN');
    expect(reading?.names).not.toContain('DER');
  });
});
