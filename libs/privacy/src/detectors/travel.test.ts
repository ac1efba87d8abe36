import { describe, expect, it } from 'vitest';
import { findIataNames, findTravelReferences, hasTitledIataName } from './travel.js';

const taken = (line: string, spans: ReadonlyArray<{ start: number; end: number }>): string[] =>
  spans.map((s) => line.slice(s.start, s.end));

describe('findIataNames (SURNAME/GIVEN NAMES TITLE, IATA Resolution 722)', () => {
  it('takes the passenger with the title spaced or glued on', () => {
    expect(taken('MUELLER/HANS MR', findIataNames('MUELLER/HANS MR')).join(' ')).toContain('MUELLER/HANS');
    expect(taken('NOWAK/ANNAMARIAMRS', findIataNames('NOWAK/ANNAMARIAMRS')).join(' ')).toContain('NOWAK/ANNAMARIA');
  });

  it('takes a surname with a particle', () => {
    expect(taken('DE LANGE/INARA MS', findIataNames('DE LANGE/INARA MS')).join(' ')).toBe('DE LANGE/INARA MS');
    expect(taken('VAN DIJK/PIETER MR', findIataNames('VAN DIJK/PIETER MR')).join(' ')).toBe('VAN DIJK/PIETER MR');
  });

  it('takes the passenger glued after the seat and sequence digits OCR read into one run (privacy-rules-17)', () => {
    expect(taken('31A00T2020NS/ARTHAUD MR', findIataNames('31A00T2020NS/ARTHAUD MR')).join(' ')).toBe('NS/ARTHAUD MR');
    expect(findIataNames('0830LHR/JFK')).toEqual([]);
  });

  it('leaves a route or a fare basis written with a slash', () => {
    expect(findIataNames('LHR/JFK')).toEqual([]);
    expect(findIataNames('ECONOMY/Y')).toEqual([]);
  });
});

describe('findTravelReferences (record locators and ticket numbers, on a boarding pass)', () => {
  it('takes a six-character booking reference alone on its line and a 3+10 digit ticket number', () => {
    expect(taken('Q7ZK2P', findTravelReferences('Q7ZK2P'))).toEqual(['Q7ZK2P']);
    expect(taken('ETKT 220 2412345678', findTravelReferences('ETKT 220 2412345678')).join('')).toContain('2412345678');
  });

  it('never takes a flight number, a seat, a gate or a time', () => {
    for (const line of ['LH0400', 'U21234', 'SEAT 23A', 'GATE B32', 'BOARDING 07:45']) expect(findTravelReferences(line), line).toEqual([]);
  });
});

describe('hasTitledIataName (evidence of a boarding pass, privacy-rules-19)', () => {
  it('is a passenger with the title IATA appends', () => {
    expect(hasTitledIataName('KORKMAZ/SELIN MS')).toBe(true);
    expect(hasTitledIataName('DE LANGE/INARA MRS')).toBe(true);
  });

  it('is not a route, a fare basis or a name without its title', () => {
    for (const line of ['LHR/JFK', 'ECONOMY/Y', 'KORKMAZ/SELIN']) expect(hasTitledIataName(line), line).toBe(false);
  });
});
